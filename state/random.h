// The one source of randomness (resource IDs, fault draws). Seedable so a run
// can be repeated; thread-safe.
#pragma once

#include <cstdint>
#include <mutex>
#include <random>
#include <string>
#include <string_view>

namespace cvm::state {

class Random {
 public:
  // A seed of 0 means "seed from the operating system".
  explicit Random(uint64_t seed = 0);

  uint64_t Next();
  // Uniform in [0, n). REQUIRES: n > 0.
  uint64_t Below(uint64_t n);
  // `prefix` followed by `length` characters of [0-9a-z], e.g. "ins-3kd9x0az".
  std::string Id(std::string_view prefix, int length = 8);
  // A version 4 UUID, lower-case.
  std::string Uuid();

 private:
  std::mutex mutex_;
  std::mt19937_64 engine_;
};

}  // namespace cvm::state
