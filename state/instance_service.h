// Business operations on existing instances, beside their store: loading a
// batch, all-or-nothing state transitions, reinstalling (ResetInstance),
// new passwords, and attribute and project changes. Each mutating action is
// a Plan (checks only) and an Apply (writes only) over a Scope
// (state/scope.h); RunInstances is in state/launch_service.h.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "schema/errors.h"
#include "state/database.h"
#include "state/image_lookup.h"
#include "state/instance.h"
#include "state/instance_lifecycle.h"
#include "state/scope.h"

namespace cvm::state {

// The visible instances named by `ids`, in order, duplicates removed.
// Error: InvalidInstanceId.NotFound naming the first unknown ID.
Result<std::vector<Instance>> LoadInstances(Database& db, int64_t app_id, const std::string& region,
                                            const std::vector<std::string>& ids, TimeMs now);

// MutexOperation.TaskRunning while an image is being taken from the instance:
// nothing but renaming may change it then (D-114).
Status CheckNotImaging(Database& db, Operation op, const Instance& instance, TimeMs now);

// What a batch action on instances writes: every instance of the batch as it
// will be stored (a batch changes all its instances or none).
struct InstancesChange {
  Operation op = Operation::kModify;
  std::vector<Instance> instances;
  bool lifecycle_only = true;  // nothing but the lifecycle differs from the stored records
};
void ApplyInstancesChange(const Scope& scope, const InstancesChange& change);

// Start/Stop/Reboot/TerminateInstances: checks `op` on every instance first
// (InvalidInstanceId.NotFound, MutexOperation.TaskRunning, the wrong-state
// code), then plans the new lifecycles. `force` is ForceStop; `action` names
// the API action in messages.
Result<InstancesChange> PlanTransition(const Scope& scope, const std::vector<std::string>& ids,
                                       Operation op, bool force, std::string_view action);

// ResetInstancesPassword: the password fits the Linux rule before any lookup,
// and the Windows rule when the batch holds a Windows instance (a mixed batch
// follows Windows); then as PlanTransition with the stop-change-start
// operation.
Result<InstancesChange> PlanResetInstancesPassword(const Scope& scope,
                                                   const std::vector<std::string>& ids,
                                                   const std::string& password, bool force,
                                                   std::string_view action);

// ModifyInstancesAttribute: InstanceName and/or SecurityGroups (neither is
// MissingParameter.AtLeastOne); the instances must exist and not be
// TERMINATING.
Result<InstancesChange> PlanModifyInstancesAttribute(
    const Scope& scope, const std::vector<std::string>& ids, const std::optional<std::string>& name,
    const std::optional<std::vector<std::string>>& groups, std::string_view action);
// ModifyInstancesProject: a non-negative project; moving an instance to
// another project unbinds its security groups.
Result<InstancesChange> PlanModifyInstancesProject(const Scope& scope,
                                                   const std::vector<std::string>& ids,
                                                   int64_t project_id, std::string_view action);

// LoginSettings at purchase and reinstall, as given.
struct LoginRequest {
  std::optional<std::string> password;
  std::vector<std::string> key_ids;
  bool keep_image_login = false;
};
// The login an instance gets from `image`. Checks: one kind of login at
// most, the password's complexity, key pairs only for Linux, one at most,
// the caller's in the region, KeepImageLogin only with a custom image.
struct Login {
  std::vector<std::string> key_ids;
  bool keep_image_login = false;
};
Result<Login> PlanLogin(const Scope& scope, const LoginRequest& request, const LaunchImage& image);

// What an instance reports about the image it was installed from.
void InstallImage(Instance& instance, const LaunchImage& image);

// ResetInstance, as given.
struct ResetInstanceRequest {
  std::string instance_id;
  std::optional<std::string> image_id;  // absent: the instance's own image
  LoginRequest login;
  std::optional<DiskType> system_disk_type;
  std::optional<int64_t> system_disk_size;
  bool security_service = true, monitor_service = true;
};
struct ResetInstanceChange {
  Instance before;
  Instance after;                // reinstalled and REBOOTING; a new system disk has no ID yet
  LaunchImage image;             // what it is reinstalled from
  bool new_system_disk = false;  // switching between Linux and Windows replaces the disk
};
// Checks, in order: the instance exists, the image is launchable, the login,
// switching operating system (a cloud system disk, not overseas), the system
// disk (same type, not smaller, within range), no image being taken, and
// RUNNING or STOPPED.
Result<ResetInstanceChange> PlanResetInstance(const Scope& scope,
                                              const ResetInstanceRequest& request,
                                              std::string_view action);
void ApplyResetInstance(const Scope& scope, const ResetInstanceChange& change);

}  // namespace cvm::state
