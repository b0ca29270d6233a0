// One API request's work on the database, all or nothing: rolled back
// unless committed, so a request that fails changes nothing. It first removes
// instances whose termination has completed, so every read sees emulator
// time's truth.
//
// The request pipeline owns it (server/pipeline.cpp): it opens one around
// every handler that uses the database and commits it iff the handler
// succeeded. Handlers and services never open or commit one.
//
// Alone, it holds the connection's lock and runs one transaction (BEGIN
// IMMEDIATE ... COMMIT). Inside a batch (Database::BeginBatch, the server's
// group commit) it is a savepoint of the batch's transaction instead, and
// the batch's commit makes it durable.
#pragma once

#include <mutex>
#include <optional>

#include "state/clock.h"
#include "state/database.h"

namespace cvm::state {

class UnitOfWork {
 public:
  // Throws DatabaseError (having rolled back what it began).
  UnitOfWork(Database& db, TimeMs now);
  ~UnitOfWork();
  UnitOfWork(const UnitOfWork&) = delete;
  UnitOfWork& operator=(const UnitOfWork&) = delete;

  void Commit();
  TimeMs now() const { return now_; }

 private:
  void RollBack();

  Database& db_;
  bool savepoint_;  // inside a batch
  bool done_ = false;
  std::unique_lock<std::mutex> lock_;
  std::optional<Transaction> txn_;
  TimeMs now_;
};

}  // namespace cvm::state
