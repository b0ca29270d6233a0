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

void Settings::AddFault(const InjectedFault& fault) {
  FaultRule rule;
  rule.match.action = fault.action;
  rule.trigger.count = fault.remaining;
  rule.trigger.probability = fault.probability;
  rule.effect.kind = FaultKind::kError;
  rule.effect.code = fault.code;
  std::string error;
  std::vector<FaultRule> rules;
  rules.push_back(std::move(rule));
  fault_rules_.Add(std::move(rules), &error, nullptr);  // a new ID is never taken
}

}  // namespace cvm::state
