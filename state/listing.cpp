#include "state/listing.h"

#include <algorithm>
#include <mutex>
#include <set>

#include "state/instance_store.h"  // JsonStringArray

namespace cvm::state {
namespace {

// Builds the statements of one listing. `r` is the listed table; `c` a
// child table; `d` the driver's table (r, or c for a kChild driver).
class Sql {
 public:
  Sql(const ListedTable& table, int64_t app_id, const std::string& region,
      const std::vector<FilterValues>& filters, size_t driver, std::optional<TimeMs> visible_at,
      const std::vector<int64_t>* hidden = nullptr)
      : table_(table),
        app_id_(app_id),
        region_(region),
        filters_(filters),
        driver_(filters[driver]),
        d_(*filters[driver].spec),
        driver_index_(driver),
        visible_at_(table.visible ? visible_at : std::nullopt),
        hidden_(hidden && !hidden->empty() ? hidden : nullptr) {}

  BoundSql Page() const {
    SqlBuilder b;
    Rows(b);
    b << " ORDER BY 1 LIMIT ? OFFSET ?";
    return b.Take();
  }

  BoundSql Count() const {
    SqlBuilder b;
    if (d_.path != FilterPath::kChild) {
      b << "SELECT COUNT(*)";
      PointFrom(b);
    } else if (d_.once_per_owner && driver_.values.size() == 1 && !HasResiduals()) {
      // The child index alone, where each owner appears once.
      b << "SELECT COUNT(*) FROM " << d_.child_table << " d INDEXED BY " << d_.index << " WHERE ";
      Owner(b, "d");
      DriverValues(b);
    } else {
      // The page's ordered merge, which drops repeated owners as it goes.
      b << "SELECT COUNT(*) FROM (";
      Rows(b);
      b << " ORDER BY 1)";
    }
    return b.Take();
  }

  BoundSql Probe() const {
    SqlBuilder b;
    b << "SELECT COUNT(*) FROM (SELECT 1 FROM " << DriverTable() << " d INDEXED BY " << d_.index
      << " WHERE ";
    Owner(b, "d");
    DriverValues(b);
    b << " LIMIT ?)";
    return b.Take();
  }

  // The rows between the driver's values, one range of its index each:
  // how many (`ids` false), or their row IDs; at most a limit (LIMIT ?
  // follows the binds).
  std::vector<BoundSql> Gaps(bool ids = false) const {
    std::vector<BoundSql> out;
    if (d_.path != FilterPath::kRange || !d_.every_row || HasResiduals()) return out;
    std::vector<std::string> sorted = driver_.values;
    if (d_.integer) {
      std::sort(sorted.begin(), sorted.end(), [](const std::string& a, const std::string& b) {
        return std::stoll(a) < std::stoll(b);
      });
    } else {
      std::sort(sorted.begin(), sorted.end());  // bytewise, as SQLite's BINARY collation
    }
    for (size_t i = 0; i <= sorted.size(); ++i) {
      SqlBuilder b;
      b << (ids ? "SELECT d.id" : "SELECT COUNT(*) FROM (SELECT 1") << " FROM " << table_.name
        << " d INDEXED BY " << d_.index << " WHERE ";
      Owner(b, "d");
      if (i > 0) {
        b << " AND d." << d_.column << " > ";
        Value(b, sorted[i - 1]);
      }
      if (i < sorted.size()) {
        b << " AND d." << d_.column << " < ";
        Value(b, sorted[i]);
      }
      b << (ids ? " LIMIT ?" : " LIMIT ?)");
      out.push_back(b.Take());
    }
    return out;
  }

 private:
  bool HasResiduals() const {
    return filters_.size() > 1 || visible_at_.has_value() || hidden_ != nullptr;
  }
  const char* DriverTable() const {
    return d_.path == FilterPath::kChild ? d_.child_table : table_.name;
  }

  void Value(SqlBuilder& b, const std::string& value) const {
    if (d_.integer) {
      b.Param(static_cast<int64_t>(std::stoll(value)));
    } else {
      b.Param(value);
    }
  }
  // " IN (the values)", bound as one JSON array.
  static void In(SqlBuilder& b, const FilterSpec& spec, const std::vector<std::string>& values) {
    b << (spec.integer ? " IN (SELECT CAST(value AS INTEGER) FROM json_each("
                       : " IN (SELECT value FROM json_each(");
    b.Param(JsonStringArray(values));
    b << "))";
  }

  void Owner(SqlBuilder& b, const char* alias) const {
    b << alias << ".app_id = ";
    b.Param(app_id_);
    b << " AND " << alias << ".region = ";
    b.Param(region_);
  }
  // " AND d.<key> = ? AND d.<column> IN (the driver's values)".
  void DriverValues(SqlBuilder& b) const {
    if (d_.key_column) {
      b << " AND d." << d_.key_column << " = ";
      b.Param(driver_.key);
    }
    b << " AND d." << d_.column;
    In(b, d_, driver_.values);
  }

