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

void Settings::ClearAccountQuotas() {
  std::lock_guard lock(mutex_);
  account_quotas_.clear();
}

std::map<int64_t, Quotas> Settings::account_quotas() const {
  std::lock_guard lock(mutex_);
  return account_quotas_;
}

double Settings::launch_failure_probability() const {
  std::lock_guard lock(mutex_);
  return launch_failure_probability_;
}

void Settings::set_launch_failure_probability(double p) {
  std::lock_guard lock(mutex_);
  launch_failure_probability_ = p;
}

double Settings::host_launch_failure_probability() const {
  std::lock_guard lock(mutex_);
  return host_launch_failure_probability_;
}

void Settings::set_host_launch_failure_probability(double p) {
  std::lock_guard lock(mutex_);
  host_launch_failure_probability_ = p;
}

void Settings::AddFault(InjectedFault fault) {
  std::lock_guard lock(mutex_);
  faults_.push_back(std::move(fault));
  has_faults_ = true;
}

std::vector<InjectedFault> Settings::faults() const {
  std::lock_guard lock(mutex_);
  return faults_;
}

void Settings::ClearFaults() {
  std::lock_guard lock(mutex_);
  faults_.clear();
  has_faults_ = false;
}

const ErrorSpec* Settings::TakeFault(const std::string& action, Random& random) {
  if (!has_faults_) return nullptr;  // the common case, without the lock
  std::lock_guard lock(mutex_);
  for (auto it = faults_.begin(); it != faults_.end(); ++it) {
    if (it->action != "*" && it->action != action) continue;
    double draw = static_cast<double>(random.Below(1'000'000)) / 1e6;
    if (draw >= it->probability) return nullptr;
    const ErrorSpec* code = it->code;
    if (it->remaining > 0 && --it->remaining == 0) faults_.erase(it);
    has_faults_ = !faults_.empty();
    return code;
  }
  return nullptr;
}

}  // namespace cvm::state
