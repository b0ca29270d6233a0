// The instance_bandwidth_configs table: an instance's scheduled and past
// BANDWIDTH_PREPAID configurations (D-158, D-180), each a child row of the
// instance (they go with it). Callers hold a UnitOfWork.
#pragma once

#include <cstdint>
#include <map>
#include <vector>

#include "state/bandwidth_configs.h"
#include "state/clock.h"
#include "state/database.h"

namespace cvm::state {

struct TableColumns;

class BandwidthConfigStore {
 public:
  explicit BandwidthConfigStore(Database& db) : db_(db) {}

  // The table's columns, as the store writes them.
  static std::vector<TableColumns> Columns();

  // Records `config` for the instance of row `instance_rowid`.
  // REQUIRES: the instance has no configuration starting at config.start.
  void Insert(int64_t instance_rowid, const BandwidthConfig& config);
  // Every configuration recorded for the instance, ordered by start.
  std::vector<BandwidthConfig> ForInstance(int64_t instance_rowid);
  // For each of `instance_rowids` that has one, the recorded configuration
  // whose period holds `now` (start <= now < end), by row ID.
  std::map<int64_t, BandwidthConfig> InForce(const std::vector<int64_t>& instance_rowids,
                                             TimeMs now);

 private:
  Database& db_;
};

}  // namespace cvm::state
