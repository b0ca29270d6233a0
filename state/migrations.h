// Numbered schema migrations with a version table. Each migration runs once,
// in order, in its own transaction; the database records the last one applied.
#pragma once

#include "state/database.h"

namespace cvm::state {

// Applies every migration newer than the database's version.
// Returns the version the database is at afterwards.
// Throws DatabaseError if the database is newer than this binary knows.
int Migrate(Database& db);

// The number of the newest migration this binary has.
int LatestSchemaVersion();

// Empties every table (schema_version aside, which keeps its row), whatever
// migrations add later: what POST /_emulator/reset drops. An empty copy of
// the schema is made in memory and replaces the database whole in one
// transaction (Database::ReplaceWith), so the cost is that of the schema,
// not of the rows: a few milliseconds with 100,000 instances (D-254).
// REQUIRES: the caller holds the lock; no transaction or batch is open.
void EmptyAllTables(Database& db);

}  // namespace cvm::state
