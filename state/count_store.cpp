#include "state/count_store.h"

#include <limits>

namespace cvm::state {
namespace {
constexpr char kAdd[] =
    "INSERT INTO resource_counts (app_id, region, resource, count) VALUES (?, ?, ?, ?) "
    "ON CONFLICT (app_id, region, resource) DO UPDATE SET count = count + excluded.count";
constexpr char kGet[] =
    "SELECT count FROM resource_counts WHERE app_id = ? AND region = ? AND resource = ?";

constexpr const char* kCounterTables[] = {"instance_counts", "resource_counts",
                                          "instance_value_counts"};

// Each counter table filled from the rows of the accounts ?1 to ?2 (one,
// or all: a range, so that the indexes on app_id serve one account); one
// row per counter.
constexpr const char* kRecount[] = {
    "INSERT INTO instance_counts (app_id, region, count) SELECT app_id, region, COUNT(*) "
    "FROM instances WHERE app_id BETWEEN ?1 AND ?2 GROUP BY app_id, region",
    "INSERT INTO resource_counts (app_id, region, resource, count) SELECT app_id, region, "
    "'images', COUNT(*) FROM images WHERE app_id BETWEEN ?1 AND ?2 GROUP BY app_id, region",
    "INSERT INTO resource_counts (app_id, region, resource, count) SELECT app_id, region, "
    "'key_pairs', COUNT(*) FROM key_pairs WHERE app_id BETWEEN ?1 AND ?2 GROUP BY app_id, region",
    "INSERT INTO instance_value_counts (app_id, region, filter, key, value, count) "
    "SELECT app_id, region, 'tag-key', '', key, COUNT(DISTINCT instance_rowid) FROM instance_tags "
    "WHERE app_id BETWEEN ?1 AND ?2 GROUP BY app_id, region, key",
    "INSERT INTO instance_value_counts (app_id, region, filter, key, value, count) "
    "SELECT app_id, region, 'tag-value', '', value, COUNT(DISTINCT instance_rowid) "
    "FROM instance_tags WHERE app_id BETWEEN ?1 AND ?2 GROUP BY app_id, region, value",
    "INSERT INTO instance_value_counts (app_id, region, filter, key, value, count) "
    "SELECT app_id, region, 'tag:', key, value, COUNT(DISTINCT instance_rowid) FROM instance_tags "
    "WHERE app_id BETWEEN ?1 AND ?2 GROUP BY app_id, region, key, value",
    "INSERT INTO instance_value_counts (app_id, region, filter, key, value, count) "
    "SELECT app_id, region, 'security-group-id', '', sg_id, COUNT(DISTINCT instance_rowid) "
    "FROM instance_security_groups WHERE app_id BETWEEN ?1 AND ?2 GROUP BY app_id, region, sg_id",
};
constexpr const char* kForget[] = {
    "DELETE FROM instance_counts WHERE app_id BETWEEN ?1 AND ?2",
    "DELETE FROM resource_counts WHERE app_id BETWEEN ?1 AND ?2",
    "DELETE FROM instance_value_counts WHERE app_id BETWEEN ?1 AND ?2",
};

}  // namespace

bool IsCounterTable(std::string_view table) {
  for (const char* t : kCounterTables) {
    if (table == t) return true;
  }
  return false;
}

void Recount(Database& db, std::optional<int64_t> app_id) {
  auto run = [&](const char* sql) {
    Statement s = db.Prepare(sql);
    s.Bind(1, app_id.value_or(std::numeric_limits<int64_t>::min()));
    s.Bind(2, app_id.value_or(std::numeric_limits<int64_t>::max()));
    s.Run();
  };
  for (const char* sql : kForget) run(sql);
  for (const char* sql : kRecount) run(sql);
}

void CountStore::Add(std::string_view resource, int64_t app_id, const std::string& region,
                     int64_t delta) {
  db_.Cached(kAdd).Bind(1, app_id).Bind(2, region).Bind(3, resource).Bind(4, delta).Run();
}

void CountStore::DeleteRow(std::string_view resource, const char* delete_sql, int64_t rowid) {
  Statement s = db_.Cached(delete_sql);
  s.Bind(1, rowid);
  if (!s.Step()) return;  // no such row
  int64_t app_id = s.Int(0);
  std::string region = s.Text(1);
  s.Step();  // the end of the statement (one row at most)
  Add(resource, app_id, region, -1);
}

int64_t CountStore::Get(std::string_view resource, int64_t app_id, const std::string& region) {
  Statement s = db_.Cached(kGet);
  s.Bind(1, app_id).Bind(2, region).Bind(3, resource);
  return s.Step() ? s.Int(0) : 0;
}

}  // namespace cvm::state
