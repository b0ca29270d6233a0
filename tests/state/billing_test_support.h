// Shared steps for the billing and bandwidth state tests: a ":memory:"
// database, a Scope at an explicit instant, and instances of each kind
// inserted through the store (including kinds no API call can make yet, such
// as CDHPAID).
#pragma once

#include <doctest/doctest.h>

#include <string>

#include "state/accounts.h"
#include "state/catalog.h"
#include "state/database.h"
#include "state/instance.h"
#include "state/instance_store.h"
#include "state/migrations.h"
#include "state/random.h"
#include "state/scope.h"
#include "tests/state/test_durations.h"
#include "tests/state/test_settings.h"

namespace cvm::testing::billing {

inline constexpr int64_t kApp = 1250000000;
inline const std::string kRegion = "ap-guangzhou";
inline constexpr state::TimeMs kDay = 86'400'000;
// 2023-11-14T22:13:20Z: 2023-11-15 06:13:20 in UTC+8.
inline constexpr state::TimeMs kNow = 1'700'000'000'000;

struct World {
  state::Database db{":memory:"};
  state::Random random{20170312};
  testing::TestSettings settings;
  state::InstanceStore store{db};
  state::AccountRegistry accounts = state::AccountRegistry::Default();
  state::Account account{kApp, "100000000001", "a", {}};

  World() { state::Migrate(db); }
  state::Scope Scope(state::TimeMs now = kNow) {
    return state::Scope{db,       random,  settings, state::Catalog::Builtin(),
                        accounts, account, kRegion,  now};
  }
  // Inserts `in` (its rowid is set) and returns its ID.
  std::string Insert(state::Instance in) {
    store.Insert(in);
    return in.instance_id;
  }
  state::Instance Get(const std::string& id, state::TimeMs now = kNow) {
    auto in = store.Find(kApp, kRegion, id, now);
    REQUIRE(in.has_value());
    return *in;
  }
};

// A RUNNING S1.SMALL1 (at most 100 Mbps) created at kNow - 1 day, paid by
// the hour, with 5 Mbps of traffic-billed bandwidth and a public IP.
inline state::Instance Postpaid(const std::string& id) {
  state::Instance in;
  in.app_id = kApp;
  in.region = kRegion;
  in.instance_id = id;
  in.zone = "ap-guangzhou-3";
  in.instance_type = "S1.SMALL1";
  in.cpu = 1;
  in.memory = 1;
  in.charge_type = state::ChargeType::kPostpaidByHour;
  in.image_id = "img-eb30mz89";
  in.os_name = "CentOS 7.5 64位";
  in.created_at = kNow - kDay;
  in.lifecycle.rest = state::InstanceState::kRunning;
  in.system_disk = state::Disk{state::DiskType::kCloudBasic, "disk-" + id.substr(4), 50, true};
  in.private_ip = "10.0.0." + std::to_string(id.back() % 200 + 2);
  in.public_ip = "43.0.0." + std::to_string(id.back() % 200 + 2);
  in.internet_charge_type = state::InternetChargeType::kTrafficPostpaidByHour;
  in.bandwidth_out = 5;
  return in;
}

// The same, PREPAID until `expired_at` with manual renewal and
// BANDWIDTH_PREPAID bandwidth.
inline state::Instance Prepaid(const std::string& id, state::TimeMs expired_at = kNow + 29 * kDay) {
  state::Instance in = Postpaid(id);
  in.charge_type = state::ChargeType::kPrepaid;
  in.renew_flag = state::RenewFlag::kNotifyAndManualRenew;
  in.expired_at = expired_at;
  in.internet_charge_type = state::InternetChargeType::kBandwidthPrepaid;
  return in;
}

// An instance on a dedicated host, as the hosts work will launch them.
inline state::Instance OnHost(const std::string& id) {
  state::Instance in = Postpaid(id);
  in.charge_type = state::ChargeType::kCdhPaid;
  in.instance_type = "CDH_2C4G";
  in.host_id = "host-q88gab4i";
  return in;
}

}  // namespace cvm::testing::billing
