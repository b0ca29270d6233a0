#include "state/money.h"

#include <cstdlib>

namespace cvm::state {
namespace {

// "12.345" → 12345000 for `decimals` 6: digits, then an optional point and at
// most `decimals` digits. At most 12 digits before the point, so the result
// fits easily.
std::optional<int64_t> ParseScaled(std::string_view text, int decimals) {
  size_t point = text.find('.');
  std::string_view whole = text.substr(0, point);
  std::string_view fraction = point == std::string_view::npos ? "" : text.substr(point + 1);
  if (whole.empty() || whole.size() > 12) return std::nullopt;
  if (point != std::string_view::npos && fraction.empty()) return std::nullopt;
  if (static_cast<int>(fraction.size()) > decimals) return std::nullopt;
  int64_t value = 0;
  for (char c : whole) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  for (int i = 0; i < decimals; ++i) {
    char c = i < static_cast<int>(fraction.size()) ? fraction[i] : '0';
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  return value;
}

}  // namespace

std::optional<Money> Money::ParseYuan(std::string_view text) {
  std::optional<int64_t> fen = ParseScaled(text, 2);
  if (!fen) return std::nullopt;
  return Money(*fen);
}

std::string Money::Yuan() const {
  int64_t magnitude = std::llabs(fen_);
  std::string cents = std::to_string(magnitude % 100);
  if (cents.size() < 2) cents.insert(0, "0");
  return (fen_ < 0 ? "-" : "") + std::to_string(magnitude / 100) + "." + cents;
}

Money Money::Percent(int64_t percent) const { return Money((fen_ * percent + 50) / 100); }

std::optional<Rate> Rate::ParseYuan(std::string_view text) {
  std::optional<int64_t> micro = ParseScaled(text, 6);
  if (!micro) return std::nullopt;
  return Rate(*micro);
}

Money Rate::RoundToFen() const {
  int64_t magnitude = (std::llabs(micro_) + kPerFen / 2) / kPerFen;
  return Money::Fen(micro_ < 0 ? -magnitude : magnitude);
}

}  // namespace cvm::state
