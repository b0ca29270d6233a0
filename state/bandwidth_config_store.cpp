#include "state/bandwidth_config_store.h"

#include <nlohmann/json.hpp>

#include "state/columns.h"

namespace cvm::state {
namespace {

using B = BandwidthConfig;
constexpr Column<B> kConfigColumns[] = {
    Field<&B::start>("start_at"),
    Field<&B::end>("end_at"),
    Field<&B::internet_charge_type>("internet_charge_type"),
    Field<&B::bandwidth_out>("bandwidth_out"),
    Field<&B::public_ip_assigned>("public_ip_assigned"),
};

const Table<B, kConfigColumns>& Configs() {
  static const Table<B, kConfigColumns> table("instance_bandwidth_configs", "");
  return table;
}

constexpr char kWhereInstance[] =
    " FROM instance_bandwidth_configs WHERE instance_rowid = ?"
    " ORDER BY start_at";
// The instances' configurations in force at an instant: a page of
// DescribeInstances asks once for all of its instances.
constexpr char kWhereInForce[] =
    " FROM instance_bandwidth_configs"
    " WHERE instance_rowid IN (SELECT value FROM json_each(?)) AND start_at <= ?"
    " AND (end_at IS NULL OR end_at > ?) ORDER BY instance_rowid, start_at";

}  // namespace

std::vector<TableColumns> BandwidthConfigStore::Columns() {
  return {ColumnsOf(Configs(), {"instance_rowid"})};
}

void BandwidthConfigStore::Insert(int64_t instance_rowid, const BandwidthConfig& config) {
  static const auto insert = Configs().Insert({"instance_rowid"});
  Statement s = db_.Cached(insert.sql());
  s.Bind(1, instance_rowid);
  insert.Bind(s, config, 2);
  s.Run();
}

std::vector<BandwidthConfig> BandwidthConfigStore::ForInstance(int64_t instance_rowid) {
  static const std::string sql = "SELECT " + Configs().select_list() + kWhereInstance;
  Statement s = db_.Cached(sql.c_str());
  s.Bind(1, instance_rowid);
  std::vector<BandwidthConfig> out;
  while (s.Step()) out.push_back(Configs().Read(s));
  return out;
}

std::map<int64_t, BandwidthConfig> BandwidthConfigStore::InForce(
    const std::vector<int64_t>& instance_rowids, TimeMs now) {
  std::map<int64_t, BandwidthConfig> out;
  if (instance_rowids.empty()) return out;
  static const std::string sql =
      "SELECT instance_rowid, " + Configs().select_list() + kWhereInForce;
  Statement s = db_.Cached(sql.c_str());
  s.Bind(1, nlohmann::json(instance_rowids).dump()).Bind(2, now).Bind(3, now);
  while (s.Step()) out[s.Int(0)] = Configs().Read(s, 1);
  return out;
}

}  // namespace cvm::state
