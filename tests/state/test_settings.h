// The settings the state tests run with: a SettingsView whose values the test
// sets, the test durations by default, no fault rules. The services read
// their settings through SettingsView, so their tests need not include the
// Settings class (state/settings.h) that the control plane changes.
#pragma once

#include <cstdint>
#include <map>
#include <string_view>

#include "state/setting_values.h"
#include "tests/state/test_durations.h"

namespace cvm::testing {

class TestSettings final : public state::SettingsView {
 public:
  state::Durations durations() const override { return durations_; }
  void set_durations(const state::Durations& d) { durations_ = d; }

  state::Quotas quotas(int64_t app_id) const override {
    auto it = account_quotas_.find(app_id);
    return it == account_quotas_.end() ? state::Quotas{} : it->second;
  }
  void set_account_quotas(int64_t app_id, const state::Quotas& q) { account_quotas_[app_id] = q; }

  double launch_failure_probability() const override { return launch_failure_probability_; }
  void set_launch_failure_probability(double p) { launch_failure_probability_ = p; }
  double host_launch_failure_probability() const override {
    return host_launch_failure_probability_;
  }
  void set_host_launch_failure_probability(double p) { host_launch_failure_probability_ = p; }

  uint32_t HeldPhases(int64_t, std::string_view, std::string_view, std::string_view,
                      state::TimeMs) const override {
    return 0;
  }

 private:
  state::Durations durations_ = TestDurations();
  std::map<int64_t, state::Quotas> account_quotas_;
  double launch_failure_probability_ = 0;
  double host_launch_failure_probability_ = 0;
};

}  // namespace cvm::testing
