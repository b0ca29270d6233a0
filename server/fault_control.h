// The JSON form of fault rules (state/fault_rules.h): what POST
// /_emulator/faults and --faults FILE read, and what GET /_emulator/faults
// shows (README "Fault injection"; docs/decisions.md D-212).
#pragma once

#include <functional>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "state/fault_rules.h"

namespace cvm::server {

// What a rule may name: an action of the API, a region of the catalog.
struct FaultNames {
  std::function<bool(std::string_view)> known_action;
  std::function<bool(std::string_view)> known_region;
};

// Reads one rule: {"id", "match": {…}, "trigger": {…}, "effect": {…}}, or the
// simple form {"action", "code", "count", "probability", "message"} (both may
// mix). False with *error naming the field (e.g. "trigger.probability must
// be between 0 and 1") iff it is malformed; *out is then unspecified. When
// `field` is given it is set to the key of `j` the problem lies under as
// given ("probability", or "trigger.probability" for the nested form).
bool ReadFaultRule(const nlohmann::json& j, const FaultNames& names, state::FaultRule* out,
                   std::string* error, std::string* field = nullptr);

// Reads {"rules": [rule, …]} or [rule, …]: every rule, or false with *error
// naming the rule's position and field (and *field, when given, "rules").
bool ReadFaultRules(const nlohmann::json& j, const FaultNames& names,
                    std::vector<state::FaultRule>* out, std::string* error,
                    std::string* field = nullptr);

// A rule as GET /_emulator/faults shows it, with its counters.
nlohmann::json FaultRuleJson(const state::FaultRule& rule);

}  // namespace cvm::server
