#include "state/key_pair_store.h"

#include <set>
#include <unordered_map>

#include "state/columns.h"
#include "state/instance_store.h"  // JsonStringArray

namespace cvm::state {
namespace {

using K = KeyPair;
using Role = Column<K>::Role;
constexpr Column<K> kKeyPairColumns[] = {
    Key<&K::rowid>("id"),
    Field<&K::app_id>("app_id", Role::kFixed),
    Field<&K::region>("region", Role::kFixed),
    Field<&K::key_id>("key_id", Role::kFixed),
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

constexpr char kDelete[] = "DELETE FROM key_pairs WHERE id = ?";

constexpr char kIdExists[] = "SELECT 1 FROM key_pairs WHERE key_id = ?";
constexpr char kCount[] = "SELECT COUNT(*) FROM key_pairs WHERE app_id = ? AND region = ?";
constexpr char kIdNamed[] = "SELECT key_id FROM key_pairs WHERE app_id = ? AND region = ? AND name = ?";
constexpr char kIdWithPublicKey[] =
    "SELECT key_id FROM key_pairs WHERE app_id = ? AND region = ? AND public_key = ?";

// The fixed fragments a listing is assembled from; every value is bound.
constexpr char kFrom[] = " FROM key_pairs k WHERE k.app_id = ? AND k.region = ?";
constexpr char kIdIn[] = " AND k.key_id IN (SELECT value FROM json_each(?))";
constexpr char kNameIn[] = " AND k.name IN (SELECT value FROM json_each(?))";
constexpr char kProjectIn[] = " AND k.project_id IN (SELECT CAST(value AS INTEGER) FROM json_each(?))";
constexpr char kPage[] = " ORDER BY k.id LIMIT ? OFFSET ?";

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
}

void KeyPairStore::UpdateAttributes(const KeyPair& k) {
  static const auto update = KeyPairs().Update({"name", "description"});
  Statement s = db_.Cached(update.sql());
  update.Bind(s, k);
  s.Run();
}

void KeyPairStore::Delete(int64_t rowid) { db_.Cached(kDelete).Bind(1, rowid).Run(); }

bool KeyPairStore::IdExists(const std::string& key_id) {
  Statement s = db_.Cached(kIdExists);
  s.Bind(1, key_id);
  return s.Step();
}

int64_t KeyPairStore::Count(int64_t app_id, const std::string& region) {
  Statement s = db_.Cached(kCount);
  s.Bind(1, app_id).Bind(2, region);
  s.Step();
  return s.Int(0);
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
  static const std::string sql = "SELECT " + KeyPairs().select_list() + kFrom + kIdIn;
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

KeyPairPage KeyPairStore::List(int64_t app_id, const std::string& region, const KeyPairQuery& query) {
  // The WHERE clause: fixed fragments, one bound value each.
  std::string where = kFrom;
  std::vector<std::string> binds;
  if (query.key_ids) {
    where += kIdIn;
    binds.push_back(JsonStringArray(*query.key_ids));
  }
  for (const KeyPairCondition& c : query.conditions) {
    if (c.name == "key-name") {
      where += kNameIn;
    } else if (c.name == "project-id") {
      where += kProjectIn;
    } else {
      throw DatabaseError("unknown key pair filter " + c.name);
    }
    binds.push_back(JsonStringArray(c.values));
  }
  auto bind_where = [&](Statement& s) {
    s.Bind(1, app_id).Bind(2, region);
    for (size_t i = 0; i < binds.size(); ++i) s.Bind(static_cast<int>(i + 3), binds[i]);
  };

  KeyPairPage page;
  {
    Statement count = db_.Prepare("SELECT COUNT(*)" + where);
    bind_where(count);
    count.Step();
    page.total = count.Int(0);
  }
  if (page.total == 0 || query.offset >= page.total) return page;
  Statement s = db_.Prepare("SELECT " + KeyPairs().select_list() + where + kPage);
  bind_where(s);
  s.Bind(static_cast<int>(binds.size() + 3), query.limit);
  s.Bind(static_cast<int>(binds.size() + 4), query.offset);
  while (s.Step()) page.items.push_back(KeyPairs().Read(s));
  return page;
}

}  // namespace cvm::state
