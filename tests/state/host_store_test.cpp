// The hosts table (state/host_store.h) and a host's state on the clock
// (state/host.h) over a ":memory:" database: whole-record round trips, the
// account and region scope, the host-state filter from the stored times,
// and what the instances on a host take from it.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "state/database.h"
#include "state/host_store.h"
#include "state/instance_rules.h"
#include "state/instance_store.h"
#include "state/migrations.h"

namespace {

using cvm::state::Host;
using cvm::state::HostQuery;
using cvm::state::HostState;
using cvm::state::HostStore;
using cvm::state::RenewFlag;
using cvm::state::TimeMs;

constexpr int64_t kApp = 1250000000;
const std::string kRegion = "ap-guangzhou";
constexpr TimeMs kNow = 1'700'000'000'000;
constexpr TimeMs kDay = 86'400'000;

struct Store {
  cvm::state::Database db{":memory:"};
  HostStore store{db};
  Store() { cvm::state::Migrate(db); }

  Host Add(const std::string& id, RenewFlag flag = RenewFlag::kNotifyAndAutoRenew,
           int64_t app_id = kApp) {
    Host h;
    h.app_id = app_id;
    h.region = kRegion;
    h.host_id = id;
    h.zone = "ap-guangzhou-3";
    h.project_id = 2;
    h.host_name = "n-" + id;
    h.renew_flag = flag;
    h.created_at = kNow;
    h.running_at = kNow + 10'000;
    h.expired_at = kNow + 30 * kDay;
    h.host_ip = "172.16.0.1";
    h.cpu = 24;
    h.memory_gb = 56;
    h.disk_gb = 1200;
    store.Insert(h);
    return h;
  }

  std::vector<std::string> WithState(const std::string& state, TimeMs now) {
    HostQuery q;
    q.conditions.push_back({"host-state", {state}});
    cvm::state::HostPage page = store.List(kApp, kRegion, q, now);
    std::vector<std::string> out;
    for (const Host& h : page.items) out.push_back(h.host_id);
    CHECK(page.total == static_cast<int64_t>(out.size()));  // counted apart (CountInStates)
    return out;
  }
};

}  // namespace

