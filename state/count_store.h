// How many rows of a resource each account has in each region, kept by the
// resource's store as it inserts and deletes (D-253), so that quotas and
// an unfiltered TotalCount need no count over the rows. Callers hold a
// UnitOfWork (the count changes with the rows, or not at all).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "state/database.h"

namespace cvm::state {

// The resources counted; each is its table's name.
inline constexpr std::string_view kCountedImages = "images";
inline constexpr std::string_view kCountedKeyPairs = "key_pairs";

class CountStore {
 public:
  explicit CountStore(Database& db) : db_(db) {}

  // Adds `delta` (negative: rows removed) to the account's count.
  void Add(std::string_view resource, int64_t app_id, const std::string& region, int64_t delta);
  // Runs `delete_sql`, a DELETE of the row whose ID is `rowid` RETURNING
  // app_id, region, and takes that row from its account's count; nothing if
  // there was no such row.
  void DeleteRow(std::string_view resource, const char* delete_sql, int64_t rowid);
  // The account's count in the region; 0 if it never had one.
  int64_t Get(std::string_view resource, int64_t app_id, const std::string& region);

 private:
  Database& db_;
};

// The tables of counters (instance_counts, resource_counts,
// instance_value_counts): derived from the rows, so snapshots leave them
// out and recompute them.
bool IsCounterTable(std::string_view table);

// Recomputes every counter from the rows: of one account, or of all
// (nullopt). Callers hold a transaction.
void Recount(Database& db, std::optional<int64_t> app_id);

}  // namespace cvm::state
