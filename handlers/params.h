// Reading validated parameters. The validator has already checked presence,
// types and formats (schema/validator.h), so these only unpack.
#pragma once

#include <cctype>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "handlers/context.h"
#include "state/clock.h"
#include "state/enums.h"

namespace cvm::handlers {

// A list of strings (REQUIRES: validated as one).
inline std::vector<std::string> Strings(const Json& list) {
  std::vector<std::string> out;
  out.reserve(list.size());
  for (const Json& v : list) out.push_back(v.get<std::string>());
  return out;
}

// The string member `key`, or nullptr when absent.
inline const std::string* OptString(const Json& p, const char* key) {
  auto it = p.find(key);
  return it == p.end() ? nullptr : &it->get_ref<const std::string&>();
}

// The string member `key` as a value, or nullopt when absent.
inline std::optional<std::string> OptionalString(const Json& p, const char* key) {
  const std::string* v = OptString(p, key);
  return v ? std::optional<std::string>(*v) : std::nullopt;
}

// A String flag (TRUE/FALSE in any case, D-123); absent is false.
inline bool Flag(const Json& p, const char* key) {
  const std::string* v = OptString(p, key);
  if (!v) return false;
  std::string upper = *v;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return upper == "TRUE";
}

// A string the schema restricts to an enum's names, as that enum
// (REQUIRES: validated; a name missing from the table is a bug and throws).
template <state::NamedEnum E>
E Enum(const Json& value) {
  std::optional<E> e = state::ParseName<E>(value.get_ref<const std::string&>());
  if (!e) throw std::logic_error("the schema allows a name state/enums.h does not know");
  return *e;
}

// The parameters a ClientToken is bound to: everything but the token.
inline std::string CanonicalRequest(const Json& p) {
  Json copy = p;
  copy.erase("ClientToken");
  return copy.dump();
}

// A Timestamp field: "YYYY-MM-DDThh:mm:ssZ".
inline Json Iso(state::TimeMs ms) { return state::FormatIso8601(ms / 1000); }

}  // namespace cvm::handlers
