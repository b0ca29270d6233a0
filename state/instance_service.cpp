#include "state/instance_service.h"

#include <set>

#include "state/image_store.h"
#include "state/instance_store.h"
#include "state/network.h"
#include "state/settings.h"

namespace cvm::state {

Result<std::vector<std::string>> LaunchInstances(Database& db, Random& random,
                                                 const Settings& settings, const LaunchPlan& plan,
                                                 TimeMs now) {
  InstanceStore store(db);
  const Instance& proto = plan.prototype;
  int64_t count = static_cast<int64_t>(plan.names.size());
  int64_t used = store.Count(proto.app_id, proto.region);
  int64_t quota = settings.quotas(proto.app_id).instances;
  if (used + count > quota) {
    return ApiError::Make(errors::kInstancesQuotaLimitExceeded, count, quota, proto.region, used);
  }
  Network network(db, store, random);
  int64_t first_rowid = store.NextRowId();
  std::vector<std::string> private_ips;
  if (proto.vpc_id) {
    CVM_ASSIGN_OR_RETURN(private_ips,
                         network.PrivateIps(proto.app_id, proto.region, *proto.vpc_id,
                                            proto.subnet_id.value_or(""), plan.private_ips,
                                            plan.names.size()));
  } else {
    for (size_t i = 0; i < plan.names.size(); ++i) {
      private_ips.push_back(ClassicAddress(first_rowid + static_cast<int64_t>(i)));
    }
  }
  Durations durations = settings.durations();
  double failure = settings.launch_failure_probability();
  std::vector<std::string> ids;
  for (size_t i = 0; i < plan.names.size(); ++i) {
    Instance in = proto;
    in.rowid = first_rowid + static_cast<int64_t>(i);
    do {
      in.instance_id = random.Id("ins-");
    } while (store.IdExists(in.instance_id));
    in.name = plan.names[i];
    in.private_ip = private_ips[i];
    if (plan.public_ip) in.public_ip = network.PublicIp();
    if (in.system_disk.is_cloud()) in.system_disk.disk_id = random.Id("disk-");
    for (Disk& d : in.data_disks) {
      if (d.is_cloud()) d.disk_id = random.Id("disk-");
    }
    bool fails = failure > 0 && static_cast<double>(random.Below(1'000'000)) / 1e6 < failure;
    in.created_at = now;
    in.lifecycle = LaunchLifecycle(now, durations, fails);
    if (plan.terminate_at) {
      // The scheduled termination does what TerminateInstances does
      // (DECISIONS Q-08): a PREPAID instance is shut down and stays listed.
      in.lifecycle.timer_at = *plan.terminate_at;
      if (in.charge_type != "PREPAID") in.lifecycle.gone_at = *plan.terminate_at + durations.terminating;
    }
    store.Insert(in);
    ids.push_back(in.instance_id);
  }
  return ids;
}

Result<std::vector<Instance>> LoadInstances(Database& db, int64_t app_id, const std::string& region,
                                            const std::vector<std::string>& ids, TimeMs now) {
  std::vector<std::string> unique;
  std::set<std::string> seen;
  for (const std::string& id : ids) {
    if (seen.insert(id).second) unique.push_back(id);
  }
  std::vector<Instance> found = InstanceStore(db).FindMany(app_id, region, unique, now);
  if (found.size() != unique.size()) {
    std::set<std::string> have;
    for (const Instance& in : found) have.insert(in.instance_id);
    for (const std::string& id : unique) {
      if (!have.count(id)) return ApiError::Make(errors::kInvalidInstanceIdNotFound, id);
    }
  }
  return found;
}

Status CheckNotImaging(Database& db, Operation op, const Instance& instance, TimeMs now) {
  if (op == Operation::kModify || op == Operation::kVnc) return Status::Ok();
  if (ImageStore(db).CreatingFrom(instance.instance_id, now)) {
    return ApiError::Make(errors::kMutexOperationTaskRunning, instance.instance_id);
  }
  return Status::Ok();
}

Result<std::vector<Instance>> TransitionInstances(Database& db, const Settings& settings,
                                                  int64_t app_id, const std::string& region,
                                                  const std::vector<std::string>& ids, Operation op,
                                                  bool force, std::string_view action, TimeMs now) {
  CVM_ASSIGN_OR_RETURN(std::vector<Instance> instances, LoadInstances(db, app_id, region, ids, now));
  for (const Instance& in : instances) {
    CVM_RETURN_IF_ERROR(CheckNotImaging(db, op, in, now));
    CVM_RETURN_IF_ERROR(CheckOperation(op, in, in.Observe(now), force, action));
  }
  Durations durations = settings.durations();
  InstanceStore store(db);
  for (Instance& in : instances) {
    in.lifecycle = ApplyOperation(op, in, in.Observe(now), now, durations);
    store.UpdateLifecycle(in);
  }
  return instances;
}

}  // namespace cvm::state
