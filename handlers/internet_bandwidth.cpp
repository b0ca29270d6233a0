// An instance's public bandwidth: DescribeInstanceInternetBandwidthConfigs.
#include "handlers/json_writer.h"
#include "handlers/params.h"
#include "handlers/registry.h"
#include "state/bandwidth_configs.h"
#include "state/instance_service.h"

namespace cvm::handlers {
namespace {

void Time(JsonWriter& out, std::string_view name, std::optional<state::TimeMs> ms) {
  out.Key(name);
  if (ms) {
    out.String(state::FormatIso8601(*ms / 1000));
  } else {
    out.Null();
  }
}

HandlerResult DescribeInstanceInternetBandwidthConfigs(RequestContext& ctx, const Json& p) {
  // The pipeline holds the unit of work (D-60).
  state::TimeMs now = ctx.now();
  std::string id = p["InstanceId"].get<std::string>();
  CVM_ASSIGN_OR_RETURN(
      std::vector<state::Instance> found,
      state::LoadInstances(ctx.services.db, ctx.account.app_id, ctx.region, {id}, now));
  const state::Instance& in = found.front();
  CVM_RETURN_IF_ERROR(state::CheckListsBandwidthConfigs(in));
  // No configuration is recorded apart from the instance's own yet.
  std::vector<state::BandwidthConfig> configs = state::BandwidthConfigs(in, {}, now);
  JsonWriter out;
  out.Key("InternetBandwidthConfigSet").BeginArray();
  for (const state::BandwidthConfig& c : configs) {
    out.BeginObject();
    Time(out, "StartTime", c.start);
    Time(out, "EndTime", c.end);
    out.Key("InternetAccessible").BeginObject();
    out.Field("InternetChargeType", state::NameOf(c.internet_charge_type))
        .Field("InternetMaxBandwidthOut", c.bandwidth_out)
        .Field("PublicIpAssigned", c.public_ip_assigned);
    out.EndObject();
    out.EndObject();
  }
  out.EndArray();
  return Output::Serialized(std::make_shared<const std::string>(out.Take()));
}

}  // namespace

void RegisterInternetBandwidthHandlers(Registry& registry) {
  registry.Add("DescribeInstanceInternetBandwidthConfigs",
               DescribeInstanceInternetBandwidthConfigs);
}

}  // namespace cvm::handlers
