#include "state/snapshot_tables.h"

#include <algorithm>
#include <map>

#include "state/bandwidth_config_store.h"
#include "state/count_store.h"
#include "state/database.h"
#include "state/image_store.h"
#include "state/instance_store.h"
#include "state/key_pair_store.h"

namespace cvm::state {
namespace {

constexpr const char* kExcluded[] = {"schema_version", "meta", "v1_signatures"};

constexpr char kTables[] =
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
    "ORDER BY name";
constexpr char kColumns[] = "SELECT name, type, \"notnull\", pk FROM pragma_table_info(?) ORDER BY cid";
constexpr char kParent[] = "SELECT \"table\", \"from\" FROM pragma_foreign_key_list(?) ORDER BY id";

}  // namespace

bool ExcludedFromSnapshots(const std::string& table) {
  return IsCounterTable(table) ||
         std::find(std::begin(kExcluded), std::end(kExcluded), table) != std::end(kExcluded);
}

const std::vector<TableColumns>& StoreColumns() {
  static const std::vector<TableColumns> all = [] {
    std::vector<TableColumns> out;
    for (auto list : {InstanceStore::Columns(), ImageStore::Columns(), KeyPairStore::Columns(),
                      BandwidthConfigStore::Columns()}) {
      out.insert(out.end(), list.begin(), list.end());
    }
    return out;
  }();
  return all;
}

std::vector<SnapshotTable> SnapshotTables(Database& db) {
  std::vector<SnapshotTable> tables;
  std::vector<std::string> names;
  {
    Statement s = db.Prepare(kTables);
    while (s.Step()) names.push_back(s.Text(0));
  }
  for (const std::string& name : names) {
    if (ExcludedFromSnapshots(name)) continue;
    SnapshotTable t;
    t.name = name;
    std::map<int64_t, std::string> key;
    Statement c = db.Prepare(kColumns);
    c.Bind(1, name);
    while (c.Step()) {
      t.columns.push_back({c.Text(0), c.Text(1), c.Int(2) != 0});
      if (c.Int(3) > 0) key[c.Int(3)] = c.Text(0);
    }
    for (auto& [position, column] : key) t.key.push_back(column);
    t.has_rowid_key = t.key == std::vector<std::string>{"id"} && t.columns.front().type == "INTEGER";
    Statement p = db.Prepare(kParent);
    p.Bind(1, name);
    if (p.Step()) t.parent = p.Text(0), t.parent_column = p.Text(1);
    for (const TableColumns& store : StoreColumns()) {
      if (store.table == name) t.store = &store;
    }
    tables.push_back(std::move(t));
  }
  // Parents first (one level of parents is all the schema has).
  std::stable_partition(tables.begin(), tables.end(),
                        [](const SnapshotTable& t) { return t.parent.empty(); });
  return tables;
}

}  // namespace cvm::state
