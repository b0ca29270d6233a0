#include "state/host.h"

#include "state/instance_rules.h"  // AddMonths

namespace cvm::state {

HostCapacity CapacityOf(HostType type) {
  switch (type) {
    case HostType::kHs1:
      return {24, 56, 1200};
  }
  return {};
}

HostState Host::Observe(TimeMs now) const {
  if (launch_failed) return HostState::kLaunchFailure;
  if (now < running_at) return HostState::kPending;
  if (renew_flag != RenewFlag::kNotifyAndAutoRenew && now >= expired_at) return HostState::kExpired;
  return HostState::kRunning;
}

TimeMs Host::ObservedExpiry(TimeMs now) const {
  if (renew_flag != RenewFlag::kNotifyAndAutoRenew || now < expired_at) return expired_at;
  // Whole months counted from the stored expiry each time, so a day clamped
  // in a short month does not drift.
  TimeMs at = expired_at;
  for (int64_t months = 1; at <= now; ++months) at = AddMonths(expired_at, months);
  return at;
}

}  // namespace cvm::state