TEST_SUITE("state") {
  TEST_CASE("HostStore: a host reads back whole, and only in its account") {
    Store s;
    Host h = s.Add("host-aaaaaaaa");
    std::vector<Host> found = s.store.FindMany(kApp, kRegion, {"host-aaaaaaaa", "host-bbbbbbbb"});
    REQUIRE(found.size() == 1);
    CHECK(found[0] == h);
    CHECK(s.store.FindMany(kApp + 1, kRegion, {"host-aaaaaaaa"}).empty());
    CHECK(s.store.FindMany(kApp, "ap-shanghai", {"host-aaaaaaaa"}).empty());
    CHECK(s.store.IdExists("host-aaaaaaaa"));
    CHECK(s.store.NextRowId() == h.rowid + 1);
  }

  TEST_CASE("Host: PENDING until running_at, EXPIRED from ExpiredTime unless it renews itself") {
    Host h;
    h.running_at = kNow + 10'000;
    h.expired_at = kNow + 30 * kDay;
    h.renew_flag = RenewFlag::kNotifyAndManualRenew;
    CHECK(h.Observe(kNow) == HostState::kPending);
    CHECK(h.Observe(kNow + 10'000) == HostState::kRunning);
    CHECK(h.Observe(kNow + 30 * kDay - 1) == HostState::kRunning);
    CHECK(h.Observe(kNow + 30 * kDay) == HostState::kExpired);
    CHECK(h.ObservedExpiry(kNow + 40 * kDay) == h.expired_at);
    h.renew_flag = RenewFlag::kNotifyAndAutoRenew;
    CHECK(h.Observe(kNow + 40 * kDay) == HostState::kRunning);
    CHECK(h.ObservedExpiry(kNow + 40 * kDay) == cvm::state::AddMonths(h.expired_at, 1));
    CHECK(h.ObservedExpiry(kNow + 30 * kDay - 1) == h.expired_at);
    h.launch_failed = true;
    CHECK(h.Observe(kNow + 40 * kDay) == HostState::kLaunchFailure);
  }

  TEST_CASE("HostStore: the host-state filter agrees with Host::Observe at every instant") {
    Store s;
    std::vector<Host> hosts = {s.Add("host-00000001", RenewFlag::kNotifyAndManualRenew),
                               s.Add("host-00000002", RenewFlag::kNotifyAndAutoRenew),
                               s.Add("host-00000003", RenewFlag::kDisableNotifyAndManualRenew)};
    hosts[2].launch_failed = true;
    s.db.Prepare("UPDATE hosts SET launch_failed = 1 WHERE host_id = 'host-00000003'").Run();
    for (TimeMs now :
         {kNow, kNow + 10'000, kNow + 30 * kDay - 1, kNow + 30 * kDay, kNow + 90 * kDay}) {
      for (HostState state : {HostState::kPending, HostState::kLaunchFailure, HostState::kRunning,
                              HostState::kExpired}) {
        std::vector<std::string> expected;
        for (const Host& h : hosts) {
          if (h.Observe(now) == state) expected.push_back(h.host_id);
        }
        CAPTURE(now);
        CAPTURE(cvm::state::NameOf(state));
        CHECK(s.WithState(std::string(cvm::state::NameOf(state)), now) == expected);
      }
    }
  }

  TEST_CASE("HostStore: UpdateTerms rewrites the name, renewal flag and expiry only") {
    Store s;
    Host h = s.Add("host-aaaaaaaa");
    h.host_name = "renamed";
    h.renew_flag = RenewFlag::kNotifyAndManualRenew;
    h.expired_at += kDay;
    s.store.UpdateTerms(h);
    CHECK(s.store.FindMany(kApp, kRegion, {h.host_id}).at(0) == h);
  }

  TEST_CASE("HostStore: Usage sums what visible instances on a host take, local disks included") {
    Store s;
    s.Add("host-aaaaaaaa");
    cvm::state::InstanceStore instances(s.db);
    auto add = [&](const std::string& id, std::optional<TimeMs> gone_at) {
      cvm::state::Instance in;
      in.app_id = kApp;
      in.region = kRegion;
      in.instance_id = id;
      in.zone = "ap-guangzhou-3";
      in.host_id = "host-aaaaaaaa";
      in.instance_type = "CDH_2C4G";
      in.cpu = 2;
      in.memory = 4;
      in.charge_type = cvm::state::ChargeType::kCdhPaid;
      in.system_disk = {cvm::state::DiskType::kLocalBasic, std::nullopt, 60, true};
      in.data_disks = {
          {cvm::state::DiskType::kLocalBasic, std::nullopt, 100, true},
          {cvm::state::DiskType::kCloudBasic, std::string("disk-00000001"), 500, true}};
      in.private_ip = "10.0.0." + id.substr(id.size() - 1);
      in.lifecycle.gone_at = gone_at;
      instances.Insert(in);
    };
    add("ins-00000001", std::nullopt);
    add("ins-00000002", kNow + 5);
    add("ins-00000003", kNow - 1);  // gone, not yet purged
    auto usage = s.store.Usage(kApp, kRegion, {"host-aaaaaaaa", "host-bbbbbbbb"}, kNow);
    const cvm::state::HostUsage& u = usage.at("host-aaaaaaaa");
    CHECK(u.cpu == 4);
    CHECK(u.memory_gb == 8);
    CHECK(u.disk_gb == 320);
    CHECK(u.instance_ids == std::vector<std::string>{"ins-00000001", "ins-00000002"});
    CHECK(usage.at("host-bbbbbbbb").instance_ids.empty());
  }

  TEST_CASE("HostStore: pages and filters scope to the account and region") {
    Store s;
    s.Add("host-00000001");
    s.Add("host-00000002");
    s.Add("host-00000003", RenewFlag::kNotifyAndAutoRenew, kApp + 1);
    HostQuery q;
    q.limit = 1;
    q.offset = 1;
    auto page = s.store.List(kApp, kRegion, q, kNow);
    CHECK(page.total == 2);
    CHECK(s.store.Count(kApp, kRegion) == 2);
    CHECK(s.store.Count(kApp + 1, kRegion) == 1);
    CHECK(s.store.CountInStates(kApp, kRegion, {"PENDING", "PENDING", "RUNNING"}, kNow) == 2);
    REQUIRE(page.items.size() == 1);
    CHECK(page.items[0].host_id == "host-00000002");
    HostQuery by_id;
    by_id.conditions.push_back({"host-id", {"host-00000003", "host-00000001"}});
    page = s.store.List(kApp, kRegion, by_id, kNow);
    CHECK(page.total == 1);
    HostQuery by_project;
    by_project.conditions.push_back({"project-id", {"2"}});
    by_project.conditions.push_back({"host-name", {"n-host-00000002"}});
    page = s.store.List(kApp, kRegion, by_project, kNow);
    REQUIRE(page.total == 1);
    CHECK(page.items[0].host_id == "host-00000002");
  }

  TEST_CASE("HostStore: List leaves out the hosts created within hidden_created, with every filter; TotalCount agrees") {
    Store s;
    s.Add("host-00000001");
    s.Add("host-00000002");
    s.Add("host-00000003");
    s.db.Prepare("UPDATE hosts SET created_at = ? WHERE host_id = 'host-00000003'").Bind(1, kNow + 5'000).Run();
    const cvm::state::CreatedWindow window{kNow + 1'000, kNow + 30'000};
    auto ids = [&](HostQuery q) {
      q.hidden_created = window;
      cvm::state::HostPage page = s.store.List(kApp, kRegion, q, kNow + 30'000);
      std::vector<std::string> out;
      for (const Host& h : page.items) out.push_back(h.host_id);
      CHECK(page.total == static_cast<int64_t>(out.size()));
      return out;
    };
    const std::vector<std::string> old{"host-00000001", "host-00000002"};
    CHECK(ids(HostQuery{}) == old);
    HostQuery by_id;
    by_id.conditions.push_back({"host-id", {"host-00000003"}});
    CHECK(ids(by_id).empty());
    HostQuery by_state;
    by_state.conditions.push_back({"host-state", {"RUNNING"}});
    CHECK(ids(by_state) == old);
    HostQuery by_zone;
    by_zone.conditions.push_back({"zone", {"ap-guangzhou-3"}});
    CHECK(ids(by_zone) == old);
    // Past the window, it is listed.
    HostQuery later;
    later.hidden_created = cvm::state::CreatedWindow{kNow + 6'000, kNow + 36'000};
    CHECK(s.store.List(kApp, kRegion, later, kNow + 36'000).total == 3);
  }
}
