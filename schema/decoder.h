// Step 4a of the pipeline: both wire forms of an action's parameters become
// one tree. The v1 / TC3-GET flattened form (Placement.Zone, DataDisks.0.DiskSize,
// Filters.0.Values.1) is unflattened against the action's schema, leaves
// staying strings for the validator to convert; a TC3 JSON body is parsed with
// limits (depth, duplicate keys). The validator (validator.h) then checks and
// types either tree the same way.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "schema/errors.h"
#include "schema/spec.h"

namespace cvm::schema {

using FlatParams = std::vector<std::pair<std::string, std::string>>;

// The deepest JSON nesting accepted; the schema itself never needs more than 6.
inline constexpr int kMaxJsonDepth = 32;
// The largest array index accepted in the flattened form (DataDisks.N).
inline constexpr int kMaxFlatIndex = 9999;
// A JSON list without a documented maximum holds at most as many elements as
// the flattened form can index; a JSON body at most this many values.
inline constexpr size_t kMaxJsonListItems = kMaxFlatIndex + 1;
inline constexpr int64_t kMaxJsonValues = 100'000;

struct DecodedTree {
  nlohmann::json tree = nlohmann::json::object();
  bool flat = false;                     // leaves are wire strings
  std::vector<std::string> ignored;      // unknown names dropped (ignore_unknown)
  // Lists cut short while parsing, past their documented maximum: their
  // path ("InstanceIds", "Filters.0.Values") → the elements given.
  std::map<std::string, size_t> list_sizes;
};

// Unflattens `params` against `action`'s inputs.
// Errors: UnknownParameter (a name the action does not have, with a "did you
// mean"), InvalidParameter (a malformed or too large array index, a name
// given twice, a name used both as a value and as a structure, an index gap).
// With `ignore_unknown`, unknown names are dropped and listed instead.
Result<DecodedTree> DecodeFlat(const ActionSpec& action, const FlatParams& params,
                               bool ignore_unknown);

// Parses `action`'s JSON request body. The top level must be an object. A
// member whose value is an empty list is dropped, as the flattened form
// cannot carry one. A list longer than its documented maximum (max_items, or
// the action's filter limits) keeps that many elements and records how many
// were given in `list_sizes`; the validator refuses it.
// Errors: InvalidParameter (not JSON, not an object, nested deeper than
// kMaxJsonDepth, a duplicate member name, a list without a documented
// maximum longer than kMaxJsonListItems, more than kMaxJsonValues values).
Result<DecodedTree> DecodeJson(const ActionSpec& action, std::string_view body);

// The member of `spec` a misspelt `name` most likely meant (same name up to
// case, a missing or extra trailing "s", or at most two edits), or nullptr.
const MemberSpec* SuggestMember(const StructSpec& spec, std::string_view name);

// A parameter name for a message: names longer than 64 bytes are cut.
std::string ShowName(std::string_view name);

}  // namespace cvm::schema
