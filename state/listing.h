// Pages of a store's rows picked by a Describe action's filters, found
// through indexes, so that a filter costs what it matches, not what is
// stored (D-250).
//
// Filters are ANDed and each filter's values ORed. A store describes every
// filter it offers as a FilterSpec, saying how the filter's matches are found:
//  - kRange: an index on (app_id, region, column) holds each value's rows in
//    row ID order (SQLite ends every index with the row ID). A page of one
//    value walks that index in order and stops once the page is full; the
//    values of one filter are merged in order (SQLite's ordered UNION); a
//    value that matches nothing costs one probe.
//  - kPoint: each value matches at most a few rows (an ID, an address); an
//    index on the column finds them and the page sorts them.
//  - kChild: a child table (tags, security groups) that carries its owner's
//    app_id and region, with an index on (app_id, region, column, owner row
//    ID): like kRange, on the child table.
// A listing drives from its most selective filter: a point filter if there
// is one, else the filter with the fewest matches, counted on its index up
// to kProbeLimit (ties: the earlier in the store's list). The other filters
// are checked on the rows the driver finds.
//
// Costs, with m the driver's matches: a page reads offset + limit of the
// driver's index entries, and, when there are other filters, their rows.
// TotalCount, when the driver is the only filter, counts its m index
// entries (index only, no row read); for a kRange filter over every row of
// the table it counts the rows that do not match instead when those are
// fewer than kCountProbe; a `counted` kChild filter with one value, or with
// several that no owner holds two of (one key's values), reads a counter
// per value instead. With other filters, it reads the m rows, unless
// every filter is such a kRange filter and each leaves out fewer than
// kCountProbe rows: then it reads the row IDs each leaves out (D-251).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "state/clock.h"
#include "state/database.h"

namespace cvm::state {

enum class FilterPath { kRange, kPoint, kChild };

struct FilterSpec {
  std::string_view name;  // as the API spells it; "tag:" stands for every tag:<key>
  FilterPath path;
  const char* index;     // the index the filter's matches are found in
  const char* column;    // compared with the values (a column of the child table for kChild)
  bool integer = false;  // the values are decimal integers (project-id)
  // kRange: every row has a non-null value here, so the index holds every
  // row and the rows that do not match can be counted instead.
  bool every_row = false;
  // kChild: the child table, its column holding the owner's row ID, the
  // column tag:<key>'s <key> is compared with, and whether an owner has a
  // value at most once (a tag key).
  const char* child_table = nullptr;
  const char* child_owner = nullptr;
  const char* key_column = nullptr;
  bool once_per_owner = false;
  // kChild: the table's value_counts holds how many owners have each value
  // (under each key), so a lone filter's TotalCount reads a row per value.
  bool counted = false;
};

// The table a store lists: its rows have the columns id, app_id, region and
// created_at.
struct ListedTable {
  const char* name;
  // A predicate over the alias `r` with one `?` (an instant), true of the
  // rows still visible then; null if every row always is.
  const char* visible = nullptr;
  // The index on (app_id, region, id).
  const char* owner_index = nullptr;
  // A table of counters (app_id, region, filter, key, value, count): how
  // many rows have each value of each `counted` filter (the filter's name,
  // the <key> of tag:<key> or '', the value). Null if there is none.
  const char* value_counts = nullptr;
};

// Creation times (after, upto]: the rows created then are left out of a
// listing, as resources too new for Describe to see (a hide_new fault,
// D-219). A row created after `upto` (the clock was set back) is not new.
struct CreatedWindow {
  TimeMs after = 0;
  TimeMs upto = 0;
};

// The row IDs of the account's rows of `table` in the region created within
// `window`, ascending. Without an index on created_at this reads each of
// the account's rows in the region (D-220).
std::vector<int64_t> RowsCreatedIn(Database& db, const ListedTable& table, int64_t app_id,
                                   const std::string& region, const CreatedWindow& window);

// One filter of a request, with its values.
struct FilterValues {
  const FilterSpec* spec;
  std::string key;  // the <key> of tag:<key>; empty for other filters
  std::vector<std::string> values;
};

struct IdPage {
  int64_t total = 0;         // every match, across pages
  std::vector<int64_t> ids;  // the page's row IDs, ascending
};

// The most matches of one filter that choosing the driver counts.
inline constexpr int64_t kProbeLimit = 64;
// The most rows a lone kRange filter over every row counts before it
// counts the rows that do not match instead.
inline constexpr int64_t kCountProbe = 256;

// A statement and the values of its `?`, in order.
struct BoundSql {
  std::string sql;
  std::vector<std::variant<int64_t, std::string>> binds;
};

// Appends SQL text and its binds, in order.
class SqlBuilder {
 public:
  SqlBuilder& operator<<(std::string_view text) {
    out_.sql += text;
    return *this;
  }
  // A `?` bound to `value`.
  SqlBuilder& Param(int64_t value) {
    out_.sql += '?';
    out_.binds.emplace_back(value);
    return *this;
  }
  SqlBuilder& Param(std::string value) {
    out_.sql += '?';
    out_.binds.emplace_back(std::move(value));
    return *this;
  }
  BoundSql Take() { return std::move(out_); }

