// Changing what an instance is: ResetInstancesType, ResizeInstanceDisks,
// ModifyInstancesVpcAttribute. The rules are state/reconfiguration_service's;
// these read parameters and answer {} once the change is written.
#include "handlers/instance_requests.h"
#include "handlers/params.h"
#include "handlers/registry.h"
#include "state/reconfiguration_service.h"

namespace cvm::handlers {
namespace {

Result<state::ReconfigurationChange> PlanResetInstancesType(RequestContext& ctx, const Json& p) {
  return state::PlanResetInstancesType(ctx.scope(), ReadResetInstancesTypeRequest(p),
                                       ctx.action_name());
}

Result<state::ReconfigurationChange> PlanResizeInstanceDisks(RequestContext& ctx, const Json& p) {
  return state::PlanResizeInstanceDisks(ctx.scope(), ReadResizeInstanceDisksRequest(p),
                                        ctx.action_name());
}

Result<state::ReconfigurationChange> PlanModifyInstancesVpcAttribute(RequestContext& ctx,
                                                                     const Json& p) {
  state::ModifyInstancesVpcRequest r;
  r.instance_ids = Strings(p["InstanceIds"]);
  const Json& vpc = p["VirtualPrivateCloud"];
  r.vpc_id = vpc["VpcId"].get<std::string>();
  r.subnet_id = vpc["SubnetId"].get<std::string>();
  r.as_vpc_gateway = vpc["AsVpcGateway"].get<bool>();
  if (vpc.contains("PrivateIpAddresses")) r.private_ips = Strings(vpc["PrivateIpAddresses"]);
  r.force_stop = p["ForceStop"].get<bool>();  // TRUE unless given (the schema's default)
  return state::PlanModifyInstancesVpcAttribute(ctx.scope(), r, ctx.action_name());
}

HandlerResult ApplyReconfiguration(RequestContext& ctx,
                                   const state::ReconfigurationChange& change) {
  state::ApplyReconfiguration(ctx.scope(), change);
  return Json::object();
}

}  // namespace

void RegisterReconfigurationHandlers(Registry& registry) {
  registry.AddMutation<PlanResetInstancesType, ApplyReconfiguration>("ResetInstancesType");
  registry.AddMutation<PlanResizeInstanceDisks, ApplyReconfiguration>("ResizeInstanceDisks");
  registry.AddMutation<PlanModifyInstancesVpcAttribute, ApplyReconfiguration>(
      "ModifyInstancesVpcAttribute");
}

}  // namespace cvm::handlers
