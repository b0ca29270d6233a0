// The one source of randomness (resource IDs, fault draws, RequestIds).
// Seedable so a run can be repeated; thread-safe: each call takes its draws
// in one step, so calls from several threads never share or split a draw.
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

  // The seed of an independent sequence (`stream`) that `seed` also fixes:
  // e.g. RequestIds, so that resource IDs do not depend on how many requests
  // came before. 0 stays 0 (seed from the operating system).
  static uint64_t DerivedSeed(uint64_t seed, uint64_t stream);

  uint64_t Next();
  // Uniform in [0, n). REQUIRES: n > 0.
  uint64_t Below(uint64_t n);
  // `prefix` followed by `length` characters of [0-9a-z], e.g. "ins-3kd9x0az".
  std::string Id(std::string_view prefix, int length = 8);
  // An Id(prefix) for which `taken` is false: drawn again while it is true
  // (a new resource's ID, never one already in use).
  template <typename Taken>
  std::string FreshId(std::string_view prefix, Taken taken) {
    std::string id;
    do {
      id = Id(prefix);
    } while (taken(id));
    return id;
  }
  // A version 4 UUID, lower-case.
  std::string Uuid();

 private:
  uint64_t NextLocked() { return engine_(); }  // REQUIRES: mutex_ held

  std::mutex mutex_;
  std::mt19937_64 engine_;
};

}  // namespace cvm::state
