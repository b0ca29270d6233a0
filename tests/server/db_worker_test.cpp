// The database worker's group commit (server/db_worker.h): the batch hooks.
// The worker has its own thread; the tests wait for it on futures, never by
// sleeping.
#include <doctest/doctest.h>

#include <chrono>
#include <future>
#include <memory>
#include <stdexcept>

#include "server/db_worker.h"
#include "server/request_log.h"
#include "state/database.h"

namespace {

using cvm::server::DbWorker;
using cvm::server::LogLevel;
using cvm::server::Logger;
using cvm::state::Database;

constexpr auto kPatience = std::chrono::seconds(10);

int64_t CountRows(Database& db) {
  auto lock = db.Lock();
  auto s = db.Prepare("SELECT count(*) FROM t");
  REQUIRE(s.Step());
  return s.Int(0);
}

TEST_CASE("DbWorker: before_commit runs inside the batch, after its jobs; after_batch sees it committed") {
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

TEST_CASE("DbWorker: a before_commit that throws rolls the batch back; after_batch and the jobs see it not committed") {
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

}  // namespace