  // " AND ..." for every filter but the driver, and visibility, over `r`.
  void Residuals(SqlBuilder& b) const {
    for (size_t i = 0; i < filters_.size(); ++i) {
      if (i == driver_index_) continue;
      const FilterValues& f = filters_[i];
      const FilterSpec& s = *f.spec;
      if (s.path == FilterPath::kChild) {
        b << " AND EXISTS (SELECT 1 FROM " << s.child_table << " c WHERE c." << s.child_owner
          << " = r.id";
        if (s.key_column) {
          b << " AND c." << s.key_column << " = ";
          b.Param(f.key);
        }
        b << " AND c." << s.column;
        In(b, s, f.values);
        b << ")";
      } else {
        b << " AND r." << s.column;
        In(b, s, f.values);
      }
    }
    if (visible_at_) {
      std::string_view visible = table_.visible;
      size_t mark = visible.find('?');
      b << " AND " << visible.substr(0, mark);
      b.Param(*visible_at_);
      b << visible.substr(mark + 1);
    }
    if (hidden_) {
      // The row ID is in every index: checked without reading the row.
      b << " AND r.id NOT IN (SELECT value FROM json_each(";
      b.Param(JsonIntArray(*hidden_));
      b << "))";
    }
  }

  // Every match's row ID, in row ID order per arm (the caller orders).
  void Rows(SqlBuilder& b) const {
    if (d_.path == FilterPath::kPoint) {
      b << "SELECT r.id";
      PointFrom(b);
      return;
    }
    bool child = d_.path == FilterPath::kChild;
    for (size_t i = 0; i < driver_.values.size(); ++i) {
      // A range filter's values match disjoint rows; an owner may have
      // several of a child filter's values (or one twice), so UNION.
      if (i > 0) b << (child ? " UNION " : " UNION ALL ");
      Arm(b, driver_.values[i], child && !d_.once_per_owner && driver_.values.size() == 1);
    }
  }

  // The driver's rows for one value, in row ID order. A range driver's
  // table is the listed one, `r`.
  void Arm(SqlBuilder& b, const std::string& value, bool distinct) const {
    const char* alias = "r";
    if (d_.path == FilterPath::kChild) {
      alias = "d";
      b << (distinct ? "SELECT DISTINCT d." : "SELECT d.") << d_.child_owner << " FROM "
        << d_.child_table << " d INDEXED BY " << d_.index;
      if (HasResiduals()) {
        b << " CROSS JOIN " << table_.name << " r ON r.id = d." << d_.child_owner;
      }
    } else {
      b << "SELECT r.id FROM " << table_.name << " r INDEXED BY " << d_.index;
    }
    b << " WHERE ";
    Owner(b, alias);
    if (d_.key_column) {
      b << " AND " << alias << "." << d_.key_column << " = ";
      b.Param(driver_.key);
    }
    b << " AND " << alias << "." << d_.column << " = ";
    Value(b, value);
    Residuals(b);
  }

  // " FROM <table> r INDEXED BY <index> WHERE <the driver's values>": every
  // row of a point or range driver, unordered.
  void PointFrom(SqlBuilder& b) const {
    b << " FROM " << table_.name << " r INDEXED BY " << d_.index << " WHERE ";
    Owner(b, "r");
    b << " AND r." << d_.column;
    In(b, d_, driver_.values);
    Residuals(b);
  }

