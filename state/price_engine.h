// The price engine: pure functions from the catalog's prices and a planned
// purchase or change to the Price an InquiryPrice* action or
// DescribeZoneInstanceConfigInfos shows (D-134, D-150..D-155). One engine for
// every price, so a type costs the same wherever it is shown.
//
// The input is plain values, so a plan's change maps onto it: a purchase is
// PriceInput as RunInstances would create it; a renewal of N months, or a
// POSTPAID_BY_HOUR → PREPAID conversion, is the instance as it is with
// PREPAID and period_months N; a new type, a larger disk or a new bandwidth is
// Difference(price after, price before).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "schema/errors.h"
#include "state/catalog.h"
#include "state/enums.h"
#include "state/money.h"

namespace cvm::state {

struct DiskSpec {
  DiskType type = DiskType::kCloudBasic;
  int64_t size_gb = 0;
};

// `count` identical instances and what they are paid for with.
struct PriceInput {
  std::string zone;  // every zone has the same prices today
  std::string instance_type = "S1.SMALL1";
  ChargeType instance_charge_type = ChargeType::kPostpaidByHour;  // or kPrepaid
  int64_t period_months = 1;                                      // PREPAID: months bought
  DiskSpec system_disk{DiskType::kCloudBasic, 50};
  std::vector<DiskSpec> data_disks;
  InternetChargeType internet_charge_type = InternetChargeType::kTrafficPostpaidByHour;
  int64_t bandwidth_mbps = 0;  // InternetMaxBandwidthOut; 0: no public network
  int64_t count = 1;
};

enum class ChargeUnit { kHour, kGb };
// "HOUR" or "GB", as ItemPrice.ChargeUnit.
const char* ChargeUnitName(ChargeUnit unit);

// One ItemPrice. Paid by use: unit_price per charge_unit. Prepaid: the whole
// period's original_price and discount_price. The other two are absent.
struct ItemPrice {
  std::optional<Money> unit_price;
  std::optional<ChargeUnit> charge_unit;
  std::optional<Money> original_price, discount_price;

  static ItemPrice PerUnit(Money unit_price, ChargeUnit unit);
  static ItemPrice Prepaid(Money original, Money discounted);
  bool operator==(const ItemPrice&) const = default;
};

// Price: InstancePrice covers the instances with their disks, BandwidthPrice
// their public network (absent without one, or when a bandwidth package pays
// for it).
struct Price {
  ItemPrice instance;
  std::optional<ItemPrice> bandwidth;
  bool operator==(const Price&) const = default;
};

// The instances with their disks. The type's hourly or monthly price covers
// its local disks and the first PriceTable::system_disk_included_gb of a cloud
// system disk; every other GB of cloud disk costs its type's rate. Hourly:
// one instance's total rounded half up to a fen, times count. Prepaid: one
// instance's month rounded to a fen, times period_months (original), that
// discounted by the period's percent and rounded half up (discounted), both
// times count. Error: InvalidParameterValue naming what the price table
// cannot price (an unknown type, a disk type without a rate, CDHPAID or
// SPOTPAID, a period under one month). REQUIRES: the action's own checks passed.
Result<ItemPrice> PriceInstances(const Catalog& catalog, const PriceInput& in);

// The public network. TRAFFIC_POSTPAID_BY_HOUR: per GB of traffic;
// BANDWIDTH_POSTPAID_BY_HOUR: per hour; BANDWIDTH_PREPAID: for the period,
// discounted as the instances are; the last two by tiers of Mbps. Each is
// one instance's price rounded to a fen, times count (a GB for every
// instance, as every other price, D-155). nullopt for 0 Mbps or BANDWIDTH_PACKAGE. Error:
// InvalidParameterValue for a charge type that cannot be bought
// (BANDWIDTH_POSTPAID_BY_MONTH).
Result<std::optional<ItemPrice>> PriceBandwidth(const Catalog& catalog, const PriceInput& in);

// Both of the above.
Result<Price> PriceOf(const Catalog& catalog, const PriceInput& in);

// The price of changing from `before` to `after` (same charge units): each
// present field of `after` less the same field of `before`, never below 0.
ItemPrice Difference(const ItemPrice& after, const ItemPrice& before);

}  // namespace cvm::state
