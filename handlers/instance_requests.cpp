#include "handlers/instance_requests.h"

#include "handlers/params.h"

namespace cvm::handlers {
namespace {

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
    // Assigned rather than emplace()d: clang 14 cannot default-construct a
    // nested aggregate with member initializers inside std::optional.
    r.system_disk = state::LaunchRequest::SystemDisk{};
    state::LaunchRequest::SystemDisk& disk = *r.system_disk;
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
    r.vpc = state::LaunchRequest::Vpc{};  // not emplace(): see ReadDisks
    state::LaunchRequest::Vpc& vpc = *r.vpc;
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

void ReadTimerGroupsAndTags(const Json& p, state::LaunchRequest& r) {
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

}  // namespace

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
  ReadTimerGroupsAndTags(p, r);
  r.client_token = OptionalString(p, "ClientToken").value_or("");
  r.canonical_request = CanonicalRequest(p);
  return r;
}

state::ResetInstanceRequest ReadResetInstanceRequest(const Json& p) {
  state::ResetInstanceRequest r;
  r.instance_id = p["InstanceId"].get<std::string>();
  r.image_id = OptionalString(p, "ImageId");
  r.login = ReadLogin(p);
  if (auto it = p.find("SystemDisk"); it != p.end()) {
    if (it->contains("DiskType")) r.system_disk_type = Enum<state::DiskType>((*it)["DiskType"]);
    if (it->contains("DiskSize")) r.system_disk_size = (*it)["DiskSize"].get<int64_t>();
  }
  ReadServices(p, &r.security_service, &r.monitor_service);
  return r;
}

state::ResetInstancesTypeRequest ReadResetInstancesTypeRequest(const Json& p) {
  return state::ResetInstancesTypeRequest{Strings(p["InstanceIds"]), p["InstanceType"].get<std::string>(),
                                          p["ForceStop"].get<bool>()};
}

state::ResizeInstanceDisksRequest ReadResizeInstanceDisksRequest(const Json& p) {
  state::ResizeInstanceDisksRequest r;
  r.instance_id = p["InstanceId"].get<std::string>();
  for (const Json& d : p["DataDisks"]) {
    r.data_disks.push_back({OptionalString(d, "DiskId"), d["DiskSize"].get<int64_t>()});
  }
  r.force_stop = p["ForceStop"].get<bool>();
  return r;
}

}  // namespace cvm::handlers
