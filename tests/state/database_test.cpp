// The RAII layer over SQLite (state/database.h) and the numbered migrations
// (state/migrations.h).
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include <sys/wait.h>
#include <unistd.h>

#include "state/database.h"
#include "state/migrations.h"
#include "tests/support/temp_dir.h"

namespace {

using cvm::state::Database;
using cvm::state::DatabaseError;
using cvm::state::Statement;
using cvm::state::Transaction;

constexpr char kCreateItems[] = "CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL, size INTEGER)";
constexpr char kInsertItem[] = "INSERT INTO items (name, size) VALUES (?, ?)";
constexpr char kCountItems[] = "SELECT count(*) FROM items";
constexpr char kItemsByName[] = "SELECT name FROM items WHERE name >= ? ORDER BY name";

int64_t Count(Database& db) {
  Statement s = db.Prepare(kCountItems);
  REQUIRE(s.Step());
  return s.Int(0);
}

std::string SingleText(Database& db, std::string_view sql) {
  Statement s = db.Prepare(sql);
  REQUIRE(s.Step());
  return s.Text(0);
}

using cvm::test::TempDir;

TEST_CASE("Database: values bound with ? placeholders come back typed, NULL included") {
  Database db(":memory:");
  db.Execute(kCreateItems);
  db.Prepare(kInsertItem).Bind(1, "disk").Bind(2, int64_t{50}).Run();
  CHECK(db.LastInsertRowId() == 1);
  CHECK(db.Changes() == 1);
  db.Prepare(kInsertItem).Bind(1, std::string("it's; DROP TABLE items")).BindNull(2).Run();
  Statement s = db.Prepare("SELECT name, size FROM items ORDER BY id");
  REQUIRE(s.Step());
  CHECK(s.Text(0) == "disk");
  CHECK(s.Int(1) == 50);
  CHECK(s.OptionalInt(1) == 50);
  REQUIRE(s.Step());
  CHECK(s.Text(0) == "it's; DROP TABLE items");
  CHECK(s.IsNull(1));
  CHECK_FALSE(s.OptionalInt(1).has_value());
  CHECK_FALSE(s.OptionalText(1).has_value());
  CHECK_FALSE(s.Step());
}

TEST_CASE("Database: a statement finalizes itself when it goes out of scope, releasing its table") {
  Database db(":memory:");
  db.Execute(kCreateItems);
  db.Prepare(kInsertItem).Bind(1, "a").Bind(2, 1).Run();
  db.Prepare(kInsertItem).Bind(1, "b").Bind(2, 2).Run();
  {
    Statement reading = db.Prepare("SELECT name FROM items ORDER BY id");
    REQUIRE(reading.Step());
    // A statement in the middle of reading holds the table.
    CHECK_THROWS_AS(db.Execute("DROP TABLE items"), DatabaseError);
  }
  CHECK_NOTHROW(db.Execute("DROP TABLE items"));
}

TEST_CASE("Database: a moved statement is finalized once, by its new owner") {
  Database db(":memory:");
  db.Execute(kCreateItems);
  db.Prepare(kInsertItem).Bind(1, "a").Bind(2, 1).Run();
  Statement outer = [&] {
    Statement inner = db.Prepare("SELECT name FROM items");
    return Statement(std::move(inner));
  }();
  REQUIRE(outer.Step());
  CHECK(outer.Text(0) == "a");
}

TEST_CASE("Database: a cached statement is prepared once per SQL constant and reused") {
  Database db(":memory:");
  // The cache is keyed by the constant's address: changing the text behind
  // the same address after the first use still runs the first statement.
  static char sql[] = "SELECT 1";
  {
    Statement s = db.Cached(sql);
    REQUIRE(s.Step());
    CHECK(s.Int(0) == 1);
  }
  sql[7] = '2';
  {
    Statement s = db.Cached(sql);
    REQUIRE(s.Step());
    CHECK(s.Int(0) == 1);
  }
  sql[7] = '1';
}

TEST_CASE("Database: a cached statement comes back reset and unbound") {
  Database db(":memory:");
  db.Execute(kCreateItems);
  for (const char* name : {"a", "b", "c"}) db.Cached(kInsertItem).Bind(1, name).Bind(2, 1).Run();
  CHECK(Count(db) == 3);
  {
    Statement s = db.Cached(kItemsByName);
    s.Bind(1, "b");
    REQUIRE(s.Step());
    CHECK(s.Text(0) == "b");
  }  // left in the middle of its rows, with a binding
  {
    Statement s = db.Cached(kItemsByName);
    CHECK_FALSE(s.Step());  // unbound: name >= NULL matches nothing
  }
  {
    Statement s = db.Cached(kItemsByName);
    s.Bind(1, "a");
    REQUIRE(s.Step());
    CHECK(s.Text(0) == "a");  // from the first row again
  }
}

TEST_CASE("Database: SQL errors and constraint violations throw DatabaseError") {
  Database db(":memory:");
  db.Execute(kCreateItems);
  CHECK_THROWS_AS(db.Prepare("SELEKT 1"), DatabaseError);
  CHECK_THROWS_AS(db.Execute("INSERT INTO nowhere VALUES (1)"), DatabaseError);
  Statement s = db.Prepare(kInsertItem);
  s.BindNull(1).Bind(2, 1);  // name is NOT NULL
  CHECK_THROWS_AS(s.Run(), DatabaseError);
  CHECK_THROWS_AS(db.Prepare(kInsertItem).Bind(3, 1), DatabaseError);  // no third placeholder
}

TEST_CASE("Transaction: rolls back on destruction unless committed") {
  Database db(":memory:");
  db.Execute(kCreateItems);
  {
    Transaction txn(db);
    db.Prepare(kInsertItem).Bind(1, "dropped").Bind(2, 1).Run();
    CHECK(Count(db) == 1);
  }
  CHECK(Count(db) == 0);
  {
    Transaction txn(db);
    db.Prepare(kInsertItem).Bind(1, "kept").Bind(2, 1).Run();
    txn.Commit();
  }
  CHECK(Count(db) == 1);
}

TEST_CASE("Transaction: an exception inside the unit of work leaves nothing behind") {
  Database db(":memory:");
  db.Execute(kCreateItems);
  auto work = [&] {
    Transaction txn(db);
    db.Prepare(kInsertItem).Bind(1, "first").Bind(2, 1).Run();
    db.Prepare(kInsertItem).BindNull(1).Bind(2, 2).Run();  // throws
    txn.Commit();
  };
  CHECK_THROWS_AS(work(), DatabaseError);
  CHECK(Count(db) == 0);
}

TEST_CASE("Migrate: brings a new database to the latest version and records it in schema_version") {
  Database db(":memory:");
  CHECK(cvm::state::LatestSchemaVersion() >= 1);
  CHECK(cvm::state::Migrate(db) == cvm::state::LatestSchemaVersion());
  Statement version = db.Prepare("SELECT version FROM schema_version");
  REQUIRE(version.Step());
  CHECK(version.Int(0) == cvm::state::LatestSchemaVersion());
  CHECK_FALSE(version.Step());  // one row
  CHECK(SingleText(db, "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'meta'") == "meta");
}

TEST_CASE("Migrate: running it again changes nothing") {
  Database db(":memory:");
  cvm::state::Migrate(db);
  db.Execute("INSERT INTO meta (key, value) VALUES ('k', 'v')");
  CHECK(cvm::state::Migrate(db) == cvm::state::LatestSchemaVersion());
  CHECK(cvm::state::Migrate(db) == cvm::state::LatestSchemaVersion());
  CHECK(SingleText(db, "SELECT count(*) FROM schema_version") == "1");
  CHECK(SingleText(db, "SELECT value FROM meta WHERE key = 'k'") == "v");
}

TEST_CASE("Migrate: a database newer than this binary throws DatabaseError and is left alone") {
  Database db(":memory:");
  cvm::state::Migrate(db);
  int newer = cvm::state::LatestSchemaVersion() + 1;
  db.Prepare("UPDATE schema_version SET version = ?").Bind(1, newer).Run();
  CHECK_THROWS_AS(cvm::state::Migrate(db), DatabaseError);
  CHECK(SingleText(db, "SELECT version FROM schema_version") == std::to_string(newer));
}

TEST_CASE(
    "EmptyAllTables: every table is emptied, tables added later too; the schema version stays, "
    "foreign keys are on again and secure_delete is as it was") {
  Database db(":memory:");
  cvm::state::Migrate(db);
  // Tables a later migration might add, a parent and a child of it.
  db.Execute(
      "CREATE TABLE later_parents (id INTEGER PRIMARY KEY);"
      "CREATE TABLE later_children (id INTEGER PRIMARY KEY, "
      "  parent INTEGER NOT NULL REFERENCES later_parents (id) ON DELETE CASCADE);"
      "CREATE INDEX later_children_by_parent ON later_children (parent);"
      "INSERT INTO later_parents (id) VALUES (1), (2);"
      "INSERT INTO later_children (parent) VALUES (1), (2), (2);"
      "INSERT INTO meta (key, value) VALUES ('k', 'v');"
      "INSERT INTO key_pairs (app_id, region, key_id, name, project_id, public_key, created_at) "
      "  VALUES (1, 'ap-guangzhou', 'skey-00000001', 'k1', 0, 'ssh-ed25519 AAAA', 0);");

  std::string secure_delete = SingleText(db, "PRAGMA secure_delete");
  cvm::state::EmptyAllTables(db);

  std::vector<std::string> tables;
  {
    Statement list = db.Prepare(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'");
    while (list.Step()) tables.push_back(list.Text(0));
  }
  CHECK(std::find(tables.begin(), tables.end(), "later_children") != tables.end());
  for (const std::string& table : tables) {
    CAPTURE(table);
    std::string rows = SingleText(db, "SELECT count(*) FROM \"" + table + "\"");
    CHECK(rows == (table == "schema_version" ? "1" : "0"));
  }
  CHECK(SingleText(db, "SELECT version FROM schema_version") ==
        std::to_string(cvm::state::LatestSchemaVersion()));
  CHECK(SingleText(db, "PRAGMA foreign_keys") == "1");
  CHECK(SingleText(db, "PRAGMA secure_delete") == secure_delete);
  CHECK_THROWS_AS(db.Execute("INSERT INTO later_children (parent) VALUES (7)"), DatabaseError);
  // The indexes still work on new rows.
  db.Execute(
      "INSERT INTO later_parents (id) VALUES (7); INSERT INTO later_children (parent) VALUES (7)");
  CHECK(SingleText(db, "SELECT count(*) FROM later_children WHERE parent = 7") == "1");
}

TEST_CASE("Database: a file database uses the WAL journal; :memory: does not") {
  TempDir dir;
  std::string path = (dir.path / "emulator.sqlite3").string();
  {
    Database db(path);
    CHECK_FALSE(db.in_memory());
    CHECK(db.path() == path);
    CHECK(SingleText(db, "PRAGMA journal_mode") == "wal");
    CHECK(SingleText(db, "PRAGMA synchronous") == "1");  // NORMAL
    CHECK(SingleText(db, "PRAGMA foreign_keys") == "1");
    CHECK(db.QuickCheck() == "ok");
  }
  {
    Database full(path, Database::Durability::kFull);
    CHECK(SingleText(full, "PRAGMA synchronous") == "2");  // FULL
  }
  Database memory(":memory:");
  CHECK(memory.in_memory());
  CHECK(SingleText(memory, "PRAGMA journal_mode") == "memory");
  CHECK(SingleText(memory, "PRAGMA foreign_keys") == "1");
}

TEST_CASE("Database: a file database keeps its migrated data across a reopen") {
  TempDir dir;
  std::string path = (dir.path / "emulator.sqlite3").string();
  {
    Database db(path);
    cvm::state::Migrate(db);
    db.Execute("INSERT INTO meta (key, value) VALUES ('k', 'v')");
  }
  Database again(path);
  CHECK(cvm::state::Migrate(again) == cvm::state::LatestSchemaVersion());
  CHECK(SingleText(again, "SELECT value FROM meta WHERE key = 'k'") == "v");
}

// Bytes in the WAL beside `db_path` (0 when there is none).
uintmax_t WalBytes(const std::string& db_path) {
  std::error_code ec;
  uintmax_t size = std::filesystem::file_size(db_path + "-wal", ec);
  return ec ? 0 : size;
}

// One committed transaction that changes about `bytes` of a table "blobs".
void WriteBlob(Database& db, int64_t id, size_t bytes) {
  db.BeginBatch();
  db.Cached("INSERT OR REPLACE INTO blobs (id, data) VALUES (?, ?)")
      .Bind(1, id)
      .Bind(2, std::string(bytes, 'x'))
      .Run();
  db.EndBatch(/*commit=*/true);
}

TEST_CASE(
    "Database: the background checkpoint connection sees the WAL and copies it into the database "
    "file") {
  TempDir dir;
  std::string path = (dir.path / "emulator.sqlite3").string();
  Database db(path);
  db.Execute("CREATE TABLE blobs (id INTEGER PRIMARY KEY, data BLOB)");
  for (int i = 0; i < 50; ++i) WriteBlob(db, i, 3000);
  Database::WalCheckpoint c = db.BackgroundCheckpoint();
  CHECK(c.wal_frames > 0);  // -1: the connection never opened the WAL
  CHECK(c.checkpointed_frames == c.wal_frames);
}

TEST_CASE(
    "Database: under nonstop writes the WAL is restarted once it passes its frame limit, so it "
    "stays bounded") {
  TempDir dir;
  std::string path = (dir.path / "emulator.sqlite3").string();
  Database db(path);
  constexpr int kLimit = 64;  // frames
  db.set_wal_restart_frames(kLimit);
  db.Execute("CREATE TABLE blobs (id INTEGER PRIMARY KEY, data BLOB)");
  uintmax_t largest = 0;
  for (int i = 0; i < 2000; ++i) {
    WriteBlob(db, i % 100, 3000);  // about one page per commit
    db.CheckpointIfWalLarge();     // what the database worker does between batches
    largest = std::max(largest, WalBytes(path));
  }
  // A WAL frame is a page (4096 bytes) and a 24-byte header; the file has a
  // 32-byte header. A commit adds a few frames past the limit at most.
  constexpr uintmax_t kFrame = 4096 + 24;
  CHECK(largest > 0);
  CHECK(largest <= 32 + (kLimit + 8) * kFrame);
  CHECK(db.QuickCheck() == "ok");
  Statement count = db.Prepare("SELECT count(*) FROM blobs");
  REQUIRE(count.Step());
  CHECK(count.Int(0) == 100);
}

TEST_CASE("Database: opening a file database folds in a WAL left behind by a killed process") {
  TempDir dir;
  std::string path = (dir.path / "emulator.sqlite3").string();
  {
    Database db(path);
    db.Execute("CREATE TABLE blobs (id INTEGER PRIMARY KEY, data BLOB)");
  }
  // A child process writes and dies without closing the database, as kill -9
  // leaves it: the WAL stays behind.
  pid_t child = fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    Database db(path);
    for (int i = 0; i < 50; ++i) WriteBlob(db, i, 3000);
    _exit(0);
  }
  int status = 0;
  REQUIRE(waitpid(child, &status, 0) == child);
  REQUIRE(WIFEXITED(status));
  REQUIRE(WalBytes(path) > 50 * 3000);
  Database reopened(path);
  CHECK(WalBytes(path) == 0);
  Statement count = reopened.Prepare("SELECT count(*) FROM blobs");
  REQUIRE(count.Step());
  CHECK(count.Int(0) == 50);
}

TEST_CASE("Database: a path that cannot be opened throws DatabaseError") {
  TempDir dir;
  CHECK_THROWS_AS(Database((dir.path / "missing-folder" / "db.sqlite3").string()), DatabaseError);
}

}  // namespace

