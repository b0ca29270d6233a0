// How instances are paid for: RenewInstances, ModifyInstancesRenewFlag,
// ModifyInstancesChargeType, and the price inquiries InquiryPriceRenewInstances
// and InquiryPriceModifyInstancesChargeType, each its action's plan plus the
// price engine. The rules are state/billing_service's.
#include "handlers/params.h"
#include "handlers/price_views.h"
#include "handlers/registry.h"
#include "state/billing_service.h"

namespace cvm::handlers {
namespace {

// InstanceChargePrepaid (the schema fills in RenewFlag's default).
state::PrepaidTerms ReadPrepaidTerms(const Json& prepaid) {
  return {prepaid["Period"].get<int64_t>(), Enum<state::RenewFlag>(prepaid["RenewFlag"])};
}

Result<state::BillingChange> PlanRenewInstances(RequestContext& ctx, const Json& p) {
  return state::PlanRenewInstances(ctx.scope(), Strings(p["InstanceIds"]),
                                   ReadPrepaidTerms(p["InstanceChargePrepaid"]), ctx.action_name());
}

Result<state::BillingChange> PlanModifyInstancesRenewFlag(RequestContext& ctx, const Json& p) {
  return state::PlanModifyInstancesRenewFlag(ctx.scope(), Strings(p["InstanceIds"]),
                                             Enum<state::RenewFlag>(p["RenewFlag"]),
                                             ctx.action_name());
}

Result<state::BillingChange> PlanModifyInstancesChargeType(RequestContext& ctx, const Json& p) {
  // InstanceChargeType is PREPAID: the schema allows nothing else.
  std::optional<state::PrepaidTerms> terms;
  if (p.contains("InstanceChargePrepaid")) terms = ReadPrepaidTerms(p["InstanceChargePrepaid"]);
  return state::PlanModifyInstancesChargeType(ctx.scope(), Strings(p["InstanceIds"]), terms,
                                              ctx.action_name());
}

HandlerResult ApplyBilling(RequestContext& ctx, const state::BillingChange& change) {
  state::ApplyBillingChange(ctx.scope(), change);
  return Json::object();
}

HandlerResult QuoteBillingChange(RequestContext& ctx, const state::BillingChange& change) {
  CVM_ASSIGN_OR_RETURN(state::Price price, state::PriceBillingChange(ctx.services.catalog, change));
  return PriceAnswer(price);
}

HandlerResult InquiryPriceRenewInstances(RequestContext& ctx, const Json& p) {
  CVM_ASSIGN_OR_RETURN(state::BillingChange change, PlanRenewInstances(ctx, p));
  // DryRun: every check, no price (D-143).
  if (p.value("DryRun", false)) return ApiError::Make(errors::kDryRunOperation);
  return QuoteBillingChange(ctx, change);
}

HandlerResult InquiryPriceModifyInstancesChargeType(RequestContext& ctx, const Json& p) {
  CVM_ASSIGN_OR_RETURN(state::BillingChange change, PlanModifyInstancesChargeType(ctx, p));
  return QuoteBillingChange(ctx, change);
}

}  // namespace

void RegisterBillingHandlers(Registry& registry) {
  registry.AddMutation<PlanRenewInstances, ApplyBilling>("RenewInstances");
  registry.AddMutation<PlanModifyInstancesRenewFlag, ApplyBilling>("ModifyInstancesRenewFlag");
  registry.AddMutation<PlanModifyInstancesChargeType, ApplyBilling>("ModifyInstancesChargeType");
  registry.Add("InquiryPriceRenewInstances", InquiryPriceRenewInstances);
  registry.Add("InquiryPriceModifyInstancesChargeType", InquiryPriceModifyInstancesChargeType);
}

}  // namespace cvm::handlers
