// Price inquiries: InquiryPriceRunInstances, InquiryPriceResetInstance. Each
// reads its parameters as its action does, runs the action's plan (every
// check, the same codes, nothing written: the plan only reads, D-61) and
// prices the planned change (state/price_quotes.h, D-134).
#include <memory>
#include <string>

#include "handlers/instance_requests.h"
#include "handlers/price_views.h"
#include "handlers/registry.h"
#include "state/price_quotes.h"

namespace cvm::handlers {
namespace {

// {"Price": …}
HandlerResult PriceAnswer(const state::Price& price) {
  JsonWriter out;
  out.Key("Price");
  WritePrice(out, price);
  return Output::Serialized(std::make_shared<const std::string>(out.Take()));
}

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

}  // namespace

void RegisterPricingHandlers(Registry& registry) {
  registry.Add("InquiryPriceRunInstances", InquiryPriceRunInstances);
  registry.Add("InquiryPriceResetInstance", InquiryPriceResetInstance);
}

}  // namespace cvm::handlers
