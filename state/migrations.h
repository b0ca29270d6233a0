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

// Deletes every row of every table the migrations made (schema_version and
// SQLite's own tables aside), whatever migrations add later, in one
// transaction: what POST /_emulator/reset drops. Foreign keys are off while
// it runs, so SQLite empties each table whole (freeing its pages) instead of
// deleting row by row through every index and cascade, and freed pages are
// not zeroed: tens of milliseconds with 100,000 instances, not seconds
// (D-254). Both settings are restored afterwards, also if it throws.
// REQUIRES: the caller holds the lock; no transaction or batch is open.
void EmptyAllTables(Database& db);

}  // namespace cvm::state
