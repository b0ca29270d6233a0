// Business operations on instances, beside their store: launching within
// the quota, and all-or-nothing state transitions of a batch. Callers run
// them inside a UnitOfWork, which they commit only if everything succeeded.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "schema/errors.h"
#include "state/database.h"
#include "state/instance.h"
#include "state/instance_lifecycle.h"
#include "state/random.h"

namespace cvm::state {

class Settings;

struct LaunchPlan {
  Instance prototype;  // everything but the ID, name, addresses and lifecycle
  std::vector<std::string> names;  // one per instance
  std::vector<std::string> private_ips;  // requested, or empty to allocate
  bool public_ip = false;
  std::optional<TimeMs> terminate_at;  // ActionTimer
};

// Creates names.size() instances: checks the account's instance quota
// (InstancesQuotaLimitExceeded), draws IDs, allocates addresses (VpcIpsUsed,
// VpcAddrNotInSubNet), and inserts them PENDING. Returns their IDs in order.
Result<std::vector<std::string>> LaunchInstances(Database& db, Random& random,
                                                 const Settings& settings, const LaunchPlan& plan,
                                                 TimeMs now);

// The visible instances named by `ids`, in order, duplicates removed.
// Error: InvalidInstanceId.NotFound naming the first unknown ID.
Result<std::vector<Instance>> LoadInstances(Database& db, int64_t app_id, const std::string& region,
                                            const std::vector<std::string>& ids, TimeMs now);

// MutexOperation.TaskRunning while an image is being taken from the instance:
// nothing but renaming may change it then (DECISIONS Q-14, CIMG-4).
Status CheckNotImaging(Database& db, Operation op, const Instance& instance, TimeMs now);

// Checks `op` on every instance first, then applies it to all of them
// (lifecycle only): a batch changes all its instances or none.
Result<std::vector<Instance>> TransitionInstances(Database& db, const Settings& settings,
                                                  int64_t app_id, const std::string& region,
                                                  const std::vector<std::string>& ids, Operation op,
                                                  bool force, std::string_view action, TimeMs now);

}  // namespace cvm::state
