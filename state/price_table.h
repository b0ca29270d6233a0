// The catalog's price table: what disks and the public network cost, and the
// discounts of longer prepaid periods (instance types carry their own hourly
// and monthly prices). Data only; state/price_engine.h applies it, and
// state/CATALOG.md says where each number comes from.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <vector>

#include "state/enums.h"
#include "state/money.h"

namespace cvm::state {

struct DiskRate {
  Rate hourly_per_gb, monthly_per_gb;  // zero for local disks: the type's price has them
};

// The Mbps up to `up_to_mbps` (inclusive) cost `per_mbps` each; the last tier
// has no bound.
struct BandwidthTier {
  std::optional<int64_t> up_to_mbps;
  Rate per_mbps;
};

// Periods of at least `from_months` cost `percent` of the full price.
struct PrepaidDiscount {
  int64_t from_months = 1;
  int64_t percent = 100;
};

struct PriceTable {
  // A cloud system disk's first GB are in the instance type's price.
  int64_t system_disk_included_gb = 50;
  std::map<DiskType, DiskRate> disk_per_gb;
  Rate traffic_per_gb;                                  // TRAFFIC_POSTPAID_BY_HOUR
  std::vector<BandwidthTier> bandwidth_per_mbps_hour;   // BANDWIDTH_POSTPAID_BY_HOUR
  std::vector<BandwidthTier> bandwidth_per_mbps_month;  // BANDWIDTH_PREPAID
  // Ordered by from_months, the first from 1 month; percents never rise.
  std::vector<PrepaidDiscount> prepaid_discounts;

  const DiskRate* FindDisk(DiskType disk_type) const {
    auto it = disk_per_gb.find(disk_type);
    return it == disk_per_gb.end() ? nullptr : &it->second;
  }
  // The percent a prepaid period of `months` costs (100 for no discount).
  int64_t DiscountPercent(int64_t months) const {
    int64_t percent = 100;
    for (const PrepaidDiscount& d : prepaid_discounts) {
      if (months >= d.from_months) percent = d.percent;
    }
    return percent;
  }
};

}  // namespace cvm::state
