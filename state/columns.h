// How record fields travel to and from SQLite columns: one BindField and one
// ReadField per field type, so a store's column list says only which field
// goes in which column. Enums are stored as their names (state/enums.h).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "state/database.h"
#include "state/enums.h"

namespace cvm::state {

// The enum named by the text of `col`. Throws DatabaseError on a name the
// enum does not have (the database was written by something else).
template <NamedEnum E>
E ReadName(const Statement& s, int col) {
  std::string_view text = s.TextView(col);
  std::optional<E> value = ParseName<E>(text);
  if (!value) throw DatabaseError("unknown value `" + std::string(text) + "` in the database");
  return *value;
}

template <NamedEnum E>
std::optional<E> ReadOptionalName(const Statement& s, int col) {
  if (s.IsNull(col)) return std::nullopt;
  return ReadName<E>(s, col);
}

inline void BindField(Statement& s, int i, int64_t v) { s.Bind(i, v); }
inline void BindField(Statement& s, int i, bool v) { s.Bind(i, static_cast<int64_t>(v)); }
inline void BindField(Statement& s, int i, const std::string& v) { s.Bind(i, v); }
inline void BindField(Statement& s, int i, const std::optional<std::string>& v) { s.Bind(i, v); }
inline void BindField(Statement& s, int i, const std::optional<int64_t>& v) { s.Bind(i, v); }
template <NamedEnum E>
void BindField(Statement& s, int i, E v) {
  s.Bind(i, NameOf(v));
}
template <NamedEnum E>
void BindField(Statement& s, int i, const std::optional<E>& v) {
  if (v) {
    s.Bind(i, NameOf(*v));
  } else {
    s.BindNull(i);
  }
}

inline void ReadField(const Statement& s, int c, int64_t& v) { v = s.Int(c); }
inline void ReadField(const Statement& s, int c, bool& v) { v = s.Int(c) != 0; }
inline void ReadField(const Statement& s, int c, std::string& v) { v = s.Text(c); }
inline void ReadField(const Statement& s, int c, std::optional<std::string>& v) { v = s.OptionalText(c); }
inline void ReadField(const Statement& s, int c, std::optional<int64_t>& v) { v = s.OptionalInt(c); }
template <NamedEnum E>
void ReadField(const Statement& s, int c, E& v) {
  v = ReadName<E>(s, c);
}
template <NamedEnum E>
void ReadField(const Statement& s, int c, std::optional<E>& v) {
  v = ReadOptionalName<E>(s, c);
}

}  // namespace cvm::state
