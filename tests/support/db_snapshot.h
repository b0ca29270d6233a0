// Every row of every table of a database, to show that something changed
// nothing: take one before and one after, and compare.
#pragma once

#include <algorithm>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "state/database.h"

namespace cvm::testing {

// Table name → every row as one text, sorted.
using DbSnapshot = std::map<std::string, std::vector<std::string>>;

// REQUIRES: the caller holds db.Lock() (or a unit of work on it).
inline DbSnapshot TakeSnapshot(state::Database& db) {
  DbSnapshot out;
  std::vector<std::string> tables;
  {
    state::Statement s =
        db.Prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name");
    while (s.Step()) tables.push_back(s.Text(0));
  }
  for (const std::string& table : tables) {
    std::string row = "''";
    state::Statement columns = db.Prepare("SELECT name FROM pragma_table_info(?) ORDER BY cid");
    columns.Bind(1, table);
    while (columns.Step()) row += " || '|' || quote(\"" + columns.Text(0) + "\")";
    state::Statement s = db.Prepare("SELECT " + row + " FROM \"" + table + "\"");
    std::vector<std::string>& rows = out[table];
    while (s.Step()) rows.push_back(s.Text(0));
    std::sort(rows.begin(), rows.end());
  }
  return out;
}

// Takes the lock itself: between API calls.
inline DbSnapshot LockAndSnapshot(state::Database& db) {
  auto lock = db.Lock();
  return TakeSnapshot(db);
}

}  // namespace cvm::testing
