#include "state/random.h"

namespace cvm::state {

Random::Random(uint64_t seed) {
  if (seed == 0) {
    std::random_device rd;
    seed = (static_cast<uint64_t>(rd()) << 32) ^ rd();
  }
  engine_.seed(seed);
}

uint64_t Random::Next() {
  std::lock_guard lock(mutex_);
  return engine_();
}

uint64_t Random::Below(uint64_t n) { return Next() % n; }

std::string Random::Id(std::string_view prefix, int length) {
  static constexpr char kAlphabet[] = "0123456789abcdefghijklmnopqrstuvwxyz";
  std::string id(prefix);
  uint64_t bits = Next();
  for (int i = 0; i < length; ++i) {
    if (i == 12) bits = Next();  // 12 * log2(36) ≈ 62 bits per draw
    id += kAlphabet[bits % 36];
    bits /= 36;
  }
  return id;
}

std::string Random::Uuid() {
  static constexpr char kHex[] = "0123456789abcdef";
  uint64_t hi = Next(), lo = Next();
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
