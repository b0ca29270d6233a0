// A thin RAII layer over one SQLite connection, after Chromium's //sql:
// statements finalize (or, when cached, reset) themselves, SQL lives in named
// constants at the call sites, and values are bound with `?` placeholders only.
//
// Threading: one connection serves the process. Callers hold `Lock()` for the
// whole of a unit of work (usually one API request's reads and writes).
// Errors from SQLite are bugs or environment failures: they throw
// DatabaseError, which the request pipeline turns into InternalError without
// ever showing SQLite's text to a client.
#pragma once

#include <cstdint>
#include <memory>
#include <atomic>
#include <mutex>
#include <thread>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>

struct sqlite3;
struct sqlite3_stmt;

namespace cvm::state {

class DatabaseError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class Database;

// A prepared statement. Owning statements finalize on destruction; statements
// borrowed from the cache are reset and unbound instead.
class Statement {
 public:
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&&) = delete;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement();

  // Parameter indexes are 1-based, as in SQLite.
  Statement& Bind(int index, int64_t value);
  Statement& Bind(int index, int value) { return Bind(index, static_cast<int64_t>(value)); }
  Statement& Bind(int index, double value);
  Statement& Bind(int index, std::string_view value);
  Statement& Bind(int index, const std::string& value) { return Bind(index, std::string_view(value)); }
  Statement& Bind(int index, const char* value) { return Bind(index, std::string_view(value)); }
  Statement& Bind(int index, std::optional<int64_t> value);
  Statement& Bind(int index, const std::optional<std::string>& value);
  Statement& BindNull(int index);

  // Advances to the next row. Returns true iff a row is available.
  bool Step();
  // Steps until done; for statements that return no rows.
  void Run();
  void Reset();

  // Column indexes are 0-based, as in SQLite.
  bool IsNull(int col) const;
  int64_t Int(int col) const;
  double Double(int col) const;
  std::string Text(int col) const;
  // The text of `col` without a copy; valid until the next Step or Reset.
  std::string_view TextView(int col) const;
  std::optional<int64_t> OptionalInt(int col) const;
  std::optional<std::string> OptionalText(int col) const;

 private:
  friend class Database;
  Statement(Database* db, sqlite3_stmt* stmt, bool owned) : db_(db), stmt_(stmt), owned_(owned) {}
  void Check(int rc, const char* what) const;

  Database* db_;
  sqlite3_stmt* stmt_;
  bool owned_;
};

class Database {
 public:
  enum class Durability { kNormal, kFull };

  // Opens (creating if needed) the database at `path`; ":memory:" gives a
  // private in-memory database. Enables WAL (on files) and foreign keys.
  // Throws DatabaseError on failure.
  explicit Database(const std::string& path, Durability durability = Durability::kNormal);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  std::unique_lock<std::mutex> Lock() { return std::unique_lock<std::mutex>(mutex_); }
  // Lock() if the database is free now; else a lock that does not own it
  // (owns_lock() false), without waiting.
  std::unique_lock<std::mutex> TryLock() {
    return std::unique_lock<std::mutex>(mutex_, std::try_to_lock);
  }

  // A new statement, finalized when it goes out of scope.
  Statement Prepare(std::string_view sql);
  // A statement prepared once per distinct `sql` pointer and reused.
  // REQUIRES: `sql` is a string constant (its address is the cache key).
  Statement Cached(const char* sql);
  // Runs one or more statements that return no rows.
  void Execute(std::string_view sql);

  int64_t LastInsertRowId() const;
  int Changes() const;
  const std::string& path() const { return path_; }
  bool in_memory() const { return path_ == ":memory:"; }

  // Runs PRAGMA quick_check; returns "ok" or SQLite's description.
  std::string QuickCheck();

  // Replaces every page of this database with `source`'s in one write
  // transaction (SQLite's online backup API): its cost is the source's
  // pages, not this database's. Every connection then sees the source's
  // schema and rows (SQLite re-reads the schema; cached statements are
  // prepared again as they run); a crash leaves the old content or the new,
  // never a mix. Pages past the source's size are let go: a file database
  // shrinks at the next checkpoint that copies the whole WAL.
  // REQUIRES: the caller holds the lock; no transaction or batch is open;
  // both use the same page size. Throws DatabaseError.
  void ReplaceWith(Database& source);

  // Checkpoints (docs/decisions.md D-83). A background connection copies
  // the WAL into the database file every 250 ms (PASSIVE: it never waits
  // for the writer). That alone never lets the WAL start over while writes
  // go on, so the writer restarts it between batches once it has grown past
  // a number of frames (CheckpointIfWalLarge). Opening a file database folds
  // in whatever WAL a killed process left behind.
  struct WalCheckpoint {
    int wal_frames = -1;           // frames in the WAL; -1: no checkpoint ran
    int checkpointed_frames = -1;  // of those, now in the database file
  };
  // One passive checkpoint on the background connection, now.
  WalCheckpoint BackgroundCheckpoint();
  // If the WAL holds more than wal_restart_frames() frames: copies the rest
  // of it into the database file and starts it over, empty
  // (SQLITE_CHECKPOINT_TRUNCATE; it waits for the background checkpoint).
  // Returns true iff it did so. No-op for ":memory:". REQUIRES: no batch or
  // transaction open; takes the lock.
  bool CheckpointIfWalLarge();
  // 4096 frames: 16 MiB of 4 KiB pages.
  static constexpr int kDefaultWalRestartFrames = 4096;
  int wal_restart_frames() const { return wal_restart_frames_; }
  void set_wal_restart_frames(int frames) { wal_restart_frames_ = frames; }

  // Group commit. The thread that opens a batch holds the lock and one
  // transaction across several units of work (UnitOfWork then uses a
  // savepoint each), and commits them together: one WAL write for many
  // requests. Nothing in a batch is acknowledged before EndBatch commits.
  // REQUIRES (BeginBatch): no batch open. Throws DatabaseError.
  void BeginBatch();
  // Commits (or, when `commit` is false, rolls back) and releases the lock.
  void EndBatch(bool commit);
  // True iff the calling thread has a batch open.
  bool InBatch() const { return batch_open_ && batch_thread_ == std::this_thread::get_id(); }

 private:
  friend class Statement;
  [[noreturn]] void Fail(int rc, std::string_view what) const;
  class Checkpointer;

  static int OnWalCommit(void* self, sqlite3*, const char*, int frames);

  std::string path_;
  sqlite3* db_ = nullptr;
  std::atomic<int> wal_frames_{0};  // after the last commit
  int wal_restart_frames_ = kDefaultWalRestartFrames;
  std::mutex mutex_;
  std::unordered_map<const char*, sqlite3_stmt*> cache_;
  std::unique_ptr<Checkpointer> checkpointer_;
  std::unique_lock<std::mutex> batch_lock_;
  std::atomic<bool> batch_open_{false};
  std::thread::id batch_thread_;
};

// BEGIN IMMEDIATE ... COMMIT; rolls back on destruction unless committed.
class Transaction {
 public:
  explicit Transaction(Database& db);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  void Commit();

 private:
  Database& db_;
  bool done_ = false;
};

}  // namespace cvm::state
