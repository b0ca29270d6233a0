#include "server/replay_cache.h"

namespace cvm::server {

bool ReplayCache::Insert(std::string_view signature, int64_t expires_at, int64_t now) {
  std::lock_guard lock(mutex_);
  if (!Record(signature, expires_at, now)) return false;
  unsaved_.push_back({std::string(signature), expires_at});
  return true;
}

void ReplayCache::Restore(std::string_view signature, int64_t expires_at, int64_t now) {
  if (expires_at < now) return;
  std::lock_guard lock(mutex_);
  if (Record(signature, expires_at, now)) return;
  int64_t& known = expiry_[std::string(signature)];  // recorded twice: the later expiry counts
  if (expires_at > known) {
    known = expires_at;
    by_insert_.emplace_back(expires_at, std::string(signature));
  }
}

bool ReplayCache::Record(std::string_view signature, int64_t expires_at, int64_t now) {
  Evict(now);
  auto [it, inserted] = expiry_.try_emplace(std::string(signature), expires_at);
  if (!inserted) {
    if (it->second >= now) return false;  // seen, and still inside its window
    it->second = expires_at;              // seen long ago: a new request
  }
  by_insert_.emplace_back(expires_at, it->first);
  return true;
}

void ReplayCache::Evict(int64_t now) {
  // Entries are (nearly) in expiry order; one that expires later than an entry
  // behind it lingers a little, and Insert checks expiry itself.
  while (!by_insert_.empty() && by_insert_.front().first < now) {
    auto it = expiry_.find(by_insert_.front().second);
    if (it != expiry_.end() && it->second < now) expiry_.erase(it);
    by_insert_.pop_front();
  }
}

std::vector<ReplayCache::Accepted> ReplayCache::TakeUnsaved() {
  std::lock_guard lock(mutex_);
  std::vector<Accepted> out;
  out.swap(unsaved_);
  return out;
}

void ReplayCache::ReturnUnsaved(std::vector<Accepted> entries) {
  std::lock_guard lock(mutex_);
  entries.insert(entries.end(), std::make_move_iterator(unsaved_.begin()),
                 std::make_move_iterator(unsaved_.end()));
  unsaved_.swap(entries);
}

bool ReplayCache::HasUnsaved() const {
  std::lock_guard lock(mutex_);
  return !unsaved_.empty();
}

void ReplayCache::Clear() {
  std::lock_guard lock(mutex_);
  expiry_.clear();
  by_insert_.clear();
  unsaved_.clear();
}

size_t ReplayCache::size() const {
  std::lock_guard lock(mutex_);
  return expiry_.size();
}

}  // namespace cvm::server
