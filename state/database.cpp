#include "state/database.h"

#include <sqlite3.h>

#include <chrono>
#include <condition_variable>
#include <thread>

namespace cvm::state {

Statement::Statement(Statement&& other) noexcept
    : db_(other.db_), stmt_(other.stmt_), owned_(other.owned_) {
  other.stmt_ = nullptr;
}

Statement::~Statement() {
  if (!stmt_) return;
  if (owned_) {
    sqlite3_finalize(stmt_);
  } else {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
}

void Statement::Check(int rc, const char* what) const {
  if (rc != SQLITE_OK) db_->Fail(rc, what);
}

Statement& Statement::Bind(int index, int64_t value) {
  Check(sqlite3_bind_int64(stmt_, index, value), "bind");
  return *this;
}
Statement& Statement::Bind(int index, double value) {
  Check(sqlite3_bind_double(stmt_, index, value), "bind");
  return *this;
}
Statement& Statement::Bind(int index, std::string_view value) {
  Check(sqlite3_bind_text64(stmt_, index, value.data(), value.size(), SQLITE_TRANSIENT,
                            SQLITE_UTF8),
        "bind");
  return *this;
}
Statement& Statement::Bind(int index, std::optional<int64_t> value) {
  return value ? Bind(index, *value) : BindNull(index);
}
Statement& Statement::Bind(int index, const std::optional<std::string>& value) {
  return value ? Bind(index, std::string_view(*value)) : BindNull(index);
}
Statement& Statement::BindNull(int index) {
  Check(sqlite3_bind_null(stmt_, index), "bind");
  return *this;
}

bool Statement::Step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  db_->Fail(rc, "step");
}

void Statement::Run() {
  while (Step()) {
  }
}

void Statement::Reset() { sqlite3_reset(stmt_); }

bool Statement::IsNull(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }
int64_t Statement::Int(int col) const { return sqlite3_column_int64(stmt_, col); }
double Statement::Double(int col) const { return sqlite3_column_double(stmt_, col); }
std::string Statement::Text(int col) const {
  const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, col));
  return p ? std::string(p, sqlite3_column_bytes(stmt_, col)) : std::string();
}
std::string_view Statement::TextView(int col) const {
  const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, col));
  return p ? std::string_view(p, sqlite3_column_bytes(stmt_, col)) : std::string_view();
}
std::optional<int64_t> Statement::OptionalInt(int col) const {
  if (IsNull(col)) return std::nullopt;
  return Int(col);
}
std::optional<std::string> Statement::OptionalText(int col) const {
  if (IsNull(col)) return std::nullopt;
  return Text(col);
}

Database::Database(const std::string& path, Durability durability) : path_(path) {
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  int rc = sqlite3_open_v2(path.c_str(), &db_, flags, nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
    sqlite3_close(db_);
    db_ = nullptr;
    throw DatabaseError("cannot open database " + path + ": " + msg);
  }
  sqlite3_busy_timeout(db_, 5000);
  sqlite3_extended_result_codes(db_, 1);
  if (!in_memory()) {
    Execute("PRAGMA journal_mode=WAL");
    // In WAL mode, NORMAL never loses a committed transaction when the process
    // dies (kill -9): the WAL is written before COMMIT returns. FULL also
    // survives power loss, at the cost of an fsync per commit.
    // Checkpoints run on a background connection (Checkpointer), never on
    // the request path.
    Execute("PRAGMA wal_autocheckpoint=0");
    Execute("PRAGMA mmap_size=1073741824");
    Execute(durability == Durability::kFull ? "PRAGMA synchronous=FULL"
                                            : "PRAGMA synchronous=NORMAL");
    // A WAL over 64 MiB (only if restarts could not keep up) is cut back
    // to that when it starts over.
    Execute("PRAGMA journal_size_limit=67108864");
    // A WAL a killed process left behind goes into the database file now,
    // so it neither grows from one restart to the next nor has to be read
    // back (recovered) at every start.
    Execute("PRAGMA wal_checkpoint(TRUNCATE)");
    sqlite3_wal_hook(db_, &Database::OnWalCommit, this);
  }
  Execute("PRAGMA foreign_keys=ON");
  if (!in_memory()) checkpointer_ = std::make_unique<Checkpointer>(path_);
  Execute("PRAGMA temp_store=MEMORY");
  Execute("PRAGMA cache_size=-65536");  // 64 MB of page cache
}

