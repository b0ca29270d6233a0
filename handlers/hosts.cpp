// Dedicated hosts: AllocateHosts, DescribeHosts, ModifyHostsAttribute,
// RenewHosts (D-121, D-126..D-128, D-190..D-193). The instances on a host
// come from RunInstances with CDHPAID (state/launch_service.cpp).
#include <optional>

#include "handlers/params.h"
#include "handlers/registry.h"
#include "state/catalog.h"
#include "state/host_service.h"
#include "state/host_store.h"

namespace cvm::handlers {
namespace {

using state::Host;

// A HostItem structure.
Json HostJson(const Host& h, const state::HostUsage& usage, state::TimeMs now) {
  return Json{{"Placement", {{"Zone", h.zone}, {"ProjectId", h.project_id}, {"HostIds", nullptr}}},
              {"HostId", h.host_id},
              {"HostType", state::NameOf(h.host_type)},
              {"HostName", h.host_name},
              {"HostChargeType", "PREPAID"},
              {"RenewFlag", state::NameOf(h.renew_flag)},
              {"CreatedTime", Iso(h.created_at)},
              {"ExpiredTime", Iso(h.ObservedExpiry(now))},
              {"InstanceIds", usage.instance_ids},
              {"HostState", state::NameOf(h.Observe(now))},
              {"HostIp", h.host_ip},
              {"HostResource",
               {{"CpuTotal", h.cpu},
                {"CpuAvailable", h.cpu - usage.cpu},
                {"MemTotal", static_cast<double>(h.memory_gb)},
                {"MemAvailable", static_cast<double>(h.memory_gb - usage.memory_gb)},
                {"DiskTotal", h.disk_gb},
                {"DiskAvailable", h.disk_gb - usage.disk_gb}}}};
}

Result<state::AllocateHostsChange> PlanAllocateHosts(RequestContext& ctx, const Json& p) {
  state::AllocateHostsRequest r;
  const Json& placement = p["Placement"];
  r.zone = placement["Zone"].get<std::string>();
  r.project_id = placement.value("ProjectId", int64_t{0});
  r.host_type = p.value("HostType", std::string("HS1"));
  r.count = p.value("HostCount", int64_t{1});
  if (auto it = p.find("HostChargePrepaid"); it != p.end()) {
    r.period_months = (*it)["Period"].get<int64_t>();
    if (it->contains("RenewFlag")) r.renew_flag = Enum<state::RenewFlag>((*it)["RenewFlag"]);
  }
  r.client_token = OptionalString(p, "ClientToken").value_or("");
  r.canonical_request = CanonicalRequest(p);
  return state::PlanAllocateHosts(ctx.scope(), r);
}

HandlerResult ApplyAllocateHosts(RequestContext& ctx, const state::AllocateHostsChange& change) {
  return Json{{"HostIdSet", state::ApplyAllocateHosts(ctx.scope(), change)}};
}

// Filter values that must name something real: a zone of this region, a
// host state.
Status CheckHostFilters(RequestContext& ctx, const std::vector<state::HostCondition>& conditions) {
  for (const auto& c : conditions) {
    for (const std::string& v : c.values) {
      if (c.name == "zone") {
        CVM_RETURN_IF_ERROR(ctx.CheckZoneOfRegion(v, "the zone filter"));
      } else if (c.name == "host-state" && !state::ParseName<state::HostState>(v)) {
        return ApiError::Make(
            errors::kInvalidParameterValue, "the host-state filter",
            "`" + v + "` is not one of PENDING, LAUNCH_FAILURE, RUNNING, EXPIRED");
      }
    }
  }
  return Status::Ok();
}

HandlerResult DescribeHosts(RequestContext& ctx, const Json& p) {
  state::HostQuery query;
  if (p.contains("Filters")) {
    for (const Json& f : p["Filters"]) {
      state::HostCondition c{f["Name"].get<std::string>(), Strings(f["Values"])};
      if (c.name == "project-id") {
        for (std::string& v : c.values) v = std::to_string(std::stoll(v));  // "007" → "7"
      }
      query.conditions.push_back(std::move(c));
    }
  }
  CVM_RETURN_IF_ERROR(CheckHostFilters(ctx, query.conditions));
  query.offset = p["Offset"].get<int64_t>();
  query.limit = p["Limit"].get<int64_t>();
  query.hidden_created = ctx.hidden_created();
  state::TimeMs now = ctx.now();
  state::HostStore store(ctx.services.db);
  state::HostPage page = store.List(ctx.account.app_id, ctx.region, query, now);
  std::vector<std::string> ids;
  for (const Host& h : page.items) ids.push_back(h.host_id);
  std::map<std::string, state::HostUsage> usage =
      store.Usage(ctx.account.app_id, ctx.region, ids, now);
  Json set = Json::array();
  for (const Host& h : page.items) set.push_back(HostJson(h, usage[h.host_id], now));
  return Json{{"TotalCount", page.total}, {"HostSet", std::move(set)}};
}

Result<state::HostsChange> PlanModifyHostsAttribute(RequestContext& ctx, const Json& p) {
  std::optional<state::RenewFlag> flag;
  if (p.contains("RenewFlag")) flag = Enum<state::RenewFlag>(p["RenewFlag"]);
  return state::PlanModifyHosts(ctx.scope(), Strings(p["HostIds"]), OptionalString(p, "HostName"),
                                flag);
}

Result<state::HostsChange> PlanRenewHosts(RequestContext& ctx, const Json& p) {
  return state::PlanRenewHosts(ctx.scope(), Strings(p["HostIds"]),
                               p["HostChargePrepaid"]["Period"].get<int64_t>());
}

HandlerResult ApplyHostsChange(RequestContext& ctx, const state::HostsChange& change) {
  state::ApplyHostsChange(ctx.scope(), change);
  return Json::object();
}

}  // namespace

void RegisterHostHandlers(Registry& registry) {
  registry.AddMutation<PlanAllocateHosts, ApplyAllocateHosts>("AllocateHosts");
  registry.Add("DescribeHosts", DescribeHosts);
  registry.AddMutation<PlanModifyHostsAttribute, ApplyHostsChange>("ModifyHostsAttribute");
  registry.AddMutation<PlanRenewHosts, ApplyHostsChange>("RenewHosts");
}

}  // namespace cvm::handlers
