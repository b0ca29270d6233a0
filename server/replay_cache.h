// Remembers accepted v1 signatures until their timestamp leaves the signature
// window, so the same signed request cannot be accepted twice (DECISIONS Q-03).
#pragma once

#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace cvm::server {

class ReplayCache {
 public:
  // Records `signature`, valid until `expires_at` (seconds, real time).
  // Returns false iff it is already recorded and not expired at `now`.
  bool Insert(std::string_view signature, int64_t expires_at, int64_t now);
  void Clear();
  size_t size() const;

 private:
  void Evict(int64_t now);

  mutable std::mutex mutex_;
  std::unordered_map<std::string, int64_t> expiry_;        // signature → expires_at
  std::deque<std::pair<int64_t, std::string>> by_insert_;  // for eviction, oldest first
};

}  // namespace cvm::server
