#include "state/unit_of_work.h"

#include "state/instance_store.h"

namespace cvm::state {

UnitOfWork::UnitOfWork(Database& db, TimeMs now) : db_(db), savepoint_(db.InBatch()), now_(now) {
  if (savepoint_) {
    db_.Cached("SAVEPOINT unit_of_work").Run();
  } else {
    lock_ = db_.Lock();
    txn_.emplace(db_);
  }
  try {
    InstanceStore instances(db_);
    if (instances.HasGone(now)) instances.Purge(now);
  } catch (...) {
    RollBack();
    throw;
  }
}

UnitOfWork::~UnitOfWork() {
  if (!done_) RollBack();
}

void UnitOfWork::RollBack() {
  done_ = true;
  if (savepoint_) {
    try {
      db_.Cached("ROLLBACK TO unit_of_work").Run();
      db_.Cached("RELEASE unit_of_work").Run();
    } catch (const DatabaseError&) {
      // The batch's own rollback undoes it.
    }
  } else {
    txn_.reset();  // a transaction of our own rolls back when it ends
  }
}

void UnitOfWork::Commit() {
  if (savepoint_) {
    db_.Cached("RELEASE unit_of_work").Run();
  } else {
    txn_->Commit();
  }
  done_ = true;
}

}  // namespace cvm::state
