// Step 4b of the pipeline: one generic check of a decoded parameter tree
// against the action's schema. Handlers never re-check presence or type.
//
// Order (D-136): unknown names (JSON form; the flat form
// finds them while decoding), then missing required members (with their full
// path, e.g. Placement.Zone), then per member in schema order: type, format,
// enum, range, length, list size; then the action's exclusive pairs and
// filters. The first failure is returned.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "schema/decoder.h"
#include "schema/errors.h"
#include "schema/spec.h"

namespace cvm::schema {

struct ValidatedParams {
  // Members by their schema names; values typed (strings, int64, double,
  // bool, objects, arrays); defaults applied; JSON nulls dropped.
  nlohmann::json params = nlohmann::json::object();
  std::vector<std::string> ignored;  // unknown names dropped under ignore_unknown
};

Result<ValidatedParams> Validate(const ActionSpec& action, DecodedTree decoded,
                                 bool ignore_unknown);

// Number of Unicode code points in UTF-8 text (invalid bytes count one each).
size_t Utf8Length(std::string_view s);
// True iff `s` is well-formed UTF-8.
bool IsValidUtf8(std::string_view s);

}  // namespace cvm::schema
