// One declarative column list per table. A store names each column once,
// with the record field it holds; the Table generates the SELECT list and the
// INSERT and UPDATE statements from that list, and binds and reads records
// column by column, so no store counts positions.
//
// How a field travels: one BindField and one ReadField per field type; enums
// are stored as their names (state/enums.h).
//
// Generated SQL lives as long as the Table and its Writes (function-local
// statics in the store), so its text pointer is stable, as Database::Cached
// requires.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <iterator>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

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
inline void ReadField(const Statement& s, int c, std::optional<std::string>& v) {
  v = s.OptionalText(c);
}
inline void ReadField(const Statement& s, int c, std::optional<int64_t>& v) {
  v = s.OptionalInt(c);
}
template <NamedEnum E>
void ReadField(const Statement& s, int c, E& v) {
  v = ReadName<E>(s, c);
}
template <NamedEnum E>
void ReadField(const Statement& s, int c, std::optional<E>& v) {
  v = ReadOptionalName<E>(s, c);
}

// How inserts and updates treat a column.
enum class ColumnRole {
  kValue,  // written by inserts and by updates of every column
  kKey,    // the INTEGER PRIMARY KEY: inserts bind NULL for 0 (SQLite picks
           // one); updates find the row by it
  kFixed,  // written once, by the insert (owner, region, public ID)
};

// One column of a table whose rows are R records.
template <typename R>
struct Column {
  const char* name;
  void (*bind)(Statement& s, int index, const R& record);
  void (*read)(const Statement& s, int col, R& record);
  ColumnRole role = ColumnRole::kValue;
};

namespace column_detail {
template <typename M>
struct MemberOf;
template <typename C, typename T>
struct MemberOf<T C::*> {
  using Class = C;
};
}  // namespace column_detail

template <auto M>
using ClassOf = typename column_detail::MemberOf<decltype(M)>::Class;

// The field `M` of the record, in the column `name`.
template <auto M>
constexpr Column<ClassOf<M>> Field(const char* name, ColumnRole role = ColumnRole::kValue) {
  using R = ClassOf<M>;
  return {name, [](Statement& s, int i, const R& r) { BindField(s, i, r.*M); },
          [](const Statement& s, int c, R& r) { ReadField(s, c, r.*M); }, role};
}

// The field `Inner` of the record's member `Outer` (system_disk.type).
template <auto Outer, auto Inner>
constexpr Column<ClassOf<Outer>> Nested(const char* name) {
  using R = ClassOf<Outer>;
  return {name, [](Statement& s, int i, const R& r) { BindField(s, i, (r.*Outer).*Inner); },
          [](const Statement& s, int c, R& r) { ReadField(s, c, (r.*Outer).*Inner); }};
}

// The INTEGER PRIMARY KEY `id`, held in the record's `M` (its rowid).
template <auto M>
constexpr Column<ClassOf<M>> Key(const char* name) {
  using R = ClassOf<M>;
  return {name,
          [](Statement& s, int i, const R& r) {
            if (r.*M > 0) {
              s.Bind(i, r.*M);
            } else {
              s.BindNull(i);
            }
          },
          [](const Statement& s, int c, R& r) { r.*M = s.Int(c); }, ColumnRole::kKey};
}

// A row that is one value (a child list of strings): the record is the value.
template <typename T>
constexpr Column<T> Value(const char* name) {
  return {name, [](Statement& s, int i, const T& v) { BindField(s, i, v); },
          [](const Statement& s, int c, T& v) { ReadField(s, c, v); }};
}

// A table over `kColumns`, a constexpr array of Column<R> with static storage
// (the store's column list). Reads, inserts and updates of every column
// expand over it at compile time: no per-column indirect calls on the hot
// paths.
template <typename R, const auto& kColumns>
class Table {
 public:
  static constexpr size_t kWidth = std::size(kColumns);

  // A statement generated from the column list: its SQL and its binds.
  class Write {
   public:
    // Stable for the Write's life (keep it static): for Database::Cached.
    const char* sql() const { return sql_.c_str(); }
    // Binds the record's columns from parameter `first` on (an update binds
    // the key last, for its WHERE); returns the next parameter's index.
    int Bind(Statement& s, const R& record, int first = 1) const {
      if (compiled_) return compiled_(s, record, first);
      for (const Column<R>* c : columns_) c->bind(s, first++, record);
      return first;
    }

   private:
    friend class Table;
    std::string sql_;
    int (*compiled_)(Statement&, const R&, int) = nullptr;
    std::vector<const Column<R>*> columns_;  // when not compiled
  };

  // `alias` prefixes the SELECT list ("i" → "i.id, i.app_id, ..."); empty
  // for none.
  Table(std::string name, const std::string& alias) : name_(std::move(name)) {
    for (const Column<R>& c : kColumns) {
      if (!select_.empty()) select_ += ", ";
      if (!alias.empty()) select_ += alias + ".";
      select_ += c.name;
    }
  }
  Table(const Table&) = delete;
  Table& operator=(const Table&) = delete;

  const std::string& name() const { return name_; }
  // Every column, in order, for a SELECT; Read reads them back.
  const std::string& select_list() const { return select_; }
  // How many columns select_list() has.
  int width() const { return static_cast<int>(kWidth); }

