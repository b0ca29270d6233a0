#include "server/replay_cache.h"

namespace cvm::server {

bool ReplayCache::Insert(std::string_view signature, int64_t expires_at, int64_t now) {
  std::lock_guard lock(mutex_);
  Evict(now);
  auto [it, inserted] = seen_.emplace(signature);
  if (!inserted) return false;
  by_expiry_.emplace_back(expires_at, *it);
  return true;
}

void ReplayCache::Evict(int64_t now) {
  // Timestamps are within the window of each other, so the front is (nearly)
  // the oldest; an entry that expires later than one behind it only lingers.
  while (!by_expiry_.empty() && by_expiry_.front().first < now) {
    seen_.erase(by_expiry_.front().second);
    by_expiry_.pop_front();
  }
}

void ReplayCache::Clear() {
  std::lock_guard lock(mutex_);
  seen_.clear();
  by_expiry_.clear();
}

size_t ReplayCache::size() const {
  std::lock_guard lock(mutex_);
  return seen_.size();
}

}  // namespace cvm::server
