#include "state/settings.h"

namespace cvm::state {

Durations Settings::durations() const {
  std::lock_guard lock(mutex_);
  return durations_;
}

void Settings::set_durations(const Durations& d) {
  std::lock_guard lock(mutex_);
  durations_ = d;
}

Quotas Settings::quotas(int64_t app_id) const {
  std::lock_guard lock(mutex_);
  auto it = account_quotas_.find(app_id);
  return it == account_quotas_.end() ? default_quotas_ : it->second;
}

Quotas Settings::default_quotas() const {
  std::lock_guard lock(mutex_);
  return default_quotas_;
}

void Settings::set_default_quotas(const Quotas& q) {
  std::lock_guard lock(mutex_);
  default_quotas_ = q;
}

void Settings::set_account_quotas(int64_t app_id, const Quotas& q) {
  std::lock_guard lock(mutex_);
  account_quotas_[app_id] = q;
}

double Settings::launch_failure_probability() const {
  std::lock_guard lock(mutex_);
  return launch_failure_probability_;
}

void Settings::set_launch_failure_probability(double p) {
  std::lock_guard lock(mutex_);
  launch_failure_probability_ = p;
}

void Settings::AddFault(InjectedFault fault) {
  std::lock_guard lock(mutex_);
  faults_.push_back(std::move(fault));
}

std::vector<InjectedFault> Settings::faults() const {
  std::lock_guard lock(mutex_);
  return faults_;
}

void Settings::ClearFaults() {
  std::lock_guard lock(mutex_);
  faults_.clear();
}

const ErrorSpec* Settings::TakeFault(const std::string& action, double draw) {
  std::lock_guard lock(mutex_);
  for (auto it = faults_.begin(); it != faults_.end(); ++it) {
    if (it->action != "*" && it->action != action) continue;
    if (draw >= it->probability) return nullptr;
    const ErrorSpec* code = it->code;
    if (it->remaining > 0 && --it->remaining == 0) faults_.erase(it);
    return code;
  }
  return nullptr;
}

}  // namespace cvm::state