  // Reads the columns of select_list(), which the row has from result
  // column `first` on.
  void Read(const Statement& s, R& record, int first = 0) const {
    ReadAll(s, record, first, std::make_index_sequence<kWidth>());
  }
  R Read(const Statement& s, int first = 0) const {
    R record{};
    Read(s, record, first);
    return record;
  }

  // INSERT INTO name (lead..., every column) VALUES (?, ...) `suffix`. The
  // caller binds the `lead` columns (a child row's owner and position), then
  // Write::Bind the record after them.
  Write Insert(std::initializer_list<const char*> lead = {}, std::string_view suffix = {}) const {
    Write w;
    std::string names, marks;
    auto add = [&](const char* column) {
      if (!names.empty()) names += ", ", marks += ", ";
      names += column;
      marks += "?";
    };
    for (const char* column : lead) add(column);
    for (const Column<R>& c : kColumns) add(c.name);
    w.sql_ = "INSERT INTO " + name_ + " (" + names + ") VALUES (" + marks + ")";
    w.sql_ += suffix;
    w.compiled_ = &BindEvery;
    return w;
  }

  // UPDATE name SET (every column but the key and fixed ones) WHERE key = ?.
  Write UpdateAll() const {
    std::vector<const Column<R>*> set;
    for (const Column<R>& c : kColumns) {
      if (c.role == ColumnRole::kValue) set.push_back(&c);
    }
    Write w = Update(set);
    w.columns_.clear();
    w.compiled_ = &BindUpdatable;
    return w;
  }
  // UPDATE name SET (the named columns) WHERE key = ?.
  Write Update(std::initializer_list<std::string_view> names) const {
    std::vector<const Column<R>*> set;
    for (std::string_view n : names) set.push_back(&Find(n));
    return Update(set);
  }

 private:
  template <size_t... I>
  static void ReadAll(const Statement& s, R& r, int first, std::index_sequence<I...>) {
    (kColumns[I].read(s, first + static_cast<int>(I), r), ...);
  }
  template <size_t... I>
  static void BindAll(Statement& s, const R& r, int first, std::index_sequence<I...>) {
    (kColumns[I].bind(s, first + static_cast<int>(I), r), ...);
  }
  static int BindEvery(Statement& s, const R& r, int first) {
    BindAll(s, r, first, std::make_index_sequence<kWidth>());
    return first + static_cast<int>(kWidth);
  }
  // The columns of role `role`, in order, from parameter `*next` on.
  template <ColumnRole role, size_t... I>
  static void BindRole(Statement& s, const R& r, int* next, std::index_sequence<I...>) {
    auto one = [&]<size_t J>(std::integral_constant<size_t, J>) {
      if constexpr (kColumns[J].role == role) kColumns[J].bind(s, (*next)++, r);
    };
    (one(std::integral_constant<size_t, I>{}), ...);
  }
  static int BindUpdatable(Statement& s, const R& r, int first) {
    BindRole<ColumnRole::kValue>(s, r, &first, std::make_index_sequence<kWidth>());
    BindRole<ColumnRole::kKey>(s, r, &first, std::make_index_sequence<kWidth>());
    return first;
  }

  const Column<R>& Find(std::string_view name) const {
    for (const Column<R>& c : kColumns) {
      if (name == c.name) return c;
    }
    throw std::logic_error("table " + name_ + " has no column " + std::string(name));
  }
  const Column<R>& KeyColumn() const {
    for (const Column<R>& c : kColumns) {
      if (c.role == ColumnRole::kKey) return c;
    }
    throw std::logic_error("table " + name_ + " has no key column");
  }
  Write Update(const std::vector<const Column<R>*>& set) const {
    Write w;
    w.sql_ = "UPDATE " + name_ + " SET ";
    for (size_t i = 0; i < set.size(); ++i) {
      w.sql_ += (i ? ", " : "") + std::string(set[i]->name) + " = ?";
      w.columns_.push_back(set[i]);
    }
    const Column<R>& key = KeyColumn();
    w.sql_ += " WHERE " + std::string(key.name) + " = ?";
    w.columns_.push_back(&key);
    return w;
  }

  std::string name_;
  std::string select_;
};

// A table's name and every column a store writes (with the `lead` columns
// the store binds itself), for the test that holds them to the schema.
struct TableColumns {
  std::string table;
  std::vector<std::string> columns;
  size_t lead = 0;  // the first `lead` columns are the store's own, not the record's
  // Reads one row of the record's columns (columns[lead...], in order) as
  // the store does: throws DatabaseError on a value the store cannot read
  // (a snapshot's import checks what it wrote with it).
  void (*read_record)(const Statement& s) = nullptr;
};
template <typename R, const auto& kColumns>
TableColumns ColumnsOf(const Table<R, kColumns>& table,
                       std::initializer_list<const char*> lead = {}) {
  TableColumns out{table.name(), {lead.begin(), lead.end()}, lead.size(),
                   [](const Statement& s) {
                     R record{};
                     int col = 0;
                     for (const Column<R>& c : kColumns) c.read(s, col++, record);
                   }};
  for (const Column<R>& c : kColumns) out.columns.push_back(c.name);
  return out;
}

}  // namespace cvm::state
