// Helpers shared by the schema tests: run one request through either wire form
// and the validator, turn a JSON request into its flattened form, and check
// that an error message names a parameter path exactly.
#pragma once

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "schema/decoder.h"
#include "schema/errors.h"
#include "schema/spec.h"
#include "schema/validator.h"

namespace cvm::schema::testing {

using nlohmann::json;

inline const ActionSpec& Action(std::string_view name) {
  const ActionSpec* action = Schema::Builtin().FindAction(name);
  REQUIRE_MESSAGE(action != nullptr, "the schema has no action " << std::string(name));
  return *action;
}

// DecodeFlat, then Validate: the v1 / TC3-GET path.
inline Result<ValidatedParams> RunFlat(std::string_view action, const FlatParams& params,
                                       bool ignore_unknown = false) {
  const ActionSpec& spec = Action(action);
  Result<DecodedTree> decoded = DecodeFlat(spec, params, ignore_unknown);
  if (!decoded.ok()) return decoded.error();
  return Validate(spec, std::move(decoded).value(), ignore_unknown);
}

// DecodeJson, then Validate: the TC3 POST path.
inline Result<ValidatedParams> RunJson(std::string_view action, std::string_view body,
                                       bool ignore_unknown = false) {
  const ActionSpec& spec = Action(action);
  Result<DecodedTree> decoded = DecodeJson(spec, body);
  if (!decoded.ok()) return decoded.error();
  return Validate(spec, std::move(decoded).value(), ignore_unknown);
}

// The flattened form of a JSON request, as an SDK would send it: objects become
// `Name.Member`, arrays `Name.N`, numbers their decimal text, booleans
// "true"/"false" (or "TRUE"/"FALSE"). Nulls are left out: the flat form has none.
inline void FlattenInto(const json& node, const std::string& prefix, bool upper_booleans,
                        FlatParams* out) {
  auto child = [&](const std::string& name) { return prefix.empty() ? name : prefix + "." + name; };
  if (node.is_object()) {
    for (auto it = node.begin(); it != node.end(); ++it) {
      FlattenInto(it.value(), child(it.key()), upper_booleans, out);
    }
  } else if (node.is_array()) {
    for (size_t i = 0; i < node.size(); ++i) {
      FlattenInto(node[i], child(std::to_string(i)), upper_booleans, out);
    }
  } else if (node.is_string()) {
    out->emplace_back(prefix, node.get<std::string>());
  } else if (node.is_boolean()) {
    bool b = node.get<bool>();
    out->emplace_back(prefix, upper_booleans ? (b ? "TRUE" : "FALSE") : (b ? "true" : "false"));
  } else if (!node.is_null()) {
    out->emplace_back(prefix, node.dump());
  }
}

inline FlatParams Flatten(const json& request, bool upper_booleans = false) {
  FlatParams out;
  FlattenInto(request, "", upper_booleans, &out);
  return out;
}

// True iff `message` mentions `path` as a whole parameter path, not as the
// start or end of a longer one ("DataDisks.1" does not match inside
// "DataDisks.10" or "DataDisks.1.DiskSize"; "Zone" does not match inside
// "Placement.Zone").
inline bool NamesPath(std::string_view message, std::string_view path) {
  auto word = [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
           c == '-';
  };
  for (size_t at = message.find(path); at != std::string_view::npos;
       at = message.find(path, at + 1)) {
    size_t end = at + path.size();
    bool clean_start = at == 0 || (!word(message[at - 1]) && message[at - 1] != '.');
    bool clean_end = end == message.size() ||
                     (!word(message[end]) &&
                      !(message[end] == '.' && end + 1 < message.size() && word(message[end + 1])));
    if (clean_start && clean_end) return true;
  }
  return false;
}

// Which wire forms a table row is driven through.
enum class Forms { kBoth, kJsonOnly, kFlatOnly };

// One row of an error table: a request and the exact error it must produce.
struct ErrorCase {
  std::string what;  // a sentence, shown when the row fails
  std::string action;
  std::optional<std::string> body;  // the JSON form, if the row has one
  std::optional<FlatParams> flat;   // the flattened form, if the row has one
  std::string code;                 // the exact ApiError::code()
  std::vector<std::string> paths;   // every one must be named in the message
  bool ignore_unknown = false;
};

// A row whose request is written once as JSON and sent in both forms.
inline ErrorCase Both(std::string what, std::string action, const json& request, std::string code,
                      std::vector<std::string> paths) {
  return ErrorCase{std::move(what),  std::move(action), request.dump(),
                   Flatten(request), std::move(code),   std::move(paths)};
}
inline ErrorCase JsonOnly(std::string what, std::string action, std::string body, std::string code,
                          std::vector<std::string> paths) {
  return ErrorCase{std::move(what), std::move(action), std::move(body),
                   std::nullopt,    std::move(code),   std::move(paths)};
}
inline ErrorCase FlatOnly(std::string what, std::string action, FlatParams flat, std::string code,
                          std::vector<std::string> paths) {
  return ErrorCase{std::move(what), std::move(action), std::nullopt,
                   std::move(flat), std::move(code),   std::move(paths)};
}

inline void ExpectError(const Result<ValidatedParams>& result, const std::string& code,
                        const std::vector<std::string>& paths) {
  if (result.ok()) {
    FAIL_CHECK(
        "accepted: " << result.value().params.dump(-1, ' ', false, json::error_handler_t::replace));
    return;
  }
  const ApiError& error = result.error();
  CHECK_MESSAGE(error.code() == code, "message: " << error.message());
  for (const std::string& path : paths) {
    CHECK_MESSAGE(NamesPath(error.message(), path),
                  "the message does not name " << path << ": " << error.message());
  }
}

// Drives each row through the forms it has and checks the exact code and paths.
inline void CheckErrorTable(const std::vector<ErrorCase>& rows) {
  for (const ErrorCase& row : rows) {
    INFO(row.what << " [" << row.action << "]");
    REQUIRE((row.body || row.flat));
    if (row.flat) {
      INFO("flat form");
      ExpectError(RunFlat(row.action, *row.flat, row.ignore_unknown), row.code, row.paths);
    }
    if (row.body) {
      INFO(
          "JSON form: " << (row.body->size() > 200 ? row.body->substr(0, 200) + "..." : *row.body));
      ExpectError(RunJson(row.action, *row.body, row.ignore_unknown), row.code, row.paths);
    }
  }
}

// Both forms of `request` are accepted and give the same typed parameters,
// which are returned.
inline json ExpectAcceptedInBothForms(std::string_view action, const json& request) {
  auto flat = RunFlat(action, Flatten(request));
  auto body = RunJson(action, request.dump());
  INFO("request: " << request.dump());
  if (!flat.ok())
    FAIL_CHECK("flat form refused: " << flat.error().code() << ": " << flat.error().message());
  if (!body.ok())
    FAIL_CHECK("JSON form refused: " << body.error().code() << ": " << body.error().message());
  if (!flat.ok() || !body.ok()) return json();
  CHECK(flat->params == body->params);
  return body->params;
}

}  // namespace cvm::schema::testing
