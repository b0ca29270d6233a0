#include "state/instance_service.h"

#include <algorithm>
#include <set>

#include "state/catalog.h"
#include "state/image_store.h"
#include "state/instance_rules.h"
#include "state/instance_store.h"
#include "state/key_pair_store.h"
#include "state/network.h"
#include "state/random.h"
#include "state/setting_values.h"

namespace cvm::state {

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

void ApplyInstancesChange(const Scope& scope, const InstancesChange& change) {
  InstanceStore store(scope.db);
  for (const Instance& in : change.instances) {
    if (change.lifecycle_only) {
      store.UpdateLifecycle(in);
    } else {
      store.Update(in);
    }
  }
}

namespace {

// The checks every instance of a batch passes before `op` changes any.
Status CheckBatch(const Scope& scope, const std::vector<Instance>& instances, Operation op,
                  bool force, std::string_view action) {
  for (const Instance& in : instances) {
    CVM_RETURN_IF_ERROR(CheckNotImaging(scope.db, op, in, scope.now));
    CVM_RETURN_IF_ERROR(CheckOperation(op, in, ObservedState(scope, in), force, action));
  }
  return Status::Ok();
}

// `instances` after `op` starts now.
InstancesChange Transitioned(const Scope& scope, std::vector<Instance> instances, Operation op) {
  Durations durations = scope.settings.durations();
  for (Instance& in : instances) {
    in.lifecycle = ApplyOperation(op, in, ObservedState(scope, in), scope.now, durations);
  }
  return InstancesChange{op, std::move(instances), /*lifecycle_only=*/true};
}

// Instances that `edit` changes, after the checks of a modification.
template <typename Edit>
Result<InstancesChange> PlanModify(const Scope& scope, const std::vector<std::string>& ids,
                                   std::string_view action, Edit edit) {
  CVM_ASSIGN_OR_RETURN(std::vector<Instance> instances,
                       LoadInstances(scope.db, scope.app_id(), scope.region, ids, scope.now));
  CVM_RETURN_IF_ERROR(CheckBatch(scope, instances, Operation::kModify, false, action));
  for (Instance& in : instances) edit(in);
  return InstancesChange{Operation::kModify, std::move(instances), /*lifecycle_only=*/false};
}

}  // namespace

Result<InstancesChange> PlanTransition(const Scope& scope, const std::vector<std::string>& ids,
                                       Operation op, bool force, std::string_view action) {
  CVM_ASSIGN_OR_RETURN(std::vector<Instance> instances,
                       LoadInstances(scope.db, scope.app_id(), scope.region, ids, scope.now));
  CVM_RETURN_IF_ERROR(CheckBatch(scope, instances, op, force, action));
  return Transitioned(scope, std::move(instances), op);
}

Result<InstancesChange> PlanResetInstancesPassword(const Scope& scope,
                                                   const std::vector<std::string>& ids,
                                                   const std::string& password, bool force,
                                                   std::string_view action) {
  // A parameter check before the lookups: what fails the Linux rule fails the
  // Windows one too.
  CVM_RETURN_IF_ERROR(CheckResetPassword(password, false, "Password"));
  CVM_ASSIGN_OR_RETURN(std::vector<Instance> instances,
                       LoadInstances(scope.db, scope.app_id(), scope.region, ids, scope.now));
  bool windows =
      std::any_of(instances.begin(), instances.end(), [](const Instance& i) { return i.windows; });
  CVM_RETURN_IF_ERROR(CheckResetPassword(password, windows, "Password"));
  CVM_RETURN_IF_ERROR(CheckBatch(scope, instances, Operation::kStopChangeStart, force, action));
  return Transitioned(scope, std::move(instances), Operation::kStopChangeStart);
}

Result<InstancesChange> PlanModifyInstancesAttribute(
    const Scope& scope, const std::vector<std::string>& ids, const std::optional<std::string>& name,
    const std::optional<std::vector<std::string>>& groups, std::string_view action) {
  if (!name && !groups) {
    return ApiError::Make(errors::kMissingParameterAtLeastOne, "InstanceName, SecurityGroups");
  }
  return PlanModify(scope, ids, action, [&](Instance& in) {
    if (name) in.name = *name;
    if (groups) in.security_group_ids = *groups;
  });
}

Result<InstancesChange> PlanModifyInstancesProject(const Scope& scope,
                                                   const std::vector<std::string>& ids,
                                                   int64_t project_id, std::string_view action) {
  if (project_id < 0) {
    return ApiError::Make(errors::kInvalidParameterValue, "ProjectId",
                          "project IDs are non-negative");
  }
  return PlanModify(scope, ids, action, [&](Instance& in) {
    in.project_id = project_id;
    in.security_group_ids.clear();
  });
}

Result<Login> PlanLogin(const Scope& scope, const LoginRequest& request, const LaunchImage& image) {
  int given = request.password.has_value() + !request.key_ids.empty() + request.keep_image_login;
  if (given > 1) {
    return ApiError::Make(errors::kInvalidParameterCombination,
                          "LoginSettings.Password, LoginSettings.KeyIds",
                          "LoginSettings.KeepImageLogin=TRUE (give one of them)");
  }
  if (request.password) {
    CVM_RETURN_IF_ERROR(
        CheckLoginPassword(*request.password, image.windows, "LoginSettings.Password"));
  }
  if (!request.key_ids.empty()) {
    if (image.windows) return ApiError::Make(errors::kKeyPairUnsupportedWindows, image.image_id);
    if (request.key_ids.size() > 1) {
      return ApiError::Make(errors::kInvalidParameterValue, "LoginSettings.KeyIds",
                            "only one key pair can be given when creating or reinstalling");
    }
    // The key must be one of the caller's in this region.
    std::vector<std::string> missing =
        KeyPairStore(scope.db).MissingKeys(scope.app_id(), scope.region, request.key_ids);
    if (!missing.empty()) return ApiError::Make(errors::kInvalidKeyPairIdNotFound, missing.front());
  }
  if (request.keep_image_login && !image.custom) {
    return ApiError::Make(errors::kInvalidParameterCombination, "LoginSettings.KeepImageLogin=TRUE",
                          "a public image (it needs a custom, shared or imported image)");
  }
  return Login{request.key_ids, request.keep_image_login};
}

void InstallImage(Instance& in, const LaunchImage& image) {
  in.image_id = image.image_id;
  in.os_name = image.os_name;
  in.windows = image.windows;
  in.image_platform = image.platform;
  in.image_architecture = image.architecture;
  in.image_size_gb = image.size_gb;
  in.image_cloud_init = image.cloud_init;
}

namespace {

// Switching between Linux and Windows needs a cloud system disk, and is not
// offered in overseas regions.
Status CheckOsSwitch(const Scope& scope, const Instance& in) {
  if (!in.system_disk.is_cloud()) {
    return ApiError::Make(errors::kInvalidInstanceNotSupported, in.instance_id,
                          "switching between Linux and Windows needs a cloud system disk");
  }
  const RegionInfo* region = scope.catalog.FindRegion(scope.region);
  if (region && region->overseas) {
    return ApiError::Make(errors::kInvalidInstanceNotSupported, in.instance_id,
                          "switching between Linux and Windows is not offered in " + scope.region);
  }
  return Status::Ok();
}

// The system disk after a reinstall: the same type, as large or larger.
Result<Disk> ResetSystemDisk(const Scope& scope, const Instance& in,
                             const ResetInstanceRequest& request) {
  Disk disk = in.system_disk;
  if (request.system_disk_type && *request.system_disk_type != disk.type) {
    return ApiError::Make(
        errors::kInvalidParameterValue, "SystemDisk.DiskType",
        "the system disk's type cannot change (it is " + std::string(NameOf(disk.type)) + ")");
  }
  if (request.system_disk_size) {
    if (*request.system_disk_size < disk.size_gb) {
      return ApiError::Make(
          errors::kInvalidParameterValue, "SystemDisk.DiskSize",
          "the system disk can only grow (it has " + std::to_string(disk.size_gb) + " GB)");
    }
    disk.size_gb = *request.system_disk_size;
    const InstanceTypeInfo* type = scope.catalog.FindInstanceType(in.instance_type);
    if (type) CVM_RETURN_IF_ERROR(CheckSystemDisk(disk, *type));
  }
  return disk;
}

}  // namespace

Result<ResetInstanceChange> PlanResetInstance(const Scope& scope,
                                              const ResetInstanceRequest& request,
                                              std::string_view action) {
  CVM_ASSIGN_OR_RETURN(
      std::vector<Instance> found,
      LoadInstances(scope.db, scope.app_id(), scope.region, {request.instance_id}, scope.now));
  ResetInstanceChange change;
  change.before = std::move(found.front());
  const Instance& in = change.before;
  // Lookups and parameter rules first, then the instance's state.
  CVM_ASSIGN_OR_RETURN(change.image,
                       FindLaunchImage(scope.catalog, scope.db, scope.app_id(), scope.region,
                                       request.image_id.value_or(in.image_id), scope.now));
  CVM_ASSIGN_OR_RETURN(Login login, PlanLogin(scope, request.login, change.image));
  change.new_system_disk = change.image.windows != in.windows;
  if (change.new_system_disk) CVM_RETURN_IF_ERROR(CheckOsSwitch(scope, in));
  CVM_ASSIGN_OR_RETURN(Disk system_disk, ResetSystemDisk(scope, in, request));
  InstanceState observed = ObservedState(scope, in);
  CVM_RETURN_IF_ERROR(CheckNotImaging(scope.db, Operation::kReset, in, scope.now));
  CVM_RETURN_IF_ERROR(CheckOperation(Operation::kReset, in, observed, false, action));

  Instance& after = change.after = in;
  after.system_disk = system_disk;
  if (change.new_system_disk) after.system_disk.disk_id.reset();
  if (change.image.windows) after.host_name.reset();
  InstallImage(after, change.image);
  after.key_ids = login.key_ids;
  after.keep_image_login = login.keep_image_login;
  after.security_service = request.security_service;
  after.monitor_service = request.monitor_service;
  after.lifecycle =
      ApplyOperation(Operation::kReset, in, observed, scope.now, scope.settings.durations());
  return change;
}

void ApplyResetInstance(const Scope& scope, const ResetInstanceChange& change) {
  Instance in = change.after;
  // Switching operating system replaces the system disk.
  if (change.new_system_disk) in.system_disk.disk_id = scope.random.Id("disk-");
  InstanceStore(scope.db).Update(in);
}

}  // namespace cvm::state
