#include "server/db_worker.h"

#include <nlohmann/json.hpp>
#include <vector>

namespace cvm::server {

DbWorker::DbWorker(state::Database& db, Logger& logger, BatchHooks hooks)
    : db_(db), logger_(logger), hooks_(std::move(hooks)), thread_([this] { Loop(); }) {}

DbWorker::~DbWorker() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

DbWorker::Commits DbWorker::commits() const {
  std::lock_guard lock(mutex_);
  return commits_;
}

void DbWorker::Submit(Job job) {
  {
    std::lock_guard lock(mutex_);
    queue_.push_back(std::move(job));
  }
  wake_.notify_one();
}

namespace {

// Runs one job in a savepoint of its own: an exception rolls back what the
// job wrote and nothing else. Returns false iff the job threw.
bool RunJob(state::Database& db, Logger& logger, DbWorker::Job& job) {
  db.Cached("SAVEPOINT job").Run();
  try {
    job.run();
  } catch (const std::exception& e) {
    logger.Event(LogLevel::kError, "job_failed", {{"what", e.what()}});
    db.Cached("ROLLBACK TO job").Run();
    db.Cached("RELEASE job").Run();
    return false;
  }
  db.Cached("RELEASE job").Run();
  return true;
}

}  // namespace

void DbWorker::RequestBatch() {
  {
    std::lock_guard lock(mutex_);
    if (batch_requested_) return;
    batch_requested_ = true;
  }
  wake_.notify_one();
}

void DbWorker::Loop() {
  std::vector<Job> batch;
  std::vector<char> ran;  // per job: finished without throwing
  while (true) {
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stop_ || !queue_.empty() || batch_requested_; });
      if (queue_.empty() && !batch_requested_) return;  // stopping, and nothing left to do
      if (queue_.empty() && !stop_) {
        // Only the hooks' work: let more of it gather, unless a job comes.
        wake_.wait_for(lock, kRequestedBatchDelay, [this] { return stop_ || !queue_.empty(); });
      }
      batch_requested_ = false;
      while (!queue_.empty() && batch.size() < kMaxBatch) {
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    ran.assign(batch.size(), false);
    bool committed = false;
    std::string error;
    try {
      db_.BeginBatch();
      for (size_t i = 0; i < batch.size(); ++i) ran[i] = RunJob(db_, logger_, batch[i]);
      if (hooks_.before_commit) hooks_.before_commit();
      db_.EndBatch(/*commit=*/true);
      committed = true;
    } catch (const std::exception& e) {
      error = e.what();
      logger_.Event(LogLevel::kError, "batch_commit_failed",
                    {{"requests", batch.size()}, {"what", e.what()}});
      if (db_.InBatch()) {
        try {
          db_.EndBatch(/*commit=*/false);
        } catch (const std::exception&) {
        }
      }
    }
    {
      std::lock_guard lock(mutex_);
      (committed ? commits_.committed : commits_.failed) += 1;
      commits_.last_ok = committed;
      commits_.last_at_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                                std::chrono::system_clock::now().time_since_epoch())
                                .count();
      commits_.last_error = std::move(error);
    }
    if (hooks_.after_batch) hooks_.after_batch(committed);
    for (size_t i = 0; i < batch.size(); ++i) batch[i].complete(committed && ran[i]);
    batch.clear();
    // Between batches, with the answers on their way: keep the WAL bounded.
    try {
      db_.CheckpointIfWalLarge();
    } catch (const std::exception& e) {
      logger_.Event(LogLevel::kError, "checkpoint_failed", {{"what", e.what()}});
    }
  }
}

}  // namespace cvm::server
