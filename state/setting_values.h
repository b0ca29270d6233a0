// The values of the run-time settings: how long each transition takes and
// the quotas, one field per line of state/settings.def, with its default.
// Plain values; the Settings class (state/settings.h) holds the current ones.
#pragma once

#include <cstdint>

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

}  // namespace cvm::state
