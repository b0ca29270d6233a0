#include "state/placement_group_service.h"

#include "state/client_token_store.h"
#include "state/random.h"
#include "state/setting_values.h"

namespace cvm::state {
namespace {

constexpr const char* kCreateGroup = "CreateDisasterRecoverGroup";

Result<PlacementGroup> LoadGroup(const Scope& scope, const std::string& group_id) {
  std::vector<PlacementGroup> found =
      PlacementGroupStore(scope.db).FindMany(scope.app_id(), scope.region, {group_id});
  if (found.empty()) return ApiError::Make(errors::kResourceNotFoundInvalidPlacementSet, group_id);
  return std::move(found.front());
}

}  // namespace

int64_t GroupCapacity(const Scope& scope, PlacementGroupType type) {
  Quotas q = scope.settings.quotas(scope.app_id());
  switch (type) {
    case PlacementGroupType::kHost:
      return q.placement_group_host;
    case PlacementGroupType::kSw:
      return q.placement_group_sw;
    case PlacementGroupType::kRack:
      return q.placement_group_rack;
  }
  return 0;
}

Result<CreateGroupChange> PlanCreateGroup(const Scope& scope, const std::string& name,
                                          PlacementGroupType type, const std::string& client_token,
                                          const std::string& canonical_request) {
  CreateGroupChange change;
  change.client_token = client_token;
  change.canonical_request = canonical_request;
  if (!client_token.empty()) {
    auto seen = ClientTokenStore(scope.db).Find(scope.app_id(), scope.region, kCreateGroup,
                                                client_token, scope.now);
    if (seen) {
      if (seen->request != canonical_request) {
        return ApiError::Make(errors::kInvalidParameterValue, "ClientToken",
                              "the token was already used with other parameters");
      }
      change.replay = seen->response;
      return change;
    }
  }
  PlacementGroupStore store(scope.db);
  int64_t quota = scope.settings.quotas(scope.app_id()).placement_groups;
  if (store.Count(scope.app_id(), scope.region) >= quota) {
    return ApiError::Make(errors::kLimitExceededDisasterRecoverGroup, quota);
  }
  PlacementGroup& g = change.group;
  g.app_id = scope.app_id();
  g.region = scope.region;
  g.name = name;
  g.type = type;
  g.created_at = scope.now;
  return change;
}

PlacementGroup ApplyCreateGroup(const Scope& scope, const CreateGroupChange& change) {
  PlacementGroupStore store(scope.db);
  PlacementGroup g = change.group;
  g.group_id =
      scope.random.FreshId("ps-", [&](const std::string& id) { return store.IdExists(id); });
  store.Insert(g);
  return g;
}

void RecordCreateGroupAnswer(const Scope& scope, const CreateGroupChange& change,
                             const std::string& answer) {
  if (change.client_token.empty()) return;
  ClientTokenStore(scope.db).Put(scope.app_id(), scope.region, kCreateGroup, change.client_token,
                                 {change.canonical_request, answer}, scope.now);
}

Result<DeleteGroupsChange> PlanDeleteGroups(const Scope& scope,
                                            const std::vector<std::string>& group_ids) {
  PlacementGroupStore store(scope.db);
  DeleteGroupsChange change{store.FindMany(scope.app_id(), scope.region, group_ids)};
  for (const std::string& id : group_ids) {
    bool found = false;
    for (const PlacementGroup& g : change.groups) found = found || g.group_id == id;
    if (!found) return ApiError::Make(errors::kResourceNotFoundInvalidPlacementSet, id);
  }
  auto members = store.Members(scope.app_id(), scope.region, group_ids, scope.now);
  for (const PlacementGroup& g : change.groups) {
    if (!members[g.group_id].empty()) {
      return ApiError::Make(errors::kFailedOperationPlacementSetNotEmpty, g.group_id);
    }
  }
  return change;
}

void ApplyDeleteGroups(const Scope& scope, const DeleteGroupsChange& change) {
  PlacementGroupStore store(scope.db);
  for (const PlacementGroup& g : change.groups) store.Delete(g.rowid);
}

Result<RenameGroupChange> PlanRenameGroup(const Scope& scope, const std::string& group_id,
                                          const std::string& name) {
  CVM_ASSIGN_OR_RETURN(PlacementGroup g, LoadGroup(scope, group_id));
  g.name = name;
  return RenameGroupChange{std::move(g)};
}

void ApplyRenameGroup(const Scope& scope, const RenameGroupChange& change) {
  PlacementGroupStore(scope.db).UpdateName(change.group);
}

Status CheckGroupRoom(const Scope& scope, const std::string& group_id, int64_t count) {
  CVM_ASSIGN_OR_RETURN(PlacementGroup g, LoadGroup(scope, group_id));
  int64_t capacity = GroupCapacity(scope, g.type);
  int64_t used =
      static_cast<int64_t>(PlacementGroupStore(scope.db)
                               .Members(scope.app_id(), scope.region, {group_id}, scope.now)
                               .at(group_id)
                               .size());
  if (used + count > capacity) {
    return ApiError::Make(errors::kResourceInsufficientDisasterRecoverGroupCvmQuota, group_id,
                          capacity);
  }
  return Status::Ok();
}

}  // namespace cvm::state