Database::~Database() {
  checkpointer_.reset();  // stop the background checkpoints first
  for (auto& [sql, stmt] : cache_) sqlite3_finalize(stmt);
  if (db_) {
    // A clean close checkpoints the WAL into the main file.
    sqlite3_close_v2(db_);
  }
}

void Database::Fail(int rc, std::string_view what) const {
  throw DatabaseError(std::string(what) + ": " + sqlite3_errmsg(db_) + " (" +
                      std::to_string(rc) + ")");
}

Statement Database::Prepare(std::string_view sql) {
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()), 0, &stmt, nullptr);
  if (rc != SQLITE_OK) Fail(rc, "prepare");
  return Statement(this, stmt, /*owned=*/true);
}

Statement Database::Cached(const char* sql) {
  auto it = cache_.find(sql);
  if (it == cache_.end()) {
    sqlite3_stmt* stmt = nullptr;
    int rc = sqlite3_prepare_v3(db_, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
    if (rc != SQLITE_OK) Fail(rc, "prepare");
    it = cache_.emplace(sql, stmt).first;
  }
  return Statement(this, it->second, /*owned=*/false);
}

void Database::Execute(std::string_view sql) {
  std::string text(sql);
  char* err = nullptr;
  int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &err);
  if (rc != SQLITE_OK) {
    std::string msg = err ? err : sqlite3_errstr(rc);
    sqlite3_free(err);
    throw DatabaseError("exec: " + msg);
  }
}

// Copies the WAL back into the database file every few hundred milliseconds
// from its own connection and thread, so requests never wait for a
// checkpoint's fsync. PASSIVE checkpoints never block the writer.
class Database::Checkpointer {
 public:
  explicit Checkpointer(const std::string& path) {
    if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr) !=
        SQLITE_OK) {
      sqlite3_close(db_);
      throw DatabaseError("cannot open the checkpoint connection to " + path);
    }
    sqlite3_busy_timeout(db_, 0);
    thread_ = std::thread([this] { Run(); });
  }
  ~Checkpointer() {
    {
      std::lock_guard lock(mutex_);
      stop_ = true;
    }
    wake_.notify_all();
    thread_.join();
    sqlite3_close_v2(db_);
  }
  Checkpointer(const Checkpointer&) = delete;
  Checkpointer& operator=(const Checkpointer&) = delete;

  // Keeps the background checkpoint from running until the lock is released
  // (it waits for one in progress to finish).
  std::unique_lock<std::mutex> Hold() { return std::unique_lock<std::mutex>(connection_mutex_); }

  WalCheckpoint Checkpoint() {
    std::lock_guard lock(connection_mutex_);
    WalCheckpoint out;
    // A connection learns that the database is in WAL mode, and opens the
    // WAL, when it first reads it; until then a checkpoint does nothing
    // and answers -1.
    if (!wal_open_) {
      if (sqlite3_exec(db_, "SELECT count(*) FROM sqlite_master", nullptr, nullptr, nullptr) !=
          SQLITE_OK) {
        return out;
      }
      wal_open_ = true;
    }
    sqlite3_wal_checkpoint_v2(db_, nullptr, SQLITE_CHECKPOINT_PASSIVE, &out.wal_frames,
                              &out.checkpointed_frames);
    return out;
  }

 private:
  void Run() {
    std::unique_lock lock(mutex_);
    while (!stop_) {
      wake_.wait_for(lock, std::chrono::milliseconds(250));
      if (stop_) break;
      lock.unlock();
      Checkpoint();
      lock.lock();
    }
  }

  sqlite3* db_ = nullptr;
  std::mutex connection_mutex_;  // the thread's checkpoints and BackgroundCheckpoint()
  bool wal_open_ = false;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stop_ = false;
  std::thread thread_;
};

