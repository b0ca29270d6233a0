// Price inquiries: InquiryPriceRunInstances, InquiryPriceResetInstance,
// InquiryPriceResetInstancesType, InquiryPriceResizeInstanceDisks. Each
// reads its parameters as its action does, runs the action's plan (every
// check, the same codes, nothing written: the plan only reads, D-61) and
// prices the planned change (state/price_quotes.h, D-134).
#include "handlers/instance_requests.h"
#include "handlers/price_views.h"
#include "handlers/registry.h"
#include "state/price_quotes.h"
#include "state/reconfiguration_service.h"

namespace cvm::handlers {
namespace {

HandlerResult InquiryPriceRunInstances(RequestContext& ctx, const Json& p) {
  state::LaunchRequest request = ReadLaunchRequest(p);
  request.inquiry = true;
  CVM_ASSIGN_OR_RETURN(state::LaunchChange change, state::PlanLaunch(ctx.scope(), request));
  CVM_ASSIGN_OR_RETURN(state::Price price, state::QuoteLaunch(ctx.services.catalog, change));
  return PriceAnswer(price);
}

HandlerResult InquiryPriceResetInstance(RequestContext& ctx, const Json& p) {
  CVM_ASSIGN_OR_RETURN(
      state::ResetInstanceChange change,
      state::PlanResetInstance(ctx.scope(), ReadResetInstanceRequest(p), "ResetInstance"));
  CVM_ASSIGN_OR_RETURN(state::Price price, state::QuoteChange(ctx.services.catalog, change.before,
                                                              change.after, ctx.now()));
  return PriceAnswer(price);
}

// A reconfiguration of one instance: what it adds to the instance's price.
HandlerResult QuoteReconfiguration(RequestContext& ctx,
                                   const state::ReconfigurationChange& change) {
  CVM_ASSIGN_OR_RETURN(state::Price price,
                       state::QuoteChange(ctx.services.catalog, change.before.front(),
                                          change.after.front(), ctx.now()));
  return PriceAnswer(price);
}

HandlerResult InquiryPriceResetInstancesType(RequestContext& ctx, const Json& p) {
  CVM_ASSIGN_OR_RETURN(state::ReconfigurationChange change,
                       state::PlanResetInstancesType(ctx.scope(), ReadResetInstancesTypeRequest(p),
                                                     "ResetInstancesType"));
  return QuoteReconfiguration(ctx, change);
}

HandlerResult InquiryPriceResizeInstanceDisks(RequestContext& ctx, const Json& p) {
  CVM_ASSIGN_OR_RETURN(state::ReconfigurationChange change,
                       state::PlanResizeInstanceDisks(
                           ctx.scope(), ReadResizeInstanceDisksRequest(p), "ResizeInstanceDisks"));
  return QuoteReconfiguration(ctx, change);
}

}  // namespace

void RegisterPricingHandlers(Registry& registry) {
  registry.Add("InquiryPriceRunInstances", InquiryPriceRunInstances);
  registry.Add("InquiryPriceResetInstance", InquiryPriceResetInstance);
  registry.Add("InquiryPriceResetInstancesType", InquiryPriceResetInstancesType);
  registry.Add("InquiryPriceResizeInstanceDisks", InquiryPriceResizeInstanceDisks);
}

}  // namespace cvm::handlers
