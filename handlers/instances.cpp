// The instance lifecycle: RunInstances, DescribeInstances,
// DescribeInstancesStatus, Start/Stop/Reboot/TerminateInstances,
// ResetInstance, ResetInstancesPassword, ModifyInstancesAttribute,
// ModifyInstancesProject, DescribeInstanceVncUrl. The rules are state/'s
// (launch_service, instance_service); these read parameters and shape
// answers.
#include "handlers/instance_requests.h"
#include "handlers/instance_views.h"
#include "handlers/params.h"
#include "handlers/registry.h"
#include "state/bandwidth_service.h"
#include "state/instance_lifecycle.h"
#include "state/instance_service.h"
#include "state/instance_store.h"
#include "state/launch_service.h"

namespace cvm::handlers {
namespace {

using state::Instance;
using state::Operation;

// ---------------------------------------------------------------------------
// RunInstances

Result<state::LaunchChange> PlanRunInstances(RequestContext& ctx, const Json& p) {
  return state::PlanLaunch(ctx.scope(), ReadLaunchRequest(p));
}

HandlerResult ApplyRunInstances(RequestContext& ctx, const state::LaunchChange& change) {
  return Json{{"InstanceIdSet", state::ApplyLaunch(ctx.scope(), change)}};
}

// ---------------------------------------------------------------------------
// Reads

// Filter values that must name something of this region (the document's
// DescribeInstances error table).
Status CheckFilterValues(RequestContext& ctx,
                         const std::vector<state::InstanceCondition>& conditions) {
  for (const auto& c : conditions) {
    if (c.name != "zone") continue;
    for (const std::string& zone : c.values) {
      CVM_RETURN_IF_ERROR(ctx.CheckZoneOfRegion(zone, "the zone filter"));
    }
  }
  return Status::Ok();
}

state::InstanceQuery ReadQuery(const Json& p) {
  state::InstanceQuery q;
  if (p.contains("InstanceIds")) q.instance_ids = Strings(p["InstanceIds"]);
  if (p.contains("Filters")) {
    for (const Json& f : p["Filters"]) {
      state::InstanceCondition c{f["Name"].get<std::string>(), Strings(f["Values"])};
      if (c.name == "project-id") {
        for (std::string& v : c.values) v = std::to_string(std::stoll(v));  // "007" → "7"
      }
      q.conditions.push_back(std::move(c));
    }
  }
  q.offset = p["Offset"].get<int64_t>();
  q.limit = p["Limit"].get<int64_t>();
  return q;
}

HandlerResult DescribeInstances(RequestContext& ctx, const Json& p) {
  state::InstanceQuery query = ReadQuery(p);
  query.hidden_created = ctx.hidden_created();
  CVM_RETURN_IF_ERROR(CheckFilterValues(ctx, query.conditions));
  state::TimeMs now = ctx.now();
  state::InstancePage page =
      state::InstanceStore(ctx.services.db).List(ctx.account.app_id, ctx.region, query, now);
  // Scheduled bandwidth in force now (D-180).
  state::ObserveBandwidth(ctx.services.db, page.items, now);
  // States are read here, with the fault rules (D-218); the page is written
  // out later, off the database worker.
  std::vector<state::InstanceState> states;
  const state::Scope scope = ctx.scope();
  for (const Instance& in : page.items) states.push_back(state::ObservedState(scope, in));
  return Output::Deferred([page = std::move(page), states = std::move(states), now] {
    JsonWriter out;
    out.Field("TotalCount", page.total).Key("InstanceSet").BeginArray();
    for (size_t i = 0; i < page.items.size(); ++i) WriteInstance(out, page.items[i], states[i], now);
    out.EndArray();
    return out.Take();
  });
}

HandlerResult DescribeInstancesStatus(RequestContext& ctx, const Json& p) {
  state::InstanceQuery query = ReadQuery(p);
  query.hidden_created = ctx.hidden_created();
  state::TimeMs now = ctx.now();
  state::InstancePage page =
      state::InstanceStore(ctx.services.db).List(ctx.account.app_id, ctx.region, query, now);
  Json set = Json::array();
  const state::Scope scope = ctx.scope();
  for (const Instance& in : page.items) {
    set.push_back({{"InstanceId", in.instance_id},
                   {"InstanceState", state::StateName(state::ObservedState(scope, in))}});
  }
  return Json{{"TotalCount", page.total}, {"InstanceStatusSet", std::move(set)}};
}

HandlerResult DescribeInstanceVncUrl(RequestContext& ctx, const Json& p) {
  state::TimeMs now = ctx.now();
  std::string id = p["InstanceId"].get<std::string>();
  CVM_ASSIGN_OR_RETURN(
      std::vector<Instance> found,
      state::LoadInstances(ctx.services.db, ctx.account.app_id, ctx.region, {id}, now));
  const Instance& in = found.front();
  CVM_RETURN_IF_ERROR(
      state::CheckOperation(Operation::kVnc, in, state::ObservedState(ctx.scope(), in), false,
                            ctx.action_name()));
  // A fresh one-time URL on every call (D-146).
  std::string token = ctx.services.random.Id("", 32);
  return Json{{"InstanceVncUrl", "wss://bjvnc.qcloud.com:26789/vnc?s=" + token}};
}

// ---------------------------------------------------------------------------
// Changes to existing instances

// Every batch action on instances answers {} once its change is written.
HandlerResult ApplyInstances(RequestContext& ctx, const state::InstancesChange& change) {
  state::ApplyInstancesChange(ctx.scope(), change);
  return Json::object();
}

template <Operation op>
Result<state::InstancesChange> PlanTransition(RequestContext& ctx, const Json& p) {
  return state::PlanTransition(ctx.scope(), Strings(p["InstanceIds"]), op,
                               p.value("ForceStop", false), ctx.action_name());
}

Result<state::InstancesChange> PlanResetInstancesPassword(RequestContext& ctx, const Json& p) {
  return state::PlanResetInstancesPassword(ctx.scope(), Strings(p["InstanceIds"]),
                                           p["Password"].get<std::string>(),
                                           p["ForceStop"].get<bool>(), ctx.action_name());
}

Result<state::InstancesChange> PlanModifyInstancesAttribute(RequestContext& ctx, const Json& p) {
  std::optional<std::vector<std::string>> groups;
  if (p.contains("SecurityGroups")) groups = Strings(p["SecurityGroups"]);
  return state::PlanModifyInstancesAttribute(ctx.scope(), Strings(p["InstanceIds"]),
                                             OptionalString(p, "InstanceName"), groups,
                                             ctx.action_name());
}

Result<state::InstancesChange> PlanModifyInstancesProject(RequestContext& ctx, const Json& p) {
  return state::PlanModifyInstancesProject(ctx.scope(), Strings(p["InstanceIds"]),
                                           p["ProjectId"].get<int64_t>(), ctx.action_name());
}

Result<state::ResetInstanceChange> PlanResetInstance(RequestContext& ctx, const Json& p) {
  return state::PlanResetInstance(ctx.scope(), ReadResetInstanceRequest(p), ctx.action_name());
}

HandlerResult ApplyResetInstance(RequestContext& ctx, const state::ResetInstanceChange& change) {
  state::ApplyResetInstance(ctx.scope(), change);
  return Json::object();
}

}  // namespace

void RegisterInstanceHandlers(Registry& registry) {
  registry.AddMutation<PlanRunInstances, ApplyRunInstances>("RunInstances");
  registry.Add("DescribeInstances", DescribeInstances);
  registry.Add("DescribeInstancesStatus", DescribeInstancesStatus);
  registry.AddMutation<PlanTransition<Operation::kStart>, ApplyInstances>("StartInstances");
  registry.AddMutation<PlanTransition<Operation::kStop>, ApplyInstances>("StopInstances");
  registry.AddMutation<PlanTransition<Operation::kReboot>, ApplyInstances>("RebootInstances");
  registry.AddMutation<PlanTransition<Operation::kTerminate>, ApplyInstances>("TerminateInstances");
  registry.AddMutation<PlanResetInstance, ApplyResetInstance>("ResetInstance");
  registry.AddMutation<PlanResetInstancesPassword, ApplyInstances>("ResetInstancesPassword");
  registry.AddMutation<PlanModifyInstancesAttribute, ApplyInstances>("ModifyInstancesAttribute");
  registry.AddMutation<PlanModifyInstancesProject, ApplyInstances>("ModifyInstancesProject");
  registry.Add("DescribeInstanceVncUrl", DescribeInstanceVncUrl);
}

}  // namespace cvm::handlers
