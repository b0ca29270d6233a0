#include "server/setting_table.h"

#include <cmath>
#include <nlohmann/json.hpp>

#include "server/json_number.h"

namespace cvm::server {
namespace {

// One row per line of state/settings.def; the default is the one the struct
// field was given there.
// clang-format off
constexpr RunSetting kRunSettings[] = {
#define CVM_DURATION(name, seconds, flag, env, help)                        \
  {SettingKind::kDuration, #name, flag, env, help, state::Durations{}.name, \
   &state::Durations::name, nullptr},
#define CVM_QUOTA(name, value, flag, env, help)                       \
  {SettingKind::kQuota, #name, flag, env, help, state::Quotas{}.name, \
   nullptr, &state::Quotas::name},
#include "state/settings.def"
};
// clang-format on

std::optional<int64_t> DurationMs(double seconds) {
  if (!(seconds >= 0 && seconds <= kMaxDurationSeconds)) return std::nullopt;
  return static_cast<int64_t>(seconds * 1000);
}

}  // namespace

std::span<const RunSetting> RunSettings() { return kRunSettings; }

const RunSetting* FindRunSetting(SettingKind kind, std::string_view name) {
  for (const RunSetting& s : kRunSettings) {
    if (s.kind == kind && s.name == name) return &s;
  }
  return nullptr;
}

std::optional<int64_t> ParseSetting(SettingKind kind, const std::string& text) {
  try {
    size_t used = 0;
    switch (kind) {
      case SettingKind::kDuration: {
        double seconds = std::stod(text, &used);
        if (used != text.size()) return std::nullopt;
        return DurationMs(seconds);
      }
      case SettingKind::kQuota: {
        long long n = std::stoll(text, &used);
        if (used != text.size() || n < 0) return std::nullopt;
        return n;
      }
    }
  } catch (const std::exception&) {
  }
  return std::nullopt;
}

std::string FormatSetting(SettingKind kind, int64_t value) {
  if (kind == SettingKind::kQuota || value % 1000 == 0) {
    return std::to_string(kind == SettingKind::kQuota ? value : value / 1000);
  }
  std::string fraction = std::to_string(1000 + value % 1000).substr(1);  // 3 digits
  while (fraction.back() == '0') fraction.pop_back();
  return std::to_string(value / 1000) + "." + fraction;
}

std::optional<int64_t> SettingFromJson(SettingKind kind, const nlohmann::json& value) {
  std::optional<double> number = FiniteNumber(value);
  if (!number) return std::nullopt;
  double d = *number;
  switch (kind) {
    case SettingKind::kDuration:
      return DurationMs(d);
    case SettingKind::kQuota:
      // ±2^63 would not fit (and 2^63 - 1 is not a double).
      if (!(d >= 0 && d < 0x1p63) || d != std::trunc(d)) return std::nullopt;
      return static_cast<int64_t>(d);
  }
  return std::nullopt;
}

nlohmann::json SettingToJson(SettingKind kind, int64_t value) {
  if (kind == SettingKind::kDuration) return static_cast<double>(value) / 1000.0;
  return value;
}

nlohmann::json SettingsToJson(SettingKind kind, const state::Durations& d, const state::Quotas& q) {
  nlohmann::json out = nlohmann::json::object();
  for (const RunSetting& s : RunSettings()) {
    if (s.kind == kind) out[s.name] = SettingToJson(kind, s.In(d, q));
  }
  return out;
}

std::string SettingRangeProblem(SettingKind kind, const std::string& name) {
  switch (kind) {
    case SettingKind::kDuration:
      return name + " must be a number of seconds from 0 to " +
             std::to_string(static_cast<int64_t>(kMaxDurationSeconds)) + " (10 years)";
    case SettingKind::kQuota:
      return name + " must be a non-negative integer";
  }
  return name + " is out of range";
}

}  // namespace cvm::server
