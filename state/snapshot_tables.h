// The tables a snapshot (GET/POST /_emulator/snapshot) holds, and how each
// belongs to an account, read from the migrated schema so that a table added
// later is in every snapshot without code of its own (docs/decisions.md
// D-235). A table belongs to an account through its `app_id` column, or, when
// it refers to a parent table (a foreign key, e.g. instance_tags →
// instances), through its parent's.
#pragma once

#include <string>
#include <vector>

#include "state/columns.h"

namespace cvm::state {

class Database;

struct SnapshotColumn {
  std::string name;
  std::string type;  // "INTEGER", "TEXT" or "REAL", as declared
  bool not_null = false;
};

struct SnapshotTable {
  std::string name;
  std::vector<SnapshotColumn> columns;  // in the schema's order
  std::vector<std::string> key;         // the primary key's columns, in order
  bool has_rowid_key = false;           // `id INTEGER PRIMARY KEY`: renumbered on import
  std::string parent;                   // the table it belongs to, or ""
  std::string parent_column;            // its column holding the parent's `id`
  // The store's own column list, when a store writes the table: the import
  // reads what it wrote back through it.
  const TableColumns* store = nullptr;
};

// Tables that are not state a snapshot carries: the schema's own, the
// emulator's metadata (the clock travels as a value), accepted v1 signatures
// (they follow real time), and the counters (derived from the rows and
// recomputed on import: state/count_store.h).
bool ExcludedFromSnapshots(const std::string& table);

// Every snapshot table of `db`'s schema, parents before their children.
std::vector<SnapshotTable> SnapshotTables(Database& db);

// Every store's column list (instances, images, key pairs, bandwidth
// configurations, …): the one list a new store adds itself to.
const std::vector<TableColumns>& StoreColumns();

}  // namespace cvm::state
