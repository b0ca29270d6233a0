// The instance lifecycle: RunInstances, DescribeInstances,
// DescribeInstancesStatus, Start/Stop/Reboot/TerminateInstances,
// ResetInstance, ResetInstancesPassword, ModifyInstancesAttribute,
// ModifyInstancesProject, DescribeInstanceVncUrl.
#include <algorithm>
#include <set>

#include "handlers/instance_views.h"
#include "handlers/params.h"
#include "handlers/registry.h"
#include "schema/spec.h"
#include "state/client_token_store.h"
#include "state/image_lookup.h"
#include "state/instance_rules.h"
#include "state/instance_service.h"
#include "state/instance_store.h"
#include "state/key_pair_store.h"
#include "state/settings.h"
#include "state/unit_of_work.h"

namespace cvm::handlers {
namespace {

using state::Instance;
using state::Operation;




using ImageChoice = state::LaunchImage;

Result<ImageChoice> FindImage(RequestContext& ctx, const std::string& image_id, state::TimeMs now) {
  return state::FindLaunchImage(ctx.services.catalog, ctx.services.db, ctx.account.app_id,
                                ctx.region, image_id, now);
}

// What an instance reports about the image it was installed from (at purchase and reinstall).
void InstallImage(Instance& in, const ImageChoice& image) {
  in.image_id = image.image_id;
  in.os_name = image.os_name;
  in.windows = image.windows;
  in.image_platform = image.platform;
  in.image_architecture = image.architecture;
  in.image_size_gb = image.size_gb;
  in.image_cloud_init = image.cloud_init;
}

// LoginSettings at purchase and reinstall (S-LOGIN-1..5).
struct Login {
  std::optional<std::string> password;
  std::vector<std::string> key_ids;
  bool keep_image_login = false;
};

Result<Login> ReadLogin(RequestContext& ctx, const Json& p, const ImageChoice& image) {
  Login login;
  auto it = p.find("LoginSettings");
  if (it == p.end()) return login;
  const Json& ls = *it;
  if (const std::string* pw = OptString(ls, "Password")) login.password = *pw;
  if (ls.contains("KeyIds")) login.key_ids = Strings(ls["KeyIds"]);
  login.keep_image_login = Flag(ls, "KeepImageLogin");
  int given = login.password.has_value() + !login.key_ids.empty() + login.keep_image_login;
  if (given > 1) {
    return ApiError::Make(errors::kInvalidParameterCombination,
                          "LoginSettings.Password, LoginSettings.KeyIds",
                          "LoginSettings.KeepImageLogin=TRUE (give one of them)");
  }
  if (login.password) {
    CVM_RETURN_IF_ERROR(state::CheckLoginPassword(*login.password, image.windows,
                                                  "LoginSettings.Password"));
  }
  if (!login.key_ids.empty()) {
    if (image.windows) return ApiError::Make(errors::kKeyPairUnsupportedWindows, image.image_id);
    if (login.key_ids.size() > 1) {
      return ApiError::Make(errors::kInvalidParameterValue, "LoginSettings.KeyIds",
                            "only one key pair can be given when creating or reinstalling");
    }
    // The key must be one of the caller's in this region (DECISIONS "Identifiers").
    std::vector<std::string> missing = state::KeyPairStore(ctx.services.db)
                                           .MissingKeys(ctx.account.app_id, ctx.region, login.key_ids);
    if (!missing.empty()) return ApiError::Make(errors::kInvalidKeyPairIdNotFound, missing.front());
  }
  if (login.keep_image_login && !image.custom) {
    return ApiError::Make(errors::kInvalidParameterCombination, "LoginSettings.KeepImageLogin=TRUE",
                          "a public image (it needs a custom, shared or imported image)");
  }
  return login;
}

// ---------------------------------------------------------------------------
// RunInstances

// The parameters a ClientToken is bound to: everything but the token.
Json CanonicalRequest(const Json& p) {
  Json copy = p;
  copy.erase("ClientToken");
  return copy;
}

HandlerResult RunInstances(RequestContext& ctx, const Json& p) {
  const state::Catalog& catalog = ctx.services.catalog;
  state::TimeMs now = ctx.now();
  state::UnitOfWork work(ctx.services.db, now);

  // A ClientToken seen before answers as the first call did (DECISIONS Q-02),
  // whatever has changed since (time, quota, images). An empty token is no
  // token: nothing can be told apart by it (G-25).
  state::ClientTokenStore tokens(ctx.services.db);
  const std::string* token = OptString(p, "ClientToken");
  if (token && token->empty()) token = nullptr;
  std::string request = CanonicalRequest(p).dump();
  if (token) {
    if (auto seen = tokens.Find(ctx.account.app_id, ctx.region, ctx.action.name, *token, now)) {
      if (seen->request != request) {
        return ApiError::Make(errors::kInvalidParameterValue, "ClientToken",
                              "the token was already used with other parameters");
      }
      return Json::parse(seen->response);
    }
  }
  state::LaunchPlan plan;
  Instance& in = plan.prototype;
  in.app_id = ctx.account.app_id;
  in.region = ctx.region;

  // Where.
  const Json& placement = p["Placement"];
  in.zone = placement["Zone"].get<std::string>();
  const state::ZoneInfo* zone = catalog.FindZone(in.zone);
  if (!zone || zone->region != ctx.region) {
    return ApiError::Make(errors::kInvalidZoneMismatchRegion, "Placement.Zone",
                          "`" + in.zone + "` is not a zone of " + ctx.region);
  }
  in.project_id = placement["ProjectId"].get<int64_t>();
  if (in.project_id < 0) {
    return ApiError::Make(errors::kInvalidParameterValue, "Placement.ProjectId",
                          "project IDs are non-negative");
  }

  // How it is paid for: each charge type has the one member it needs (D-16).
  in.charge_type = p["InstanceChargeType"].get<std::string>();
  auto needs = [&](const char* charge, const char* member, bool given) -> Status {
    bool wanted = in.charge_type == charge;
    if (wanted && !given) return ApiError::Make(errors::kMissingParameter, member);
    if (!wanted && given) {
      return ApiError::Make(errors::kInvalidParameterCombination, member,
                            "InstanceChargeType " + in.charge_type);
    }
    return Status::Ok();
  };
  bool prepaid = in.charge_type == "PREPAID";
  bool cdh = in.charge_type == "CDHPAID";
  CVM_RETURN_IF_ERROR(needs("PREPAID", "InstanceChargePrepaid", p.contains("InstanceChargePrepaid")));
  CVM_RETURN_IF_ERROR(needs("SPOTPAID", "InstanceMarketOptions", p.contains("InstanceMarketOptions")));
  CVM_RETURN_IF_ERROR(needs("CDHPAID", "Placement.HostIds",
                            placement.contains("HostIds") && !placement["HostIds"].empty()));

  // What it runs on.
  in.instance_type = p["InstanceType"].get<std::string>();
  const state::InstanceTypeInfo* type = nullptr;
  if (cdh) {
    if (!state::IsCdhTypeShape(in.instance_type)) {
      return ApiError::Make(errors::kInvalidInstanceTypeMalformed, "InstanceType",
                            "CDHPAID instances take a CDH_<cpu>C<memory>G type");
    }
    // Dedicated hosts cannot be allocated in this emulator yet, so no host
    // can belong to the caller.
    return ApiError::Make(errors::kInvalidHostIdNotFound, placement["HostIds"][0].get<std::string>());
  }
  if (!state::IsInstanceTypeShape(in.instance_type)) {
    return ApiError::Make(errors::kInvalidInstanceTypeMalformed, "InstanceType",
                          "`" + in.instance_type + "` is not of the form FAMILY.SIZE, e.g. S1.SMALL1");
  }
  type = catalog.FindInstanceType(in.instance_type);
  if (!type) {
    return ApiError::Make(errors::kInvalidParameterValue, "InstanceType",
                          "there is no instance type " + in.instance_type +
                              " (DescribeInstanceTypeConfigs lists them)");
  }
  if (!catalog.ZoneSells(*zone, in.instance_type)) {
    return ApiError::Make(errors::kInvalidParameterValue, "InstanceType",
                          in.instance_type + " is not sold in " + in.zone);
  }
  in.cpu = type->cpu;
  in.memory = type->memory;

  CVM_ASSIGN_OR_RETURN(ImageChoice image, FindImage(ctx, p["ImageId"].get<std::string>(), now));
  InstallImage(in, image);

  // Disks.
  in.system_disk = state::Disk{"CLOUD_BASIC", std::nullopt, 50, true};
  if (auto it = p.find("SystemDisk"); it != p.end()) {
    if (it->contains("DiskId")) {
      return ApiError::Make(errors::kInvalidParameterValue, "SystemDisk.DiskId",
                            "disk IDs are assigned, not chosen");
    }
    if (it->contains("DiskType")) in.system_disk.type = (*it)["DiskType"].get<std::string>();
    if (it->contains("DiskSize")) in.system_disk.size_gb = (*it)["DiskSize"].get<int64_t>();
  }
  CVM_RETURN_IF_ERROR(state::CheckSystemDisk(in.system_disk, *type));
  if (auto it = p.find("DataDisks"); it != p.end()) {
    for (size_t i = 0; i < it->size(); ++i) {
      const Json& d = (*it)[i];
      if (d.contains("DiskId")) {
        return ApiError::Make(errors::kInvalidParameterValue,
                              "DataDisks." + std::to_string(i) + ".DiskId",
                              "disk IDs are assigned, not chosen");
      }
      int64_t size = d["DiskSize"].get<int64_t>();
      if (size == 0) continue;  // a size of 0 means no data disk (S-DISK-1)
      state::Disk disk{d["DiskType"].get<std::string>(), std::nullopt, size,
                       d["DeleteWithInstance"].get<bool>()};
      if (!disk.is_cloud()) disk.delete_with_instance = true;
      in.data_disks.push_back(std::move(disk));
    }
  }
  CVM_RETURN_IF_ERROR(state::CheckDataDisks(in.data_disks, *type));

  // Network.
  int64_t count = p["InstanceCount"].get<int64_t>();
  if (auto it = p.find("VirtualPrivateCloud"); it != p.end()) {
    in.vpc_id = (*it)["VpcId"].get<std::string>();
    in.subnet_id = (*it)["SubnetId"].get<std::string>();
    in.as_vpc_gateway = (*it)["AsVpcGateway"].get<bool>();
    if (it->contains("PrivateIpAddresses")) {
      plan.private_ips = Strings((*it)["PrivateIpAddresses"]);
      if (static_cast<int64_t>(plan.private_ips.size()) != count) {
        return ApiError::Make(errors::kInvalidParameterCombination,
                              "VirtualPrivateCloud.PrivateIpAddresses (" +
                                  std::to_string(plan.private_ips.size()) + " addresses)",
                              "InstanceCount " + std::to_string(count));
      }
    }
  }
  const Json internet = p.value("InternetAccessible", Json::object());
  in.bandwidth_out = internet.value("InternetMaxBandwidthOut", int64_t{0});
  if (in.bandwidth_out > type->max_bandwidth_out) {
    return ApiError::Make(errors::kInvalidParameterValueRange,
                          "InternetAccessible.InternetMaxBandwidthOut",
                          in.instance_type + " allows at most " +
                              std::to_string(type->max_bandwidth_out) + " Mbps");
  }
  bool public_ip = internet.value("PublicIpAssigned", in.bandwidth_out > 0);
  if (public_ip && in.bandwidth_out == 0) {
    return ApiError::Make(errors::kInvalidParameterCombination,
                          "InternetAccessible.PublicIpAssigned=true",
                          "InternetAccessible.InternetMaxBandwidthOut=0");
  }
  in.internet_charge_type = internet.contains("InternetChargeType")
                                ? internet["InternetChargeType"].get<std::string>()
                                : (prepaid ? "BANDWIDTH_PREPAID" : "TRAFFIC_POSTPAID_BY_HOUR");
  if (*in.internet_charge_type == "BANDWIDTH_PREPAID" && !prepaid) {
    return ApiError::Make(errors::kInvalidParameterCombination,
                          "InternetAccessible.InternetChargeType=BANDWIDTH_PREPAID",
                          "InstanceChargeType " + in.charge_type);
  }
  if (in.as_vpc_gateway && !public_ip) {
    return ApiError::Make(errors::kInvalidParameterCombination,
                          "VirtualPrivateCloud.AsVpcGateway=true", "an instance without a public IP");
  }
  plan.public_ip = public_ip;

  // Names and logins.
  CVM_ASSIGN_OR_RETURN(plan.names, state::ExpandInstanceNames(OptString(p, "InstanceName"), count));
  if (const std::string* host = OptString(p, "HostName")) {
    CVM_RETURN_IF_ERROR(state::CheckHostName(*host, in.windows));
    in.host_name = *host;
  }
  CVM_ASSIGN_OR_RETURN(Login login, ReadLogin(ctx, p, image));
  in.key_ids = login.key_ids;
  in.keep_image_login = login.keep_image_login;
  if (p.contains("SecurityGroupIds")) in.security_group_ids = Strings(p["SecurityGroupIds"]);
  if (auto it = p.find("EnhancedService"); it != p.end()) {
    in.security_service = it->value("SecurityService", Json::object()).value("Enabled", true);
    in.monitor_service = it->value("MonitorService", Json::object()).value("Enabled", true);
  }
  if (const std::string* data = OptString(p, "UserData")) in.user_data = *data;

  // Billing.
  if (prepaid) {
    const Json& charge = p["InstanceChargePrepaid"];
    in.expired_at = state::AddMonths(now, charge["Period"].get<int64_t>());
    in.renew_flag = charge["RenewFlag"].get<std::string>();
  }

  // Scheduled termination.
  if (auto it = p.find("ActionTimer"); it != p.end()) {
    const std::string* time = OptString(*it, "ActionTime");
    if (!time) return ApiError::Make(errors::kMissingParameter, "ActionTimer.ActionTime");
    state::TimeMs at;
    if (!state::ParseActionTime(*time, &at)) {
      return ApiError::Make(errors::kInvalidParameterValue, "ActionTimer.ActionTime",
                            "it must be a time like 2018-5-29 11:26:40 (Beijing time)");
    }
    if (at <= now + 5 * 60 * 1000) {
      return ApiError::Make(errors::kInvalidParameterValue, "ActionTimer.ActionTime",
                            "it must be more than 5 minutes after the current time");
    }
    plan.terminate_at = at;
  }
  if (p.contains("DisasterRecoverGroupIds") && !p["DisasterRecoverGroupIds"].empty()) {
    // Placement groups cannot be created in this emulator yet.
    return ApiError::Make(errors::kResourceNotFoundInvalidPlacementSet,
                          p["DisasterRecoverGroupIds"][0].get<std::string>());
  }
  if (auto it = p.find("TagSpecification"); it != p.end()) {
    std::set<std::string> keys;
    for (const Json& spec : *it) {
      for (const Json& tag : spec["Tags"]) {
        std::string key = tag["Key"].get<std::string>();
        if (!keys.insert(key).second) {
          return ApiError::Make(errors::kInvalidParameterValue, "TagSpecification",
                                "the tag key " + key + " is given twice");
        }
        in.tags.push_back(state::Tag{key, tag["Value"].get<std::string>()});
      }
    }
  }

  // Everything checked: create.
  CVM_ASSIGN_OR_RETURN(std::vector<std::string> ids,
                       state::LaunchInstances(ctx.services.db, ctx.services.random,
                                              ctx.services.settings, plan, now));
  Json response = {{"InstanceIdSet", ids}};
  if (token) tokens.Put(in.app_id, ctx.region, ctx.action.name, *token, {request, response.dump()}, now);
  work.Commit();
  return response;
}

// ---------------------------------------------------------------------------
// Reads

// Filter values that must name something of this region (DIN-6).
Status CheckFilterValues(RequestContext& ctx, const std::vector<state::InstanceCondition>& conditions) {
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
  state::UnitOfWork work(ctx.services.db, now);
  state::InstancePage page =
      state::InstanceStore(ctx.services.db).List(ctx.account.app_id, ctx.region, query, now);
  work.Commit();
  // The page is written out later, off the database worker.
  return Output::Deferred([page = std::move(page), now] {
    JsonWriter out;
    out.Field("TotalCount", page.total).Key("InstanceSet").BeginArray();
    for (const Instance& in : page.items) WriteInstance(out, in, now);
    out.EndArray();
    return out.Take();
  });
}

HandlerResult DescribeInstancesStatus(RequestContext& ctx, const Json& p) {
  state::InstanceQuery query = ReadQuery(p);
  state::TimeMs now = ctx.now();
  state::UnitOfWork work(ctx.services.db, now);
  state::InstancePage page =
      state::InstanceStore(ctx.services.db).List(ctx.account.app_id, ctx.region, query, now);
  work.Commit();
  Json set = Json::array();
  for (const Instance& in : page.items) {
    set.push_back({{"InstanceId", in.instance_id}, {"InstanceState", state::StateName(in.Observe(now))}});
  }
  return Json{{"TotalCount", page.total}, {"InstanceStatusSet", std::move(set)}};
}

HandlerResult DescribeInstanceVncUrl(RequestContext& ctx, const Json& p) {
  state::TimeMs now = ctx.now();
  std::string id = p["InstanceId"].get<std::string>();
  state::UnitOfWork work(ctx.services.db, now);
  CVM_ASSIGN_OR_RETURN(std::vector<Instance> found,
                       state::LoadInstances(ctx.services.db, ctx.account.app_id, ctx.region, {id}, now));
  const Instance& in = found.front();
  CVM_RETURN_IF_ERROR(state::CheckOperation(Operation::kVnc, in, in.Observe(now), false, ctx.action.name));
  // A fresh one-time URL on every call (VNC-2, VNC-3).
  std::string token = ctx.services.random.Id("", 32);
  return Json{{"InstanceVncUrl", "wss://bjvnc.qcloud.com:26789/vnc?s=" + token}};
}

// ---------------------------------------------------------------------------
// State changes of a batch

template <Operation op>
HandlerResult Transition(RequestContext& ctx, const Json& p) {
  bool force = p.value("ForceStop", false);
  state::TimeMs now = ctx.now();
  state::UnitOfWork work(ctx.services.db, now);
  CVM_RETURN_IF_ERROR(state::TransitionInstances(ctx.services.db, ctx.services.settings,
                                                 ctx.account.app_id, ctx.region,
                                                 Strings(p["InstanceIds"]), op, force,
                                                 ctx.action.name, now)
                          .status());
  work.Commit();
  return Json::object();
}

HandlerResult ResetInstancesPassword(RequestContext& ctx, const Json& p) {
  state::TimeMs now = ctx.now();
  std::vector<std::string> ids = Strings(p["InstanceIds"]);
  std::string password = p["Password"].get<std::string>();
  // A parameter check before the lookups: what fails the Linux rule fails the
  // Windows one too.
  CVM_RETURN_IF_ERROR(state::CheckResetPassword(password, false, "Password"));
  state::UnitOfWork work(ctx.services.db, now);
  CVM_ASSIGN_OR_RETURN(std::vector<Instance> instances,
                       state::LoadInstances(ctx.services.db, ctx.account.app_id, ctx.region, ids, now));
  // A batch that mixes Linux and Windows follows the Windows rule (RIP-3).
  bool windows = std::any_of(instances.begin(), instances.end(), [](const Instance& i) { return i.windows; });
  CVM_RETURN_IF_ERROR(state::CheckResetPassword(password, windows, "Password"));
  CVM_RETURN_IF_ERROR(state::TransitionInstances(ctx.services.db, ctx.services.settings,
                                                 ctx.account.app_id, ctx.region, ids,
                                                 Operation::kStopChangeStart,
                                                 p["ForceStop"].get<bool>(), ctx.action.name, now)
                          .status());
  work.Commit();
  return Json::object();
}

HandlerResult ResetInstance(RequestContext& ctx, const Json& p) {
  state::TimeMs now = ctx.now();
  std::string id = p["InstanceId"].get<std::string>();
  state::UnitOfWork work(ctx.services.db, now);
  CVM_ASSIGN_OR_RETURN(std::vector<Instance> found,
                       state::LoadInstances(ctx.services.db, ctx.account.app_id, ctx.region, {id}, now));
  Instance in = std::move(found.front());
  // Lookups and parameter rules first, then the instance's state.
  const std::string* image_id = OptString(p, "ImageId");
  CVM_ASSIGN_OR_RETURN(ImageChoice image, FindImage(ctx, image_id ? *image_id : in.image_id, now));
  CVM_ASSIGN_OR_RETURN(Login login, ReadLogin(ctx, p, image));
  bool switches_os = image.windows != in.windows;
  if (switches_os) {
    // RST-3: only with a cloud system disk, and not in overseas regions.
    if (!in.system_disk.is_cloud()) {
      return ApiError::Make(errors::kInvalidInstanceNotSupported, in.instance_id,
                            "switching between Linux and Windows needs a cloud system disk");
    }
    const state::RegionInfo* region = ctx.services.catalog.FindRegion(ctx.region);
    if (region && region->overseas) {
      return ApiError::Make(errors::kInvalidInstanceNotSupported, in.instance_id,
                            "switching between Linux and Windows is not offered in " + ctx.region);
    }
  }
  if (auto it = p.find("SystemDisk"); it != p.end()) {
    if (it->contains("DiskType") && (*it)["DiskType"].get<std::string>() != in.system_disk.type) {
      return ApiError::Make(errors::kInvalidParameterValue, "SystemDisk.DiskType",
                            "the system disk's type cannot change (it is " + in.system_disk.type + ")");
    }
    if (it->contains("DiskSize")) {
      int64_t size = (*it)["DiskSize"].get<int64_t>();
      if (size < in.system_disk.size_gb) {
        return ApiError::Make(errors::kInvalidParameterValue, "SystemDisk.DiskSize",
                              "the system disk can only grow (it has " +
                                  std::to_string(in.system_disk.size_gb) + " GB)");
      }
      state::Disk grown = in.system_disk;
      grown.size_gb = size;
      const state::InstanceTypeInfo* type = ctx.services.catalog.FindInstanceType(in.instance_type);
      if (type) CVM_RETURN_IF_ERROR(state::CheckSystemDisk(grown, *type));
      in.system_disk = grown;
    }
  }
  state::InstanceState observed = in.Observe(now);
  CVM_RETURN_IF_ERROR(state::CheckNotImaging(ctx.services.db, Operation::kReset, in, now));
  CVM_RETURN_IF_ERROR(state::CheckOperation(Operation::kReset, in, observed, false, ctx.action.name));
  // Switching operating system replaces the system disk (RST-3).
  if (switches_os) in.system_disk.disk_id = ctx.services.random.Id("disk-");
  if (image.windows) in.host_name.reset();
  InstallImage(in, image);
  in.key_ids = login.key_ids;
  in.keep_image_login = login.keep_image_login;
  if (auto it = p.find("EnhancedService"); it != p.end()) {
    in.security_service = it->value("SecurityService", Json::object()).value("Enabled", true);
    in.monitor_service = it->value("MonitorService", Json::object()).value("Enabled", true);
  } else {
    in.security_service = in.monitor_service = true;
  }
  in.lifecycle = state::ApplyOperation(Operation::kReset, in, observed, now,
                                       ctx.services.settings.durations());
  state::InstanceStore(ctx.services.db).Update(in);
  work.Commit();
  return Json::object();
}

// Applies `change` to every instance of InstanceIds, or to none: all must
// exist and allow modification (not TERMINATING).
template <typename Change>
HandlerResult ModifyInstances(RequestContext& ctx, const Json& p, Change change) {
  state::TimeMs now = ctx.now();
  state::UnitOfWork work(ctx.services.db, now);
  CVM_ASSIGN_OR_RETURN(std::vector<Instance> instances,
                       state::LoadInstances(ctx.services.db, ctx.account.app_id, ctx.region,
                                            Strings(p["InstanceIds"]), now));
  for (const Instance& in : instances) {
    CVM_RETURN_IF_ERROR(state::CheckOperation(Operation::kModify, in, in.Observe(now), false, ctx.action.name));
  }
  state::InstanceStore store(ctx.services.db);
  for (Instance& in : instances) {
    change(in);
    store.Update(in);
  }
  work.Commit();
  return Json::object();
}

HandlerResult ModifyInstancesAttribute(RequestContext& ctx, const Json& p) {
  const std::string* name = OptString(p, "InstanceName");
  bool groups = p.contains("SecurityGroups");
  if (!name && !groups) {
    return ApiError::Make(errors::kMissingParameterAtLeastOne, "InstanceName, SecurityGroups");
  }
  return ModifyInstances(ctx, p, [&](Instance& in) {
    if (name) in.name = *name;
    if (groups) in.security_group_ids = Strings(p["SecurityGroups"]);
  });
}

HandlerResult ModifyInstancesProject(RequestContext& ctx, const Json& p) {
  int64_t project = p["ProjectId"].get<int64_t>();
  if (project < 0) {
    return ApiError::Make(errors::kInvalidParameterValue, "ProjectId", "project IDs are non-negative");
  }
  return ModifyInstances(ctx, p, [&](Instance& in) {
    in.project_id = project;
    // Moving an instance to another project unbinds its security groups (MIP-2).
    in.security_group_ids.clear();
  });
}

}  // namespace

void RegisterInstanceHandlers(Registry& registry) {
  registry.Add("RunInstances", RunInstances);
  registry.Add("DescribeInstances", DescribeInstances);
  registry.Add("DescribeInstancesStatus", DescribeInstancesStatus);
  registry.Add("StartInstances", Transition<Operation::kStart>);
  registry.Add("StopInstances", Transition<Operation::kStop>);
  registry.Add("RebootInstances", Transition<Operation::kReboot>);
  registry.Add("TerminateInstances", Transition<Operation::kTerminate>);
  registry.Add("ResetInstance", ResetInstance);
  registry.Add("ResetInstancesPassword", ResetInstancesPassword);
  registry.Add("ModifyInstancesAttribute", ModifyInstancesAttribute);
  registry.Add("ModifyInstancesProject", ModifyInstancesProject);
  registry.Add("DescribeInstanceVncUrl", DescribeInstanceVncUrl);
}

}  // namespace cvm::handlers
