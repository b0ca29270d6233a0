// A control request's arguments, read by type. They come from the query
// string and/or a JSON object body (the body wins for a name given in both).
//
// A handler reads every field it takes, then asks Refusal() before it
// changes anything: the first value refused, or the fields no reader asked
// for, as a 400 {"error", "field"} answer (D-90). A reader never throws.
//
//   auto seconds = call.args.Number("seconds", 0, kMax, Args::kRequired);
//   if (auto refused = call.args.Refusal()) return *refused;
//   ... *seconds is set here ...
#pragma once

#include <cstdint>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "server/http_message.h"

namespace cvm::server::control {

class Args {
 public:
  enum Presence { kOptional, kRequired };

  // The arguments of `request`, or nullopt with the reason in `problem` (a
  // malformed query string, a body that is not a JSON object). With
  // `query_only`, the body is not read.
  static std::optional<Args> Parse(const HttpRequest& request, std::string* problem,
                                   bool query_only = false);
  explicit Args(nlohmann::json values = nlohmann::json::object()) : values_(std::move(values)) {}

  // Each reader returns the value, or nullopt when the field is absent or
  // refused (then Refusal() names it). A kRequired field that is absent is
  // refused.
  // A finite number (a JSON number or a string holding one) from min to max.
  std::optional<double> Number(std::string_view name, double min, double max,
                               Presence presence = kOptional);
  // A whole number from min to max (numbers beyond ±2^53 are read exactly
  // only as JSON integers).
  std::optional<int64_t> Integer(std::string_view name, int64_t min, int64_t max,
                                 Presence presence = kOptional);
  // A JSON string.
  std::optional<std::string> String(std::string_view name, Presence presence = kOptional);
  // true/false, or the strings "true", "false", "1", "0".
  std::optional<bool> Bool(std::string_view name, Presence presence = kOptional);
  // A string that is one of `choices`.
  std::optional<std::string> Enum(std::string_view name,
                                  std::initializer_list<std::string_view> choices,
                                  Presence presence = kOptional);
  // The value as given, of any type (for fields whose meaning a table gives,
  // e.g. the settings): nullptr when absent.
  const nlohmann::json* Raw(std::string_view name);

  // Refuses `name` with `message` (a handler's own check on a value it read).
  // The first refusal recorded is the one answered.
  void Refuse(std::string_view name, std::string message);
  // A finite number: a JSON number, or a string holding one (query values
  // are strings); nullopt otherwise.
  static std::optional<double> ToNumber(const nlohmann::json& value);
  // Every name given, read or not, in order.
  std::set<std::string> Names() const;
  // Every argument as given, without reading it (the journal's record).
  const nlohmann::json& values() const { return values_; }

  // 400 {"error", "field"} for the first refused value, else for the fields
  // no reader asked for; nullopt when every field was read and accepted.
  std::optional<HttpResponse> Refusal() const;

 private:
  const nlohmann::json* Find(std::string_view name, Presence presence);

  nlohmann::json values_;
  std::set<std::string, std::less<>> read_;
  std::optional<std::pair<std::string, std::string>> refused_;  // field, message
};

}  // namespace cvm::server::control
