// Business operations on instances (state/instance_service.h) and ClientToken
// records (state/client_token_store.h): launching within the quota, IDs,
// addresses and disks; loading a batch; all-or-nothing transitions; and the
// 24-hour life of a ClientToken. A ":memory:" database, a seeded Random and
// explicit times throughout.
#include <doctest/doctest.h>

#include <ostream>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "state/accounts.h"
#include "state/catalog.h"
#include "state/client_token_store.h"
#include "state/database.h"
#include "state/instance.h"
#include "state/instance_service.h"
#include "state/instance_store.h"
#include "state/launch_service.h"
#include "state/migrations.h"
#include "state/network.h"
#include "state/random.h"
#include "tests/state/test_settings.h"
#include "state/unit_of_work.h"
#include "tests/state/test_durations.h"

namespace {

using cvm::Result;
using cvm::state::ClientTokenStore;
using cvm::state::Database;
using cvm::state::Disk;
using cvm::state::DiskType;
using cvm::state::Instance;
using cvm::state::InstanceState;
using cvm::state::InstanceStore;
using cvm::state::LaunchChange;
using cvm::state::LoadInstances;
using cvm::state::Operation;
using cvm::state::Quotas;
using cvm::state::Random;
using cvm::state::Statement;
using cvm::state::TimeMs;
using cvm::state::UnitOfWork;
using S = InstanceState;

constexpr int64_t kApp = 1250000000;
constexpr int64_t kOtherApp = 1250000001;
const std::string kRegion = "ap-guangzhou";
constexpr TimeMs kNow = 1'700'000'000'000;

// A list of strings that doctest can print when a check fails.
struct Ids : std::vector<std::string> {
  using std::vector<std::string>::vector;
};
std::ostream& operator<<(std::ostream& os, const Ids& list) {
  os << "{";
  for (size_t i = 0; i < list.size(); ++i) os << (i ? ", " : "") << '"' << list[i] << '"';
  return os << "}";
}

using cvm::testing::TestDurations;

struct World {
  Database db{":memory:"};
  Random random{20170312};
  cvm::testing::TestSettings settings;
  InstanceStore store{db};
  cvm::state::AccountRegistry accounts = cvm::state::AccountRegistry::Default();
  cvm::state::Account account{kApp, "100000000001", "a", {}};
  cvm::state::Account other{kOtherApp, "100000000002", "b", {}};
  World() {
    cvm::state::Migrate(db);
  }
  // What a plan and an apply of the account `app_id` see at `now`.
  cvm::state::Scope Scope(TimeMs now, int64_t app_id = kApp) {
    return cvm::state::Scope{db,       random, settings, cvm::state::Catalog::Builtin(),
                             accounts, app_id == kApp ? account : other, kRegion, now};
  }

