// Request rate limits (README "Rate limits"; docs/decisions.md D-216): a
// token bucket per (account, action) holding up to the action's limit, refilled
// at the limit per second of emulator time. A call that finds its bucket
// empty is RequestLimitExceeded. Off by default: then Admit costs one atomic
// load. Thread-safe; the buckets are sharded by key, each shard under its
// own lock.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace cvm::server {

class RateLimiter {
 public:
  RateLimiter() = default;
  RateLimiter(const RateLimiter&) = delete;
  RateLimiter& operator=(const RateLimiter&) = delete;

  bool enabled() const { return enabled_.load(std::memory_order_relaxed); }
  void set_enabled(bool on) { enabled_.store(on, std::memory_order_relaxed); }

  // Per-action limits (calls per second) that replace the document's.
  std::map<std::string, int64_t> overrides() const;
  void set_override(const std::string& action, int64_t per_second);
  void remove_override(const std::string& action);
  // No overrides, every bucket full again.
  void Clear();

  // The limit of `action` per second: its override, else `document_limit`.
  int64_t LimitOf(std::string_view action, int64_t document_limit) const;

  // True iff `app_id` may call `action` now (emulator ms); takes a token.
  // REQUIRES: limit > 0.
  bool Admit(int64_t app_id, std::string_view action, int64_t limit, int64_t now_ms);

 private:
  struct Bucket {
    double tokens = 0;
    int64_t at_ms = 0;
  };
  struct Shard {
    std::mutex mutex;
    std::unordered_map<std::string, Bucket> buckets;
  };
  static constexpr size_t kShards = 16;

  std::atomic<bool> enabled_{false};
  mutable std::mutex overrides_mutex_;
  std::map<std::string, int64_t, std::less<>> overrides_;
  std::atomic<bool> has_overrides_{false};
  std::array<Shard, kShards> shards_;
};

}  // namespace cvm::server
