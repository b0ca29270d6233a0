// Durations for state tests: every one differs, and no two add up to a
// third, so a phase that ends after the wrong duration (or the wrong sum)
// shows.
#pragma once

#include "state/setting_values.h"

namespace cvm::testing {

inline state::Durations TestDurations() {
  state::Durations d;
  d.pending = 2'000;
  d.starting = 3'000;
  d.stopping = 7'000;
  d.rebooting = 11'000;
  d.resetting = 17'000;
  d.terminating = 23'000;
  d.image_creating = 29'000;
  d.image_syncing = 31'000;
  return d;
}

}  // namespace cvm::testing
