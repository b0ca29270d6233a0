#include "server/db_worker.h"

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

void DbWorker::Submit(Job job) {
  {
    std::lock_guard lock(mutex_);
    queue_.push_back(std::move(job));
  }
  wake_.notify_one();
}

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
    bool committed = false;
    try {
      db_.BeginBatch();
      for (Job& job : batch) job.run();  // each catches its own failures
      if (hooks_.before_commit) hooks_.before_commit();
      db_.EndBatch(/*commit=*/true);
      committed = true;
    } catch (const std::exception& e) {
      logger_.Event(LogLevel::kError, "batch_commit_failed",
                    {{"requests", batch.size()}, {"what", e.what()}});
      if (db_.InBatch()) {
        try {
          db_.EndBatch(/*commit=*/false);
        } catch (const std::exception&) {
        }
      }
    }
    if (hooks_.after_batch) hooks_.after_batch(committed);
    for (Job& job : batch) job.complete(committed);
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
