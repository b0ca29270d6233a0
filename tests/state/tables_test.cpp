// The stores' column lists (state/columns.h) against the migrated schema:
// every table a store writes has exactly the columns the store declares, so
// a column added to one and not the other fails here, not at run time.
#include <doctest/doctest.h>

#include <set>
#include <string>
#include <vector>

#include "state/bandwidth_config_store.h"
#include "state/columns.h"
#include "state/database.h"
#include "state/host_store.h"
#include "state/image_store.h"
#include "state/instance_store.h"
#include "state/key_pair_store.h"
#include "state/migrations.h"
#include "state/placement_group_store.h"

namespace {

std::set<std::string> SchemaColumns(cvm::state::Database& db, const std::string& table) {
  cvm::state::Statement s = db.Prepare("SELECT name FROM pragma_table_info(?)");
  s.Bind(1, table);
  std::set<std::string> names;
  while (s.Step()) names.insert(s.Text(0));
  return names;
}

}  // namespace

TEST_CASE("Stores: each table's column list names every column of the migrated table, once") {
  cvm::state::Database db(":memory:");
  cvm::state::Migrate(db);
  std::vector<cvm::state::TableColumns> tables;
  for (auto list : {cvm::state::InstanceStore::Columns(), cvm::state::ImageStore::Columns(),
                    cvm::state::KeyPairStore::Columns(), cvm::state::HostStore::Columns(),
                    cvm::state::PlacementGroupStore::Columns(),
                    cvm::state::BandwidthConfigStore::Columns()}) {
    tables.insert(tables.end(), list.begin(), list.end());
  }
  CHECK(tables.size() == 11);
  std::set<std::string> seen_tables;
  for (const cvm::state::TableColumns& t : tables) {
    CAPTURE(t.table);
    CHECK(seen_tables.insert(t.table).second);
    std::set<std::string> declared(t.columns.begin(), t.columns.end());
    CHECK(declared.size() == t.columns.size());
    CHECK(declared == SchemaColumns(db, t.table));
  }
}
