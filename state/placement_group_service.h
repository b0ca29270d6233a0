// Business operations on placement groups, beside their store (D-113,
// D-129): creation within the quota, all-or-nothing deletion of empty
// groups, renaming, and the capacity check of RunInstances. Each mutating
// action is a Plan (checks only) and an Apply (writes only) over a Scope.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "schema/errors.h"
#include "state/placement_group_store.h"
#include "state/scope.h"

namespace cvm::state {

// How many instances a group of `type` holds, from the quotas of the
// caller's account (D-129).
int64_t GroupCapacity(const Scope& scope, PlacementGroupType type);

struct CreateGroupChange {
  // A ClientToken seen before with the same request: the first call's
  // answer (JSON), given again; nothing is written.
  std::optional<std::string> replay;
  PlacementGroup group;  // no ID yet
  std::string client_token;
  std::string canonical_request;
};
// Checks, in order: the ClientToken (D-102), the account's group quota
// (LimitExceeded.DisasterRecoverGroup).
Result<CreateGroupChange> PlanCreateGroup(const Scope& scope, const std::string& name,
                                          PlacementGroupType type, const std::string& client_token,
                                          const std::string& canonical_request);
// Inserts the group with a new ps- ID; records the token with `answer`
// (the action's response for it, built by the caller).
PlacementGroup ApplyCreateGroup(const Scope& scope, const CreateGroupChange& change);
// Records the ClientToken's answer (REQUIRES: the group was just inserted).
void RecordCreateGroupAnswer(const Scope& scope, const CreateGroupChange& change,
                             const std::string& answer);

struct DeleteGroupsChange {
  std::vector<PlacementGroup> groups;
};
// Every group exists (ResourceNotFound.InvalidPlacementSet naming the first
// unknown one) and holds no instance (FailedOperation.PlacementSetNotEmpty).
Result<DeleteGroupsChange> PlanDeleteGroups(const Scope& scope,
                                            const std::vector<std::string>& group_ids);
void ApplyDeleteGroups(const Scope& scope, const DeleteGroupsChange& change);

struct RenameGroupChange {
  PlacementGroup group;
};
Result<RenameGroupChange> PlanRenameGroup(const Scope& scope, const std::string& group_id,
                                          const std::string& name);
void ApplyRenameGroup(const Scope& scope, const RenameGroupChange& change);

// RunInstances with DisasterRecoverGroupIds (at most one, the schema says):
// the group exists (ResourceNotFound.InvalidPlacementSet) and has room for
// `count` more instances (ResourceInsufficient.DisasterRecoverGroupCvmQuota).
Status CheckGroupRoom(const Scope& scope, const std::string& group_id, int64_t count);

}  // namespace cvm::state
