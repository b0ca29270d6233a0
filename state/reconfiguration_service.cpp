#include "state/reconfiguration_service.h"

#include <set>

#include "state/catalog.h"
#include "state/instance_lifecycle.h"
#include "state/instance_rules.h"
#include "state/instance_service.h"
#include "state/instance_store.h"
#include "state/random.h"
#include "state/setting_values.h"

namespace cvm::state {
namespace {

constexpr int64_t kMaxCloudDataDiskGb = 16000;  // every cloud disk type (D-17)

// The last checks of every reconfiguration, on each instance: no image being
// taken and no other change in progress (MutexOperation.TaskRunning, D-171),
// then STOPPED, or RUNNING with ForceStop (D-107).
Status CheckCanChange(const Scope& scope, const Instance& in, bool force, std::string_view action) {
  CVM_RETURN_IF_ERROR(CheckNotImaging(scope.db, Operation::kStopChangeStart, in, scope.now));
  InstanceState observed = ObservedState(scope, in);
  if (ChangeInProgress(in.lifecycle, observed)) {
    return ApiError::Make(errors::kMutexOperationTaskRunning, in.instance_id);
  }
  return CheckOperation(Operation::kStopChangeStart, in, observed, force, action);
}

// `after` with the lifecycle of a stop-change-start starting now.
void StartChange(const Scope& scope, const Instance& before, Instance& after) {
  after.lifecycle = ApplyOperation(Operation::kStopChangeStart, before, ObservedState(scope, before),
                                   scope.now, scope.settings.durations());
}

Status NotSupported(const Instance& in, const std::string& why) {
  return ApiError::Make(errors::kInvalidInstanceNotSupported, in.instance_id, why);
}

Status BadType(const std::string& why) {
  return ApiError::Make(errors::kInvalidParameterValue, "InstanceType", why);
}

// The new type, as the instance may take it (D-131, D-172).
Result<const InstanceTypeInfo*> CheckNewType(const Scope& scope, const Instance& in,
                                             const std::string& name) {
  const InstanceTypeInfo* type = scope.catalog.FindInstanceType(name);
  if (!type) {
    return BadType("there is no instance type " + name +
                   " (DescribeInstanceTypeConfigs lists them)");
  }
  const InstanceTypeInfo* now = scope.catalog.FindInstanceType(in.instance_type);
  std::string family = now ? now->family : in.instance_type.substr(0, in.instance_type.find('.'));
  if (type->family != family) {
    return BadType(name + " is of family " + type->family + "; " + in.instance_id +
                   " can only change within " + family);
  }
  const ZoneInfo* zone = scope.catalog.FindZone(in.zone);
  if (!zone || !scope.catalog.ZoneSells(*zone, name))
    return BadType(name + " is not sold in " + in.zone);
  if (name == in.instance_type) return BadType(in.instance_id + " is already of type " + name);
  if (in.bandwidth_out > type->max_bandwidth_out) {
    return BadType(name + " allows at most " + std::to_string(type->max_bandwidth_out) + " Mbps; " +
                   in.instance_id + " has " + std::to_string(in.bandwidth_out));
  }
  for (const Disk& d : in.data_disks) {
    if (d.is_cloud()) continue;
    const LocalDiskTypeInfo* spec = nullptr;
    for (const LocalDiskTypeInfo& l : type->local_disks) {
      if (l.type == NameOf(d.type) && l.partition_type == "DATA") spec = &l;
    }
    if (!spec || d.size_gb < spec->min_size || d.size_gb > spec->max_size) {
      return BadType(name + " cannot hold the instance's " + std::to_string(d.size_gb) + " GB " +
                     std::string(NameOf(d.type)) + " data disk");
    }
  }
  return type;
}

// The data disk ResizeInstanceDisks grows (D-112, D-173): by ID, or the only cloud one.
Result<size_t> PickDataDisk(const Instance& in, const std::optional<std::string>& disk_id) {
  const char* path = "DataDisks.0.DiskId";
  if (disk_id) {
    for (size_t i = 0; i < in.data_disks.size(); ++i) {
      if (in.data_disks[i].disk_id == *disk_id) return i;
    }
    return ApiError::Make(errors::kInvalidParameterValue, path,
                          in.instance_id + " has no data disk " + *disk_id);
  }
  std::optional<size_t> only;
  int cloud = 0;
  for (size_t i = 0; i < in.data_disks.size(); ++i) {
    if (in.data_disks[i].is_cloud()) {
      only = i;
      ++cloud;
    }
  }
  if (cloud == 1) return *only;
  return ApiError::Make(errors::kInvalidParameterValue, path,
                        in.instance_id + " has " + std::to_string(cloud) +
                            " cloud data disks; name the one to grow by its ID");
}

Status CheckNewSize(const Disk& disk, int64_t size_gb) {
  auto bad = [&](const std::string& why) {
    return ApiError::Make(errors::kInvalidParameterValueRange, "DataDisks.0.DiskSize", why);
  };
  if (size_gb <= disk.size_gb) {
    return bad("a data disk can only grow (" + *disk.disk_id + " has " +
               std::to_string(disk.size_gb) + " GB)");
  }
  if (size_gb % 10 != 0) return bad("disk sizes go in steps of 10 GB");
  if (size_gb > kMaxCloudDataDiskGb) {
    return bad("a " + std::string(NameOf(disk.type)) + " data disk has at most " +
               std::to_string(kMaxCloudDataDiskGb) + " GB");
  }
  return Status::Ok();
}

// The addresses the instances get in the target subnet (D-13, D-174).
Status PlanVpcAddresses(const Scope& scope, const ModifyInstancesVpcRequest& r,
                        ReconfigurationChange& change) {
  InstanceStore store(scope.db);
  Network network(scope.db, store, scope.random);
  SubnetRecord subnet;
  if (r.private_ips) {
    // Every instance takes the address given for it; what they hold in the
    // VPC now they give up.
    std::set<std::string> freed;
    for (const Instance& in : change.before) {
      if (in.vpc_id == r.vpc_id) freed.insert(in.private_ip);
    }
    CVM_ASSIGN_OR_RETURN(
        std::vector<std::string> ips,
        network.PlanPrivateIps(scope.app_id(), scope.region, r.vpc_id, r.subnet_id, *r.private_ips,
                               r.private_ips->size(), &subnet, freed));
    for (size_t i = 0; i < change.after.size(); ++i) change.after[i].private_ip = ips[i];
  } else {
    // Instances already in the subnet keep their addresses; the others get
    // free ones.
    std::vector<size_t> moving;
    for (size_t i = 0; i < change.before.size(); ++i) {
      const Instance& in = change.before[i];
      if (in.vpc_id != r.vpc_id || in.subnet_id != r.subnet_id) moving.push_back(i);
    }
    if (moving.empty()) return Status::Ok();
    CVM_ASSIGN_OR_RETURN(std::vector<std::string> ips,
                         network.PlanPrivateIps(scope.app_id(), scope.region, r.vpc_id, r.subnet_id,
                                                {}, moving.size(), &subnet));
    for (size_t i = 0; i < moving.size(); ++i) change.after[moving[i]].private_ip = ips[i];
  }
  change.subnet = subnet;
  return Status::Ok();
}

}  // namespace

void ApplyReconfiguration(const Scope& scope, const ReconfigurationChange& change) {
  InstanceStore store(scope.db);
  if (change.subnet) {
    Network(scope.db, store, scope.random).SaveSubnet(scope.app_id(), scope.region, *change.subnet);
  }
  // Addresses may pass between instances of the batch (two swap theirs): the
  // ones whose address changes leave their VPC first, so that no two rows
  // hold one VPC address in between.
  for (size_t i = 0; i < change.before.size(); ++i) {
    const Instance& before = change.before[i];
    if (before.vpc_id && (before.vpc_id != change.after[i].vpc_id ||
                          before.private_ip != change.after[i].private_ip)) {
      Instance parked = before;
      parked.vpc_id.reset();
      store.Update(parked);
    }
  }
  for (const Instance& in : change.after) store.Update(in);
}

Result<ReconfigurationChange> PlanResetInstancesType(const Scope& scope,
                                                     const ResetInstancesTypeRequest& r,
                                                     std::string_view action) {
  if (!IsInstanceTypeShape(r.instance_type)) {
    return BadType("`" + r.instance_type + "` is not of the form FAMILY.SIZE, e.g. S1.SMALL1");
  }
  ReconfigurationChange change;
  CVM_ASSIGN_OR_RETURN(change.before, LoadInstances(scope.db, scope.app_id(), scope.region,
                                                    r.instance_ids, scope.now));
  for (const Instance& in : change.before) {
    if (in.is_cdh()) {
      return NotSupported(in,
                          "the type of an instance on a dedicated host (CDHPAID) cannot change");
    }
    if (!in.system_disk.is_cloud()) {
      return NotSupported(in, "only an instance with a cloud system disk can change type (it has " +
                                  std::string(NameOf(in.system_disk.type)) + ")");
    }
  }
  for (const Instance& in : change.before) {
    CVM_ASSIGN_OR_RETURN(const InstanceTypeInfo* type, CheckNewType(scope, in, r.instance_type));
    Instance after = in;
    after.instance_type = type->type;
    after.cpu = type->cpu;
    after.memory = type->memory;
    change.after.push_back(std::move(after));
  }
  for (size_t i = 0; i < change.before.size(); ++i) {
    CVM_RETURN_IF_ERROR(CheckCanChange(scope, change.before[i], r.force_stop, action));
    StartChange(scope, change.before[i], change.after[i]);
  }
  return change;
}

Result<ReconfigurationChange> PlanResizeInstanceDisks(const Scope& scope,
                                                      const ResizeInstanceDisksRequest& r,
                                                      std::string_view action) {
  ReconfigurationChange change;
  CVM_ASSIGN_OR_RETURN(change.before, LoadInstances(scope.db, scope.app_id(), scope.region,
                                                    {r.instance_id}, scope.now));
  const Instance& in = change.before.front();
  if (in.is_cdh()) {
    return NotSupported(in, "the disks of an instance on a dedicated host (CDHPAID) cannot grow");
  }
  Instance after = in;
  for (const ResizeInstanceDisksRequest::DataDisk& wanted : r.data_disks) {
    CVM_ASSIGN_OR_RETURN(size_t index, PickDataDisk(in, wanted.disk_id));
    CVM_RETURN_IF_ERROR(CheckNewSize(in.data_disks[index], wanted.size_gb));
    after.data_disks[index].size_gb = wanted.size_gb;
  }
  CVM_RETURN_IF_ERROR(CheckCanChange(scope, in, r.force_stop, action));
  StartChange(scope, in, after);
  change.after.push_back(std::move(after));
  return change;
}

Result<ReconfigurationChange> PlanModifyInstancesVpcAttribute(const Scope& scope,
                                                              const ModifyInstancesVpcRequest& r,
                                                              std::string_view action) {
  if (r.private_ips) {
    if (r.private_ips->size() != r.instance_ids.size()) {
      return ApiError::Make(
          errors::kInvalidParameterValue, "VirtualPrivateCloud.PrivateIpAddresses",
          "give one address per instance: " + std::to_string(r.private_ips->size()) +
              " addresses for " + std::to_string(r.instance_ids.size()) + " instances");
    }
    std::set<std::string> seen;
    for (const std::string& id : r.instance_ids) {
      if (!seen.insert(id).second) {
        return ApiError::Make(errors::kInvalidParameterValue, "InstanceIds",
                              id + " is given twice, so its address is ambiguous");
      }
    }
  }
  ReconfigurationChange change;
  CVM_ASSIGN_OR_RETURN(change.before, LoadInstances(scope.db, scope.app_id(), scope.region,
                                                    r.instance_ids, scope.now));
  InstanceStore store(scope.db);
  std::optional<SubnetRecord> known =
      Network(scope.db, store, scope.random).FindSubnet(scope.app_id(), scope.region, r.subnet_id);
  if (known && known->vpc_id != r.vpc_id) {
    return ApiError::Make(errors::kVpcIdNotMatch, r.vpc_id,
                          "the VPC of " + r.subnet_id + " (" + known->vpc_id + ")");
  }
  for (const Instance& in : change.before) {
    if (r.as_vpc_gateway && !in.public_ip) {
      return ApiError::Make(errors::kInvalidParameterCombination,
                            "VirtualPrivateCloud.AsVpcGateway=true",
                            "an instance without a public IP (" + in.instance_id + ")");
    }
    Instance after = in;
    after.vpc_id = r.vpc_id;
    after.subnet_id = r.subnet_id;
    after.as_vpc_gateway = r.as_vpc_gateway;
    change.after.push_back(std::move(after));
  }
  CVM_RETURN_IF_ERROR(PlanVpcAddresses(scope, r, change));
  for (size_t i = 0; i < change.before.size(); ++i) {
    CVM_RETURN_IF_ERROR(CheckCanChange(scope, change.before[i], r.force_stop, action));
    StartChange(scope, change.before[i], change.after[i]);
  }
  return change;
}

}  // namespace cvm::state
