#include "state/random.h"

namespace cvm::state {

Random::Random(uint64_t seed) {
  if (seed == 0) {
    std::random_device rd;
    seed = (static_cast<uint64_t>(rd()) << 32) ^ rd();
  }
  engine_.seed(seed);
}

uint64_t Random::DerivedSeed(uint64_t seed, uint64_t stream) {
  if (seed == 0) return 0;
  // splitmix64 of the pair: neighbouring seeds and streams land far apart.
  uint64_t z = seed + stream * 0x9e3779b97f4a7c15ULL + 0x9e3779b97f4a7c15ULL;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  z ^= z >> 31;
  return z == 0 ? 1 : z;
}

uint64_t Random::Next() {
  std::lock_guard lock(mutex_);
  return NextLocked();
}

uint64_t Random::Below(uint64_t n) { return Next() % n; }

std::string Random::Id(std::string_view prefix, int length) {
  static constexpr char kAlphabet[] = "0123456789abcdefghijklmnopqrstuvwxyz";
  std::string id(prefix);
  std::lock_guard lock(mutex_);
  uint64_t bits = NextLocked();
  for (int i = 0; i < length; ++i) {
    if (i == 12) bits = NextLocked();  // 12 * log2(36) ≈ 62 bits per draw
    id += kAlphabet[bits % 36];
    bits /= 36;
  }
  return id;
}

std::string Random::Uuid() {
  static constexpr char kHex[] = "0123456789abcdef";
  uint64_t hi, lo;
  {
    std::lock_guard lock(mutex_);
    hi = NextLocked();
    lo = NextLocked();
  }
  hi = (hi & 0xffffffffffff0fffULL) | 0x0000000000004000ULL;  // version 4
  lo = (lo & 0x3fffffffffffffffULL) | 0x8000000000000000ULL;  // variant 10
  std::string out;
  out.reserve(36);
  for (int i = 15; i >= 0; --i) {
    out += kHex[(hi >> (i * 4)) & 0xf];
    if (i == 8 || i == 4) out += '-';
  }
  out += '-';
  for (int i = 15; i >= 0; --i) {
    out += kHex[(lo >> (i * 4)) & 0xf];
    if (i == 12) out += '-';
  }
  return out;
}

}  // namespace cvm::state