 private:
  BoundSql out_;
};

// The statement, with its binds. Each distinct text is prepared once and
// cached (up to a few hundred texts; the rest are prepared at each use).
Statement PrepareBound(Database& db, const BoundSql& sql);

// What a listing driven by filters[driver] runs. Exposed so that tests can
// ask SQLite for the plan of exactly that.
struct ListingSql {
  BoundSql page;   // the page's row IDs; LIMIT ? OFFSET ? follow the binds
  BoundSql count;  // the number of matches
  BoundSql probe;  // the driver's own matches; LIMIT ? follows the binds
  // A lone kRange driver over every row: the rows of each gap between its
  // values (sorted), up to a limit (LIMIT ? follows the binds).
  std::vector<BoundSql> gaps;
};
// The page leaves out the rows in `hidden` (the counts do not: ListIds
// takes the hidden ones that match from them). REQUIRES: driver <
// filters.size(); every filter has a value; values are distinct.
ListingSql BuildListingSql(const ListedTable& table, int64_t app_id, const std::string& region,
                           const std::vector<FilterValues>& filters, size_t driver,
                           std::optional<TimeMs> visible_at,
                           const std::vector<int64_t>& hidden = {});

// One page of the account's rows in the region that match every filter (and
// are visible at `visible_at`, if given and the table says how), oldest
// first, and how many match in all. `rows`, if given, is how many rows the
// account has in the region (all visible). Repeated values count once; a
// filter without values matches nothing. The rows in `hidden` (ascending
// row IDs) are left out of both: the total is counted as without them, less
// those of them that match (a probe each), so the fast counts stay fast.
// REQUIRES: filters is not empty; hidden needs table.owner_index.
IdPage ListIds(Database& db, const ListedTable& table, int64_t app_id, const std::string& region,
               std::vector<FilterValues> filters, std::optional<TimeMs> visible_at,
               std::optional<int64_t> rows, int64_t offset, int64_t limit,
               const std::vector<int64_t>& hidden = {});

// A page of the account's rows of `table` in the region, unfiltered, every
// row visible: their row IDs from `offset` on, ascending, and how many there
// are, of `rows` in all, less the rows in `hidden` (all of them the
// account's, in the region). The Offset is skipped on the owner index alone.
IdPage ListAllIds(Database& db, const ListedTable& table, int64_t app_id,
                  const std::string& region, int64_t rows, int64_t offset, int64_t limit,
                  const std::vector<int64_t>& hidden = {});

// A JSON array of row IDs ("[3,7]"), for binding to json_each(?).
std::string JsonIntArray(const std::vector<int64_t>& ids);

// The spec of the filter named `name` ("tag:env" is "tag:"), or null.
const FilterSpec* FindFilter(const FilterSpec* begin, const FilterSpec* end, std::string_view name);

}  // namespace cvm::state
