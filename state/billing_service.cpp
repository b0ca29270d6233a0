#include "state/billing_service.h"

#include "state/instance_lifecycle.h"
#include "state/instance_rules.h"

namespace cvm::state {
namespace {

std::string ChargeName(const Instance& in) { return std::string(NameOf(in.charge_type)); }

// RenewInstances and ModifyInstancesRenewFlag act on subscriptions only.
// `only` says what only PREPAID instances do ("can be renewed").
Status CheckPrepaid(const Instance& in, std::string_view only) {
  CVM_RETURN_IF_ERROR(CheckNotOnHost(in));
  if (in.charge_type == ChargeType::kPrepaid) return Status::Ok();
  return ApiError::Make(
      errors::kInvalidInstanceNotSupported, in.instance_id,
      "only PREPAID instances " + std::string(only) + "; it is " + ChargeName(in));
}

// ModifyInstancesRenewFlag: PREPAID instances; an EXPIRED one would renew
// itself retroactively, so it is renewed by hand first (D-184).
Status CheckNewRenewFlag(const Instance& in, RenewFlag renew_flag, TimeMs now) {
  CVM_RETURN_IF_ERROR(CheckPrepaid(in, "have a RenewFlag"));
  Billing billing = ObserveBilling(in, now);
  if (renew_flag != RenewFlag::kNotifyAndAutoRenew ||
      billing.restrict_state != RestrictState::kExpired) {
    return Status::Ok();
  }
  return ApiError::Make(errors::kInvalidInstanceNotSupported, in.instance_id,
                        "it expired at " + FormatIso8601(*billing.expired_at / 1000) +
                            " and cannot renew itself; renew it with RenewInstances");
}

// ModifyInstancesChargeType converts pay-as-you-go instances that can be
// converted (the document: not BC1 or BS1 instances, not one set to be
// terminated).
Status CheckConvertible(const Instance& in) {
  CVM_RETURN_IF_ERROR(CheckNotOnHost(in));
  auto refuse = [&](const std::string& why) {
    return ApiError::Make(errors::kInvalidInstanceNotSupported, in.instance_id, why);
  };
  if (in.charge_type != ChargeType::kPostpaidByHour) {
    return refuse("only POSTPAID_BY_HOUR instances can become PREPAID; it is " + ChargeName(in));
  }
  std::string family = in.instance_type.substr(0, in.instance_type.find('.'));
  if (family == "BC1" || family == "BS1") {
    return refuse("instances of the " + family + " family cannot become PREPAID");
  }
  if (in.lifecycle.timer_at) {
    return refuse("it has an ActionTimer (a scheduled termination) and cannot become PREPAID");
  }
  return Status::Ok();
}

// Loads the batch and runs `check` and the state check on each instance in
// order: the first refusal answers for the whole batch.
template <typename Check>
Result<std::vector<Instance>> LoadChecked(const Scope& scope, const std::vector<std::string>& ids,
                                          std::string_view action, Check check) {
  CVM_ASSIGN_OR_RETURN(std::vector<Instance> instances,
                       LoadInstances(scope.db, scope.app_id(), scope.region, ids, scope.now));
  for (const Instance& in : instances) {
    CVM_RETURN_IF_ERROR(check(in));
    CVM_RETURN_IF_ERROR(CheckBillingState(in, scope.now, action));
  }
  return instances;
}

BillingChange Change(std::vector<Instance> instances, int64_t period_months) {
  return BillingChange{InstancesChange{Operation::kModify, std::move(instances),
                                       /*lifecycle_only=*/false},
                       period_months};
}

// One instance as the price engine sees it: PREPAID for `months`.
PriceInput PrepaidInput(const Instance& in, int64_t months) {
  PriceInput p;
  p.zone = in.zone;
  p.instance_type = in.instance_type;
  p.instance_charge_type = ChargeType::kPrepaid;
  p.period_months = months;
  p.system_disk = {in.system_disk.type, in.system_disk.size_gb};
  for (const Disk& d : in.data_disks) p.data_disks.push_back({d.type, d.size_gb});
  p.internet_charge_type =
      in.internet_charge_type.value_or(InternetChargeType::kTrafficPostpaidByHour);
  p.bandwidth_mbps = in.bandwidth_out;
  return p;
}

// Two prepaid items added up.
ItemPrice Sum(const ItemPrice& a, const ItemPrice& b) {
  auto add = [](const std::optional<Money>& x, const std::optional<Money>& y) {
    return x && y ? std::optional<Money>(*x + *y) : (x ? x : y);
  };
  return ItemPrice::Prepaid(*add(a.original_price, b.original_price),
                            *add(a.discount_price, b.discount_price));
}

}  // namespace

Status CheckNotOnHost(const Instance& in) {
  if (!in.is_cdh()) return Status::Ok();
  return ApiError::Make(errors::kInvalidInstanceNotSupported, in.instance_id,
                        "it runs on a dedicated host (CDHPAID) and is paid for with the host");
}

Status CheckBillingState(const Instance& in, TimeMs now, std::string_view action) {
  InstanceState state = in.Observe(now);
  if (state != InstanceState::kShutdown && state != InstanceState::kTerminating) {
    return Status::Ok();
  }
  return ApiError::Make(WrongStateCode(state), in.instance_id, action);
}

Result<BillingChange> PlanRenewInstances(const Scope& scope, const std::vector<std::string>& ids,
                                         const PrepaidTerms& terms, std::string_view action) {
  CVM_ASSIGN_OR_RETURN(std::vector<Instance> instances,
                       LoadChecked(scope, ids, action, [](const Instance& in) {
                         return CheckPrepaid(in, "can be renewed");
                       }));
  for (Instance& in : instances) {
    // From the ExpiredTime DescribeInstances shows now (D-183).
    TimeMs from = ObserveBilling(in, scope.now).expired_at.value_or(scope.now);
    in.expired_at = AddMonths(from, terms.period_months);
    in.renew_flag = terms.renew_flag;
  }
  return Change(std::move(instances), terms.period_months);
}

Result<BillingChange> PlanModifyInstancesRenewFlag(const Scope& scope,
                                                   const std::vector<std::string>& ids,
                                                   RenewFlag renew_flag, std::string_view action) {
  CVM_ASSIGN_OR_RETURN(std::vector<Instance> instances,
                       LoadChecked(scope, ids, action, [&](const Instance& in) {
                         return CheckNewRenewFlag(in, renew_flag, scope.now);
                       }));
  for (Instance& in : instances) {
    // Renewals that happened by themselves stay (D-184).
    in.expired_at = ObserveBilling(in, scope.now).expired_at;
    in.renew_flag = renew_flag;
  }
  return Change(std::move(instances), 0);
}

Result<BillingChange> PlanModifyInstancesChargeType(const Scope& scope,
                                                    const std::vector<std::string>& ids,
                                                    const std::optional<PrepaidTerms>& terms,
                                                    std::string_view action) {
  if (!terms) {
    return ApiError::Make(errors::kMissingParameter, "InstanceChargePrepaid");
  }
  CVM_ASSIGN_OR_RETURN(std::vector<Instance> instances,
                       LoadChecked(scope, ids, action, CheckConvertible));
  for (Instance& in : instances) {
    in.charge_type = ChargeType::kPrepaid;
    in.expired_at = AddMonths(scope.now, terms->period_months);
    in.renew_flag = terms->renew_flag;
  }
  return Change(std::move(instances), terms->period_months);
}

void ApplyBillingChange(const Scope& scope, const BillingChange& change) {
  ApplyInstancesChange(scope, change.instances);
}

Result<Price> PriceBillingChange(const Catalog& catalog, const BillingChange& change) {
  std::optional<Price> total;
  for (const Instance& in : change.instances.instances) {
    PriceInput input = PrepaidInput(in, change.period_months);
    Price one;
    CVM_ASSIGN_OR_RETURN(one.instance, PriceInstances(catalog, input));
    if (in.internet_charge_type == InternetChargeType::kBandwidthPrepaid) {
      CVM_ASSIGN_OR_RETURN(one.bandwidth, PriceBandwidth(catalog, input));
    }
    if (!total) {
      total = one;
      continue;
    }
    total->instance = Sum(total->instance, one.instance);
    if (one.bandwidth) {
      total->bandwidth = total->bandwidth ? Sum(*total->bandwidth, *one.bandwidth) : *one.bandwidth;
    }
  }
  return total.value_or(Price{});
}

}  // namespace cvm::state
