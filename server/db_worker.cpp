#include "server/db_worker.h"

#include <nlohmann/json.hpp>
#include <vector>

namespace cvm::server {

DbWorker::DbWorker(state::Database& db, Logger& logger)
    : db_(db), logger_(logger), thread_([this] { Loop(); }) {}

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

void DbWorker::Loop() {
  std::vector<Job> batch;
  while (true) {
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stop_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, and nothing left to do
      while (!queue_.empty() && batch.size() < kMaxBatch) {
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    bool committed = false;
    try {
      db_.BeginBatch();
      for (Job& job : batch) job.run();  // each catches its own failures
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
    for (Job& job : batch) job.complete(committed);
    batch.clear();
  }
}

}  // namespace cvm::server
