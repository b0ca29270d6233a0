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
#include "state/random.h"
#include "state/setting_values.h"

namespace cvm::state {

// One fault: the next `remaining` calls of `action` (or of every action when
// it is "*") fail with `code`, each with `probability`.
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
  void set_launch_failure_probability(double p);
  // The chance that a new dedicated host ends LAUNCH_FAILURE (D-126: only
  // through fault injection), drawn once per host by AllocateHosts.
  double host_launch_failure_probability() const override;
  void set_host_launch_failure_probability(double p);

  void AddFault(InjectedFault fault);
  std::vector<InjectedFault> faults() const;
  void ClearFaults();
  // The code the next call of `action` fails with, or nullptr. Draws from
  // `random` only when a fault for the action exists.
  const ErrorSpec* TakeFault(const std::string& action, Random& random);

 private:
  mutable std::mutex mutex_;
  Durations durations_;
  Quotas default_quotas_;
  std::map<int64_t, Quotas> account_quotas_;
  double launch_failure_probability_ = 0;
  double host_launch_failure_probability_ = 0;
  std::vector<InjectedFault> faults_;
  std::atomic<bool> has_faults_{false};
};

}  // namespace cvm::state
