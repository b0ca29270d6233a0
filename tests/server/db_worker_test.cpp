// The server's database worker (server/db_worker.h) on its real path: jobs
// queued together run in one batch, one transaction; each request's job
// opens its unit of work inside it, as the pipeline does, and commits it only
// when it succeeds. A job that fails or throws loses its own writes and
// nothing else.
#include <doctest/doctest.h>

#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "server/db_worker.h"
#include "server/request_log.h"
#include "state/database.h"
#include "state/meta_store.h"
#include "state/migrations.h"
#include "state/unit_of_work.h"

namespace {

using cvm::server::DbWorker;
using cvm::state::Database;
using cvm::state::MetaStore;
using cvm::state::UnitOfWork;

constexpr cvm::state::TimeMs kNow = 1'700'000'000'000;

struct World {
  Database db{":memory:"};
  cvm::server::Logger logger{cvm::server::LogLevel::kOff};
  std::mutex mutex;
  std::vector<std::string> events;  // in the order they happened
  std::optional<DbWorker> worker;

  World() {
    cvm::state::Migrate(db);
    worker.emplace(db, logger);
  }
  ~World() { worker.reset(); }

  void Note(const std::string& event) {
    std::lock_guard lock(mutex);
    events.push_back(event);
  }
  // What the database holds under `key` once the worker is idle.
  std::optional<std::string> Read(const std::string& key) {
    auto lock = db.Lock();
    return MetaStore(db).Get(key);
  }

  // Holds the worker inside a batch of its own until the returned promise is
  // set, so the jobs submitted meanwhile queue up and run together next.
  std::promise<void> Hold() {
    std::promise<void> release;
    auto started = std::make_shared<std::promise<void>>();
    std::shared_future<void> gate = release.get_future().share();
    std::future<void> running = started->get_future();
    worker->Submit(DbWorker::Job{[started, gate] {
                                   started->set_value();
                                   gate.wait();
                                 },
                                 [](bool) {}});
    running.wait();
    return release;
  }

  // A job named `name` that writes name=1 the way a request does: inside a
  // unit of work of its own, committed iff `succeeds`; with `throws` it
  // throws after writing. The future tells what the worker reported.
  std::future<bool> Submit(const std::string& name, bool succeeds, bool throws = false,
                           bool unit_of_work = true) {
    auto done = std::make_shared<std::promise<bool>>();
    std::future<bool> result = done->get_future();
    worker->Submit(DbWorker::Job{[this, name, succeeds, throws, unit_of_work] {
                                   std::optional<UnitOfWork> work;
                                   if (unit_of_work) work.emplace(db, kNow);
                                   MetaStore(db).Put(name, "1");
                                   Note("run " + name);
                                   if (throws) throw std::runtime_error("a bug in " + name);
                                   if (succeeds && work) work->Commit();
                                 },
                                 [this, name, done](bool committed) {
                                   Note("done " + name);
                                   done->set_value(committed);
                                 }});
    return result;
  }
};

}  // namespace

TEST_CASE(
    "DbWorker: two jobs in one batch, one fails: the other's writes are committed, the failed "
    "one's rolled back") {
  World w;
  std::promise<void> release = w.Hold();
  std::future<bool> ok = w.Submit("ok", /*succeeds=*/true);
  std::future<bool> failed = w.Submit("failed", /*succeeds=*/false);
  release.set_value();
  CHECK(ok.get());
  CHECK(failed.get());  // the batch committed; the job had nothing left to commit
  // One batch: both ran before either was answered.
  CHECK(w.events == std::vector<std::string>{"run ok", "run failed", "done ok", "done failed"});
  CHECK(w.Read("ok") == std::optional<std::string>("1"));
  CHECK_FALSE(w.Read("failed").has_value());
}

TEST_CASE(
    "DbWorker: a job that throws rolls back only itself, with or without a unit of work; the batch "
    "goes on") {
  World w;
  std::promise<void> release = w.Hold();
  std::future<bool> before = w.Submit("before", true);
  std::future<bool> thrower = w.Submit("thrower", true, /*throws=*/true);
  std::future<bool> bare = w.Submit("bare", true, /*throws=*/true, /*unit_of_work=*/false);
  std::future<bool> after = w.Submit("after", true);
  release.set_value();
  CHECK(before.get());
  CHECK_FALSE(thrower.get());
  CHECK_FALSE(bare.get());
  CHECK(after.get());
  CHECK(w.events == std::vector<std::string>{"run before", "run thrower", "run bare", "run after",
                                             "done before", "done thrower", "done bare",
                                             "done after"});
  CHECK(w.Read("before") == std::optional<std::string>("1"));
  CHECK(w.Read("after") == std::optional<std::string>("1"));
  CHECK_FALSE(w.Read("thrower").has_value());
  CHECK_FALSE(w.Read("bare").has_value());
}

TEST_CASE("DbWorker: commits() counts the batches and keeps why the last one did not commit") {
  Database db(":memory:");
  cvm::state::Migrate(db);
  cvm::server::Logger logger(cvm::server::LogLevel::kOff);
  bool fail = false;
  DbWorker worker(db, logger,
                  DbWorker::BatchHooks{[&fail] {
                                         if (fail) throw std::runtime_error("disk I/O error");
                                       },
                                       nullptr});
  auto run = [&] {
    std::promise<bool> done;
    std::future<bool> committed = done.get_future();
    worker.Submit(DbWorker::Job{[] {}, [&done](bool c) { done.set_value(c); }});
    return committed.get();
  };
  CHECK(worker.commits().committed == 0);
  CHECK(worker.commits().last_ok);  // nothing has failed yet
  CHECK(worker.commits().last_at_ms == 0);
  CHECK(run());
  CHECK(worker.commits().committed == 1);
  CHECK(worker.commits().last_at_ms > 0);
  fail = true;
  CHECK_FALSE(run());
  DbWorker::Commits after_failure = worker.commits();
  CHECK(after_failure.failed == 1);
  CHECK_FALSE(after_failure.last_ok);
  CHECK(after_failure.last_error == "disk I/O error");
  fail = false;
  CHECK(run());
  CHECK(worker.commits().last_ok);
  CHECK(worker.commits().last_error.empty());
}
