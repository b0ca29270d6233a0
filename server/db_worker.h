// Group commit for the server: one thread runs every request's database work,
// taking whatever requests have queued up since its last round and running
// them in one transaction (each in its own savepoint), then commits once and
// only then lets their answers go out. Under load, many requests share one
// WAL write; an acknowledged change is always committed.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

#include "server/request_log.h"
#include "state/database.h"

namespace cvm::server {

class DbWorker {
 public:
  // `run` executes on the worker inside a batch; `complete(committed)` runs on
  // the worker after the batch's commit (committed = false if it failed).
  struct Job {
    std::function<void()> run;
    std::function<void(bool committed)> complete;
  };

  DbWorker(state::Database& db, Logger& logger);
  // Runs what is queued, then stops.
  ~DbWorker();
  DbWorker(const DbWorker&) = delete;
  DbWorker& operator=(const DbWorker&) = delete;

  void Submit(Job job);

 private:
  void Loop();

  static constexpr size_t kMaxBatch = 256;

  state::Database& db_;
  Logger& logger_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Job> queue_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace cvm::server
