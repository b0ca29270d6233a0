#include "state/launch_service.h"

#include <nlohmann/json.hpp>
#include <set>

#include "state/catalog.h"
#include "state/client_token_store.h"
#include "state/host_service.h"
#include "state/image_lookup.h"
#include "state/instance_lifecycle.h"
#include "state/instance_rules.h"
#include "state/instance_store.h"
#include "state/placement_group_service.h"
#include "state/random.h"
#include "state/setting_values.h"

namespace cvm::state {
namespace {

constexpr const char* kAction = "RunInstances";

// GiB of local disk an instance takes from its host.
int64_t LocalDiskGb(const Instance& in) {
  int64_t gb = in.system_disk.is_cloud() ? 0 : in.system_disk.size_gb;
  for (const Disk& d : in.data_disks) gb += d.is_cloud() ? 0 : d.size_gb;
  return gb;
}

// A ClientToken seen before answers as the first call did (D-102), whatever
// has changed since (time, quota, images); the same token with other
// parameters is refused. An empty token is no token. An inquiry looks up
// RunInstances' tokens (it asks what RunInstances would do) but records none,
// and prices a replay as the purchase it stands for (D-160).
Status CheckClientToken(const Scope& scope, const LaunchRequest& request, LaunchChange& change) {
  change.client_token = request.client_token;
  change.canonical_request = request.canonical_request;
  if (request.client_token.empty()) return Status::Ok();
  auto seen = ClientTokenStore(scope.db).Find(scope.app_id(), scope.region, kAction,
                                              request.client_token, scope.now);
  if (!seen) return Status::Ok();
  if (seen->request != request.canonical_request) {
    return ApiError::Make(errors::kInvalidParameterValue, "ClientToken",
                          "the token was already used with other parameters");
  }
  if (request.inquiry) return Status::Ok();
  change.replay =
      nlohmann::json::parse(seen->response).at("InstanceIdSet").get<std::vector<std::string>>();
  return Status::Ok();
}

// Where, and how it is paid for: each charge type has the one member it
// needs (D-16).
Status PlanPlacementAndBilling(const Scope& scope, const LaunchRequest& r, Instance& in) {
  in.zone = r.zone;
  const ZoneInfo* zone = scope.catalog.FindZone(in.zone);
  if (!zone || zone->region != scope.region) {
    return ApiError::Make(errors::kInvalidZoneMismatchRegion, "Placement.Zone",
                          "`" + in.zone + "` is not a zone of " + scope.region);
  }
  in.project_id = r.project_id;
  if (in.project_id < 0) {
    return ApiError::Make(errors::kInvalidParameterValue, "Placement.ProjectId",
                          "project IDs are non-negative");
  }
  in.charge_type = r.charge_type;
  std::string charge_name(NameOf(r.charge_type));
  auto needs = [&](ChargeType charge, const char* member, bool given) -> Status {
    bool wanted = r.charge_type == charge;
    if (wanted && !given) return ApiError::Make(errors::kMissingParameter, member);
    if (!wanted && given) {
      return ApiError::Make(errors::kInvalidParameterCombination, member,
                            "InstanceChargeType " + charge_name);
    }
    return Status::Ok();
  };
  CVM_RETURN_IF_ERROR(needs(ChargeType::kPrepaid, "InstanceChargePrepaid", r.prepaid.has_value()));
  CVM_RETURN_IF_ERROR(needs(ChargeType::kSpotPaid, "InstanceMarketOptions", r.market_options));
  CVM_RETURN_IF_ERROR(needs(ChargeType::kCdhPaid, "Placement.HostIds", !r.host_ids.empty()));
  return Status::Ok();
}

// What it runs on: the type, sold in the zone. A CDHPAID instance's type
// is its CDH_<cpu>C<mem>G name (D-127), kept in `cdh`.
Result<const InstanceTypeInfo*> PlanInstanceType(const Scope& scope, const LaunchRequest& r,
                                                 Instance& in, std::optional<InstanceTypeInfo>& cdh) {
  in.instance_type = r.instance_type;
  if (r.charge_type == ChargeType::kCdhPaid) {
    cdh = CdhInstanceType(in.instance_type);
    if (!cdh) {
      return ApiError::Make(errors::kInvalidInstanceTypeMalformed, "InstanceType",
                            "CDHPAID instances take a CDH_<cpu>C<memory>G type");
    }
    in.cpu = cdh->cpu;
    in.memory = cdh->memory;
    return &*cdh;
  }
  if (!IsInstanceTypeShape(in.instance_type)) {
    return ApiError::Make(
        errors::kInvalidInstanceTypeMalformed, "InstanceType",
        "`" + in.instance_type + "` is not of the form FAMILY.SIZE, e.g. S1.SMALL1");
  }
  const InstanceTypeInfo* type = scope.catalog.FindInstanceType(in.instance_type);
  if (!type) {
    return ApiError::Make(errors::kInvalidParameterValue, "InstanceType",
                          "there is no instance type " + in.instance_type +
                              " (DescribeInstanceTypeConfigs lists them)");
  }
  if (!scope.catalog.ZoneSells(*scope.catalog.FindZone(in.zone), in.instance_type)) {
    return ApiError::Make(errors::kInvalidParameterValue, "InstanceType",
                          in.instance_type + " is not sold in " + in.zone);
  }
  in.cpu = type->cpu;
  in.memory = type->memory;
  return type;
}

// The system disk (CLOUD_BASIC 50 GB unless given) and the data disks; a
// size of 0 means no data disk.
Status PlanDisks(const LaunchRequest& r, const InstanceTypeInfo& type, Instance& in) {
  in.system_disk = Disk{DiskType::kCloudBasic, std::nullopt, 50, true};
  if (r.system_disk) {
    if (r.system_disk->disk_id_given) {
      return ApiError::Make(errors::kInvalidParameterValue, "SystemDisk.DiskId",
                            "disk IDs are assigned, not chosen");
    }
    if (r.system_disk->type) in.system_disk.type = *r.system_disk->type;
    if (r.system_disk->size_gb) in.system_disk.size_gb = *r.system_disk->size_gb;
  }
  CVM_RETURN_IF_ERROR(CheckSystemDisk(in.system_disk, type));
  for (size_t i = 0; i < r.data_disks.size(); ++i) {
    const LaunchRequest::DataDisk& d = r.data_disks[i];
    if (d.disk_id_given) {
      return ApiError::Make(errors::kInvalidParameterValue,
                            "DataDisks." + std::to_string(i) + ".DiskId",
                            "disk IDs are assigned, not chosen");
    }
    if (d.size_gb == 0) continue;
    Disk disk{d.type, std::nullopt, d.size_gb, d.delete_with_instance};
    if (!disk.is_cloud()) disk.delete_with_instance = true;
    in.data_disks.push_back(std::move(disk));
  }
  return CheckDataDisks(in.data_disks, type);
}

// The network: VPC, addresses asked for, bandwidth and public address.
Status PlanNetwork(const LaunchRequest& r, const InstanceTypeInfo& type, LaunchChange& change) {
  Instance& in = change.prototype;
  if (r.vpc) {
    in.vpc_id = r.vpc->vpc_id;
    in.subnet_id = r.vpc->subnet_id;
    in.as_vpc_gateway = r.vpc->as_vpc_gateway;
    if (r.vpc->private_ips) {
      change.private_ips = *r.vpc->private_ips;
      if (r.inquiry && r.count != 1) {  // the inquiry's own rule (D-160)
        return ApiError::Make(errors::kInvalidParameterCombination,
                              "VirtualPrivateCloud.PrivateIpAddresses",
                              "InstanceCount " + std::to_string(r.count) +
                                  " (an inquiry with private IPs prices one instance)");
      }
      if (static_cast<int64_t>(change.private_ips.size()) != r.count) {
        return ApiError::Make(errors::kInvalidParameterCombination,
                              "VirtualPrivateCloud.PrivateIpAddresses (" +
                                  std::to_string(change.private_ips.size()) + " addresses)",
                              "InstanceCount " + std::to_string(r.count));
      }
    }
  }
  in.bandwidth_out = r.bandwidth_out;
  if (in.bandwidth_out > type.max_bandwidth_out) {
    return ApiError::Make(
        errors::kInvalidParameterValueRange, "InternetAccessible.InternetMaxBandwidthOut",
        in.instance_type + " allows at most " + std::to_string(type.max_bandwidth_out) + " Mbps");
  }
  bool public_ip = r.public_ip_assigned.value_or(in.bandwidth_out > 0);
  if (public_ip && in.bandwidth_out == 0) {
    return ApiError::Make(errors::kInvalidParameterCombination,
                          "InternetAccessible.PublicIpAssigned=true",
                          "InternetAccessible.InternetMaxBandwidthOut=0");
  }
  bool prepaid = r.charge_type == ChargeType::kPrepaid;
  in.internet_charge_type = r.internet_charge_type.value_or(
      prepaid ? InternetChargeType::kBandwidthPrepaid : InternetChargeType::kTrafficPostpaidByHour);
  if (in.internet_charge_type == InternetChargeType::kBandwidthPrepaid && !prepaid) {
    return ApiError::Make(errors::kInvalidParameterCombination,
                          "InternetAccessible.InternetChargeType=BANDWIDTH_PREPAID",
                          "InstanceChargeType " + std::string(NameOf(r.charge_type)));
  }
  if (in.as_vpc_gateway && !public_ip) {
    return ApiError::Make(errors::kInvalidParameterCombination,
                          "VirtualPrivateCloud.AsVpcGateway=true",
                          "an instance without a public IP");
  }
  change.public_ip = public_ip;
  return Status::Ok();
}

// Names, host name, login and the settings that need no check.
Status PlanNamesAndLogin(const Scope& scope, const LaunchRequest& r, const LaunchImage& image,
                         LaunchChange& change) {
  Instance& in = change.prototype;
  CVM_ASSIGN_OR_RETURN(change.names, ExpandInstanceNames(r.name ? &*r.name : nullptr, r.count));
  if (r.host_name) {
    CVM_RETURN_IF_ERROR(CheckHostName(*r.host_name, in.windows));
    in.host_name = *r.host_name;
  }
  CVM_ASSIGN_OR_RETURN(Login login, PlanLogin(scope, r.login, image));
  in.key_ids = login.key_ids;
  in.keep_image_login = login.keep_image_login;
  in.security_group_ids = r.security_group_ids;
  in.security_service = r.security_service;
  in.monitor_service = r.monitor_service;
  in.user_data = r.user_data;
  return Status::Ok();
}

// The subscription, the ActionTimer, placement groups and tags.
Status PlanTerms(const Scope& scope, const LaunchRequest& r, LaunchChange& change) {
  Instance& in = change.prototype;
  if (r.prepaid) {
    change.period_months = r.prepaid->period_months;
    in.expired_at = AddMonths(scope.now, r.prepaid->period_months);
    in.renew_flag = r.prepaid->renew_flag;
  }
  if (r.action_timer) {
    if (!r.action_timer->action_time)
      return ApiError::Make(errors::kMissingParameter, "ActionTimer.ActionTime");
    TimeMs at;
    if (!ParseActionTime(*r.action_timer->action_time, &at)) {
      return ApiError::Make(errors::kInvalidParameterValue, "ActionTimer.ActionTime",
                            "it must be a time like 2018-5-29 11:26:40 (Beijing time)");
    }
    if (at <= scope.now + 5 * 60 * 1000) {
      return ApiError::Make(errors::kInvalidParameterValue, "ActionTimer.ActionTime",
                            "it must be more than 5 minutes after the current time");
    }
    change.terminate_at = at;
  }
  // At most one group (the schema's limit); its room is checked with the
  // capacity (PlanLaunchCapacity).
  if (!r.disaster_recover_group_ids.empty()) in.placement_group_id = r.disaster_recover_group_ids.front();
  std::set<std::string> keys;
  for (const Tag& tag : r.tags) {
    if (!keys.insert(tag.key).second) {
      return ApiError::Make(errors::kInvalidParameterValue, "TagSpecification",
                            "the tag key " + tag.key + " is given twice");
    }
  }
  in.tags = r.tags;
  return Status::Ok();
}

}  // namespace

Result<LaunchChange> PlanLaunch(const Scope& scope, const LaunchRequest& request) {
  LaunchChange change;
  CVM_RETURN_IF_ERROR(CheckClientToken(scope, request, change));
  if (change.replay) return change;
  Instance& in = change.prototype;
  in.app_id = scope.app_id();
  in.region = scope.region;
  CVM_RETURN_IF_ERROR(PlanPlacementAndBilling(scope, request, in));
  std::optional<InstanceTypeInfo> cdh_type;
  CVM_ASSIGN_OR_RETURN(const InstanceTypeInfo* type, PlanInstanceType(scope, request, in, cdh_type));
  CVM_ASSIGN_OR_RETURN(LaunchImage image,
                       FindLaunchImage(scope.catalog, scope.db, scope.app_id(), scope.region,
                                       request.image_id, scope.now));
  InstallImage(in, image);
  CVM_RETURN_IF_ERROR(PlanDisks(request, *type, in));
  CVM_RETURN_IF_ERROR(PlanNetwork(request, *type, change));
  CVM_RETURN_IF_ERROR(PlanNamesAndLogin(scope, request, image, change));
  CVM_RETURN_IF_ERROR(PlanTerms(scope, request, change));
  change.requested_host_ids = request.host_ids;
  CVM_RETURN_IF_ERROR(PlanLaunchCapacity(scope, change));
  return change;
}

Status PlanLaunchCapacity(const Scope& scope, LaunchChange& change) {
  const Instance& proto = change.prototype;
  InstanceStore store(scope.db);
  int64_t count = change.count();
  int64_t used = store.Count(proto.app_id, proto.region);
  int64_t quota = scope.settings.quotas(proto.app_id).instances;
  if (used + count > quota) {
    return ApiError::Make(errors::kInstancesQuotaLimitExceeded, count, quota, proto.region, used);
  }
  if (proto.charge_type == ChargeType::kCdhPaid) {
    CVM_ASSIGN_OR_RETURN(change.host_ids,
                         PlanHostPlacement(scope, change.requested_host_ids, proto.zone, proto.cpu,
                                           proto.memory, LocalDiskGb(proto), count));
  }
  if (proto.placement_group_id) {
    CVM_RETURN_IF_ERROR(CheckGroupRoom(scope, *proto.placement_group_id, count));
  }
  if (!proto.vpc_id) return Status::Ok();
  Network network(scope.db, store, scope.random);
  SubnetRecord subnet;
  CVM_ASSIGN_OR_RETURN(change.private_ips,
                       network.PlanPrivateIps(proto.app_id, proto.region, *proto.vpc_id,
                                              proto.subnet_id.value_or(""), change.private_ips,
                                              change.names.size(), &subnet));
  change.subnet = subnet;
  return Status::Ok();
}

std::vector<std::string> ApplyLaunch(const Scope& scope, const LaunchChange& change) {
  if (change.replay) return *change.replay;
  InstanceStore store(scope.db);
  Network network(scope.db, store, scope.random);
  if (change.subnet)
    network.SaveSubnet(change.prototype.app_id, change.prototype.region, *change.subnet);
  Durations durations = scope.settings.durations();
  double failure = scope.settings.launch_failure_probability();
  int64_t first_rowid = store.NextRowId();
  std::vector<std::string> ids;
  for (size_t i = 0; i < change.names.size(); ++i) {
    Instance in = change.prototype;
    in.rowid = first_rowid + static_cast<int64_t>(i);
    in.instance_id =
        scope.random.FreshId("ins-", [&](const std::string& id) { return store.IdExists(id); });
    in.name = change.names[i];
    if (!change.host_ids.empty()) in.host_id = change.host_ids[i];
    in.private_ip = change.prototype.vpc_id ? change.private_ips[i] : ClassicAddress(in.rowid);
    if (change.public_ip) in.public_ip = network.PublicIp();
    if (in.system_disk.is_cloud()) in.system_disk.disk_id = scope.random.Id("disk-");
    for (Disk& d : in.data_disks) {
      if (d.is_cloud()) d.disk_id = scope.random.Id("disk-");
    }
    bool fails = failure > 0 && static_cast<double>(scope.random.Below(1'000'000)) / 1e6 < failure;
    in.created_at = scope.now;
    in.lifecycle = LaunchLifecycle(scope.now, durations, fails);
    if (change.terminate_at) {
      // The scheduled termination does what TerminateInstances does (D-108):
      // a PREPAID instance is shut down and stays listed.
      in.lifecycle.timer_at = *change.terminate_at;
      if (in.charge_type != ChargeType::kPrepaid)
        in.lifecycle.gone_at = *change.terminate_at + durations.terminating;
    }
    store.Insert(in);
    ids.push_back(in.instance_id);
  }
  if (!change.client_token.empty()) {
    ClientTokenStore(scope.db).Put(
        scope.app_id(), scope.region, kAction, change.client_token,
        {change.canonical_request, nlohmann::json{{"InstanceIdSet", ids}}.dump()}, scope.now);
  }
  return ids;
}

}  // namespace cvm::state
