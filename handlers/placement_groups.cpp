// Placement groups: CreateDisasterRecoverGroup, DeleteDisasterRecoverGroups,
// DescribeDisasterRecoverGroups, ModifyDisasterRecoverGroupAttribute,
// DescribeDisasterRecoverGroupQuota (D-113, D-129, D-194..). RunInstances
// fills them (state/launch_service.cpp).
#include "handlers/params.h"
#include "handlers/registry.h"
#include "state/placement_group_service.h"
#include "state/placement_group_store.h"
#include "state/setting_values.h"

namespace cvm::handlers {
namespace {

using state::PlacementGroup;

// A DisasterRecoverGroup structure.
Json GroupJson(RequestContext& ctx, const PlacementGroup& g,
               const std::vector<std::string>& members) {
  return Json{{"DisasterRecoverGroupId", g.group_id},
              {"Name", g.name},
              {"Type", state::NameOf(g.type)},
              {"CvmQuotaTotal", state::GroupCapacity(ctx.scope(), g.type)},
              {"CurrentNum", static_cast<int64_t>(members.size())},
              {"InstanceIds", members},
              {"CreateTime", Iso(g.created_at)}};
}

Result<state::CreateGroupChange> PlanCreateGroup(RequestContext& ctx, const Json& p) {
  return state::PlanCreateGroup(ctx.scope(), p["Name"].get<std::string>(),
                                Enum<state::PlacementGroupType>(p["Type"]),
                                OptionalString(p, "ClientToken").value_or(""), CanonicalRequest(p));
}

HandlerResult ApplyCreateGroup(RequestContext& ctx, const state::CreateGroupChange& change) {
  if (change.replay) return Json::parse(*change.replay);
  PlacementGroup g = state::ApplyCreateGroup(ctx.scope(), change);
  Json answer = GroupJson(ctx, g, {});
  answer.erase("InstanceIds");
  state::RecordCreateGroupAnswer(ctx.scope(), change, answer.dump());
  return answer;
}

Result<state::DeleteGroupsChange> PlanDeleteGroups(RequestContext& ctx, const Json& p) {
  return state::PlanDeleteGroups(ctx.scope(), Strings(p["DisasterRecoverGroupIds"]));
}

HandlerResult ApplyDeleteGroups(RequestContext& ctx, const state::DeleteGroupsChange& change) {
  state::ApplyDeleteGroups(ctx.scope(), change);
  return Json::object();
}

Result<state::RenameGroupChange> PlanRenameGroup(RequestContext& ctx, const Json& p) {
  return state::PlanRenameGroup(ctx.scope(), p["DisasterRecoverGroupId"].get<std::string>(),
                                p["Name"].get<std::string>());
}

HandlerResult ApplyRenameGroup(RequestContext& ctx, const state::RenameGroupChange& change) {
  state::ApplyRenameGroup(ctx.scope(), change);
  return Json::object();
}

HandlerResult DescribeGroups(RequestContext& ctx, const Json& p) {
  state::PlacementGroupQuery query;
  if (p.contains("DisasterRecoverGroupIds"))
    query.group_ids = Strings(p["DisasterRecoverGroupIds"]);
  query.name_contains = OptionalString(p, "Name");
  query.offset = p["Offset"].get<int64_t>();
  query.limit = p["Limit"].get<int64_t>();
  query.hidden_created = ctx.hidden_created();
  state::PlacementGroupStore store(ctx.services.db);
  state::PlacementGroupPage page = store.List(ctx.account.app_id, ctx.region, query);
  std::vector<std::string> ids;
  for (const PlacementGroup& g : page.items) ids.push_back(g.group_id);
  auto members = store.Members(ctx.account.app_id, ctx.region, ids, ctx.now());
  Json set = Json::array();
  for (const PlacementGroup& g : page.items) set.push_back(GroupJson(ctx, g, members[g.group_id]));
  return Json{{"DisasterRecoverGroupSet", std::move(set)}, {"TotalCount", page.total}};
}

HandlerResult DescribeGroupQuota(RequestContext& ctx, const Json&) {
  state::Quotas q = ctx.scope().settings.quotas(ctx.account.app_id);
  return Json{{"GroupQuota", q.placement_groups},
              {"CurrentNum",
               state::PlacementGroupStore(ctx.services.db).Count(ctx.account.app_id, ctx.region)},
              {"CvmInHostGroupQuota", q.placement_group_host},
              {"CvmInSwGroupQuota", q.placement_group_sw},
              {"CvmInRackGroupQuota", q.placement_group_rack}};
}

}  // namespace

void RegisterPlacementGroupHandlers(Registry& registry) {
  registry.AddMutation<PlanCreateGroup, ApplyCreateGroup>("CreateDisasterRecoverGroup");
  registry.AddMutation<PlanDeleteGroups, ApplyDeleteGroups>("DeleteDisasterRecoverGroups");
  registry.AddMutation<PlanRenameGroup, ApplyRenameGroup>("ModifyDisasterRecoverGroupAttribute");
  registry.Add("DescribeDisasterRecoverGroups", DescribeGroups);
  registry.Add("DescribeDisasterRecoverGroupQuota", DescribeGroupQuota);
}

}  // namespace cvm::handlers
