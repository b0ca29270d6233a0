// How instances are paid for, beside the instance store: RenewInstances,
// ModifyInstancesRenewFlag and ModifyInstancesChargeType as Plans (checks
// only) and one Apply, and the price their inquiries show (D-130,
// D-183..D-186). Expiry and automatic renewal as observed on the clock are
// ObserveBilling's (state/instance_rules.h, D-54); every ExpiredTime here
// moves by its month arithmetic, AddMonths.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "schema/errors.h"
#include "state/catalog.h"
#include "state/enums.h"
#include "state/instance.h"
#include "state/instance_service.h"
#include "state/price_engine.h"
#include "state/scope.h"

namespace cvm::state {

// InstanceChargePrepaid, as validated.
struct PrepaidTerms {
  int64_t period_months = 1;
  RenewFlag renew_flag = RenewFlag::kNotifyAndManualRenew;
};

// What a billing action writes.
struct BillingChange {
  InstancesChange instances;  // each instance as it will be stored
  int64_t period_months = 0;  // months each instance buys (0: none, a new RenewFlag only)
};

// Instances on a dedicated host (CDHPAID) are paid for with their host:
// InvalidInstance.NotSupported naming the instance (D-186).
Status CheckNotOnHost(const Instance& in);
// Billing and bandwidth no longer change once an instance is SHUTDOWN or
// TERMINATING: the wrong-state code (D-105, D-186).
Status CheckBillingState(const Instance& in, TimeMs now, std::string_view action);

// RenewInstances: every instance PREPAID (InvalidInstance.NotSupported) and
// neither SHUTDOWN nor TERMINATING; each ExpiredTime, as observed now, moves
// on by the period, and RenewFlag becomes the one given (D-183).
Result<BillingChange> PlanRenewInstances(const Scope& scope, const std::vector<std::string>& ids,
                                         const PrepaidTerms& terms, std::string_view action);

// ModifyInstancesRenewFlag: every instance PREPAID and neither SHUTDOWN nor
// TERMINATING; an EXPIRED one cannot be set to renew itself
// (InvalidInstance.NotSupported, D-184). The ExpiredTime observed now is
// kept as it is.
Result<BillingChange> PlanModifyInstancesRenewFlag(const Scope& scope,
                                                   const std::vector<std::string>& ids,
                                                   RenewFlag renew_flag, std::string_view action);

// ModifyInstancesChargeType to PREPAID: InstanceChargePrepaid is required
// (MissingParameter, before any lookup); every instance POSTPAID_BY_HOUR, not
// of the BC1 or BS1 families, without an ActionTimer
// (InvalidInstance.NotSupported), neither SHUTDOWN nor TERMINATING. Each
// becomes PREPAID until now plus the period, with the RenewFlag given
// (D-185).
Result<BillingChange> PlanModifyInstancesChargeType(const Scope& scope,
                                                    const std::vector<std::string>& ids,
                                                    const std::optional<PrepaidTerms>& terms,
                                                    std::string_view action);

void ApplyBillingChange(const Scope& scope, const BillingChange& change);

// What the change buys: for each instance, period_months of PREPAID as it
// will be stored (its disks included), and of its bandwidth when that is
// BANDWIDTH_PREPAID (other bandwidth is not part of a subscription), summed
// over the instances (D-188). BandwidthPrice is absent when no instance has
// prepaid bandwidth. REQUIRES: change.period_months >= 1.
Result<Price> PriceBillingChange(const Catalog& catalog, const BillingChange& change);

}  // namespace cvm::state
