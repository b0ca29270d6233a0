#include "state/bandwidth_configs.h"

#include <algorithm>

#include "state/instance_rules.h"

namespace cvm::state {

Status CheckListsBandwidthConfigs(const Instance& in) {
  if (in.internet_charge_type == InternetChargeType::kBandwidthPrepaid) return Status::Ok();
  std::string charge =
      in.internet_charge_type ? std::string(NameOf(*in.internet_charge_type)) : "none";
  return ApiError::Make(errors::kInvalidInstanceNotSupported, in.instance_id,
                        "only BANDWIDTH_PREPAID bandwidth has configurations to list; its "
                        "bandwidth is " +
                            charge);
}

std::vector<BandwidthConfig> BandwidthConfigs(const Instance& in,
                                              const std::vector<BandwidthConfig>& recorded,
                                              TimeMs now) {
  BandwidthConfig own;
  own.internet_charge_type =
      in.internet_charge_type.value_or(InternetChargeType::kBandwidthPrepaid);
  own.bandwidth_out = in.bandwidth_out;
  own.public_ip_assigned = in.public_ip.has_value();
  auto own_from = [&own](TimeMs start, std::optional<TimeMs> end) {
    BandwidthConfig c = own;
    c.start = start;
    c.end = end;
    return c;
  };

  std::vector<BandwidthConfig> sorted = recorded;
  std::sort(sorted.begin(), sorted.end(),
            [](const BandwidthConfig& a, const BandwidthConfig& b) { return a.start < b.start; });
  std::vector<BandwidthConfig> all;
  std::optional<TimeMs> cursor = in.created_at;  // none: a recorded one never ends
  for (const BandwidthConfig& c : sorted) {
    if (cursor && c.start > *cursor) all.push_back(own_from(*cursor, c.start));
    all.push_back(c);
    cursor = c.end;
  }
  std::optional<TimeMs> expired = ObserveBilling(in, now).expired_at;
  if (cursor && (!expired || *cursor < *expired)) all.push_back(own_from(*cursor, expired));
  return all;
}

int64_t BandwidthInForce(const Instance& in, const std::vector<BandwidthConfig>& recorded,
                         TimeMs now) {
  for (const BandwidthConfig& c : recorded) {
    if (c.Holds(now)) return c.bandwidth_out;
  }
  return in.bandwidth_out;
}

}  // namespace cvm::state
