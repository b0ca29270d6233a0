// Group commit for the server: one thread runs every request's database work,
// taking whatever requests have queued up since its last round and running
// them in one transaction, then commits once and only then lets their answers
// go out. Under load, many requests share one WAL write; an acknowledged
// change is always committed.
//
// Jobs are independent: each runs in a savepoint of its own. A request's job
// opens its unit of work inside it (server/pipeline.cpp), which the pipeline
// commits or rolls back from the handler's result; a job that throws has
// everything it wrote rolled back, and the rest of the batch goes on.
//
// Between batches it restarts the WAL once it has grown large
// (Database::CheckpointIfWalLarge).
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "server/request_log.h"
#include "state/database.h"

namespace cvm::server {

class DbWorker {
 public:
  // `run` executes on the worker inside a batch; `complete(committed)` runs on
  // the worker after the batch's commit: committed is false if the commit
  // failed or `run` threw (its writes are then undone).
  struct Job {
    std::function<void()> run;
    std::function<void(bool committed)> complete;
  };

  // Work of the emulator's own that rides on every batch.
  struct BatchHooks {
    // Inside the batch, after its jobs and before its commit.
    std::function<void()> before_commit;
    // After the batch, committed or not (before the jobs' `complete`).
    std::function<void(bool committed)> after_batch;
  };

  DbWorker(state::Database& db, Logger& logger, BatchHooks hooks = {});
  // Runs what is queued, then stops.
  ~DbWorker();
  DbWorker(const DbWorker&) = delete;
  DbWorker& operator=(const DbWorker&) = delete;

  // What became of the batches so far: the health check's cheap answer.
  struct Commits {
    int64_t committed = 0;     // batches committed
    int64_t failed = 0;        // batches that did not commit
    bool last_ok = true;       // the last batch committed (true before any)
    int64_t last_at_ms = 0;    // when the last batch ended (Unix ms); 0: none yet
    std::string last_error;    // why the last batch did not commit
  };
  Commits commits() const;

  void Submit(Job job);
  // Runs a batch even if no job is queued, for the hooks' work: with the
  // next job, or kRequestedBatchDelay from now at the latest.
  void RequestBatch();
  static constexpr std::chrono::milliseconds kRequestedBatchDelay{10};

 private:
  void Loop();

  static constexpr size_t kMaxBatch = 256;

  state::Database& db_;
  Logger& logger_;
  BatchHooks hooks_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  Commits commits_;  // guarded by mutex_
  std::deque<Job> queue_;
  bool stop_ = false;
  bool batch_requested_ = false;
  std::thread thread_;
};

}  // namespace cvm::server
