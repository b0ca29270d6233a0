// An instance's public bandwidth: DescribeInstanceInternetBandwidthConfigs,
// ResetInstancesInternetMaxBandwidth and its price inquiry. The rules are
// state/'s (bandwidth_configs, bandwidth_service).
#include "handlers/instance_views.h"
#include "handlers/json_writer.h"
#include "handlers/params.h"
#include "handlers/price_views.h"
#include "handlers/registry.h"
#include "state/bandwidth_config_store.h"
#include "state/bandwidth_configs.h"
#include "state/bandwidth_service.h"
#include "state/instance_service.h"

namespace cvm::handlers {
namespace {

HandlerResult DescribeInstanceInternetBandwidthConfigs(RequestContext& ctx, const Json& p) {
  // The pipeline holds the unit of work (D-60).
  state::TimeMs now = ctx.now();
  std::string id = p["InstanceId"].get<std::string>();
  CVM_ASSIGN_OR_RETURN(
      std::vector<state::Instance> found,
      state::LoadInstances(ctx.services.db, ctx.account.app_id, ctx.region, {id}, now));
  const state::Instance& in = found.front();
  CVM_RETURN_IF_ERROR(state::CheckListsBandwidthConfigs(in));
  std::vector<state::BandwidthConfig> configs = state::BandwidthConfigs(
      in, state::BandwidthConfigStore(ctx.services.db).ForInstance(in.rowid), now);
  JsonWriter out;
  out.Key("InternetBandwidthConfigSet").BeginArray();
  for (const state::BandwidthConfig& c : configs) {
    out.BeginObject();
    WriteTime(out, "StartTime", c.start);
    WriteTime(out, "EndTime", c.end);
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

// ResetInstancesInternetMaxBandwidth and its inquiry read the same request.
Result<state::ResetBandwidthChange> PlanResetBandwidth(RequestContext& ctx, const Json& p) {
  state::ResetBandwidthRequest r;
  r.instance_ids = Strings(p["InstanceIds"]);
  const Json& internet = p["InternetAccessible"];
  r.bandwidth_out = internet.value("InternetMaxBandwidthOut", int64_t{0});
  if (internet.contains("InternetChargeType")) {
    r.internet_charge_type = Enum<state::InternetChargeType>(internet["InternetChargeType"]);
  }
  if (internet.contains("PublicIpAssigned")) {
    r.public_ip_assigned = internet["PublicIpAssigned"].get<bool>();
  }
  r.start_time = OptionalString(p, "StartTime");
  r.end_time = OptionalString(p, "EndTime");
  return state::PlanResetBandwidth(ctx.scope(), r, ctx.action_name());
}

HandlerResult ApplyResetBandwidth(RequestContext& ctx, const state::ResetBandwidthChange& change) {
  state::ApplyResetBandwidth(ctx.scope(), change);
  return Json::object();
}

// The action's plan, then the price of its change: InstancePrice is null,
// BandwidthPrice the bandwidth's (D-182).
HandlerResult InquiryPriceResetInstancesInternetMaxBandwidth(RequestContext& ctx, const Json& p) {
  CVM_ASSIGN_OR_RETURN(state::ResetBandwidthChange change, PlanResetBandwidth(ctx, p));
  CVM_ASSIGN_OR_RETURN(std::optional<state::ItemPrice> bandwidth,
                       state::PriceResetBandwidth(ctx.services.catalog, change));
  JsonWriter out;
  out.Key("Price").BeginObject();
  out.Key("InstancePrice").Null();
  out.Key("BandwidthPrice");
  if (bandwidth) {
    WriteItemPrice(out, *bandwidth);
  } else {
    out.Null();
  }
  out.EndObject();
  return Output::Serialized(std::make_shared<const std::string>(out.Take()));
}

}  // namespace

void RegisterInternetBandwidthHandlers(Registry& registry) {
  registry.Add("DescribeInstanceInternetBandwidthConfigs",
               DescribeInstanceInternetBandwidthConfigs);
  registry.AddMutation<PlanResetBandwidth, ApplyResetBandwidth>(
      "ResetInstancesInternetMaxBandwidth");
  registry.Add("InquiryPriceResetInstancesInternetMaxBandwidth",
               InquiryPriceResetInstancesInternetMaxBandwidth);
}

}  // namespace cvm::handlers
