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

}  // namespace cvm::state
