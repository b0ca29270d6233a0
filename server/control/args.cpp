#include "server/control/args.h"

#include <algorithm>
#include <cmath>

#include "server/control/route.h"
#include "server/form.h"
#include "server/json_number.h"

namespace cvm::server::control {
namespace {

using nlohmann::json;

}  // namespace

std::optional<double> Args::ToNumber(const json& v) {
  // std::stod would skip leading spaces: a value that starts with one is refused.
  if (v.is_string()) {
    const std::string& s = v.get_ref<const std::string&>();
    if (s.empty() || std::isspace(static_cast<unsigned char>(s[0]))) return std::nullopt;
  }
  return FiniteNumber(v);
}

namespace {

std::string Shown(double v) {
  json j = v;
  if (v == std::trunc(v) && std::fabs(v) < 0x1p53) j = static_cast<int64_t>(v);
  return j.dump();
}

}  // namespace

std::optional<Args> Args::Parse(const HttpRequest& request, std::string* problem, bool query_only) {
  json values = json::object();
  FormParams form;
  std::string bad;
  if (!ParseForm(request.raw_query(), &form, &bad)) {
    *problem = "malformed query string";
    return std::nullopt;
  }
  for (auto& [k, v] : form) values[k] = v;
  if (!request.body.empty() && !query_only) {
    json body = json::parse(request.body, nullptr, /*allow_exceptions=*/false);
    if (!body.is_object()) {
      *problem = "the body must be a JSON object";
      return std::nullopt;
    }
    values.update(body);
  }
  return Args(std::move(values));
}

const json* Args::Find(std::string_view name, Presence presence) {
  read_.emplace(name);
  auto it = values_.find(name);
  if (it == values_.end()) {
    if (presence == kRequired) Refuse(name, "give " + std::string(name));
    return nullptr;
  }
  return &*it;
}

std::optional<double> Args::Number(std::string_view name, double min, double max,
                                   Presence presence) {
  const json* v = Find(name, presence);
  if (!v) return std::nullopt;
  std::optional<double> d = ToNumber(*v);
  if (!d || *d < min || *d > max) {
    Refuse(name, std::string(name) + " must be a number from " + Shown(min) + " to " + Shown(max));
    return std::nullopt;
  }
  return d;
}

std::optional<int64_t> Args::Integer(std::string_view name, int64_t min, int64_t max,
                                     Presence presence) {
  const json* v = Find(name, presence);
  if (!v) return std::nullopt;
  std::optional<int64_t> n;
  if (v->is_number_integer()) {
    // Unsigned values above INT64_MAX are out of every range.
    if (!v->is_number_unsigned() || v->get<uint64_t>() <= static_cast<uint64_t>(INT64_MAX)) {
      n = v->get<int64_t>();
    }
  } else if (std::optional<double> d = ToNumber(*v);
             d && *d == std::trunc(*d) && *d >= -0x1p63 && *d < 0x1p63) {
    n = static_cast<int64_t>(*d);
  }
  if (!n || *n < min || *n > max) {
    Refuse(name, std::string(name) + " must be a whole number from " + std::to_string(min) +
                     " to " + std::to_string(max));
    return std::nullopt;
  }
  return n;
}

std::optional<std::string> Args::String(std::string_view name, Presence presence) {
  const json* v = Find(name, presence);
  if (!v) return std::nullopt;
  if (!v->is_string()) {
    Refuse(name, std::string(name) + " must be a string");
    return std::nullopt;
  }
  return v->get<std::string>();
}

std::optional<bool> Args::Bool(std::string_view name, Presence presence) {
  const json* v = Find(name, presence);
  if (!v) return std::nullopt;
  if (v->is_boolean()) return v->get<bool>();
  if (v->is_string()) {
    const std::string& s = v->get_ref<const std::string&>();
    if (s == "true" || s == "1") return true;
    if (s == "false" || s == "0") return false;
  }
  Refuse(name, std::string(name) + " must be true or false");
  return std::nullopt;
}

std::optional<std::string> Args::Enum(std::string_view name,
                                      std::initializer_list<std::string_view> choices,
                                      Presence presence) {
  const json* v = Find(name, presence);
  if (!v) return std::nullopt;
  if (v->is_string() && std::find(choices.begin(), choices.end(),
                                  v->get_ref<const std::string&>()) != choices.end()) {
    return v->get<std::string>();
  }
  std::string list;
  for (std::string_view c : choices) list += (list.empty() ? "" : ", ") + std::string(c);
  Refuse(name, std::string(name) + " must be one of " + list);
  return std::nullopt;
}

const json* Args::Raw(std::string_view name) { return Find(name, kOptional); }

void Args::Refuse(std::string_view name, std::string message) {
  if (!refused_) refused_.emplace(std::string(name), std::move(message));
}

std::set<std::string> Args::Names() const {
  std::set<std::string> names;
  for (const auto& [k, v] : values_.items()) names.insert(k);
  return names;
}

std::optional<HttpResponse> Args::Refusal() const {
  if (refused_) {
    return Reply(400, json{{"error", refused_->second}, {"field", refused_->first}});
  }
  std::vector<std::string> unknown;
  for (const auto& [k, v] : values_.items()) {
    if (!read_.contains(k)) unknown.push_back(k);
  }
  if (unknown.empty()) return std::nullopt;
  std::string list;
  for (const std::string& u : unknown) list += (list.empty() ? "" : ", ") + u;
  return Reply(400, json{{"error", "unknown field" + std::string(unknown.size() > 1 ? "s " : " ") +
                                       list + " (not taken by this endpoint)"},
                         {"field", unknown.front()}});
}

}  // namespace cvm::server::control
