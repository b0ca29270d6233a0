// The database worker's batches (server/db_worker.h): the hooks that ride on
// every batch, batches asked for without a job, and the WAL kept bounded
// between batches. The worker has its own thread; the tests wait for it on
// futures, never by sleeping.
#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <future>
#include <memory>
#include <stdexcept>

#include "server/db_worker.h"
#include "server/request_log.h"
#include "state/database.h"
#include "tests/support/temp_dir.h"

namespace {

using cvm::server::DbWorker;
using cvm::server::Logger;
using cvm::server::LogLevel;
using cvm::state::Database;
using cvm::test::TempDir;

constexpr auto kPatience = std::chrono::seconds(10);

int64_t CountRows(Database& db) {
  auto lock = db.Lock();
  auto s = db.Prepare("SELECT count(*) FROM t");
  REQUIRE(s.Step());
  return s.Int(0);
}

TEST_CASE(
    "DbWorker: before_commit runs inside the batch, after its jobs; after_batch sees it "
    "committed") {
  Database db(":memory:");
  db.Execute("CREATE TABLE t (v TEXT)");
  Logger logger{LogLevel::kOff};
  std::promise<bool> batch_done;
  std::promise<bool> job_done;
  {
    DbWorker worker(db, logger,
                    DbWorker::BatchHooks{[&] { db.Execute("INSERT INTO t VALUES ('hook')"); },
                                         [&](bool committed) { batch_done.set_value(committed); }});
    worker.Submit(DbWorker::Job{[&] { db.Execute("INSERT INTO t VALUES ('job')"); },
                                [&](bool committed) { job_done.set_value(committed); }});
    auto committed = batch_done.get_future();
    REQUIRE(committed.wait_for(kPatience) == std::future_status::ready);
    CHECK(committed.get());
    CHECK(job_done.get_future().get());
  }
  CHECK(CountRows(db) == 2);
}

TEST_CASE(
    "DbWorker: a before_commit that throws rolls the batch back; after_batch and the jobs see it "
    "not committed") {
  Database db(":memory:");
  db.Execute("CREATE TABLE t (v TEXT)");
  Logger logger{LogLevel::kOff};
  std::promise<bool> batch_done;
  std::promise<bool> job_done;
  {
    DbWorker worker(db, logger,
                    DbWorker::BatchHooks{[] { throw std::runtime_error("hook failed"); },
                                         [&](bool committed) { batch_done.set_value(committed); }});
    worker.Submit(DbWorker::Job{[&] { db.Execute("INSERT INTO t VALUES ('job')"); },
                                [&](bool committed) { job_done.set_value(committed); }});
    CHECK_FALSE(batch_done.get_future().get());
    CHECK_FALSE(job_done.get_future().get());
  }
  CHECK(CountRows(db) == 0);
}

TEST_CASE("DbWorker: RequestBatch runs a batch, and its hooks, with no job queued") {
  Database db(":memory:");
  db.Execute("CREATE TABLE t (v TEXT)");
  Logger logger{LogLevel::kOff};
  std::promise<bool> batch_done;
  DbWorker worker(db, logger,
                  DbWorker::BatchHooks{[&] { db.Execute("INSERT INTO t VALUES ('hook')"); },
                                       [&](bool committed) { batch_done.set_value(committed); }});
  worker.RequestBatch();
  auto committed = batch_done.get_future();
  REQUIRE(committed.wait_for(kPatience) == std::future_status::ready);
  CHECK(committed.get());
  CHECK(CountRows(db) == 1);
}

TEST_CASE(
    "DbWorker: between batches it restarts the WAL once it passes its frame limit, so nonstop "
    "writes keep it bounded") {
  TempDir dir;
  std::string path = (dir.path / "cvm.sqlite3").string();
  Database db(path);
  constexpr int kLimit = 64;  // frames
  db.set_wal_restart_frames(kLimit);
  db.Execute("CREATE TABLE blobs (id INTEGER PRIMARY KEY, data BLOB)");
  Logger logger{LogLevel::kOff};
  uintmax_t largest = 0;
  {
    DbWorker worker(db, logger);
    for (int i = 0; i < 1000; ++i) {
      std::promise<bool> done;
      worker.Submit(DbWorker::Job{[&db, i] {
                                    db.Cached(
                                          "INSERT OR REPLACE INTO blobs (id, data) VALUES (?, ?)")
                                        .Bind(1, i % 100)
                                        .Bind(2, std::string(3000, 'x'))
                                        .Run();
                                  },
                                  [&done](bool committed) { done.set_value(committed); }});
      REQUIRE(done.get_future().get());
      std::error_code ec;
      largest = std::max(largest, std::filesystem::file_size(path + "-wal", ec));
    }
  }
  // Frames are 4096 + 24 bytes; a batch may pass the limit by a few before
  // the worker restarts the WAL after it.
  CHECK(largest <= 32 + (kLimit + 8) * (4096 + 24));
}

}  // namespace
