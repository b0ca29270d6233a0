// An instance's public bandwidth configurations, each with the period it
// applies to (DescribeInstanceInternetBandwidthConfigs). The instance record
// holds its own bandwidth; BANDWIDTH_PREPAID raises scheduled with
// ResetInstancesInternetMaxBandwidth (D-132) are recorded beside it
// (BandwidthConfigStore), never overlapping, and apply in their periods
// only: outside them the record's own bandwidth applies (D-180).
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
  std::optional<TimeMs> end;  // exclusive; none: open-ended
  InternetChargeType internet_charge_type = InternetChargeType::kBandwidthPrepaid;
  int64_t bandwidth_out = 0;  // Mbps
  bool public_ip_assigned = false;

  bool Holds(TimeMs t) const { return start <= t && (!end || t < *end); }
  bool operator==(const BandwidthConfig&) const = default;
};

// Only BANDWIDTH_PREPAID bandwidth has configurations to list (D-157).
// Error: InvalidInstance.NotSupported naming the instance and its charge type.
Status CheckListsBandwidthConfigs(const Instance& in);

// The instance's bandwidth over its life as configurations ordered by start,
// one after the other without gaps: from its creation to its ExpiredTime as
// observed at `now` (renewals included; open-ended without one), each
// period of `recorded` its own configuration and every period between them
// the record's own bandwidth. REQUIRES: `recorded` do not overlap.
std::vector<BandwidthConfig> BandwidthConfigs(const Instance& in,
                                              const std::vector<BandwidthConfig>& recorded,
                                              TimeMs now);

// The bandwidth in force at `now`: that of the recorded configuration whose
// period holds `now`, else the record's own.
int64_t BandwidthInForce(const Instance& in, const std::vector<BandwidthConfig>& recorded,
                         TimeMs now);

}  // namespace cvm::state
