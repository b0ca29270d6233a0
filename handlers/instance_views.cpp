#include "handlers/instance_views.h"

#include "state/clock.h"
#include "state/instance_rules.h"

namespace cvm::handlers {
namespace {

// The name of an optional enum, or null.
template <typename E>
void Named(JsonWriter& out, std::string_view name, const std::optional<E>& value) {
  out.Key(name);
  if (value) {
    out.String(state::NameOf(*value));
  } else {
    out.Null();
  }
}

// SystemDisk and DataDisks.
void WriteDisks(JsonWriter& out, const state::Instance& in) {
  out.Key("SystemDisk").BeginObject();
  out.Field("DiskType", state::NameOf(in.system_disk.type))
      .Field("DiskId", in.system_disk.disk_id)
      .Field("DiskSize", in.system_disk.size_gb);
  out.EndObject();
  out.Key("DataDisks").BeginArray();
  for (const state::Disk& d : in.data_disks) {
    out.BeginObject()
        .Field("DiskSize", d.size_gb)
        .Field("DiskType", state::NameOf(d.type))
        .Field("DiskId", d.disk_id)
        .Field("DeleteWithInstance", d.delete_with_instance)
        .EndObject();
  }
  out.EndArray();
}

// The addresses, InternetAccessible and VirtualPrivateCloud.
void WriteNetwork(JsonWriter& out, const state::Instance& in) {
  out.Key("PrivateIpAddresses").BeginArray().String(in.private_ip).EndArray();
  out.Key("PublicIpAddresses").BeginArray();
  if (in.public_ip) out.String(*in.public_ip);
  out.EndArray();
  out.Key("InternetAccessible").BeginObject();
  Named(out, "InternetChargeType", in.internet_charge_type);
  out.Field("InternetMaxBandwidthOut", in.bandwidth_out)
      .Field("PublicIpAssigned", in.public_ip.has_value());
  out.EndObject();
  out.Key("VirtualPrivateCloud");
  if (in.vpc_id) {
    out.BeginObject()
        .Field("VpcId", *in.vpc_id)
        .Field("SubnetId", in.subnet_id)
        .Field("AsVpcGateway", in.as_vpc_gateway);
    out.Key("PrivateIpAddresses").BeginArray().String(in.private_ip).EndArray();
    out.EndObject();
  } else {
    out.Null();
  }
}

}  // namespace

void WriteTime(JsonWriter& out, std::string_view name, std::optional<state::TimeMs> ms) {
  out.Key(name);
  if (ms) {
    out.String(state::FormatIso8601(*ms / 1000));
  } else {
    out.Null();
  }
}

void WriteInstance(JsonWriter& out, const state::Instance& in, state::InstanceState state,
                   state::TimeMs now) {
  state::Billing billing = state::ObserveBilling(in, now);
  out.BeginObject();
  out.Key("Placement").BeginObject();
  out.Field("Zone", in.zone).Field("ProjectId", in.project_id).Key("HostIds");
  if (in.host_id) {
    out.BeginArray().String(*in.host_id).EndArray();
  } else {
    out.Null();
  }
  out.EndObject();
  out.Field("InstanceId", in.instance_id)
      .Field("InstanceType", in.instance_type)
      .Field("CPU", in.cpu)
      .Field("Memory", in.memory)
      .Field("RestrictState", state::NameOf(billing.restrict_state))
      .Field("InstanceName", in.name)
      .Field("InstanceChargeType", state::NameOf(in.charge_type));
  WriteDisks(out, in);
  WriteNetwork(out, in);
  out.Field("ImageId", in.image_id);
  Named(out, "RenewFlag", in.renew_flag);
  WriteTime(out, "CreatedTime", in.created_at);
  WriteTime(out, "ExpiredTime", billing.expired_at);
  out.Field("OsName", in.os_name).Field("SecurityGroupIds", in.security_group_ids);
  out.Key("LoginSettings").BeginObject();
  out.Key("Password").Null();
  out.Field("KeyIds", in.key_ids).Field("KeepImageLogin", in.keep_image_login ? "TRUE" : "FALSE");
  out.EndObject();
  out.Field("InstanceState", state::StateName(state));
  out.Key("Tags").BeginArray();
  for (const state::Tag& t : in.tags) {
    out.BeginObject().Field("Key", t.key).Field("Value", t.value).EndObject();
  }
  out.EndArray();
  out.EndObject();
}

}  // namespace cvm::handlers
