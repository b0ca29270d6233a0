#include "handlers/instance_views.h"

#include "state/clock.h"

namespace cvm::handlers {
namespace {

using nlohmann::json;

template <typename T>
json OrNull(const std::optional<T>& v) {
  return v ? json(*v) : json(nullptr);
}

json Iso(std::optional<state::TimeMs> ms) {
  return ms ? json(state::FormatIso8601(*ms / 1000)) : json(nullptr);
}

}  // namespace

json InstanceView(const state::Instance& in, state::TimeMs now) {
  json data_disks = json::array();
  for (const state::Disk& d : in.data_disks) {
    data_disks.push_back({{"DiskSize", d.size_gb},
                          {"DiskType", d.type},
                          {"DiskId", OrNull(d.disk_id)},
                          {"DeleteWithInstance", d.delete_with_instance}});
  }
  json tags = json::array();
  for (const state::Tag& t : in.tags) tags.push_back({{"Key", t.key}, {"Value", t.value}});
  json public_ips = in.public_ip ? json::array({*in.public_ip}) : json::array();
  json vpc = nullptr;
  if (in.vpc_id) {
    vpc = {{"VpcId", *in.vpc_id},
           {"SubnetId", OrNull(in.subnet_id)},
           {"AsVpcGateway", in.as_vpc_gateway},
           {"PrivateIpAddresses", json::array({in.private_ip})}};
  }
  return {
      {"Placement",
       {{"Zone", in.zone},
        {"ProjectId", in.project_id},
        {"HostIds", in.host_id ? json::array({*in.host_id}) : json(nullptr)}}},
      {"InstanceId", in.instance_id},
      {"InstanceType", in.instance_type},
      {"CPU", in.cpu},
      {"Memory", in.memory},
      {"RestrictState", in.restrict_state},
      {"InstanceName", in.name},
      {"InstanceChargeType", in.charge_type},
      {"SystemDisk",
       {{"DiskType", in.system_disk.type},
        {"DiskId", OrNull(in.system_disk.disk_id)},
        {"DiskSize", in.system_disk.size_gb}}},
      {"DataDisks", std::move(data_disks)},
      {"PrivateIpAddresses", json::array({in.private_ip})},
      {"PublicIpAddresses", std::move(public_ips)},
      {"InternetAccessible",
       {{"InternetChargeType", OrNull(in.internet_charge_type)},
        {"InternetMaxBandwidthOut", in.bandwidth_out},
        {"PublicIpAssigned", in.public_ip.has_value()}}},
      {"VirtualPrivateCloud", std::move(vpc)},
      {"ImageId", in.image_id},
      {"RenewFlag", OrNull(in.renew_flag)},
      {"CreatedTime", Iso(in.created_at)},
      {"ExpiredTime", Iso(in.expired_at)},
      {"OsName", in.os_name},
      {"SecurityGroupIds", in.security_group_ids},
      {"LoginSettings",
       {{"Password", nullptr},
        {"KeyIds", in.key_ids},
        {"KeepImageLogin", in.keep_image_login ? "TRUE" : "FALSE"}}},
      {"InstanceState", state::StateName(in.Observe(now))},
      {"Tags", std::move(tags)},
  };
}

}  // namespace cvm::handlers
