// RunInstances' plan and apply (state/launch_service.h) over a ":memory:"
// database: the change a plan returns describes what its apply writes (what
// a price engine will price), a ClientToken seen before replays its IDs and
// writes nothing, and a refused plan leaves no trace.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "state/accounts.h"
#include "state/catalog.h"
#include "state/database.h"
#include "state/instance_store.h"
#include "state/launch_service.h"
#include "state/migrations.h"
#include "state/random.h"
#include "tests/state/test_durations.h"
#include "tests/state/test_settings.h"

// Named, for the test group this file compiles in (tests/CMakeLists.txt).
namespace launch_service_test {

namespace {

using cvm::state::ChargeType;
using cvm::state::Disk;
using cvm::state::DiskType;
using cvm::state::Instance;
using cvm::state::LaunchChange;
using cvm::state::LaunchRequest;
using cvm::state::TimeMs;

constexpr int64_t kApp = 1250000000;
const std::string kRegion = "ap-guangzhou";
constexpr TimeMs kNow = 1'700'000'000'000;

struct World {
  cvm::state::Database db{":memory:"};
  cvm::state::Random random{20170312};
  cvm::testing::TestSettings settings;
  cvm::state::AccountRegistry accounts = cvm::state::AccountRegistry::Default();
  World() { cvm::state::Migrate(db); }
  cvm::state::Scope Scope() {
    return cvm::state::Scope{
        db,      random, settings, cvm::state::Catalog::Builtin(), accounts, accounts.primary(),
        kRegion, kNow};
  }
  int64_t Rows() {
    cvm::state::Statement s = db.Prepare("SELECT COUNT(*) FROM instances");
    REQUIRE(s.Step());
    return s.Int(0);
  }
};

// Two PREPAID instances for three months, with a data disk and bandwidth.
LaunchRequest Request() {
  LaunchRequest r;
  r.zone = "ap-guangzhou-3";
  r.charge_type = ChargeType::kPrepaid;
  r.prepaid = LaunchRequest::Prepaid{3, cvm::state::RenewFlag::kNotifyAndAutoRenew};
  r.instance_type = "S1.SMALL1";
  r.image_id = "img-eb30mz89";
  r.data_disks = {{false, DiskType::kCloudPremium, 100, true}};
  r.count = 2;
  r.bandwidth_out = 5;
  r.name = "web";
  return r;
}

}  // namespace

TEST_SUITE("state") {
  TEST_CASE(
      "PlanLaunch: the change holds what will be bought (prototype, count, disks, bandwidth, "
      "charge, period), and writes nothing") {
    World w;
    auto change = cvm::state::PlanLaunch(w.Scope(), Request());
    REQUIRE(change.ok());
    CHECK_FALSE(change->replay.has_value());
    CHECK(change->count() == 2);
    CHECK(change->period_months == std::optional<int64_t>(3));
    const Instance& proto = change->prototype;
    CHECK(proto.instance_type == "S1.SMALL1");
    CHECK(proto.charge_type == ChargeType::kPrepaid);
    CHECK(proto.system_disk == Disk{DiskType::kCloudBasic, std::nullopt, 50, true});
    CHECK(proto.data_disks ==
          std::vector<Disk>{Disk{DiskType::kCloudPremium, std::nullopt, 100, true}});
    CHECK(proto.bandwidth_out == 5);
    CHECK(proto.internet_charge_type == cvm::state::InternetChargeType::kBandwidthPrepaid);
    CHECK(change->public_ip);
    CHECK(change->names == std::vector<std::string>{"web1", "web2"});
    CHECK(w.Rows() == 0);
  }

  TEST_CASE(
      "ApplyLaunch: writes the planned prototype, adding only IDs, names, addresses, disk IDs, "
      "times and lifecycles") {
    World w;
    auto change = cvm::state::PlanLaunch(w.Scope(), Request());
    REQUIRE(change.ok());
    std::vector<std::string> ids = cvm::state::ApplyLaunch(w.Scope(), *change);
    REQUIRE(ids.size() == 2);
    std::vector<Instance> stored =
        cvm::state::InstanceStore(w.db).FindMany(kApp, kRegion, ids, kNow);
    REQUIRE(stored.size() == 2);
    for (size_t i = 0; i < stored.size(); ++i) {
      Instance got = stored[i];
      CHECK(got.name == change->names[i]);
      CHECK(got.created_at == kNow);
      CHECK(got.public_ip.has_value());
      CHECK(got.system_disk.disk_id.has_value());
      REQUIRE(got.data_disks.size() == 1);
      CHECK(got.data_disks[0].disk_id.has_value());
      // What is left is the prototype, field for field.
      Instance expected = change->prototype;
      expected.rowid = got.rowid;
      expected.instance_id = got.instance_id;
      expected.name = got.name;
      expected.private_ip = got.private_ip;
      expected.public_ip = got.public_ip;
      expected.system_disk.disk_id = got.system_disk.disk_id;
      expected.data_disks[0].disk_id = got.data_disks[0].disk_id;
      expected.created_at = got.created_at;
      expected.lifecycle = got.lifecycle;
      CHECK(got == expected);
    }
  }

  TEST_CASE(
      "PlanLaunch: a ClientToken seen before replays the first call's IDs, and its apply writes "
      "nothing") {
    World w;
    LaunchRequest r = Request();
    r.client_token = "token-1";
    r.canonical_request = "{\"the\":\"request\"}";
    auto first = cvm::state::PlanLaunch(w.Scope(), r);
    REQUIRE(first.ok());
    std::vector<std::string> ids = cvm::state::ApplyLaunch(w.Scope(), *first);
    REQUIRE(w.Rows() == 2);

    // Even where the request would now be refused: the token answers as the
    // first call did.
    cvm::state::Quotas q;
    q.instances = 2;
    w.settings.set_account_quotas(kApp, q);
    auto replay = cvm::state::PlanLaunch(w.Scope(), r);
    REQUIRE(replay.ok());
    REQUIRE(replay->replay.has_value());
    CHECK(*replay->replay == ids);
    CHECK(cvm::state::ApplyLaunch(w.Scope(), *replay) == ids);
    CHECK(w.Rows() == 2);

    r.canonical_request = "{\"other\":\"request\"}";
    auto other = cvm::state::PlanLaunch(w.Scope(), r);
    REQUIRE_FALSE(other.ok());
    CHECK(other.error().code() == "InvalidParameterValue");
    CHECK(other.error().message().find("ClientToken") != std::string::npos);
  }

  TEST_CASE("PlanLaunch: a refused request (the quota) writes nothing, not even the subnet") {
    World w;
    cvm::state::Quotas q;
    q.instances = 1;
    w.settings.set_account_quotas(kApp, q);
    LaunchRequest r = Request();
    r.vpc = LaunchRequest::Vpc{"vpc-11111111", "subnet-11111111", false, std::nullopt};
    auto change = cvm::state::PlanLaunch(w.Scope(), r);
    REQUIRE_FALSE(change.ok());
    CHECK(change.error().code() == "InstancesQuotaLimitExceeded");
    cvm::state::Statement subnets = w.db.Prepare("SELECT COUNT(*) FROM subnets");
    REQUIRE(subnets.Step());
    CHECK(subnets.Int(0) == 0);
    CHECK(w.Rows() == 0);
  }
}

}  // namespace launch_service_test
