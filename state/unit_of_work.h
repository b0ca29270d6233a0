// One API request's work on the database: holds the connection's lock, runs
// in one transaction (BEGIN IMMEDIATE), and first removes instances whose
// termination has completed, so every read sees emulator time's truth.
// Rolls back unless committed: a request that fails changes nothing.
#pragma once

#include <mutex>

#include "state/clock.h"
#include "state/database.h"

namespace cvm::state {

class UnitOfWork {
 public:
  UnitOfWork(Database& db, TimeMs now);
  ~UnitOfWork() = default;
  UnitOfWork(const UnitOfWork&) = delete;
  UnitOfWork& operator=(const UnitOfWork&) = delete;

  void Commit() { txn_.Commit(); }
  TimeMs now() const { return now_; }

 private:
  std::unique_lock<std::mutex> lock_;
  Transaction txn_;
  TimeMs now_;
};

}  // namespace cvm::state
