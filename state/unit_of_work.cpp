#include "state/unit_of_work.h"

#include "state/instance_store.h"

namespace cvm::state {

UnitOfWork::UnitOfWork(Database& db, TimeMs now) : lock_(db.Lock()), txn_(db), now_(now) {
  InstanceStore instances(db);
  if (instances.HasGone(now)) instances.Purge(now);
}

}  // namespace cvm::state
