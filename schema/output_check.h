// Checks a success response against the action's output schema: every
// documented field present (null stands for "no value", docs/decisions.md
// D-09), nothing undocumented, types, enums and formats right. Used by the
// tests on every implemented action, and by the server when started with
// --check-output (a mismatch then becomes an InternalError).
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "schema/spec.h"

namespace cvm::schema {

// `fields` is the response without RequestId. Returns one line per problem,
// each naming the field's path; empty means the response conforms.
std::vector<std::string> CheckOutput(const ActionSpec& action, const nlohmann::json& fields);

// True iff `text` is "YYYY-MM-DDThh:mm:ssZ".
bool IsIso8601Utc(std::string_view text);

}  // namespace cvm::schema
