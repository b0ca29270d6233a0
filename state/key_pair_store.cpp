#include "state/key_pair_store.h"

#include <set>
#include <unordered_map>

#include "state/columns.h"
#include "state/count_store.h"
#include "state/instance_store.h"  // JsonStringArray
#include "state/listing.h"

namespace cvm::state {
namespace {

using K = KeyPair;
constexpr Column<K> kKeyPairColumns[] = {
    Key<&K::rowid>("id"),
    Field<&K::app_id>("app_id", ColumnRole::kFixed),
    Field<&K::region>("region", ColumnRole::kFixed),
    Field<&K::key_id>("key_id", ColumnRole::kFixed),
    Field<&K::name>("name"),
    Field<&K::description>("description"),
    Field<&K::project_id>("project_id"),
    Field<&K::public_key>("public_key"),
    Field<&K::created_at>("created_at"),
};

const Table<K, kKeyPairColumns>& KeyPairs() {
  static const Table<K, kKeyPairColumns> table("key_pairs", "k");
  return table;
}

constexpr char kDeleteKeyPair[] = "DELETE FROM key_pairs WHERE id = ? RETURNING app_id, region";

constexpr char kKeyIdExists[] = "SELECT 1 FROM key_pairs WHERE key_id = ?";
constexpr char kIdNamed[] =
    "SELECT key_id FROM key_pairs WHERE app_id = ? AND region = ? AND name = ?";
constexpr char kIdWithPublicKey[] =
    "SELECT key_id FROM key_pairs WHERE app_id = ? AND region = ? AND public_key = ?";

constexpr char kKeyPairsFrom[] = " FROM key_pairs k WHERE k.app_id = ? AND k.region = ?";
constexpr char kKeyIdIn[] = " AND k.key_id IN (SELECT value FROM json_each(?))";

// KeyIds and DescribeKeyPairs' filters, and the indexes that answer them
// (migrations 3 and 8).
using P = FilterPath;
// clang-format off: one filter a row or two
constexpr FilterSpec kFilters[] = {
    {.name = "key-id",
     .path = P::kPoint,
     .index = "sqlite_autoindex_key_pairs_1",  // KeyIds
     .column = "key_id"},
    {.name = "key-name", .path = P::kPoint, .index = "key_pairs_by_name", .column = "name"},
    {.name = "project-id",
     .path = P::kRange,
     .index = "key_pairs_by_project",
     .column = "project_id",
     .integer = true,
     .every_row = true},
};
// clang-format on
constexpr ListedTable kListed{"key_pairs", nullptr, "key_pairs_by_owner"};

std::optional<std::string> OneText(Statement s) {
  if (!s.Step()) return std::nullopt;
  return s.Text(0);
}

}  // namespace

std::vector<TableColumns> KeyPairStore::Columns() { return {ColumnsOf(KeyPairs())}; }

void KeyPairStore::Insert(KeyPair& k) {
  static const auto insert = KeyPairs().Insert();
  Statement s = db_.Cached(insert.sql());
  insert.Bind(s, k);
  s.Run();
  k.rowid = db_.LastInsertRowId();
  CountStore(db_).Add(kCountedKeyPairs, k.app_id, k.region, 1);
}

void KeyPairStore::UpdateAttributes(const KeyPair& k) {
  static const auto update = KeyPairs().Update({"name", "description"});
  Statement s = db_.Cached(update.sql());
  update.Bind(s, k);
  s.Run();
}

void KeyPairStore::Delete(int64_t rowid) {
  CountStore(db_).DeleteRow(kCountedKeyPairs, kDeleteKeyPair, rowid);
}

bool KeyPairStore::IdExists(const std::string& key_id) {
  Statement s = db_.Cached(kKeyIdExists);
  s.Bind(1, key_id);
  return s.Step();
}

int64_t KeyPairStore::Count(int64_t app_id, const std::string& region) {
  return CountStore(db_).Get(kCountedKeyPairs, app_id, region);
}

std::optional<std::string> KeyPairStore::IdNamed(int64_t app_id, const std::string& region,
                                                 const std::string& name) {
  Statement s = db_.Cached(kIdNamed);
  s.Bind(1, app_id).Bind(2, region).Bind(3, name);
  return OneText(std::move(s));
}

std::optional<std::string> KeyPairStore::IdWithPublicKey(int64_t app_id, const std::string& region,
                                                         const std::string& public_key) {
  Statement s = db_.Cached(kIdWithPublicKey);
  s.Bind(1, app_id).Bind(2, region).Bind(3, public_key);
  return OneText(std::move(s));
}

std::vector<KeyPair> KeyPairStore::FindMany(int64_t app_id, const std::string& region,
                                            const std::vector<std::string>& key_ids) {
  static const std::string sql = "SELECT " + KeyPairs().select_list() + kKeyPairsFrom + kKeyIdIn;
  Statement s = db_.Cached(sql.c_str());
  s.Bind(1, app_id).Bind(2, region).Bind(3, JsonStringArray(key_ids));
  std::unordered_map<std::string, KeyPair> by_id;
  while (s.Step()) {
    KeyPair k = KeyPairs().Read(s);
    std::string id = k.key_id;
    by_id.emplace(std::move(id), std::move(k));
  }
  std::vector<KeyPair> out;
  for (const std::string& id : key_ids) {
    auto it = by_id.find(id);
    if (it == by_id.end()) continue;
    out.push_back(std::move(it->second));
    by_id.erase(it);  // a repeated ID is listed once
  }
  return out;
}

std::vector<std::string> KeyPairStore::MissingKeys(int64_t app_id, const std::string& region,
                                                   const std::vector<std::string>& key_ids) {
  std::set<std::string> found;
  for (const KeyPair& k : FindMany(app_id, region, key_ids)) found.insert(k.key_id);
  std::vector<std::string> missing;
  std::set<std::string> seen;
  for (const std::string& id : key_ids) {
    if (!found.count(id) && seen.insert(id).second) missing.push_back(id);
  }
  return missing;
}

std::span<const FilterSpec> KeyPairStore::Filters() { return kFilters; }

KeyPairPage KeyPairStore::List(int64_t app_id, const std::string& region,
                               const KeyPairQuery& query) {
  KeyPairPage page;
  std::vector<int64_t> rowids;
  std::vector<int64_t> hidden;
  if (query.hidden_created) {
    hidden = RowsCreatedIn(db_, kListed, app_id, region, *query.hidden_created);
  }
  if (!query.key_ids && query.conditions.empty()) {
    // Less the new key pairs, if a hide_new fault fired (D-219).
    IdPage ids = ListAllIds(db_, kListed, app_id, region, Count(app_id, region), query.offset,
                            query.limit, hidden);
    page.total = ids.total;
    rowids = std::move(ids.ids);
  } else {
    std::vector<FilterValues> filters;
    if (query.key_ids) filters.push_back({&kFilters[0], "", *query.key_ids});
    for (const KeyPairCondition& c : query.conditions) {
      const FilterSpec* spec = FindFilter(std::begin(kFilters) + 1, std::end(kFilters), c.name);
      if (!spec) throw DatabaseError("unknown key pair filter " + c.name);
      filters.push_back({spec, "", c.values});
    }
    IdPage ids = ListIds(db_, kListed, app_id, region, std::move(filters), std::nullopt,
                         Count(app_id, region), query.offset, query.limit, hidden);
    page.total = ids.total;
    rowids = std::move(ids.ids);
  }
  if (rowids.empty()) return page;
  static const std::string sql = "SELECT " + KeyPairs().select_list() +
                                 " FROM key_pairs k WHERE k.id IN (SELECT value FROM json_each(?)) "
                                 "ORDER BY k.id";
  Statement s = db_.Cached(sql.c_str());
  s.Bind(1, JsonIntArray(rowids));
  while (s.Step()) page.items.push_back(KeyPairs().Read(s));
  return page;
}

}  // namespace cvm::state
