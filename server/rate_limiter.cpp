#include "server/rate_limiter.h"

#include <algorithm>
#include <functional>

namespace cvm::server {

std::map<std::string, int64_t> RateLimiter::overrides() const {
  std::lock_guard lock(overrides_mutex_);
  return {overrides_.begin(), overrides_.end()};
}

void RateLimiter::set_override(const std::string& action, int64_t per_second) {
  std::lock_guard lock(overrides_mutex_);
  overrides_[action] = per_second;
  has_overrides_ = true;
}

void RateLimiter::remove_override(const std::string& action) {
  std::lock_guard lock(overrides_mutex_);
  overrides_.erase(action);
  has_overrides_ = !overrides_.empty();
}

void RateLimiter::Clear() {
  {
    std::lock_guard lock(overrides_mutex_);
    overrides_.clear();
    has_overrides_ = false;
  }
  for (Shard& s : shards_) {
    std::lock_guard lock(s.mutex);
    s.buckets.clear();
  }
}

int64_t RateLimiter::LimitOf(std::string_view action, int64_t document_limit) const {
  if (!has_overrides_.load(std::memory_order_relaxed)) return document_limit;
  std::lock_guard lock(overrides_mutex_);
  auto it = overrides_.find(action);
  return it == overrides_.end() ? document_limit : it->second;
}

bool RateLimiter::Admit(int64_t app_id, std::string_view action, int64_t limit, int64_t now_ms) {
  std::string key = std::to_string(app_id);
  key += '/';
  key += action;
  Shard& shard = shards_[std::hash<std::string>{}(key) % kShards];
  std::lock_guard lock(shard.mutex);
  auto [it, fresh] = shard.buckets.try_emplace(std::move(key));
  Bucket& b = it->second;
  double capacity = static_cast<double>(limit);
  if (fresh) {
    b.tokens = capacity;
  } else if (now_ms > b.at_ms) {
    // The clock never refills backwards (a clock set into the past).
    b.tokens = std::min(capacity, b.tokens + capacity * static_cast<double>(now_ms - b.at_ms) / 1000.0);
  }
  b.tokens = std::min(b.tokens, capacity);  // a lowered limit
  b.at_ms = std::max(b.at_ms, now_ms);
  if (b.tokens < 1.0) return false;
  b.tokens -= 1.0;
  return true;
}

}  // namespace cvm::server
