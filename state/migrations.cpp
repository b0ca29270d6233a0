#include "state/migrations.h"

#include <span>
#include <string>

namespace cvm::state {
namespace {

// Conventions for every resource table: the owning account's AppId and the
// region come first, every index starts with them, and every read filters on
// both, so one account never sees another's resources and regions stay apart.
constexpr const char* kMigrations[] = {
    // 1: emulator metadata (the virtual clock survives restarts).
    R"sql(
CREATE TABLE meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;
)sql",
};

constexpr char kCreateVersionTable[] =
    "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)";
constexpr char kReadVersion[] = "SELECT version FROM schema_version";
constexpr char kInsertVersion[] = "INSERT INTO schema_version (version) VALUES (?)";
constexpr char kUpdateVersion[] = "UPDATE schema_version SET version = ?";

}  // namespace

int LatestSchemaVersion() { return static_cast<int>(std::size(kMigrations)); }

int Migrate(Database& db) {
  db.Execute(kCreateVersionTable);
  int version = 0;
  bool has_row = false;
  {
    Statement read = db.Prepare(kReadVersion);
    if (read.Step()) {
      version = static_cast<int>(read.Int(0));
      has_row = true;
    }
  }
  if (!has_row) db.Prepare(kInsertVersion).Bind(1, 0).Run();
  if (version > LatestSchemaVersion()) {
    throw DatabaseError("database schema version " + std::to_string(version) +
                        " is newer than this emulator (" + std::to_string(LatestSchemaVersion()) +
                        ")");
  }
  for (int next = version + 1; next <= LatestSchemaVersion(); ++next) {
    Transaction txn(db);
    db.Execute(kMigrations[next - 1]);
    db.Prepare(kUpdateVersion).Bind(1, next).Run();
    txn.Commit();
  }
  return LatestSchemaVersion();
}

}  // namespace cvm::state