  const ListedTable& table_;
  int64_t app_id_;
  const std::string& region_;
  const std::vector<FilterValues>& filters_;
  const FilterValues& driver_;
  const FilterSpec& d_;
  size_t driver_index_;
  std::optional<TimeMs> visible_at_;
  const std::vector<int64_t>* hidden_;  // left out of every statement; null: none
};

// Listings run a few shapes of SQL over and over (one per combination of
// filters, driver and number of values); each is prepared once. Past
// kMaxShapes distinct texts, the rest are prepared at each use.
constexpr size_t kMaxShapes = 256;

int64_t CountUpTo(Database& db, const BoundSql& sql, int64_t limit) {
  Statement s = PrepareBound(db, sql);
  s.Bind(static_cast<int>(sql.binds.size() + 1), limit);
  s.Step();
  return s.Int(0);
}

// How many rows match: the driver's index entries, or (a lone kRange filter
// over every row matching most of them) the rows less those that do not.
int64_t Total(Database& db, const ListingSql& sql, std::optional<int64_t> rows) {
  if (rows && !sql.gaps.empty()) {
    int64_t some = CountUpTo(db, sql.probe, kCountProbe);
    if (some < kCountProbe) return some;
    int64_t others = 0;
    for (const BoundSql& gap : sql.gaps) {
      others += CountUpTo(db, gap, kCountProbe - others);
      if (others >= kCountProbe) break;
    }
    if (others < kCountProbe) return *rows - others;
  }
  Statement s = PrepareBound(db, sql.count);
  s.Step();
  return s.Int(0);
}

// A lone `counted` filter's TotalCount from the table's counters, when
// they answer it exactly: one value, or values no owner holds two of (the
// values of one key, each owner holding a key once). Nullopt otherwise.
std::optional<int64_t> TotalFromCounters(Database& db, const ListedTable& table, int64_t app_id,
                                         const std::string& region, const FilterValues& f) {
  const FilterSpec& spec = *f.spec;
  bool disjoint = f.values.size() == 1 || (spec.key_column && spec.once_per_owner);
  if (!spec.counted || !table.value_counts || !disjoint) return std::nullopt;
  SqlBuilder b;
  b << "SELECT IFNULL(SUM(count), 0) FROM " << table.value_counts << " WHERE app_id = ";
  b.Param(app_id);
  b << " AND region = ";
  b.Param(region);
  b << " AND filter = ";
  b.Param(std::string(spec.name));
  b << " AND key = ";
  b.Param(f.key);
  b << " AND value IN (SELECT value FROM json_each(";
  b.Param(JsonStringArray(f.values));
  b << "))";
  Statement s = PrepareBound(db, b.Take());
  s.Step();
  return s.Int(0);
}

// Several filters, each a kRange filter over every row that the account's
// rows (`rows`, all visible) all but a few match: the rows less those that
// some filter leaves out, read as row IDs from the gaps of each filter's
// index (fewer than kCountProbe each). Nullopt if a filter leaves out more,
// or is of another kind: the caller counts the matches instead.
std::optional<int64_t> TotalByLeftOut(Database& db, const ListedTable& table, int64_t app_id,
                                      const std::string& region,
                                      const std::vector<FilterValues>& filters, int64_t rows) {
  for (const FilterValues& f : filters) {
    if (f.spec->path != FilterPath::kRange || !f.spec->every_row) return std::nullopt;
  }
  std::set<int64_t> left_out;
  for (const FilterValues& f : filters) {
    std::vector<FilterValues> alone{f};
    Sql one(table, app_id, region, alone, 0, std::nullopt);
    int64_t n = 0;
    for (const BoundSql& gap : one.Gaps(true)) {
      Statement s = PrepareBound(db, gap);
      s.Bind(static_cast<int>(gap.binds.size() + 1), kCountProbe - n);
      while (s.Step()) left_out.insert(s.Int(0)), ++n;
      if (n >= kCountProbe) return std::nullopt;
    }
  }
  return rows - static_cast<int64_t>(left_out.size());
}

// How many of the `hidden` rows match every filter (and are visible at
// `visible_at`): one probe of the owner index each, the filters checked on
// each row found.
int64_t CountHidden(Database& db, const ListedTable& table, int64_t app_id,
                    const std::string& region, std::vector<FilterValues> filters,
                    std::optional<TimeMs> visible_at, const std::vector<int64_t>& hidden) {
  const FilterSpec by_row{"", FilterPath::kPoint, table.owner_index, "id", /*integer=*/true};
  std::vector<std::string> ids;
  for (int64_t id : hidden) ids.push_back(std::to_string(id));
  filters.push_back({&by_row, "", std::move(ids)});
  Sql among(table, app_id, region, filters, filters.size() - 1, visible_at);
  Statement s = PrepareBound(db, among.Count());
  s.Step();
  return s.Int(0);
}

}  // namespace

Statement PrepareBound(Database& db, const BoundSql& q) {
  static std::mutex mutex;
  static std::set<std::string> texts;  // a node-based set: c_str() stays put
  const char* text = nullptr;
  {
    std::lock_guard lock(mutex);
    auto it = texts.find(q.sql);
    if (it == texts.end() && texts.size() < kMaxShapes) it = texts.insert(q.sql).first;
    if (it != texts.end()) text = it->c_str();
  }
  Statement s = text ? db.Cached(text) : db.Prepare(q.sql);
  int i = 1;
  for (const auto& v : q.binds) {
    std::visit([&](const auto& x) { s.Bind(i++, x); }, v);
  }
  return s;
}

ListingSql BuildListingSql(const ListedTable& table, int64_t app_id, const std::string& region,
                           const std::vector<FilterValues>& filters, size_t driver,
                           std::optional<TimeMs> visible_at, const std::vector<int64_t>& hidden) {
  Sql sql(table, app_id, region, filters, driver, visible_at);
  BoundSql page = hidden.empty()
                      ? sql.Page()
                      : Sql(table, app_id, region, filters, driver, visible_at, &hidden).Page();
  return {std::move(page), sql.Count(), sql.Probe(), sql.Gaps()};
}

IdPage ListIds(Database& db, const ListedTable& table, int64_t app_id, const std::string& region,
               std::vector<FilterValues> filters, std::optional<TimeMs> visible_at,
               std::optional<int64_t> rows, int64_t offset, int64_t limit,
               const std::vector<int64_t>& hidden) {
  IdPage page;
  for (FilterValues& f : filters) {
    if (f.values.empty()) return page;
    std::sort(f.values.begin(), f.values.end());
    f.values.erase(std::unique(f.values.begin(), f.values.end()), f.values.end());
  }
  // The driver: a point filter, else the fewest matches (counted up to
  // kProbeLimit), the earlier on a tie.
  size_t driver = 0;
  bool all_broad = false;  // several filters, each with kProbeLimit matches or more
  auto point = std::find_if(filters.begin(), filters.end(), [](const FilterValues& f) {
    return f.spec->path == FilterPath::kPoint;
  });
  if (point != filters.end()) {
    driver = static_cast<size_t>(point - filters.begin());
  } else if (filters.size() > 1) {
    int64_t fewest = kProbeLimit + 1;
    for (size_t i = 0; i < filters.size(); ++i) {
      Sql one(table, app_id, region, filters, i, visible_at);
      int64_t n = CountUpTo(db, one.Probe(), kProbeLimit);
      if (n == 0) return page;  // this filter alone matches nothing
      if (n < fewest) fewest = n, driver = i;
    }
    all_broad = fewest >= kProbeLimit;
  }
  ListingSql sql = BuildListingSql(table, app_id, region, filters, driver, visible_at, hidden);
  std::optional<int64_t> total;
  if (all_broad && rows && !visible_at) {  // perhaps each matches nearly every row
    total = TotalByLeftOut(db, table, app_id, region, filters, *rows);
  }
  if (filters.size() == 1 && rows && !visible_at) {  // every row visible: counters hold
    total = TotalFromCounters(db, table, app_id, region, filters[0]);
  }
  page.total = total ? *total : Total(db, sql, visible_at ? std::nullopt : rows);
  if (!hidden.empty() && page.total > 0) {
    page.total -= CountHidden(db, table, app_id, region, filters, visible_at, hidden);
  }
  if (page.total == 0 || offset >= page.total) return page;
  Statement s = PrepareBound(db, sql.page);
  int next = static_cast<int>(sql.page.binds.size() + 1);
  s.Bind(next, limit).Bind(next + 1, offset);
  while (s.Step()) page.ids.push_back(s.Int(0));
  return page;
}

std::vector<int64_t> RowsCreatedIn(Database& db, const ListedTable& table, int64_t app_id,
                                   const std::string& region, const CreatedWindow& window) {
  SqlBuilder b;
  b << "SELECT r.id FROM " << table.name << " r INDEXED BY " << table.owner_index
    << " WHERE r.app_id = ";
  b.Param(app_id);
  b << " AND r.region = ";
  b.Param(region);
  b << " AND r.created_at > ";
  b.Param(window.after);
  b << " AND r.created_at <= ";
  b.Param(window.upto);
  b << " ORDER BY r.id";
  Statement s = PrepareBound(db, b.Take());
  std::vector<int64_t> out;
  while (s.Step()) out.push_back(s.Int(0));
  return out;
}

IdPage ListAllIds(Database& db, const ListedTable& table, int64_t app_id,
                  const std::string& region, int64_t rows, int64_t offset, int64_t limit,
                  const std::vector<int64_t>& hidden) {
  IdPage page;
  page.total = rows - static_cast<int64_t>(hidden.size());
  if (offset >= page.total) return page;
  SqlBuilder b;
  b << "SELECT id FROM " << table.name << " WHERE app_id = ";
  b.Param(app_id);
  b << " AND region = ";
  b.Param(region);
  if (!hidden.empty()) {
    b << " AND id NOT IN (SELECT value FROM json_each(";
    b.Param(JsonIntArray(hidden));
    b << "))";
  }
  b << " ORDER BY id LIMIT ";
  b.Param(limit);
  b << " OFFSET ";
  b.Param(offset);
  Statement s = PrepareBound(db, b.Take());
  while (s.Step()) page.ids.push_back(s.Int(0));
  return page;
}

std::string JsonIntArray(const std::vector<int64_t>& ids) {
  std::string out = "[";
  for (int64_t id : ids) {
    if (out.size() > 1) out += ',';
    out += std::to_string(id);
  }
  out += ']';
  return out;
}

const FilterSpec* FindFilter(const FilterSpec* begin, const FilterSpec* end,
                             std::string_view name) {
  for (const FilterSpec* s = begin; s != end; ++s) {
    bool family = s->name.ends_with(':');
    if (family ? name.starts_with(s->name) : name == s->name) return s;
  }
  return nullptr;
}

}  // namespace cvm::state
