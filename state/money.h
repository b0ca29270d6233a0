// Amounts of money (CNY) as exact integers, never floating point: Money is
// whole fen (0.01 yuan), what every price the API shows is made of; Rate is
// millionths of a yuan, for the price table's finer rates (a GB of cloud disk
// for an hour). 1,000 × 0.34 is exactly 340.00.
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace cvm::state {

class Money {
 public:
  constexpr Money() = default;
  static constexpr Money Fen(int64_t fen) { return Money(fen); }
  // "45", "45.0", "45.00", "0.34": a non-negative decimal with at most two
  // decimals, as the catalog writes prices. nullopt for anything else.
  static std::optional<Money> ParseYuan(std::string_view text);

  constexpr int64_t fen() const { return fen_; }
  // Always two decimals: "45.00", "0.34", "340.00", "-1.20".
  std::string Yuan() const;

  // `percent` of this amount, rounded half up to a fen. REQUIRES: fen() >= 0,
  // 0 <= percent.
  Money Percent(int64_t percent) const;

  constexpr Money operator+(Money o) const { return Money(fen_ + o.fen_); }
  constexpr Money operator-(Money o) const { return Money(fen_ - o.fen_); }
  constexpr Money operator*(int64_t n) const { return Money(fen_ * n); }
  constexpr Money& operator+=(Money o) {
    fen_ += o.fen_;
    return *this;
  }
  constexpr auto operator<=>(const Money&) const = default;

 private:
  constexpr explicit Money(int64_t fen) : fen_(fen) {}
  int64_t fen_ = 0;
};

class Rate {
 public:
  static constexpr int64_t kPerFen = 10'000;  // millionths of a yuan in a fen

  constexpr Rate() = default;
  static constexpr Rate Micro(int64_t micro_yuan) { return Rate(micro_yuan); }
  static constexpr Rate Of(Money m) { return Rate(m.fen() * kPerFen); }
  // A non-negative decimal with at most six decimals ("0.0004", "0.063",
  // "0"). nullopt for anything else.
  static std::optional<Rate> ParseYuan(std::string_view text);

  constexpr int64_t micro() const { return micro_; }
  // To whole fen, half up (a half fen rounds away from zero).
  Money RoundToFen() const;

  constexpr Rate operator+(Rate o) const { return Rate(micro_ + o.micro_); }
  constexpr Rate operator*(int64_t n) const { return Rate(micro_ * n); }
  constexpr Rate& operator+=(Rate o) {
    micro_ += o.micro_;
    return *this;
  }
  constexpr auto operator<=>(const Rate&) const = default;

 private:
  constexpr explicit Rate(int64_t micro) : micro_(micro) {}
  int64_t micro_ = 0;
};

}  // namespace cvm::state
