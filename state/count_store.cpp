#include "state/count_store.h"

namespace cvm::state {
namespace {
constexpr char kAdd[] =
    "INSERT INTO resource_counts (app_id, region, resource, count) VALUES (?, ?, ?, ?) "
    "ON CONFLICT (app_id, region, resource) DO UPDATE SET count = count + excluded.count";
constexpr char kGet[] =
    "SELECT count FROM resource_counts WHERE app_id = ? AND region = ? AND resource = ?";
}  // namespace

void CountStore::Add(std::string_view resource, int64_t app_id, const std::string& region,
                     int64_t delta) {
  db_.Cached(kAdd).Bind(1, app_id).Bind(2, region).Bind(3, resource).Bind(4, delta).Run();
}

int64_t CountStore::Get(std::string_view resource, int64_t app_id, const std::string& region) {
  Statement s = db_.Cached(kGet);
  s.Bind(1, app_id).Bind(2, region).Bind(3, resource);
  return s.Step() ? s.Int(0) : 0;
}

}  // namespace cvm::state
