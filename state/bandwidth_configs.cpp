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
  BandwidthConfig current;
  current.start = in.created_at;
  for (const BandwidthConfig& c : recorded) {
    if (c.end && *c.end <= now) current.start = std::max(current.start, *c.end);
  }
  current.end = ObserveBilling(in, now).expired_at;
  current.internet_charge_type = in.internet_charge_type.value_or(InternetChargeType::kBandwidthPrepaid);
  current.bandwidth_out = in.bandwidth_out;
  current.public_ip_assigned = in.public_ip.has_value();
  std::vector<BandwidthConfig> all = recorded;
  all.push_back(current);
  std::stable_sort(all.begin(), all.end(), [](const BandwidthConfig& a, const BandwidthConfig& b) {
    return a.start < b.start;
  });
  return all;
}

}  // namespace cvm::state
