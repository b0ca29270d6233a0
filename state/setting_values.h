// The values of the run-time settings: how long each transition takes and
// the quotas, one field per line of state/settings.def, with its default.
// Plain values; the Settings class (state/settings.h) holds the current ones,
// and business rules read them through SettingsView.
#pragma once

#include <cstdint>
#include <string_view>

#include "state/clock.h"

namespace cvm::state {

// How long each transitional state lasts, in emulator milliseconds: one
// field per CVM_DURATION line of state/settings.def.
struct Durations {
#define CVM_DURATION(name, seconds, flag, env, help) \
  TimeMs name = static_cast<TimeMs>(1000 * (seconds));
#include "state/settings.def"
};

// Limits per account and region: one field per CVM_QUOTA line of
// state/settings.def.
struct Quotas {
#define CVM_QUOTA(name, value, flag, env, help) int64_t name = (value);
#include "state/settings.def"
};

// What the business rules in state/ read of the current settings. The
// Settings class (state/settings.h) is one; code that only reads depends on
// this header, not on the class that the control plane changes.
class SettingsView {
 public:
  virtual Durations durations() const = 0;
  // The quotas of `app_id`: its own, else the defaults.
  virtual Quotas quotas(int64_t app_id) const = 0;
  // The chance that a launched instance ends in LAUNCH_FAILED.
  virtual double launch_failure_probability() const = 0;
  // The chance that a new dedicated host ends LAUNCH_FAILURE (D-190).
  virtual double host_launch_failure_probability() const = 0;
  // The phases stuck fault rules hold for instance `instance_id` of
  // (app_id, uin, region) at `now`, one bit per state (1 << state; D-218).
  virtual uint32_t HeldPhases(int64_t app_id, std::string_view uin, std::string_view region,
                              std::string_view instance_id, TimeMs now) const = 0;

 protected:
  ~SettingsView() = default;
};

}  // namespace cvm::state
