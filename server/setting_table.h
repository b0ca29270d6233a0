// The run-time settings of state/settings.def as data: what the flags, the
// environment, --help, README's table and the control endpoints
// (/_emulator/durations, /_emulator/quotas) are made of. A setting's kind
// says its unit, its range and how it is written.
#pragma once

#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <span>
#include <string>

#include "state/setting_values.h"

namespace cvm::server {

enum class SettingKind {
  kDuration,  // emulator seconds, 0 to kMaxDurationSeconds; stored in milliseconds
  kQuota,     // a whole number >= 0; per account, with a default
};

// The longest duration: 10 years.
inline constexpr double kMaxDurationSeconds = 10.0 * 365 * 86400;

struct RunSetting {
  SettingKind kind;
  const char* name;  // the field, and the control endpoint's key
  const char* flag;  // without the leading "--"
  const char* env;
  const char* help;
  int64_t default_value;                          // milliseconds for a duration
  int64_t state::Durations::*duration = nullptr;  // set iff kind == kDuration
  int64_t state::Quotas::*quota = nullptr;        // set iff kind == kQuota

  // The setting's field in whichever of the two structs holds it.
  int64_t& In(state::Durations& d, state::Quotas& q) const {
    return duration ? d.*duration : q.*quota;
  }
  int64_t In(const state::Durations& d, const state::Quotas& q) const {
    return duration ? d.*duration : q.*quota;
  }
};

// Every line of state/settings.def, in its order.
std::span<const RunSetting> RunSettings();
// The setting of `kind` named `name`, or nullptr.
const RunSetting* FindRunSetting(SettingKind kind, std::string_view name);

// A flag's or an environment variable's text as a value of `kind`, or nullopt
// if it is not one or is out of range.
std::optional<int64_t> ParseSetting(SettingKind kind, const std::string& text);
// The value written as a flag takes it ("10", "0.5", "100").
std::string FormatSetting(SettingKind kind, int64_t value);

// A control endpoint's JSON value (a number, or a string holding one) as a
// value of `kind`, or nullopt if it is not one or is out of range.
std::optional<int64_t> SettingFromJson(SettingKind kind, const nlohmann::json& value);
// The value as the control endpoints show it (seconds for a duration).
nlohmann::json SettingToJson(SettingKind kind, int64_t value);
// Every setting of `kind`, read from whichever of d and q holds it, as an
// object of name → SettingToJson: what the control endpoints and snapshots show.
nlohmann::json SettingsToJson(SettingKind kind, const state::Durations& d, const state::Quotas& q);
// What a control endpoint answers when `name`'s value is refused.
std::string SettingRangeProblem(SettingKind kind, const std::string& name);

}  // namespace cvm::server