int Database::OnWalCommit(void* self, sqlite3*, const char*, int frames) {
  static_cast<Database*>(self)->wal_frames_.store(frames, std::memory_order_relaxed);
  return SQLITE_OK;
}

Database::WalCheckpoint Database::BackgroundCheckpoint() {
  return checkpointer_ ? checkpointer_->Checkpoint() : WalCheckpoint{};
}

bool Database::CheckpointIfWalLarge() {
  if (in_memory() || wal_frames_.load(std::memory_order_relaxed) <= wal_restart_frames_) {
    return false;
  }
  auto lock = Lock();
  // Not beside a background checkpoint: SQLite allows one checkpoint at a
  // time, and one in progress (slow when the disk is) would make this one
  // BUSY batch after batch while the WAL grows.
  std::unique_lock<std::mutex> no_background =
      checkpointer_ ? checkpointer_->Hold() : std::unique_lock<std::mutex>();
  WalCheckpoint c;
  // TRUNCATE, not RESTART: RESTART leaves starting the WAL over to the next
  // writer, which skips it whenever the background checkpoint holds a read
  // mark at that moment; TRUNCATE starts it over here, and empties the file.
  int rc = sqlite3_wal_checkpoint_v2(db_, nullptr, SQLITE_CHECKPOINT_TRUNCATE, &c.wal_frames,
                                     &c.checkpointed_frames);
  if (rc != SQLITE_OK && rc != SQLITE_BUSY) Fail(rc, "checkpoint");
  // BUSY: not every frame could be copied or the WAL could not start over;
  // the next batch tries again.
  if (rc != SQLITE_OK) return false;
  wal_frames_.store(0, std::memory_order_relaxed);
  return true;
}

int64_t Database::LastInsertRowId() const { return sqlite3_last_insert_rowid(db_); }
int Database::Changes() const { return sqlite3_changes(db_); }

std::string Database::QuickCheck() {
  Statement s = Prepare("PRAGMA quick_check");
  std::string result;
  while (s.Step()) {
    if (!result.empty()) result += "; ";
    result += s.Text(0);
  }
  return result;
}

void Database::ReplaceWith(Database& source) {
  sqlite3_backup* backup = sqlite3_backup_init(db_, "main", source.db_, "main");
  if (!backup) Fail(sqlite3_errcode(db_), "replace");
  int rc = sqlite3_backup_step(backup, -1);
  int finished = sqlite3_backup_finish(backup);
  if (rc != SQLITE_DONE) Fail(rc, "replace");
  if (finished != SQLITE_OK) Fail(finished, "replace");
}

void Database::BeginBatch() {
  batch_lock_ = std::unique_lock<std::mutex>(mutex_);
  try {
    Cached("BEGIN IMMEDIATE").Run();
  } catch (...) {
    batch_lock_.unlock();
    throw;
  }
  batch_thread_ = std::this_thread::get_id();
  batch_open_ = true;
}

void Database::EndBatch(bool commit) {
  batch_open_ = false;
  auto unlock = [this] {
    if (batch_lock_.owns_lock()) batch_lock_.unlock();
  };
  try {
    Cached(commit ? "COMMIT" : "ROLLBACK").Run();
  } catch (...) {
    if (commit) {
      try {
        Cached("ROLLBACK").Run();
      } catch (const DatabaseError&) {
      }
    }
    unlock();
    throw;
  }
  unlock();
}

Transaction::Transaction(Database& db) : db_(db) { db_.Cached("BEGIN IMMEDIATE").Run(); }

Transaction::~Transaction() {
  if (!done_) {
    try {
      db_.Cached("ROLLBACK").Run();
    } catch (const DatabaseError&) {
      // Nothing more can be done; the connection rolls back on close.
    }
  }
}

void Transaction::Commit() {
  db_.Cached("COMMIT").Run();
  done_ = true;
}

}  // namespace cvm::state