  int64_t InstanceRows() {
    Statement s = db.Prepare("SELECT COUNT(*) FROM instances");
    REQUIRE(s.Step());
    return s.Int(0);
  }
  Instance Get(const std::string& id, TimeMs now = kNow) {
    auto in = store.Find(kApp, kRegion, id, now);
    REQUIRE(in.has_value());
    return *in;
  }
};

Instance Prototype(int64_t app_id = kApp) {
  Instance in;
  in.app_id = app_id;
  in.region = kRegion;
  in.zone = "ap-guangzhou-3";
  in.instance_type = "S1.SMALL1";
  in.cpu = 1;
  in.memory = 1;
  in.charge_type = cvm::state::ChargeType::kPostpaidByHour;
  in.image_id = "img-8toqc6s3";
  in.os_name = "CentOS 7.2 64位";
  in.system_disk = Disk{DiskType::kCloudPremium, std::nullopt, 50, true};
  return in;
}

LaunchChange Plan(size_t count, int64_t app_id = kApp) {
  LaunchChange plan;
  plan.prototype = Prototype(app_id);
  for (size_t i = 0; i < count; ++i) plan.names.push_back("web" + std::to_string(i + 1));
  return plan;
}

LaunchChange VpcPlan(size_t count, const std::string& vpc, const std::string& subnet,
                     std::vector<std::string> ips = {}) {
  LaunchChange plan = Plan(count);
  plan.prototype.vpc_id = vpc;
  plan.prototype.subnet_id = subnet;
  plan.private_ips = std::move(ips);
  return plan;
}

// A launch of a prototype already checked for everything but the database:
// the rest of its plan (quota, addresses), then its apply.
Result<std::vector<std::string>> LaunchInstances(World& w, LaunchChange plan, TimeMs now) {
  cvm::state::Scope scope = w.Scope(now, plan.prototype.app_id);
  CVM_RETURN_IF_ERROR(cvm::state::PlanLaunchCapacity(scope, plan));
  return cvm::state::ApplyLaunch(scope, plan);
}

// Start/Stop/Reboot/TerminateInstances: the plan, then its apply; the
// instances as they were written.
Result<std::vector<Instance>> TransitionInstances(World& w, const std::vector<std::string>& ids, Operation op,
                                                  bool force, std::string_view action, TimeMs now) {
  cvm::state::Scope scope = w.Scope(now);
  CVM_ASSIGN_OR_RETURN(cvm::state::InstancesChange change,
                       cvm::state::PlanTransition(scope, ids, op, force, action));
  cvm::state::ApplyInstancesChange(scope, change);
  return change.instances;
}

std::vector<std::string> Launch(World& w, const LaunchChange& plan, TimeMs now = kNow) {
  auto ids = LaunchInstances(w, plan, now);
  REQUIRE(ids.ok());
  return *ids;
}

std::string Prefix24(const std::string& ip) { return ip.substr(0, ip.rfind('.') + 1); }
int Host(const std::string& ip) { return std::stoi(ip.substr(ip.rfind('.') + 1)); }

// --- LaunchInstances ---------------------------------------------------------

TEST_CASE("LaunchInstances: creates one PENDING instance per name, in order, with unique ins-xxxxxxxx IDs") {
  World w;
  LaunchChange plan = Plan(40);
  std::vector<std::string> ids = Launch(w, plan);
  REQUIRE(ids.size() == 40);
  const std::regex shape("ins-[0-9a-z]{8}");
  for (const std::string& id : ids) {
    CAPTURE(id);
    CHECK(std::regex_match(id, shape));
  }
  CHECK(std::set<std::string>(ids.begin(), ids.end()).size() == 40);
  std::vector<std::string> more = Launch(w, Plan(40));
  std::set<std::string> all(ids.begin(), ids.end());
  all.insert(more.begin(), more.end());
  CHECK(all.size() == 80);

  std::vector<Instance> got = w.store.FindMany(kApp, kRegion, ids, kNow);
  REQUIRE(got.size() == 40);
  for (size_t i = 0; i < got.size(); ++i) {
    CHECK(got[i].instance_id == ids[i]);
    CHECK(got[i].name == plan.names[i]);
    CHECK(got[i].created_at == kNow);
    CHECK(got[i].zone == "ap-guangzhou-3");
  }
  CHECK(w.store.Count(kApp, kRegion) == 80);
}

TEST_CASE("LaunchInstances: a new instance is PENDING until now+pending, then RUNNING") {
  World w;
  std::string id = Launch(w, Plan(1)).front();
  Instance in = w.Get(id);
  CHECK(in.Observe(kNow) == S::kPending);
  CHECK(in.Observe(kNow + 1'999) == S::kPending);
  CHECK(in.Observe(kNow + 2'000) == S::kRunning);
  CHECK_FALSE(in.lifecycle.timer_at.has_value());
  CHECK_FALSE(in.lifecycle.gone_at.has_value());
}

TEST_CASE("LaunchInstances: with launch_failure_probability 1 every instance is LAUNCH_FAILED after PENDING") {
  World w;
  w.settings.set_launch_failure_probability(1.0);
  for (const std::string& id : Launch(w, Plan(5))) {
    Instance in = w.Get(id);
    CHECK(in.Observe(kNow + 1'999) == S::kPending);
    CHECK(in.Observe(kNow + 2'000) == S::kLaunchFailed);
  }
}

TEST_CASE("LaunchInstances: with launch_failure_probability 0 no instance fails") {
  World w;
  w.settings.set_launch_failure_probability(0.0);
  for (const std::string& id : Launch(w, Plan(20))) CHECK(w.Get(id).Observe(kNow + 2'000) == S::kRunning);
}

TEST_CASE("LaunchInstances: an ActionTimer makes the instance TERMINATING at its time and gone after terminating") {
  World w;
  LaunchChange plan = Plan(1);
  plan.terminate_at = kNow + 600'000;
  Instance in = w.Get(Launch(w, plan).front());
  CHECK(in.lifecycle.timer_at == std::optional<TimeMs>(kNow + 600'000));
  CHECK(in.lifecycle.gone_at == std::optional<TimeMs>(kNow + 623'000));
  CHECK(in.Observe(kNow + 599'999) == S::kRunning);
  CHECK(in.Observe(kNow + 600'000) == S::kTerminating);
  CHECK_FALSE(in.lifecycle.Visible(kNow + 623'000));
}

TEST_CASE("LaunchInstances: over the quota is InstancesQuotaLimitExceeded, with the numbers in the message") {
  World w;
  Quotas q;
  q.instances = 5;
  w.settings.set_account_quotas(kApp, q);
  Launch(w, Plan(3));
  auto over = LaunchInstances(w, Plan(3), kNow);
  REQUIRE_FALSE(over.ok());
  CHECK(over.error().code() == "InstancesQuotaLimitExceeded");
  CHECK(over.error().message() ==
        "Creating 3 instance(s) would exceed the instance quota of 5 in region ap-guangzhou (3 in use).");
  CHECK(w.store.Count(kApp, kRegion) == 3);

  Launch(w, Plan(2));  // exactly up to the quota
  CHECK(w.store.Count(kApp, kRegion) == 5);
  auto one_more = LaunchInstances(w, Plan(1), kNow);
  REQUIRE_FALSE(one_more.ok());
  CHECK(one_more.error().code() == "InstancesQuotaLimitExceeded");
  CHECK(one_more.error().message() ==
        "Creating 1 instance(s) would exceed the instance quota of 5 in region ap-guangzhou (5 in use).");

  // Another account has its own quota and count.
  CHECK(LaunchInstances(w, Plan(6, kOtherApp), kNow).ok());
}

TEST_CASE("LaunchInstances: instances gone and purged no longer count against the quota") {
  World w;
  Quotas q;
  q.instances = 2;
  w.settings.set_account_quotas(kApp, q);
  LaunchChange timed = Plan(2);
  timed.terminate_at = kNow + 10'000;
  Launch(w, timed);
  CHECK_FALSE(LaunchInstances(w, Plan(1), kNow).ok());
  const TimeMs later = kNow + 33'000;  // timer + terminating
  UnitOfWork uow(w.db, later);          // purges what is gone
  CHECK(LaunchInstances(w, Plan(2), later).ok());
}

TEST_CASE("LaunchInstances: inside a UnitOfWork that is not committed, nothing is left behind") {
  World w;
  std::vector<std::string> ids;
  {
    UnitOfWork uow(w.db, kNow);
    ids = Launch(w, VpcPlan(2, "vpc-11111111", "subnet-11111111", {"10.8.0.10", "10.8.0.11"}));
    auto failed = LaunchInstances(w, VpcPlan(1, "vpc-11111111", "subnet-11111111", {"10.8.0.10"}), kNow);
    REQUIRE_FALSE(failed.ok());
    CHECK(failed.error().code() == "VpcIpsUsed");
    // no Commit()
  }
  CHECK(w.InstanceRows() == 0);
  CHECK(w.store.Count(kApp, kRegion) == 0);
  for (const std::string& id : ids) CHECK_FALSE(w.store.IdExists(id));
  // The subnet's first address was rolled back too: another /24 is accepted now.
  CHECK(LaunchInstances(w, VpcPlan(1, "vpc-11111111", "subnet-11111111", {"10.9.0.10"}), kNow)
            .ok());
}

TEST_CASE("LaunchInstances: a failed launch inserts nothing, even outside a UnitOfWork") {
  World w;
  Quotas q;
  q.instances = 1;
  w.settings.set_account_quotas(kApp, q);
  CHECK_FALSE(LaunchInstances(w, Plan(2), kNow).ok());
  CHECK_FALSE(LaunchInstances(w, VpcPlan(1, "vpc-11111111", "subnet-11111111", {"8.8.8.8"}), kNow)
                  .ok());
  CHECK(w.InstanceRows() == 0);
  CHECK(w.store.Count(kApp, kRegion) == 0);
}

// --- Addresses ---------------------------------------------------------------

TEST_CASE("LaunchInstances: the basic network hands out unique 10.x.y.z addresses across launches") {
  World w;
  std::vector<std::string> ids = Launch(w, Plan(30));
  std::vector<std::string> more = Launch(w, Plan(30));
  ids.insert(ids.end(), more.begin(), more.end());
  std::set<std::string> ips;
  for (const Instance& in : w.store.FindMany(kApp, kRegion, ids, kNow)) {
    CAPTURE(in.private_ip);
    CHECK(in.private_ip.rfind("10.", 0) == 0);
    CHECK(cvm::state::IsPrivateIpv4(in.private_ip));
    CHECK_FALSE(in.vpc_id.has_value());
    int host = Host(in.private_ip);
    CHECK(host >= 1);
    CHECK(host <= 254);
    ips.insert(in.private_ip);
  }
  CHECK(ips.size() == 60);
}

TEST_CASE("LaunchInstances: a VPC subnet hands out unique addresses of one /24, hosts 2 to 254") {
  World w;
  std::vector<std::string> ids = Launch(w, VpcPlan(5, "vpc-11111111", "subnet-11111111"));
  std::vector<std::string> more = Launch(w, VpcPlan(4, "vpc-11111111", "subnet-11111111"));
  ids.insert(ids.end(), more.begin(), more.end());
  std::set<std::string> ips, prefixes;
  for (const Instance& in : w.store.FindMany(kApp, kRegion, ids, kNow)) {
    CAPTURE(in.private_ip);
    CHECK(in.vpc_id == std::optional<std::string>("vpc-11111111"));
    CHECK(in.subnet_id == std::optional<std::string>("subnet-11111111"));
    CHECK(cvm::state::IsPrivateIpv4(in.private_ip));
    CHECK(Host(in.private_ip) >= 2);
    CHECK(Host(in.private_ip) <= 254);
    ips.insert(in.private_ip);
    prefixes.insert(Prefix24(in.private_ip));
  }
  CHECK(ips.size() == 9);
  CHECK(prefixes.size() == 1);
}

TEST_CASE("LaunchInstances: requested addresses are used as given, and fix the subnet's /24") {
  World w;
  std::vector<std::string> ids =
      Launch(w, VpcPlan(2, "vpc-11111111", "subnet-22222222", {"192.168.5.10", "192.168.5.254"}));
  CHECK(w.Get(ids[0]).private_ip == "192.168.5.10");
  CHECK(w.Get(ids[1]).private_ip == "192.168.5.254");
  // Later allocations in the subnet stay in that /24 and avoid the used ones.
  std::string next = w.Get(Launch(w, VpcPlan(1, "vpc-11111111", "subnet-22222222")).front()).private_ip;
  CHECK(Prefix24(next) == "192.168.5.");
  CHECK(next != "192.168.5.10");
  CHECK(next != "192.168.5.254");
}

TEST_CASE("LaunchInstances: a requested address outside the subnet's /24 is VpcAddrNotInSubNet") {
  World w;
  Launch(w, VpcPlan(1, "vpc-11111111", "subnet-22222222", {"192.168.5.10"}));
  for (const char* ip : {"192.168.6.10", "10.0.0.10", "192.168.5.1", "192.168.5.0", "192.168.5.255"}) {
    INFO("ip := " << std::string(ip));
    auto r = LaunchInstances(w, VpcPlan(1, "vpc-11111111", "subnet-22222222", {ip}), kNow);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code() == "VpcAddrNotInSubNet");
    CHECK(r.error().message() == "The private IP " + std::string(ip) +
                                     " is not inside the subnet subnet-22222222 (192.168.5.0/24).");
  }
  CHECK(w.store.Count(kApp, kRegion) == 1);
}

TEST_CASE("LaunchInstances: a public address requested in a new subnet is VpcAddrNotInSubNet") {
  World w;
  for (const char* ip : {"43.0.0.10", "8.8.8.8", "172.32.0.10", "192.169.0.10"}) {
    INFO("ip := " << std::string(ip));
    auto r = LaunchInstances(w, VpcPlan(1, "vpc-11111111", "subnet-33333333", {ip}), kNow);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code() == "VpcAddrNotInSubNet");
  }
  CHECK(w.InstanceRows() == 0);
}

TEST_CASE("LaunchInstances: a requested address in use, or given twice, is VpcIpsUsed") {
  World w;
  Launch(w, VpcPlan(1, "vpc-11111111", "subnet-22222222", {"192.168.5.10"}));
  auto used = LaunchInstances(w, VpcPlan(1, "vpc-11111111", "subnet-22222222", {"192.168.5.10"}), kNow);
  REQUIRE_FALSE(used.ok());
  CHECK(used.error().code() == "VpcIpsUsed");
  CHECK(used.error().message() == "The private IP 192.168.5.10 is already used in VPC vpc-11111111.");

  auto twice = LaunchInstances(
      w,
      VpcPlan(2, "vpc-11111111", "subnet-22222222", {"192.168.5.11", "192.168.5.11"}), kNow);
  REQUIRE_FALSE(twice.ok());
  CHECK(twice.error().code() == "VpcIpsUsed");
  CHECK(twice.error().message() == "The private IP 192.168.5.11 is already used in VPC vpc-11111111.");
  CHECK(w.store.Count(kApp, kRegion) == 1);
  CHECK_FALSE(w.store.PrivateIpUsed(kApp, kRegion, std::string("vpc-11111111"), "192.168.5.11"));
}

TEST_CASE("LaunchInstances: a subnet already seen in one VPC, named with another VPC, is InvalidParameterValue") {
  World w;
  Launch(w, VpcPlan(1, "vpc-11111111", "subnet-44444444"));
  auto r = LaunchInstances(w, VpcPlan(1, "vpc-22222222", "subnet-44444444"), kNow);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code() == "InvalidParameterValue");
  CHECK(r.error().message().find("VirtualPrivateCloud.SubnetId") != std::string::npos);
  CHECK(w.store.Count(kApp, kRegion) == 1);
}

TEST_CASE("LaunchInstances: a public address is given only when the plan asks for one, and never twice") {
  World w;
  for (const std::string& id : Launch(w, Plan(3))) CHECK_FALSE(w.Get(id).public_ip.has_value());
  LaunchChange with_public = Plan(20);
  with_public.public_ip = true;
  std::set<std::string> ips;
  for (const std::string& id : Launch(w, with_public)) {
    std::optional<std::string> ip = w.Get(id).public_ip;
    REQUIRE(ip.has_value());
    CAPTURE(*ip);
    CHECK(ip->rfind("43.", 0) == 0);
    CHECK_FALSE(cvm::state::IsPrivateIpv4(*ip));
    ips.insert(*ip);
  }
  CHECK(ips.size() == 20);
}

// --- Disks -------------------------------------------------------------------

TEST_CASE("LaunchInstances: cloud disks get disk-xxxxxxxx IDs of their own, local disks none") {
  World w;
  LaunchChange plan = Plan(2);
  plan.prototype.system_disk = Disk{DiskType::kCloudPremium, std::nullopt, 50, true};
  plan.prototype.data_disks = {Disk{DiskType::kLocalBasic, std::nullopt, 100, true},
                               Disk{DiskType::kCloudSsd, std::nullopt, 200, false},
                               Disk{DiskType::kCloudBasic, std::nullopt, 10, true}};
  const std::regex shape("disk-[0-9a-z]{8}");
  std::set<std::string> disk_ids;
  for (const std::string& id : Launch(w, plan)) {
    Instance in = w.Get(id);
    REQUIRE(in.system_disk.disk_id.has_value());
    CHECK(std::regex_match(*in.system_disk.disk_id, shape));
    disk_ids.insert(*in.system_disk.disk_id);
    REQUIRE(in.data_disks.size() == 3);
    CHECK_FALSE(in.data_disks[0].disk_id.has_value());
    for (int i : {1, 2}) {
      REQUIRE(in.data_disks[i].disk_id.has_value());
      CHECK(std::regex_match(*in.data_disks[i].disk_id, shape));
      disk_ids.insert(*in.data_disks[i].disk_id);
    }
    CHECK(in.data_disks[1].size_gb == 200);
    CHECK_FALSE(in.data_disks[1].delete_with_instance);
  }
  CHECK(disk_ids.size() == 6);

  LaunchChange local = Plan(1);
  local.prototype.system_disk = Disk{DiskType::kLocalBasic, std::nullopt, 50, true};
  CHECK_FALSE(w.Get(Launch(w, local).front()).system_disk.disk_id.has_value());
}

// --- LoadInstances -----------------------------------------------------------

TEST_CASE("LoadInstances: returns the instances in the order asked, duplicates removed") {
  World w;
  std::vector<std::string> ids = Launch(w, Plan(3));
  auto got = LoadInstances(w.db, kApp, kRegion, {ids[2], ids[0], ids[2], ids[1], ids[0]}, kNow);
  REQUIRE(got.ok());
  Ids order;
  for (const Instance& in : *got) order.push_back(in.instance_id);
  CHECK(order == Ids{ids[2], ids[0], ids[1]});
}

TEST_CASE("LoadInstances: an unknown ID is InvalidInstanceId.NotFound naming the first unknown one") {
  World w;
  std::vector<std::string> ids = Launch(w, Plan(2));
  auto got = LoadInstances(w.db, kApp, kRegion, {ids[0], "ins-unknown1", ids[1], "ins-unknown2"}, kNow);
  REQUIRE_FALSE(got.ok());
  CHECK(got.error().code() == "InvalidInstanceId.NotFound");
  CHECK(got.error().message() == "The instance ins-unknown1 does not exist in this region.");
}

TEST_CASE("LoadInstances: another account's instance is InvalidInstanceId.NotFound") {
  World w;
  std::string theirs = Launch(w, Plan(1, kOtherApp)).front();
  auto got = LoadInstances(w.db, kApp, kRegion, {theirs}, kNow);
  REQUIRE_FALSE(got.ok());
  CHECK(got.error().code() == "InvalidInstanceId.NotFound");
  CHECK(got.error().message() == "The instance " + theirs + " does not exist in this region.");
}

// --- TransitionInstances -----------------------------------------------------

struct ThreeRunning : World {
  std::vector<std::string> ids;
  const TimeMs running_at = kNow + 2'000;
  ThreeRunning() { ids = Launch(*this, Plan(3)); }
  std::string Describe(const std::string& id, TimeMs now) {
    Instance in = Get(id, now);
    return in.lifecycle.EncodePhases() + "|" + cvm::state::StateName(in.lifecycle.rest) + "|" +
           cvm::state::StateName(in.Observe(now));
  }
};

TEST_CASE("TransitionInstances: StopInstances on RUNNING instances makes them all STOPPING, then STOPPED") {
  ThreeRunning w;
  auto r = TransitionInstances(w, w.ids, Operation::kStop, false,
                               "StopInstances", w.running_at);
  REQUIRE(r.ok());
  REQUIRE(r->size() == 3);
  for (const Instance& in : *r) CHECK(in.Observe(w.running_at) == S::kStopping);
  for (const std::string& id : w.ids) {
    CHECK(w.Get(id, w.running_at).Observe(w.running_at + 6'999) == S::kStopping);
    CHECK(w.Get(id, w.running_at).Observe(w.running_at + 7'000) == S::kStopped);
  }
}

TEST_CASE("TransitionInstances: a batch with one instance in the wrong state changes none of them") {
  ThreeRunning w;
  REQUIRE(TransitionInstances(w, {w.ids[1]}, Operation::kStop, false,
                              "StopInstances", w.running_at)
              .ok());
  const TimeMs t = w.running_at + 7'000;  // ids[1] STOPPED, the others RUNNING
  std::vector<std::string> before;
  for (const std::string& id : w.ids) before.push_back(w.Describe(id, t));
  REQUIRE(w.Get(w.ids[1], t).Observe(t) == S::kStopped);

  auto stop = TransitionInstances(w, w.ids, Operation::kStop, false,
                                  "StopInstances", t);
  REQUIRE_FALSE(stop.ok());
  CHECK(stop.error().code() == "UnsupportedOperation.InstanceStateStopped");
  CHECK(stop.error().message() == "The instance " + w.ids[1] + " is STOPPED, which does not allow StopInstances.");

  auto start = TransitionInstances(w, w.ids, Operation::kStart, false,
                                   "StartInstances", t);
  REQUIRE_FALSE(start.ok());
  CHECK(start.error().code() == "UnsupportedOperation.InstanceStateRunning");

  for (size_t i = 0; i < w.ids.size(); ++i) {
    CAPTURE(i);
    CHECK(w.Describe(w.ids[i], t) == before[i]);
  }
}

TEST_CASE("TransitionInstances: a batch with an unknown ID is InvalidInstanceId.NotFound and changes nothing") {
  ThreeRunning w;
  auto r = TransitionInstances(w, {w.ids[0], "ins-unknown1", w.ids[1]},
                               Operation::kReboot, false, "RebootInstances", w.running_at);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code() == "InvalidInstanceId.NotFound");
  for (const std::string& id : w.ids) CHECK(w.Get(id, w.running_at).Observe(w.running_at) == S::kRunning);
}

TEST_CASE("TransitionInstances: PENDING instances cannot be stopped, and a repeated ID is handled once") {
  World w;
  std::vector<std::string> ids = Launch(w, Plan(2));
  auto pending = TransitionInstances(w, ids, Operation::kStop, false,
                                     "StopInstances", kNow + 1'999);
  REQUIRE_FALSE(pending.ok());
  CHECK(pending.error().code() == "UnsupportedOperation.InstanceStatePending");

  auto twice = TransitionInstances(w, {ids[0], ids[0]}, Operation::kTerminate,
                                   false, "TerminateInstances", kNow + 2'000);
  REQUIRE(twice.ok());
  CHECK(twice->size() == 1);
  Instance in = w.Get(ids[0], kNow + 2'000);
  CHECK(in.Observe(kNow + 2'000) == S::kTerminating);
  CHECK(in.lifecycle.gone_at == std::optional<TimeMs>(kNow + 25'000));
  CHECK_FALSE(w.store.Find(kApp, kRegion, ids[0], kNow + 25'000).has_value());
}

// --- ClientTokenStore --------------------------------------------------------

TEST_CASE("ClientTokenStore: a token is found for 24 hours of emulator time, then expires") {
  World w;
  ClientTokenStore tokens(w.db);
  CHECK_FALSE(tokens.Find(kApp, kRegion, "RunInstances", "tok-1", kNow).has_value());
  tokens.Put(kApp, kRegion, "RunInstances", "tok-1", {"request-1", "response-1"}, kNow);

  auto found = tokens.Find(kApp, kRegion, "RunInstances", "tok-1", kNow);
  REQUIRE(found.has_value());
  CHECK(found->request == "request-1");
  CHECK(found->response == "response-1");
  CHECK(tokens.Find(kApp, kRegion, "RunInstances", "tok-1", kNow + 24LL * 3'600'000 - 1).has_value());
  CHECK_FALSE(tokens.Find(kApp, kRegion, "RunInstances", "tok-1", kNow + 24LL * 3'600'000).has_value());
  CHECK_FALSE(tokens.Find(kApp, kRegion, "RunInstances", "tok-1", kNow + 48LL * 3'600'000).has_value());
}

TEST_CASE("ClientTokenStore: a token is scoped to account, region and action") {
  World w;
  ClientTokenStore tokens(w.db);
  tokens.Put(kApp, kRegion, "RunInstances", "tok-1", {"request-1", "response-1"}, kNow);
  CHECK_FALSE(tokens.Find(kOtherApp, kRegion, "RunInstances", "tok-1", kNow).has_value());
  CHECK_FALSE(tokens.Find(kApp, "ap-shanghai", "RunInstances", "tok-1", kNow).has_value());
  CHECK_FALSE(tokens.Find(kApp, kRegion, "AllocateHosts", "tok-1", kNow).has_value());
  CHECK_FALSE(tokens.Find(kApp, kRegion, "RunInstances", "TOK-1", kNow).has_value());
}

TEST_CASE("ClientTokenStore: Put replaces the token's record and restarts its 24 hours") {
  World w;
  ClientTokenStore tokens(w.db);
  tokens.Put(kApp, kRegion, "RunInstances", "tok-1", {"request-1", "response-1"}, kNow);
  const TimeMs later = kNow + 3'600'000;
  tokens.Put(kApp, kRegion, "RunInstances", "tok-1", {"request-2", "response-2"}, later);
  auto found = tokens.Find(kApp, kRegion, "RunInstances", "tok-1", later);
  REQUIRE(found.has_value());
  CHECK(found->request == "request-2");
  CHECK(found->response == "response-2");
  CHECK(tokens.Find(kApp, kRegion, "RunInstances", "tok-1", kNow + 24LL * 3'600'000).has_value());
  CHECK_FALSE(tokens.Find(kApp, kRegion, "RunInstances", "tok-1", later + 24LL * 3'600'000).has_value());
}

TEST_CASE("ClientTokenStore: an expired token can be put again and is found afresh") {
  World w;
  ClientTokenStore tokens(w.db);
  tokens.Put(kApp, kRegion, "RunInstances", "tok-1", {"request-1", "response-1"}, kNow);
  const TimeMs next_day = kNow + 25LL * 3'600'000;
  CHECK_FALSE(tokens.Find(kApp, kRegion, "RunInstances", "tok-1", next_day).has_value());
  tokens.Put(kApp, kRegion, "RunInstances", "tok-1", {"request-3", "response-3"}, next_day);
  auto found = tokens.Find(kApp, kRegion, "RunInstances", "tok-1", next_day);
  REQUIRE(found.has_value());
  CHECK(found->request == "request-3");
}

}  // namespace
