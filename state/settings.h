// Run-time settings that tests change while the emulator runs (control
// endpoints, flags): how long each transition takes, the quotas, and the
// faults to inject. Thread-safe; readers take a copy.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "schema/errors.h"
#include "state/fault_rules.h"
#include "state/setting_values.h"

namespace cvm::state {

// The simple form of a fault rule (state/fault_rules.h): the next
// `remaining` calls of `action` (or of every action when it is "*") fail with
// `code`, each with `probability`.
struct InjectedFault {
  std::string action;
  const ErrorSpec* code = nullptr;
  int64_t remaining = 1;  // -1: until cleared
  double probability = 1.0;
};

class Settings final : public SettingsView {
 public:
  Durations durations() const override;
  void set_durations(const Durations& d);

  // The quotas of `app_id`: its own, else the defaults.
  Quotas quotas(int64_t app_id) const override;
  Quotas default_quotas() const;
  void set_default_quotas(const Quotas& q);
  void set_account_quotas(int64_t app_id, const Quotas& q);
  void ClearAccountQuotas();
  std::map<int64_t, Quotas> account_quotas() const;

  double launch_failure_probability() const override;
  uint32_t HeldPhases(int64_t app_id, std::string_view uin, std::string_view region,
                      std::string_view instance_id, TimeMs now) const override {
    return fault_rules_.HeldPhases(app_id, uin, region, instance_id, now);
  }
  void set_launch_failure_probability(double p);
  // The chance that a new dedicated host ends LAUNCH_FAILURE (D-126: only
  // through fault injection), drawn once per host by AllocateHosts.
  double host_launch_failure_probability() const override;
  void set_host_launch_failure_probability(double p);

  // Adds `fault` as a rule with an error effect.
  void AddFault(const InjectedFault& fault);
  void ClearFaults() { fault_rules_.Clear(); }
  FaultRules& fault_rules() { return fault_rules_; }
  const FaultRules& fault_rules() const { return fault_rules_; }

 private:
  mutable std::mutex mutex_;
  Durations durations_;
  Quotas default_quotas_;
  std::map<int64_t, Quotas> account_quotas_;
  double launch_failure_probability_ = 0;
  double host_launch_failure_probability_ = 0;
  FaultRules fault_rules_;
};

}  // namespace cvm::state
