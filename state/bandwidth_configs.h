// An instance's public bandwidth configurations, each with the period it
// applies to (DescribeInstanceInternetBandwidthConfigs). The current one is
// the instance record's; past and scheduled ones (ResetInstancesInternetMax-
// Bandwidth on BANDWIDTH_PREPAID, DECISIONS Q-32) will come from a table of
// their own that the caller reads and passes in (D-158).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "schema/errors.h"
#include "state/clock.h"
#include "state/enums.h"
#include "state/instance.h"

namespace cvm::state {

struct BandwidthConfig {
  TimeMs start = 0;
  std::optional<TimeMs> end;  // none: open-ended
  InternetChargeType internet_charge_type = InternetChargeType::kBandwidthPrepaid;
  int64_t bandwidth_out = 0;  // Mbps
  bool public_ip_assigned = false;
  bool operator==(const BandwidthConfig&) const = default;
};

// Only BANDWIDTH_PREPAID bandwidth has configurations to list (DIIBC-1).
// Error: InvalidInstance.NotSupported naming the instance and its charge type.
Status CheckListsBandwidthConfigs(const Instance& in);

// The instance's configurations ordered by start: each of `recorded` (past
// and scheduled ones) and the current one from the record, which runs from
// the end of the last recorded configuration that has ended by `now` (else
// from the instance's creation) to its ExpiredTime as observed at `now`
// (renewals included), or open-ended without one.
std::vector<BandwidthConfig> BandwidthConfigs(const Instance& in,
                                              const std::vector<BandwidthConfig>& recorded,
                                              TimeMs now);

}  // namespace cvm::state
