// What the price inquiries quote. Each inquiry runs its action's plan and
// hands the planned change to one of these, which map it onto the price
// engine (state/price_engine.h): so an inquiry refuses exactly what its
// action refuses, and prices exactly what its action would do (D-134).
#pragma once

#include <cstdint>

#include "schema/errors.h"
#include "state/catalog.h"
#include "state/clock.h"
#include "state/instance.h"
#include "state/launch_service.h"
#include "state/price_engine.h"

namespace cvm::state {

// An instance as the engine prices it: its type, disks and network, under its
// charge type (SPOTPAID at the hourly rate: no spot market is modelled), for
// `period_months` months when PREPAID.
PriceInput InstancePriceInput(const Instance& instance, int64_t period_months = 1);

// InquiryPriceRunInstances: the purchase RunInstances would make, every
// instance with its disks and public network, for the period bought.
Result<Price> QuoteLaunch(const Catalog& catalog, const LaunchChange& change);

// Whole months from `now` to `expired_at`, a part month counting as a whole
// one; at least 1 (D-170).
int64_t RemainingMonths(TimeMs now, TimeMs expired_at);

// A change to an existing instance (a reinstall, a new type, a larger disk):
// what the instance costs after it more than before, as InstancePrice
// (BandwidthPrice null: the network does not change). Paid by the hour: the
// difference of the hourly prices. PREPAID: the difference of the two
// configurations' prices for the rest of the subscription, in whole months
// (RemainingMonths to the ExpiredTime DescribeInstances shows), discounted
// as a purchase of that many months is (D-170). Never below zero.
Result<Price> QuoteChange(const Catalog& catalog, const Instance& before, const Instance& after,
                          TimeMs now);

}  // namespace cvm::state
