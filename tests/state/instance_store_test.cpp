// The instances table and its children (state/instance_store.h) over a
// ":memory:" database: round trips of every field, the account and region
// isolation of every read, DescribeInstances' filters and pages, Purge and the
// per-account count, and the JSON arrays lists are bound as.
#include <doctest/doctest.h>

#include <ostream>
#include <string>
#include <vector>

#include "state/database.h"
#include "state/instance.h"
#include "state/instance_store.h"
#include "state/migrations.h"

namespace {

using cvm::state::ChargeType;
using cvm::state::Database;
using cvm::state::DiskType;
using cvm::state::InternetChargeType;
using cvm::state::RenewFlag;
using cvm::state::RestrictState;
using cvm::state::Disk;
using cvm::state::Instance;
using cvm::state::InstanceCondition;
using cvm::state::InstancePage;
using cvm::state::InstanceQuery;
using cvm::state::InstanceState;
using cvm::state::InstanceStore;
using cvm::state::JsonStringArray;
using cvm::state::Lifecycle;
using cvm::state::Statement;
using cvm::state::Tag;
using cvm::state::TimeMs;
using S = InstanceState;

constexpr int64_t kApp = 1250000000;
constexpr int64_t kOtherApp = 1250000001;
const std::string kRegion = "ap-guangzhou";
const std::string kOtherRegion = "ap-shanghai";
constexpr TimeMs kNow = 1'700'000'000'000;

struct Store {
  Database db{":memory:"};
  InstanceStore store{db};
  Store() { cvm::state::Migrate(db); }

