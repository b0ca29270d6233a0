// The instance lifecycle: RunInstances, DescribeInstances,
// DescribeInstancesStatus, Start/Stop/Reboot/TerminateInstances,
// ResetInstance, ResetInstancesPassword, ModifyInstancesAttribute,
// ModifyInstancesProject, DescribeInstanceVncUrl. The rules are state/'s
// (launch_service, instance_service); these read parameters and shape
// answers.
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

// EnhancedService: each service is on unless the request turns it off.
void ReadServices(const Json& p, bool* security, bool* monitor) {
  *security = *monitor = true;
  if (auto it = p.find("EnhancedService"); it != p.end()) {
    *security = it->value("SecurityService", Json::object()).value("Enabled", true);
    *monitor = it->value("MonitorService", Json::object()).value("Enabled", true);
  }
}

state::LoginRequest ReadLogin(const Json& p) {
  state::LoginRequest login;
  auto it = p.find("LoginSettings");
  if (it == p.end()) return login;
  login.password = OptionalString(*it, "Password");
  if (it->contains("KeyIds")) login.key_ids = Strings((*it)["KeyIds"]);
  login.keep_image_login = Flag(*it, "KeepImageLogin");
  return login;
}

// ---------------------------------------------------------------------------
// RunInstances

// The parameters a ClientToken is bound to: everything but the token.
std::string CanonicalRequest(const Json& p) {
  Json copy = p;
  copy.erase("ClientToken");
  return copy.dump();
}

void ReadPlacementAndBilling(const Json& p, state::LaunchRequest& r) {
  const Json& placement = p["Placement"];
  r.zone = placement["Zone"].get<std::string>();
  r.project_id = placement["ProjectId"].get<int64_t>();
  if (placement.contains("HostIds")) r.host_ids = Strings(placement["HostIds"]);
  r.charge_type = Enum<state::ChargeType>(p["InstanceChargeType"]);
  if (auto it = p.find("InstanceChargePrepaid"); it != p.end()) {
    r.prepaid = state::LaunchRequest::Prepaid{(*it)["Period"].get<int64_t>(),
                                              Enum<state::RenewFlag>((*it)["RenewFlag"])};
  }
  r.market_options = p.contains("InstanceMarketOptions");
}

void ReadDisks(const Json& p, state::LaunchRequest& r) {
  if (auto it = p.find("SystemDisk"); it != p.end()) {
    state::LaunchRequest::SystemDisk& disk = r.system_disk.emplace();
    disk.disk_id_given = it->contains("DiskId");
    if (it->contains("DiskType")) disk.type = Enum<state::DiskType>((*it)["DiskType"]);
    if (it->contains("DiskSize")) disk.size_gb = (*it)["DiskSize"].get<int64_t>();
  }
  if (auto it = p.find("DataDisks"); it != p.end()) {
    for (const Json& d : *it) {
      r.data_disks.push_back({d.contains("DiskId"), Enum<state::DiskType>(d["DiskType"]),
                              d["DiskSize"].get<int64_t>(), d["DeleteWithInstance"].get<bool>()});
    }
  }
}

void ReadNetwork(const Json& p, state::LaunchRequest& r) {
  if (auto it = p.find("VirtualPrivateCloud"); it != p.end()) {
    state::LaunchRequest::Vpc& vpc = r.vpc.emplace();
    vpc.vpc_id = (*it)["VpcId"].get<std::string>();
    vpc.subnet_id = (*it)["SubnetId"].get<std::string>();
    vpc.as_vpc_gateway = (*it)["AsVpcGateway"].get<bool>();
    if (it->contains("PrivateIpAddresses")) vpc.private_ips = Strings((*it)["PrivateIpAddresses"]);
  }
  if (auto it = p.find("InternetAccessible"); it != p.end()) {
    r.bandwidth_out = it->value("InternetMaxBandwidthOut", int64_t{0});
    if (it->contains("PublicIpAssigned"))
      r.public_ip_assigned = (*it)["PublicIpAssigned"].get<bool>();
    if (it->contains("InternetChargeType")) {
      r.internet_charge_type = Enum<state::InternetChargeType>((*it)["InternetChargeType"]);
    }
  }
}

void ReadTerms(const Json& p, state::LaunchRequest& r) {
  if (auto it = p.find("ActionTimer"); it != p.end()) {
    r.action_timer = state::LaunchRequest::ActionTimer{OptionalString(*it, "ActionTime")};
  }
  if (p.contains("DisasterRecoverGroupIds"))
    r.disaster_recover_group_ids = Strings(p["DisasterRecoverGroupIds"]);
  if (auto it = p.find("TagSpecification"); it != p.end()) {
    for (const Json& spec : *it) {
      for (const Json& tag : spec["Tags"]) {
        r.tags.push_back(
            state::Tag{tag["Key"].get<std::string>(), tag["Value"].get<std::string>()});
      }
    }
  }
}

state::LaunchRequest ReadLaunchRequest(const Json& p) {
  state::LaunchRequest r;
  ReadPlacementAndBilling(p, r);
  r.instance_type = p["InstanceType"].get<std::string>();
  r.image_id = p["ImageId"].get<std::string>();
  ReadDisks(p, r);
  r.count = p["InstanceCount"].get<int64_t>();
  ReadNetwork(p, r);
  r.name = OptionalString(p, "InstanceName");
  r.host_name = OptionalString(p, "HostName");
  r.login = ReadLogin(p);
  if (p.contains("SecurityGroupIds")) r.security_group_ids = Strings(p["SecurityGroupIds"]);
  ReadServices(p, &r.security_service, &r.monitor_service);
  r.user_data = OptionalString(p, "UserData");
  ReadTerms(p, r);
  r.client_token = OptionalString(p, "ClientToken").value_or("");
  r.canonical_request = CanonicalRequest(p);
  return r;
}

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
      const state::ZoneInfo* z = ctx.services.catalog.FindZone(zone);
      if (!z || z->region != ctx.region) {
        return ApiError::Make(errors::kInvalidZoneMismatchRegion, "the zone filter",
                              "`" + zone + "` is not a zone of " + ctx.region);
      }
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
  state::ResetInstanceRequest r;
  r.instance_id = p["InstanceId"].get<std::string>();
  r.image_id = OptionalString(p, "ImageId");
  r.login = ReadLogin(p);
  if (auto it = p.find("SystemDisk"); it != p.end()) {
    if (it->contains("DiskType")) r.system_disk_type = Enum<state::DiskType>((*it)["DiskType"]);
    if (it->contains("DiskSize")) r.system_disk_size = (*it)["DiskSize"].get<int64_t>();
  }
  ReadServices(p, &r.security_service, &r.monitor_service);
  return state::PlanResetInstance(ctx.scope(), r, ctx.action_name());
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