namespace {

// A migrated file database holding `instances` rows in instances (and
// their tags), through plain SQL.
void FillInstances(Database& db, int instances) {
  Transaction txn(db);
  for (int i = 1; i <= instances; ++i) {
    db.Cached(
          "INSERT INTO instances (app_id, region, instance_id, zone, project_id, instance_type, "
          "cpu, memory, name, charge_type, image_id, image_platform, image_architecture, "
          "image_size, image_cloud_init, system_disk_type, system_disk_size, os_name, windows, "
          "restrict_state, created_at, rest_state, phases, as_vpc_gateway, private_ip, "
          "bandwidth_out, security_service, monitor_service, keep_image_login) VALUES (1, "
          "'ap-guangzhou', ?, 'ap-guangzhou-3', 0, 'S1.SMALL1', 1, 1, 'n', 'POSTPAID_BY_HOUR', "
          "'img-1', 'Linux', 'x86_64', 50, 1, 'CLOUD_BASIC', 50, 'os', 0, 'NORMAL', 0, 'RUNNING', "
          "'', 0, ?, 0, 1, 1, 0)")
        .Bind(1, "ins-" + std::to_string(10000000 + i))
        .Bind(2, "10.0." + std::to_string(i / 250) + "." + std::to_string(i % 250))
        .Run();
    db.Cached(
          "INSERT INTO instance_tags (instance_rowid, position, app_id, region, key, value) "
          "VALUES (?, 0, 1, 'ap-guangzhou', 'team', 'web')")
        .Bind(1, db.LastInsertRowId())
        .Run();
  }
  txn.Commit();
}

int64_t Rows(Database& db, const char* table) {
  Statement s = db.Prepare(std::string("SELECT count(*) FROM ") + table);
  REQUIRE(s.Step());
  return s.Int(0);
}

}  // namespace

