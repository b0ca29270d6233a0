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
  InstanceStore instances(db_);
  if (instances.HasGone(now)) instances.Purge(now);
}

UnitOfWork::~UnitOfWork() {
  if (done_) return;
  if (savepoint_) {
    try {
      db_.Cached("ROLLBACK TO unit_of_work").Run();
      db_.Cached("RELEASE unit_of_work").Run();
    } catch (const DatabaseError&) {
      // The batch's own rollback undoes it.
    }
  }
  // A transaction of our own rolls back in its destructor.
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