  int64_t Rows(const char* sql, int64_t rowid) {
    Statement s = db.Prepare(sql);
    s.Bind(1, rowid);
    REQUIRE(s.Step());
    return s.Int(0);
  }
};

// A RUNNING instance with no optional field set.
Instance Minimal(int64_t app_id, const std::string& region, const std::string& id,
                 const std::string& private_ip) {
  Instance in;
  in.app_id = app_id;
  in.region = region;
  in.instance_id = id;
  in.zone = region + "-3";
  in.project_id = 0;
  in.instance_type = "S1.SMALL1";
  in.cpu = 1;
  in.memory = 1;
  in.name = "未命名";
  in.charge_type = ChargeType::kPostpaidByHour;
  in.image_id = "img-8toqc6s3";
  in.os_name = "CentOS 7.2 64位";
  in.created_at = kNow - 60'000;
  in.lifecycle.rest = S::kRunning;
  in.system_disk = Disk{DiskType::kLocalBasic, std::nullopt, 50, true};
  in.private_ip = private_ip;
  return in;
}

// An instance with every optional field set and every child list filled,
// in an order that is not sorted (so order must be kept, not rebuilt).
Instance Full(int64_t app_id, const std::string& region, const std::string& id,
              const std::string& private_ip) {
  Instance in = Minimal(app_id, region, id, private_ip);
  in.zone = region + "-4";
  in.project_id = 1001;
  in.host_id = "host-abcdefgh";
  in.instance_type = "S2.MEDIUM4";
  in.cpu = 2;
  in.memory = 4;
  in.name = "web \"front\" \\ 01";
  in.host_name = "web-01.example";
  in.charge_type = ChargeType::kPrepaid;
  in.renew_flag = RenewFlag::kNotifyAndAutoRenew;
  in.expired_at = kNow + 30LL * 86'400'000;
  in.image_id = "img-pmqg1cw7";
  in.os_name = "Windows Server 2016";
  in.windows = true;
  in.image_platform = "Windows";
  in.image_architecture = "arm64";
  in.image_size_gb = 50;
  in.image_cloud_init = true;
  in.restrict_state = RestrictState::kExpired;
  in.created_at = kNow - 3'600'000;
  in.lifecycle.phases = {{S::kStopping, kNow + 5'000}, {S::kStarting, kNow + 8'000}};
  in.lifecycle.rest = S::kRunning;
  in.lifecycle.timer_at = kNow + 86'400'000;
  in.lifecycle.gone_at = kNow + 86'405'000;
  in.system_disk = Disk{DiskType::kCloudPremium, std::string("disk-sys00001"), 60, true};
  in.data_disks = {Disk{DiskType::kLocalBasic, std::nullopt, 100, true},
                   Disk{DiskType::kCloudSsd, std::string("disk-dat00002"), 200, false},
                   Disk{DiskType::kCloudBasic, std::string("disk-dat00001"), 10, true}};
  in.vpc_id = "vpc-abcdefgh";
  in.subnet_id = "subnet-abcdefgh";
  in.as_vpc_gateway = true;
  in.public_ip = "43.1.2.3";
  in.internet_charge_type = InternetChargeType::kTrafficPostpaidByHour;
  in.bandwidth_out = 10;
  in.security_service = false;
  in.monitor_service = false;
  in.keep_image_login = true;
  in.user_data = "IyEvYmluL2Jhc2gKZWNobyBoaQ==";
  in.placement_group_id = "ps-abcdefgh";
  in.security_group_ids = {"sg-zzzzzzzz", "sg-aaaaaaaa"};
  in.key_ids = {"skey-zzzzzzzz", "skey-aaaaaaaa"};
  in.tags = {{"team", "b"}, {"env", "prod"}, {"中文", "值"}};
  return in;
}

// The whole record, every field and child row, as Instance's operator==
// compares it.
void CheckSameInstance(const Instance& got, const Instance& want) {
  CHECK_MESSAGE(got == want, "the instance " << want.instance_id << " did not come back as written");
}

// A list of strings that doctest can print when a check fails.
struct Ids_ : std::vector<std::string> {
  using std::vector<std::string>::vector;
};
std::ostream& operator<<(std::ostream& os, const Ids_& list) {
  os << "{";
  for (size_t i = 0; i < list.size(); ++i) os << (i ? ", " : "") << '"' << list[i] << '"';
  return os << "}";
}

Ids_ Ids(const std::vector<Instance>& instances) {
  Ids_ ids;
  for (const Instance& in : instances) ids.push_back(in.instance_id);
  return ids;
}

// --- Insert, Find, FindMany --------------------------------------------------

TEST_CASE("InstanceStore: Insert sets the rowid, and Find returns every field as inserted") {
  Store s;
  Instance full = Full(kApp, kRegion, "ins-full0001", "10.0.0.2");
  Instance minimal = Minimal(kApp, kRegion, "ins-mini0001", "10.0.0.3");
  s.store.Insert(full);
  s.store.Insert(minimal);
  CHECK(full.rowid > 0);
  CHECK(minimal.rowid > full.rowid);

  auto got_full = s.store.Find(kApp, kRegion, "ins-full0001", kNow);
  REQUIRE(got_full.has_value());
  CheckSameInstance(*got_full, full);
  auto got_minimal = s.store.Find(kApp, kRegion, "ins-mini0001", kNow);
  REQUIRE(got_minimal.has_value());
  CheckSameInstance(*got_minimal, minimal);
  CHECK(got_minimal->data_disks.empty());
  CHECK(got_minimal->tags.empty());
  CHECK(got_minimal->security_group_ids.empty());
  CHECK(got_minimal->key_ids.empty());
}

TEST_CASE("InstanceStore: Find never returns another account's or another region's instance") {
  Store s;
  Instance mine = Minimal(kApp, kRegion, "ins-mine0001", "10.0.0.2");
  Instance theirs = Minimal(kOtherApp, kRegion, "ins-their001", "10.0.0.2");
  Instance elsewhere = Minimal(kApp, kOtherRegion, "ins-else0001", "10.0.0.2");
  s.store.Insert(mine);
  s.store.Insert(theirs);
  s.store.Insert(elsewhere);
  CHECK(s.store.Find(kApp, kRegion, "ins-mine0001", kNow).has_value());
  CHECK_FALSE(s.store.Find(kApp, kRegion, "ins-their001", kNow).has_value());
  CHECK_FALSE(s.store.Find(kApp, kRegion, "ins-else0001", kNow).has_value());
  CHECK_FALSE(s.store.Find(kOtherApp, kRegion, "ins-mine0001", kNow).has_value());
  CHECK_FALSE(s.store.Find(kApp, kOtherRegion, "ins-mine0001", kNow).has_value());
  CHECK_FALSE(s.store.Find(kApp, kRegion, "ins-unknown1", kNow).has_value());
}

TEST_CASE("InstanceStore: Find stops returning an instance at its gone_at, even before Purge") {
  Store s;
  Instance in = Minimal(kApp, kRegion, "ins-gone0001", "10.0.0.2");
  in.lifecycle.phases = {{S::kTerminating, kNow + 1'000}};
  in.lifecycle.rest = S::kGone;
  in.lifecycle.gone_at = kNow + 1'000;
  s.store.Insert(in);
  CHECK(s.store.Find(kApp, kRegion, "ins-gone0001", kNow + 999).has_value());
  CHECK_FALSE(s.store.Find(kApp, kRegion, "ins-gone0001", kNow + 1'000).has_value());
  CHECK(s.store.FindMany(kApp, kRegion, {"ins-gone0001"}, kNow + 1'000).empty());
  InstanceQuery by_id;
  by_id.instance_ids = Ids_{"ins-gone0001"};
  CHECK(s.store.List(kApp, kRegion, by_id, kNow + 1'000).total == 0);
}

TEST_CASE("InstanceStore: FindMany keeps the order of the IDs asked for and leaves out unknown and foreign ones") {
  Store s;
  Instance a = Full(kApp, kRegion, "ins-aaaaaaa1", "10.0.0.1");
  Instance b = Minimal(kApp, kRegion, "ins-bbbbbbb2", "10.0.0.2");
  Instance c = Full(kApp, kRegion, "ins-ccccccc3", "10.0.0.3");
  c.vpc_id = "vpc-cccccccc";
  Instance theirs = Minimal(kOtherApp, kRegion, "ins-their001", "10.0.0.4");
  Instance elsewhere = Minimal(kApp, kOtherRegion, "ins-else0001", "10.0.0.5");
  for (Instance* in : {&a, &b, &c, &theirs, &elsewhere}) s.store.Insert(*in);

  std::vector<Instance> got = s.store.FindMany(
      kApp, kRegion, {"ins-ccccccc3", "ins-their001", "ins-aaaaaaa1", "ins-unknown1", "ins-else0001", "ins-bbbbbbb2"},
      kNow);
  CHECK(Ids(got) == Ids_{"ins-ccccccc3", "ins-aaaaaaa1", "ins-bbbbbbb2"});
  REQUIRE(got.size() == 3);
  CheckSameInstance(got[0], c);  // children belong to the right instance
  CheckSameInstance(got[1], a);
  CheckSameInstance(got[2], b);
  CHECK(s.store.FindMany(kApp, kRegion, {}, kNow).empty());
}

TEST_CASE("InstanceStore: IdExists sees every account's IDs; PrivateIpUsed is per account, region and VPC; PublicIpUsed is global") {
  Store s;
  Instance classic = Minimal(kApp, kRegion, "ins-classic1", "10.0.0.2");
  classic.public_ip = "43.0.0.9";
  Instance in_vpc = Minimal(kApp, kRegion, "ins-invpc001", "172.16.0.2");
  in_vpc.vpc_id = "vpc-11111111";
  s.store.Insert(classic);
  s.store.Insert(in_vpc);

  CHECK(s.store.IdExists("ins-classic1"));
  CHECK_FALSE(s.store.IdExists("ins-unknown1"));

  CHECK(s.store.PrivateIpUsed(kApp, kRegion, "vpc-11111111", "172.16.0.2"));
  CHECK_FALSE(s.store.PrivateIpUsed(kApp, kRegion, "vpc-11111111", "10.0.0.2"));  // basic network
  CHECK_FALSE(s.store.PrivateIpUsed(kApp, kRegion, "vpc-22222222", "172.16.0.2"));
  CHECK_FALSE(s.store.PrivateIpUsed(kOtherApp, kRegion, "vpc-11111111", "172.16.0.2"));
  CHECK_FALSE(s.store.PrivateIpUsed(kApp, kOtherRegion, "vpc-11111111", "172.16.0.2"));

  CHECK(s.store.PublicIpUsed("43.0.0.9"));
  CHECK_FALSE(s.store.PublicIpUsed("43.0.0.10"));
}

TEST_CASE("InstanceStore: Insert keeps a rowid given to it, and NextRowId is one past the largest") {
  Store s;
  CHECK(s.store.NextRowId() == 1);
  Instance chosen = Minimal(kApp, kRegion, "ins-chosen01", "10.0.0.2");
  chosen.rowid = 41;
  s.store.Insert(chosen);
  CHECK(chosen.rowid == 41);
  CHECK(s.store.NextRowId() == 42);
  Instance next = Minimal(kApp, kRegion, "ins-next0001", "10.0.0.3");
  s.store.Insert(next);
  CHECK(next.rowid == 42);
  CHECK(s.store.Find(kApp, kRegion, "ins-chosen01", kNow)->rowid == 41);
}

TEST_CASE("InstanceStore: InstancesWithKey lists the account's holders of a key, oldest first") {
  Store s;
  Instance a = Minimal(kApp, kRegion, "ins-aaaaaaa1", "10.0.0.1");
  a.key_ids = {"skey-11111111", "skey-22222222"};
  Instance b = Minimal(kApp, kRegion, "ins-bbbbbbb2", "10.0.0.2");
  b.key_ids = {"skey-22222222"};
  Instance theirs = Minimal(kOtherApp, kRegion, "ins-their001", "10.0.0.3");
  theirs.key_ids = {"skey-22222222"};
  for (Instance* in : {&a, &b, &theirs}) s.store.Insert(*in);
  CHECK(s.store.InstancesWithKey(kApp, kRegion, "skey-22222222", kNow) == Ids_{"ins-aaaaaaa1", "ins-bbbbbbb2"});
  CHECK(s.store.InstancesWithKey(kApp, kRegion, "skey-11111111", kNow) == Ids_{"ins-aaaaaaa1"});
  CHECK(s.store.InstancesWithKey(kApp, kOtherRegion, "skey-22222222", kNow).empty());
}

// --- Update, UpdateLifecycle -------------------------------------------------

TEST_CASE("InstanceStore: Update rewrites every column and child row, set fields to null and null ones to values") {
  Store s;
  Instance full = Full(kApp, kRegion, "ins-full0001", "10.0.0.2");
  Instance minimal = Minimal(kApp, kRegion, "ins-mini0001", "10.0.0.3");
  s.store.Insert(full);
  s.store.Insert(minimal);

  // The full one becomes minimal (every optional back to null, lists emptied)...
  Instance emptied = Minimal(kApp, kRegion, "ins-full0001", "10.0.0.4");
  emptied.rowid = full.rowid;
  s.store.Update(emptied);
  // ...and the minimal one gets every field.
  Instance filled = Full(kApp, kRegion, "ins-mini0001", "10.0.0.5");
  filled.rowid = minimal.rowid;
  filled.tags = {{"only", ""}};
  filled.data_disks = {Disk{DiskType::kCloudPremium, std::string("disk-new00001"), 500, false}};
  s.store.Update(filled);

  auto got_emptied = s.store.Find(kApp, kRegion, "ins-full0001", kNow);
  REQUIRE(got_emptied.has_value());
  CheckSameInstance(*got_emptied, emptied);
  auto got_filled = s.store.Find(kApp, kRegion, "ins-mini0001", kNow);
  REQUIRE(got_filled.has_value());
  CheckSameInstance(*got_filled, filled);

  CHECK(s.Rows("SELECT COUNT(*) FROM instance_data_disks WHERE instance_rowid = ?", full.rowid) == 0);
  CHECK(s.Rows("SELECT COUNT(*) FROM instance_tags WHERE instance_rowid = ?", full.rowid) == 0);
  CHECK(s.Rows("SELECT COUNT(*) FROM instance_security_groups WHERE instance_rowid = ?", full.rowid) == 0);
  CHECK(s.Rows("SELECT COUNT(*) FROM instance_key_pairs WHERE instance_rowid = ?", full.rowid) == 0);
  CHECK(s.store.Count(kApp, kRegion) == 2);
}

TEST_CASE("InstanceStore: UpdateLifecycle rewrites the lifecycle and nothing else") {
  Store s;
  Instance in = Full(kApp, kRegion, "ins-full0001", "10.0.0.2");
  s.store.Insert(in);
  Instance changed = in;
  changed.name = "not saved";
  changed.tags.clear();
  changed.lifecycle = Lifecycle{};
  changed.lifecycle.phases = {{S::kTerminating, kNow + 23'000}};
  changed.lifecycle.rest = S::kGone;
  changed.lifecycle.gone_at = kNow + 23'000;
  s.store.UpdateLifecycle(changed);

  auto got = s.store.Find(kApp, kRegion, "ins-full0001", kNow);
  REQUIRE(got.has_value());
  Instance want = in;
  want.lifecycle = changed.lifecycle;
  CheckSameInstance(*got, want);
  CHECK(got->Observe(kNow) == S::kTerminating);
}

// --- List: pages -------------------------------------------------------------

struct Listed : Store {
  Listed() {
    // Inserted oldest first; created_at is deliberately not in insertion order.
    for (int i = 1; i <= 5; ++i) {
      Instance in = Minimal(kApp, kRegion, "ins-page000" + std::to_string(i), "10.0.0." + std::to_string(i));
      in.created_at = kNow - i;
      store.Insert(in);
    }
    Instance theirs = Minimal(kOtherApp, kRegion, "ins-their001", "10.0.0.1");
    Instance elsewhere = Minimal(kApp, kOtherRegion, "ins-else0001", "10.0.0.1");
    store.Insert(theirs);
    store.Insert(elsewhere);
  }
  InstancePage Page(int64_t offset, int64_t limit) {
    InstanceQuery q;
    q.offset = offset;
    q.limit = limit;
    return store.List(kApp, kRegion, q, kNow);
  }
};

TEST_CASE("List: without filters, pages follow the order of insertion and TotalCount counts every instance of the account") {
  Listed s;
  InstancePage first = s.Page(0, 2);
  CHECK(first.total == 5);
  CHECK(Ids(first.items) == Ids_{"ins-page0001", "ins-page0002"});
  InstancePage second = s.Page(2, 2);
  CHECK(second.total == 5);
  CHECK(Ids(second.items) == Ids_{"ins-page0003", "ins-page0004"});
  InstancePage last = s.Page(4, 2);
  CHECK(last.total == 5);
  CHECK(Ids(last.items) == Ids_{"ins-page0005"});
  InstancePage all = s.Page(0, 100);
  CHECK(Ids(all.items) == Ids_{"ins-page0001", "ins-page0002", "ins-page0003", "ins-page0004", "ins-page0005"});
}

TEST_CASE("List: an Offset at or past the end gives no items but still the TotalCount") {
  Listed s;
  for (int64_t offset : {5, 6, 1000}) {
    CAPTURE(offset);
    InstancePage p = s.Page(offset, 20);
    CHECK(p.total == 5);
    CHECK(p.items.empty());
  }
}

TEST_CASE("List: pages of a filtered listing are stable and TotalCount counts all matches") {
  Listed s;
  InstanceQuery q;
  q.conditions = {{"zone", {kRegion + "-3"}}};
  q.offset = 1;
  q.limit = 3;
  InstancePage p = s.store.List(kApp, kRegion, q, kNow);
  CHECK(p.total == 5);
  CHECK(Ids(p.items) == Ids_{"ins-page0002", "ins-page0003", "ins-page0004"});
  q.offset = 4;
  p = s.store.List(kApp, kRegion, q, kNow);
  CHECK(p.total == 5);
  CHECK(Ids(p.items) == Ids_{"ins-page0005"});
}

TEST_CASE("List: an account with no instances in the region lists nothing") {
  Listed s;
  InstanceQuery q;
  InstancePage p = s.store.List(kOtherApp, kOtherRegion, q, kNow);
  CHECK(p.total == 0);
  CHECK(p.items.empty());
}

TEST_CASE("List: children of listed instances come back with them") {
  Store s;
  Instance a = Full(kApp, kRegion, "ins-aaaaaaa1", "10.0.0.1");
  Instance b = Minimal(kApp, kRegion, "ins-bbbbbbb2", "10.0.0.2");
  Instance c = Full(kApp, kRegion, "ins-ccccccc3", "10.0.0.3");
  c.tags = {{"c", "3"}};
  c.key_ids = {"skey-cccccccc"};
  for (Instance* in : {&a, &b, &c}) s.store.Insert(*in);
  InstancePage p = s.store.List(kApp, kRegion, InstanceQuery{}, kNow);
  REQUIRE(p.items.size() == 3);
  CheckSameInstance(p.items[0], a);
  CheckSameInstance(p.items[1], b);
  CheckSameInstance(p.items[2], c);
}

// --- List: filters -----------------------------------------------------------

// Four instances of the account, and decoys in another account and another
// region that match every filter below: the isolation guarantee means the
// decoys never show up.
//
//   id            zone  project host           vpc           groups      name    charge            private    public    tags
//   ins-aaaaaaa1  gz-3  0       -              -             sg-1        web     POSTPAID_BY_HOUR  10.0.0.1   43.0.0.1  env=prod team=a
//   ins-bbbbbbb2  gz-4  1001    host-11111111  vpc-11111111  sg-1 sg-2   web-1   PREPAID           10.0.0.2   -         env=dev
//   ins-ccccccc3  gz-3  1001    -              vpc-22222222  -           Web     SPOTPAID          10.0.0.3   43.0.0.3  team=prod
//   ins-ddddddd4  gz-4  0       host-22222222  vpc-11111111  sg-3        db      POSTPAID_BY_HOUR  10.0.0.4   43.0.0.4  -
struct Filtered : Store {
  const std::string gz3 = kRegion + "-3", gz4 = kRegion + "-4";
  Filtered() {
    Instance a = Minimal(kApp, kRegion, "ins-aaaaaaa1", "10.0.0.1");
    a.zone = gz3;
    a.security_group_ids = {"sg-1"};
    a.name = "web";
    a.public_ip = "43.0.0.1";
    a.tags = {{"env", "prod"}, {"team", "a"}};

    Instance b = Minimal(kApp, kRegion, "ins-bbbbbbb2", "10.0.0.2");
    b.zone = gz4;
    b.project_id = 1001;
    b.host_id = "host-11111111";
    b.vpc_id = "vpc-11111111";
    b.security_group_ids = {"sg-1", "sg-2"};
    b.name = "web-1";
    b.charge_type = ChargeType::kPrepaid;
    b.tags = {{"env", "dev"}};

    Instance c = Minimal(kApp, kRegion, "ins-ccccccc3", "10.0.0.3");
    c.zone = gz3;
    c.project_id = 1001;
    c.vpc_id = "vpc-22222222";
    c.name = "Web";
    c.charge_type = ChargeType::kSpotPaid;
    c.public_ip = "43.0.0.3";
    c.tags = {{"team", "prod"}};

    Instance d = Minimal(kApp, kRegion, "ins-ddddddd4", "10.0.0.4");
    d.zone = gz4;
    d.host_id = "host-22222222";
    d.vpc_id = "vpc-11111111";
    d.security_group_ids = {"sg-3"};
    d.name = "db";
    d.public_ip = "43.0.0.4";

    for (Instance* in : {&a, &b, &c, &d}) store.Insert(*in);

    int n = 0;
    for (auto [app, region] : {std::pair{kOtherApp, kRegion}, std::pair{kApp, kOtherRegion}}) {
      for (std::string_view ip : {"10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.4"}) {
        Instance decoy = Minimal(app, region, "ins-decoy00" + std::to_string(++n), std::string(ip));
        decoy.zone = n % 2 ? gz3 : gz4;
        decoy.project_id = n % 2 ? 0 : 1001;
        decoy.host_id = n % 2 ? "host-11111111" : "host-22222222";
        if (ip != "10.0.0.1") decoy.vpc_id = n % 2 ? "vpc-11111111" : "vpc-22222222";
        decoy.security_group_ids = {"sg-1", "sg-2", "sg-3"};
        decoy.name = n % 2 ? "web" : "db";
        decoy.charge_type = n % 2 ? ChargeType::kPrepaid : ChargeType::kPostpaidByHour;
        decoy.public_ip = "43.0.0." + std::to_string(n % 4 + 1);
        decoy.tags = {{"env", "prod"}, {"env", "dev"}, {"team", "a"}, {"team", "prod"}};
        store.Insert(decoy);
      }
    }
  }
};

struct FilterCase {
  const char* sentence;
  std::vector<InstanceCondition> conditions;
  Ids_ expected;
};

TEST_CASE("List: every DescribeInstances filter matches exactly, ORs its values, ANDs with the others, and never crosses accounts or regions") {
  Filtered s;
  const std::string gz3 = s.gz3, gz4 = s.gz4;
  const std::string A = "ins-aaaaaaa1", B = "ins-bbbbbbb2", C = "ins-ccccccc3", D = "ins-ddddddd4";
  const std::vector<FilterCase> cases = {
      {"zone", {{"zone", {gz3}}}, {A, C}},
      {"zone, two values", {{"zone", {gz4, gz3}}}, {A, B, C, D}},
      {"zone, unknown", {{"zone", {"ap-guangzhou-9"}}}, {}},
      {"project-id", {{"project-id", {"1001"}}}, {B, C}},
      {"project-id 0", {{"project-id", {"0"}}}, {A, D}},
      {"host-id", {{"host-id", {"host-11111111"}}}, {B}},
      {"host-id, two values", {{"host-id", {"host-22222222", "host-11111111"}}}, {B, D}},
      {"vpc-id", {{"vpc-id", {"vpc-11111111"}}}, {B, D}},
      {"vpc-id, two values", {{"vpc-id", {"vpc-22222222", "vpc-11111111"}}}, {B, C, D}},
      {"instance-id", {{"instance-id", {C, A}}}, {A, C}},
      {"instance-id, foreign", {{"instance-id", {"ins-decoy001", "ins-decoy005"}}}, {}},
      {"security-group-id", {{"security-group-id", {"sg-1"}}}, {A, B}},
      {"security-group-id, two values held by one instance", {{"security-group-id", {"sg-1", "sg-2"}}}, {A, B}},
      {"security-group-id, two values", {{"security-group-id", {"sg-2", "sg-3"}}}, {B, D}},
      {"instance-name is exact (not case-folded, not a prefix)", {{"instance-name", {"web"}}}, {A}},
      {"instance-name, two values", {{"instance-name", {"db", "Web"}}}, {C, D}},
      {"instance-name, a fragment", {{"instance-name", {"we"}}}, {}},
      {"instance-charge-type", {{"instance-charge-type", {"PREPAID"}}}, {B}},
      {"instance-charge-type, two values", {{"instance-charge-type", {"POSTPAID_BY_HOUR", "SPOTPAID"}}}, {A, C, D}},
      {"private-ip-address", {{"private-ip-address", {"10.0.0.3"}}}, {C}},
      {"private-ip-address, two values", {{"private-ip-address", {"10.0.0.4", "10.0.0.1"}}}, {A, D}},
      {"public-ip-address", {{"public-ip-address", {"43.0.0.1", "43.0.0.4"}}}, {A, D}},
      {"public-ip-address, a private one", {{"public-ip-address", {"10.0.0.2"}}}, {}},
      {"tag-key", {{"tag-key", {"env"}}}, {A, B}},
      {"tag-key, two values", {{"tag-key", {"team", "env"}}}, {A, B, C}},
      {"tag-value", {{"tag-value", {"prod"}}}, {A, C}},
      {"tag:env", {{"tag:env", {"prod"}}}, {A}},
      {"tag:env, two values", {{"tag:env", {"dev", "prod"}}}, {A, B}},
      {"tag:team", {{"tag:team", {"prod"}}}, {C}},
      {"tag:team, a value of another key", {{"tag:team", {"dev"}}}, {}},
      {"zone AND project-id", {{"zone", {gz3}}, {"project-id", {"1001"}}}, {C}},
      {"zone AND instance-charge-type", {{"zone", {gz4}}, {"instance-charge-type", {"POSTPAID_BY_HOUR"}}}, {D}},
      {"tag:env AND tag:team", {{"tag:env", {"prod"}}, {"tag:team", {"a"}}}, {A}},
      {"tag-key AND tag-value from different tags", {{"tag-key", {"env"}}, {"tag-value", {"a"}}}, {A}},
      {"vpc-id AND security-group-id", {{"vpc-id", {"vpc-11111111"}}, {"security-group-id", {"sg-1", "sg-3"}}}, {B, D}},
      {"zone AND vpc-id, disjoint", {{"zone", {gz3}}, {"vpc-id", {"vpc-11111111"}}}, {}},
      {"the same filter twice is ANDed", {{"zone", {gz3, gz4}}, {"zone", {gz4}}}, {B, D}},
  };
  for (const FilterCase& c : cases) {
    INFO("c.sentence := " << std::string(c.sentence));
    InstanceQuery q;
    q.conditions = c.conditions;
    InstancePage p = s.store.List(kApp, kRegion, q, kNow);
    CHECK(Ids(p.items) == c.expected);
    CHECK(p.total == static_cast<int64_t>(c.expected.size()));
  }
}

TEST_CASE("List: InstanceIds and filters together are ANDed, and the IDs never reach other accounts") {
  Filtered s;
  InstanceQuery q;
  q.instance_ids = Ids_{"ins-ccccccc3", "ins-aaaaaaa1", "ins-bbbbbbb2", "ins-decoy001", "ins-decoy006"};
  InstancePage p = s.store.List(kApp, kRegion, q, kNow);
  CHECK(Ids(p.items) == Ids_{"ins-aaaaaaa1", "ins-bbbbbbb2", "ins-ccccccc3"});
  CHECK(p.total == 3);

  q.conditions = {{"zone", {s.gz4}}};
  p = s.store.List(kApp, kRegion, q, kNow);
  CHECK(Ids(p.items) == Ids_{"ins-bbbbbbb2"});
  CHECK(p.total == 1);

  q.instance_ids = Ids_{};
  q.conditions.clear();
  p = s.store.List(kApp, kRegion, q, kNow);
  CHECK(p.items.empty());
  CHECK(p.total == 0);
}

TEST_CASE("List: filter values are bound, never spliced into SQL") {
  Filtered s;
  InstanceQuery q;
  q.conditions = {{"instance-name", {"web' OR '1'='1", "\"web\"", "web\\"}},
                  {"tag:env') OR 1=1 --", {"prod"}}};
  InstancePage p = s.store.List(kApp, kRegion, q, kNow);
  CHECK(p.total == 0);
  CHECK(p.items.empty());
}

TEST_CASE("List: an instance past its gone_at is not listed, filtered or not") {
  Store s;
  Instance live = Minimal(kApp, kRegion, "ins-live0001", "10.0.0.1");
  Instance gone = Minimal(kApp, kRegion, "ins-gone0001", "10.0.0.2");
  gone.lifecycle.rest = S::kGone;
  gone.lifecycle.gone_at = kNow - 1;
  s.store.Insert(live);
  s.store.Insert(gone);
  InstanceQuery filtered;
  filtered.conditions = {{"zone", {kRegion + "-3"}}};
  InstancePage p = s.store.List(kApp, kRegion, filtered, kNow);
  CHECK(Ids(p.items) == Ids_{"ins-live0001"});
  CHECK(p.total == 1);
  p = s.store.List(kApp, kRegion, InstanceQuery{}, kNow);
  CHECK(Ids(p.items) == Ids_{"ins-live0001"});
}

// Count() is a counter that only Purge lowers, and List without filters takes
// its TotalCount from it. UnitOfWork purges before every request, so the two
// agree there; called directly, the counter still includes the gone instance.
TEST_CASE("List: TotalCount without filters leaves out an instance past its gone_at that is not yet purged") {
  Store s;
  Instance live = Minimal(kApp, kRegion, "ins-live0001", "10.0.0.1");
  Instance gone = Minimal(kApp, kRegion, "ins-gone0001", "10.0.0.2");
  gone.lifecycle.rest = S::kGone;
  gone.lifecycle.gone_at = kNow - 1;
  s.store.Insert(live);
  s.store.Insert(gone);
  InstancePage p = s.store.List(kApp, kRegion, InstanceQuery{}, kNow);
  CHECK(p.total == 1);
}

// --- Purge and Count ---------------------------------------------------------

TEST_CASE("Purge: removes instances whose gone_at has passed, with their child rows, and lowers each account's count") {
  Store s;
  Instance stays = Full(kApp, kRegion, "ins-stays001", "10.0.0.1");
  stays.lifecycle.timer_at.reset();
  stays.lifecycle.gone_at.reset();
  Instance goes = Full(kApp, kRegion, "ins-goes0001", "10.0.0.2");
  goes.lifecycle.timer_at.reset();
  goes.lifecycle.gone_at = kNow + 1'000;
  Instance theirs_goes = Minimal(kOtherApp, kRegion, "ins-their001", "10.0.0.2");
  theirs_goes.lifecycle.gone_at = kNow + 500;
  Instance later = Minimal(kApp, kRegion, "ins-later001", "10.0.0.3");
  later.lifecycle.gone_at = kNow + 2'000;
  for (Instance* in : {&stays, &goes, &theirs_goes, &later}) s.store.Insert(*in);
  CHECK(s.store.Count(kApp, kRegion) == 3);
  CHECK(s.store.Count(kOtherApp, kRegion) == 1);

  CHECK_FALSE(s.store.HasGone(kNow + 499));
  CHECK(s.store.Purge(kNow + 499) == 0);
  CHECK(s.store.Count(kApp, kRegion) == 3);

  CHECK(s.store.HasGone(kNow + 1'000));
  CHECK(s.store.Purge(kNow + 1'000) == 2);
  CHECK_FALSE(s.store.HasGone(kNow + 1'000));
  CHECK(s.store.Count(kApp, kRegion) == 2);
  CHECK(s.store.Count(kOtherApp, kRegion) == 0);
  CHECK_FALSE(s.store.IdExists("ins-goes0001"));
  CHECK_FALSE(s.store.IdExists("ins-their001"));
  CHECK(s.store.Find(kApp, kRegion, "ins-stays001", kNow + 1'000).has_value());

  for (const char* sql : {"SELECT COUNT(*) FROM instance_data_disks WHERE instance_rowid = ?",
                          "SELECT COUNT(*) FROM instance_tags WHERE instance_rowid = ?",
                          "SELECT COUNT(*) FROM instance_security_groups WHERE instance_rowid = ?",
                          "SELECT COUNT(*) FROM instance_key_pairs WHERE instance_rowid = ?"}) {
    INFO("sql := " << std::string(sql));
    CHECK(s.Rows(sql, goes.rowid) == 0);
    CHECK(s.Rows(sql, stays.rowid) > 0);
  }
  // The address of a purged instance is free again.
  CHECK_FALSE(s.store.PrivateIpUsed(kApp, kRegion, "vpc-abcdefgh", "10.0.0.2"));

  CHECK(s.store.Purge(kNow + 2'000) == 1);
  CHECK(s.store.Count(kApp, kRegion) == 1);
  CHECK(s.store.Purge(kNow + 1'000'000) == 0);
  CHECK(s.store.Count(kApp, kRegion) == 1);
}

TEST_CASE("Count: matches the number of visible instances after inserts and purges, per account and region") {
  Store s;
  CHECK(s.store.Count(kApp, kRegion) == 0);
  for (int i = 0; i < 7; ++i) {
    Instance in = Minimal(kApp, kRegion, "ins-count00" + std::to_string(i), "10.0.1." + std::to_string(i + 1));
    if (i % 3 == 0) in.lifecycle.gone_at = kNow + 100 * (i + 1);  // i = 0, 3, 6
    s.store.Insert(in);
  }
  Instance elsewhere = Minimal(kApp, kOtherRegion, "ins-else0001", "10.0.1.1");
  s.store.Insert(elsewhere);
  CHECK(s.store.Count(kApp, kRegion) == 7);
  CHECK(s.store.Count(kApp, kOtherRegion) == 1);

  for (TimeMs t : {kNow + 100, kNow + 400, kNow + 700}) {
    CAPTURE(t);
    s.store.Purge(t);
    InstanceQuery by_zone;
    by_zone.conditions = {{"zone", {kRegion + "-3"}}};
    int64_t visible = s.store.List(kApp, kRegion, by_zone, t).total;
    CHECK(s.store.Count(kApp, kRegion) == visible);
    CHECK(s.store.List(kApp, kRegion, InstanceQuery{}, t).total == visible);
  }
  CHECK(s.store.Count(kApp, kRegion) == 4);
  CHECK(s.store.Count(kApp, kOtherRegion) == 1);
}

// --- The page query's plan ---------------------------------------------------

TEST_CASE("List: the unfiltered page query searches the instances_by_owner index instead of scanning the table") {
  Store s;
  // The SQL List runs without filters (the instances column list + kFrom +
  // ORDER/LIMIT in state/instance_store.cpp).
  constexpr char kPlan[] =
      "EXPLAIN QUERY PLAN SELECT i.id, i.app_id, i.region, i.instance_id, i.zone, i.project_id, "
      "i.host_id, i.instance_type, i.cpu, i.memory, i.name, i.host_name, i.charge_type, "
      "i.renew_flag, i.expired_at, i.image_id, i.system_disk_type, i.system_disk_id, "
      "i.system_disk_size, i.os_name, i.windows, i.restrict_state, "
      "i.created_at, i.rest_state, i.phases, i.timer_at, i.gone_at, i.vpc_id, i.subnet_id, "
      "i.as_vpc_gateway, i.private_ip, i.public_ip, i.internet_charge_type, i.bandwidth_out, "
      "i.security_service, i.monitor_service, i.keep_image_login, i.user_data, "
      "i.placement_group_id FROM instances i WHERE i.app_id = ? AND i.region = ? AND "
      "(i.gone_at IS NULL OR i.gone_at > ?) ORDER BY i.id LIMIT ? OFFSET ?";
  Statement plan = s.db.Prepare(kPlan);
  std::string details;
  while (plan.Step()) details += plan.Text(3) + "\n";
  CAPTURE(details);
  CHECK(details.find("SEARCH i USING INDEX instances_by_owner (app_id=? AND region=?)") != std::string::npos);
  CHECK(details.find("SCAN") == std::string::npos);
  CHECK(details.find("TEMP B-TREE") == std::string::npos);
}

// --- JsonStringArray ---------------------------------------------------------

TEST_CASE("JsonStringArray: strings are quoted, commas separate them, and an empty list is []") {
  CHECK(JsonStringArray({}) == "[]");
  CHECK(JsonStringArray({""}) == R"([""])");
  CHECK(JsonStringArray({"ins-aaaaaaa1", "ins-bbbbbbb2"}) == R"(["ins-aaaaaaa1","ins-bbbbbbb2"])");
}

TEST_CASE("JsonStringArray: quotes and backslashes are escaped, control characters become \\u00XX, UTF-8 passes through") {
  CHECK(JsonStringArray({"a\"b"}) == R"(["a\"b"])");
  CHECK(JsonStringArray({"a\\b"}) == R"(["a\\b"])");
  CHECK(JsonStringArray({"\\\""}) == R"(["\\\""])");
  CHECK(JsonStringArray({std::string("\x01\n\t\x1f", 4)}) == R"(["\u0001\u000a\u0009\u001f"])");
  CHECK(JsonStringArray({std::string(1, '\0')}) == R"(["\u0000"])");
  CHECK(JsonStringArray({"\x7f"}) == "[\"\x7f\"]");
  CHECK(JsonStringArray({"未命名", "😀"}) == "[\"未命名\",\"😀\"]");
  CHECK(JsonStringArray({"/</script>"}) == R"(["/</script>"])");
}

TEST_CASE("JsonStringArray: SQLite's json_each reads back exactly the strings given") {
  Store s;
  std::vector<std::string> values = {"plain", "a\"b", "c\\d", "\\", "\"", "tab\there", "line\nbreak",
                                     "未命名", "😀 emoji", "\x7f", "it's", "[,]", "{\"k\":1}", ""};
  for (char c = 1; c < 0x20; ++c) values.push_back(std::string("x") + c + "y");
  Statement st = s.db.Prepare("SELECT value FROM json_each(?) ORDER BY key");
  st.Bind(1, JsonStringArray(values));
  std::vector<std::string> back;
  while (st.Step()) back.push_back(st.Text(0));
  CHECK(back == values);
}

}  // namespace

namespace {

// instance_value_counts' count for one filter, key and value (0: no row).
int64_t ValueCount(Database& db, int64_t app_id, const std::string& filter,
                   const std::string& key, const std::string& value) {
  Statement s = db.Prepare(
      "SELECT count FROM instance_value_counts WHERE app_id = ? AND region = ? AND filter = ? "
      "AND key = ? AND value = ?");
  s.Bind(1, app_id).Bind(2, kRegion).Bind(3, filter).Bind(4, key).Bind(5, value);
  return s.Step() ? s.Int(0) : 0;
}

int64_t CounterRows(Database& db) {
  Statement s = db.Prepare("SELECT COUNT(*) FROM instance_value_counts");
  s.Step();
  return s.Int(0);
}

// Two instances of kApp that share a tag key, a value (under two keys on the
// first) and a security group (twice on the first); one of kOtherApp.
void InsertTagged(Store& s) {
  Instance a = Minimal(kApp, kRegion, "ins-aaaaaaa1", "10.0.0.1");
  a.tags = {{"env", "prod"}, {"stage", "prod"}};
  a.security_group_ids = {"sg-00000001", "sg-00000001", "sg-00000002"};
  Instance b = Minimal(kApp, kRegion, "ins-aaaaaaa2", "10.0.0.2");
  b.tags = {{"env", "dev"}};
  b.security_group_ids = {"sg-00000001"};
  Instance c = Minimal(kOtherApp, kRegion, "ins-aaaaaaa3", "10.0.0.3");
  c.tags = {{"env", "prod"}};
  s.store.Insert(a);
  s.store.Insert(b);
  s.store.Insert(c);
}

}  // namespace

TEST_CASE(
    "InstanceStore: the value counters count instances per tag key, tag value, key and value and "
    "security group, through Insert, Update and Purge; a counter at 0 is deleted") {
  Store s;
  InsertTagged(s);
  Database& db = s.db;
  CHECK(ValueCount(db, kApp, "tag-key", "", "env") == 2);
  CHECK(ValueCount(db, kApp, "tag-key", "", "stage") == 1);
  CHECK(ValueCount(db, kApp, "tag-value", "", "prod") == 1);  // one instance, under two keys
  CHECK(ValueCount(db, kApp, "tag-value", "", "dev") == 1);
  CHECK(ValueCount(db, kApp, "tag:", "env", "prod") == 1);
  CHECK(ValueCount(db, kApp, "tag:", "stage", "prod") == 1);
  CHECK(ValueCount(db, kApp, "security-group-id", "", "sg-00000001") == 2);  // not 3
  CHECK(ValueCount(db, kApp, "security-group-id", "", "sg-00000002") == 1);
  CHECK(ValueCount(db, kOtherApp, "tag-key", "", "env") == 1);

  // The first instance's groups and tags change.
  Instance a = *s.store.Find(kApp, kRegion, "ins-aaaaaaa1", kNow);
  a.security_group_ids = {"sg-00000003"};
  a.tags = {{"env", "dev"}};
  s.store.Update(a);
  CHECK(ValueCount(db, kApp, "security-group-id", "", "sg-00000001") == 1);
  CHECK(ValueCount(db, kApp, "security-group-id", "", "sg-00000002") == 0);
  CHECK(ValueCount(db, kApp, "security-group-id", "", "sg-00000003") == 1);
  CHECK(ValueCount(db, kApp, "tag-key", "", "stage") == 0);
  CHECK(ValueCount(db, kApp, "tag-value", "", "prod") == 0);
  CHECK(ValueCount(db, kApp, "tag-value", "", "dev") == 2);
  CHECK(ValueCount(db, kApp, "tag:", "env", "dev") == 2);
  CHECK(ValueCount(db, kOtherApp, "tag:", "env", "prod") == 1);
  // An update that leaves them as they are changes no counter.
  a.name = "renamed";
  s.store.Update(a);
  CHECK(ValueCount(db, kApp, "tag:", "env", "dev") == 2);

  // Both go; the other account's instance stays.
  for (const char* id : {"ins-aaaaaaa1", "ins-aaaaaaa2"}) {
    Instance in = *s.store.Find(kApp, kRegion, id, kNow);
    in.lifecycle.gone_at = kNow;
    s.store.UpdateLifecycle(in);
  }
  CHECK(s.store.Purge(kNow) == 2);
  CHECK(ValueCount(db, kApp, "tag-key", "", "env") == 0);
  CHECK(ValueCount(db, kOtherApp, "tag-key", "", "env") == 1);
  CHECK(CounterRows(db) == 3);  // kOtherApp's tag-key, tag-value and tag:
}

TEST_CASE(
    "InstanceStore: a lone tag-key, tag-value, tag:<key> or security-group-id filter's TotalCount "
    "reads the counters; tag:<key> with several values adds them") {
  Store s;
  InsertTagged(s);
  auto total = [&](const std::string& name, std::vector<std::string> values) {
    InstanceQuery q;
    q.conditions = {{name, std::move(values)}};
    return s.store.List(kApp, kRegion, q, kNow).total;
  };
  CHECK(total("tag-key", {"env"}) == 2);
  CHECK(total("tag-value", {"prod"}) == 1);
  CHECK(total("tag:env", {"prod", "dev"}) == 2);
  CHECK(total("security-group-id", {"sg-00000001"}) == 2);
  // The counters are what is read: changed behind the store's back, the
  // TotalCount follows them (and the page does not).
  s.db.Execute("UPDATE instance_value_counts SET count = 40 WHERE app_id = 1250000000");
  CHECK(total("tag-key", {"env"}) == 40);
  CHECK(total("tag-value", {"prod"}) == 40);
  CHECK(total("tag:env", {"prod", "dev"}) == 80);
  CHECK(total("security-group-id", {"sg-00000001"}) == 40);
  // Several values that one instance may both hold are counted on the rows.
  CHECK(total("tag-key", {"env", "stage"}) == 2);
  CHECK(total("security-group-id", {"sg-00000001", "sg-00000002"}) == 2);
}

TEST_CASE("Migrate: a database from before the value counters gets them counted from its rows") {
  Store s;
  InsertTagged(s);
  Database& db = s.db;
  // As migration 8 left it: no counter table.
  db.Execute("DROP TABLE instance_value_counts; UPDATE schema_version SET version = 8");
  cvm::state::Migrate(db);
  CHECK(ValueCount(db, kApp, "tag-key", "", "env") == 2);
  CHECK(ValueCount(db, kApp, "tag-value", "", "prod") == 1);
  CHECK(ValueCount(db, kApp, "tag:", "stage", "prod") == 1);
  CHECK(ValueCount(db, kApp, "security-group-id", "", "sg-00000001") == 2);
  CHECK(ValueCount(db, kOtherApp, "tag:", "env", "prod") == 1);
  CHECK(CounterRows(db) == 12);
}