TEST_CASE(
    "EmptyAllTables: another connection sees the emptied database, statements cached before run "
    "after, and the file shrinks once the WAL is checkpointed") {
  TempDir dir;
  std::string path = (dir.path / "emulator.sqlite3").string();
  Database db(path);
  cvm::state::Migrate(db);
  FillInstances(db, 5000);
  db.Execute("PRAGMA wal_checkpoint(TRUNCATE)");
  uintmax_t full = std::filesystem::file_size(path);
  Database other(path);
  CHECK(Rows(other, "instances") == 5000);
  constexpr char kCached[] = "SELECT count(*) FROM instance_tags WHERE key = 'team'";
  {
    Statement s = db.Cached(kCached);
    REQUIRE(s.Step());
    CHECK(s.Int(0) == 5000);
  }

  cvm::state::EmptyAllTables(db);
  CHECK(Rows(other, "instances") == 0);
  CHECK(Rows(other, "instance_tags") == 0);
  CHECK(SingleText(other, "SELECT version FROM schema_version") ==
        std::to_string(cvm::state::LatestSchemaVersion()));
  {
    Statement s = db.Cached(kCached);
    REQUIRE(s.Step());
    CHECK(s.Int(0) == 0);
  }
  // New rows go in as before, and every index takes them.
  FillInstances(db, 10);
  CHECK(SingleText(other, "SELECT count(*) FROM instances INDEXED BY instances_by_zone "
                          "WHERE app_id = 1 AND region = 'ap-guangzhou' "
                          "AND zone = 'ap-guangzhou-3'") == "10");
  CHECK(db.QuickCheck() == "ok");
  Database::WalCheckpoint c = db.BackgroundCheckpoint();
  CHECK(c.checkpointed_frames == c.wal_frames);
  CHECK(std::filesystem::file_size(path) < full / 10);
}

TEST_CASE(
    "EmptyAllTables: a process killed after it returns leaves an emptied database; one killed "
    "before, the full one") {
  TempDir dir;
  std::string path = (dir.path / "emulator.sqlite3").string();
  {
    Database db(path);
    cvm::state::Migrate(db);
    FillInstances(db, 3000);
  }
  for (bool emptied : {false, true}) {
    CAPTURE(emptied);
    // A child opens it, perhaps empties it, and dies without closing it, as
    // kill -9 leaves it.
    pid_t child = fork();
    REQUIRE(child >= 0);
    if (child == 0) {
      Database db(path);
      if (emptied) cvm::state::EmptyAllTables(db);
      _exit(0);
    }
    int status = 0;
    REQUIRE(waitpid(child, &status, 0) == child);
    REQUIRE(WIFEXITED(status));
    Database reopened(path);
    CHECK(reopened.QuickCheck() == "ok");
    CHECK(Rows(reopened, "instances") == (emptied ? 0 : 3000));
    CHECK(Rows(reopened, "instance_tags") == (emptied ? 0 : 3000));
    CHECK(cvm::state::Migrate(reopened) == cvm::state::LatestSchemaVersion());
  }
}
