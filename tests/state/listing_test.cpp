// Listings by filters (state/listing.h) through the stores that use them:
// the SQL every filter runs finds its rows through the filter's own index,
// in row ID order (asked of SQLite's planner), and random fleets listed with
// random filters give exactly what a plain loop over the records gives,
// page by page, with the right TotalCount, whichever filter drives.
#include <doctest/doctest.h>

#include <algorithm>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "state/database.h"
#include "state/instance.h"
#include "state/instance_store.h"
#include "state/key_pair_store.h"
#include "state/listing.h"
#include "state/migrations.h"

// A namespace of its own: this file compiles in one unit with others
// (tests/CMakeLists.txt), whose file-local names may be the same.
namespace listing_test {

namespace {

using cvm::state::BoundSql;
using cvm::state::BuildListingSql;
using cvm::state::ChargeType;
using cvm::state::Database;
using cvm::state::Disk;
using cvm::state::DiskType;
using cvm::state::FilterPath;
using cvm::state::FilterSpec;
using cvm::state::FilterValues;
using cvm::state::Instance;
using cvm::state::InstanceCondition;
using cvm::state::InstanceQuery;
using cvm::state::InstanceStore;
using cvm::state::KeyPairStore;
using cvm::state::ListedTable;
using cvm::state::ListingSql;
using cvm::state::Statement;
using cvm::state::TimeMs;

constexpr int64_t kApp = 1250000000;
constexpr int64_t kOtherApp = 1250000001;
const std::string kRegion = "ap-guangzhou";
const std::string kOtherRegion = "ap-shanghai";
constexpr TimeMs kNow = 1'700'000'000'000;

// SQLite's plan of `q`, one line per step.
std::vector<std::string> PlanOf(Database& db, const BoundSql& q) {
  Statement s = db.Prepare("EXPLAIN QUERY PLAN " + q.sql);
  std::vector<std::string> lines;
  while (s.Step()) lines.push_back(s.Text(3));
  return lines;
}

bool Has(const std::vector<std::string>& plan, const std::string& text) {
  return std::any_of(plan.begin(), plan.end(),
                     [&](const std::string& line) { return line.find(text) != std::string::npos; });
}

// Every SCAN is of a list of values or of a subquery's rows, never of a table.
void CheckNoTableScan(const std::vector<std::string>& plan) {
  for (const std::string& line : plan) {
    if (line.rfind("SCAN ", 0) != 0) continue;
    CHECK_MESSAGE(
        (line.find("json_each") != std::string::npos || line.rfind("SCAN (subquery", 0) == 0),
        line);
  }
}

// The plans of the listings each filter of `specs` drives: alone and with
// another filter after it, with one value and with two.
void CheckPlans(std::span<const FilterSpec> specs, const ListedTable& table,
                const FilterSpec& other) {
  Database db(":memory:");
  cvm::state::Migrate(db);
  for (const FilterSpec& spec : specs) {
    for (const std::vector<std::string>& values :
         {std::vector<std::string>{"1"}, std::vector<std::string>{"1", "2"}}) {
      for (bool alone : {true, false}) {
        std::vector<FilterValues> filters{{&spec, "env", values}};
        if (!alone) filters.push_back({&other, "", {"3"}});
        ListingSql sql = BuildListingSql(table, kApp, kRegion, filters, 0, std::nullopt);
        CAPTURE(spec.name);
        CAPTURE(values.size());
        CAPTURE(alone);
        std::string index = std::string("INDEX ") + spec.index + " (";
        for (const BoundSql* q : {&sql.page, &sql.count, &sql.probe}) {
          CAPTURE(q->sql);
          std::vector<std::string> plan = PlanOf(db, *q);
          CheckNoTableScan(plan);
          CHECK(Has(plan, index));
          // Only a point filter's few rows are sorted.
          if (spec.path != FilterPath::kPoint) CHECK_FALSE(Has(plan, "TEMP B-TREE"));
        }
        // Alone, a range or child filter's count reads the index and no row
        // (a point filter's reads its few rows).
        bool index_only =
            spec.path == FilterPath::kRange ||
            (spec.path == FilterPath::kChild && spec.once_per_owner && values.size() == 1);
        if (alone && index_only) {
          std::vector<std::string> plan = PlanOf(db, sql.count);
          CAPTURE(sql.count.sql);
          CHECK(Has(plan, "COVERING " + index));
          CHECK_FALSE(Has(plan, "INTEGER PRIMARY KEY"));
        }
        // With new rows left out (D-220), the page walks the same index and
        // checks the row IDs on its entries.
        ListingSql less = BuildListingSql(table, kApp, kRegion, filters, 0, std::nullopt, {3, 5});
        {
          CAPTURE(less.page.sql);
          REQUIRE(less.page.sql.find("NOT IN") != std::string::npos);
          std::vector<std::string> plan = PlanOf(db, less.page);
          CheckNoTableScan(plan);
          CHECK(Has(plan, index));
          if (spec.path != FilterPath::kPoint) CHECK_FALSE(Has(plan, "TEMP B-TREE"));
        }
        CHECK(sql.gaps.empty() == !(alone && spec.every_row));
        for (const BoundSql& gap : sql.gaps) {
          std::vector<std::string> plan = PlanOf(db, gap);
          CAPTURE(gap.sql);
          CHECK(Has(plan, "COVERING " + index));
          CheckNoTableScan(plan);
        }
      }
    }
  }
}

}  // namespace

TEST_CASE(
    "Listing: every DescribeInstances filter finds its rows through its own index, in row ID "
    "order, without a table scan") {
  auto specs = InstanceStore::Filters();
  const FilterSpec& zone =
      *cvm::state::FindFilter(specs.data(), specs.data() + specs.size(), "zone");
  CheckPlans(specs, ListedTable{"instances"}, zone);
}

TEST_CASE(
    "Listing: KeyIds and every DescribeKeyPairs filter find their rows through their own index") {
  auto specs = KeyPairStore::Filters();
  CheckPlans(specs, ListedTable{"key_pairs"}, specs.back());
}

TEST_CASE("Listing: several values of one filter are merged in row ID order, not sorted") {
  Database db(":memory:");
  cvm::state::Migrate(db);
  auto specs = InstanceStore::Filters();
  for (std::string_view name : {"zone", "tag-value"}) {
    const FilterSpec& spec =
        *cvm::state::FindFilter(specs.data(), specs.data() + specs.size(), name);
    ListingSql sql = BuildListingSql(ListedTable{"instances"}, kApp, kRegion,
                                     {{&spec, "", {"a", "b", "c"}}}, 0, std::nullopt);
    std::vector<std::string> plan = PlanOf(db, sql.page);
    CAPTURE(name);
    CHECK(Has(plan, "MERGE (UNION"));
  }
}

namespace {

// A random fleet of two accounts in two regions, and a plain loop that says
// which instances a query matches.
struct Fleet {
  Database db{":memory:"};
  InstanceStore store{db};
  std::vector<Instance> all;
  std::mt19937 rng;

  explicit Fleet(unsigned seed, int size = 240) : rng(seed) {
    cvm::state::Migrate(db);
    const char* zones[] = {"ap-guangzhou-3", "ap-guangzhou-4", "ap-guangzhou-5"};
    const char* names[] = {"web", "db", "未命名"};
    const ChargeType charges[] = {ChargeType::kPostpaidByHour, ChargeType::kPrepaid,
                                  ChargeType::kSpotPaid};
    const char* keys[] = {"env", "team", "tier"};
    const char* values[] = {"a", "b", "prod"};
    for (int i = 0; i < size; ++i) {
      Instance in;
      in.app_id = Pick(4) == 0 ? kOtherApp : kApp;
      in.region = Pick(5) == 0 ? kOtherRegion : kRegion;
      in.instance_id = "ins-" + std::to_string(10000000 + i);
      in.zone = Pick(10) < 7 ? zones[0] : zones[1 + Pick(2)];
      in.project_id = Pick(3) == 0 ? 1001 : 0;
      if (Pick(4) == 0) in.host_id = "host-" + std::to_string(10000000 + Pick(3));
      in.instance_type = "S1.SMALL1";
      in.cpu = in.memory = 1;
      in.name = names[Pick(3)];
      in.charge_type = charges[Pick(10) < 8 ? 0 : 1 + Pick(2)];
      in.image_id = "img-8toqc6s3";
      in.os_name = "CentOS";
      in.system_disk = Disk{DiskType::kCloudBasic, std::nullopt, 50, true};
      if (Pick(2) == 0) in.vpc_id = "vpc-" + std::to_string(10000000 + Pick(2));
      in.private_ip = "10.0." + std::to_string(i / 200) + "." + std::to_string(i % 200 + 1);
      if (Pick(2) == 0) in.public_ip = "43.0.0." + std::to_string(i + 1);
      for (int g = static_cast<int>(Pick(3)); g > 0; --g) {
        in.security_group_ids.push_back("sg-" + std::to_string(10000000 + Pick(3)));  // repeats too
      }
      std::vector<std::string> unused(std::begin(keys), std::end(keys));
      for (int t = static_cast<int>(Pick(3)); t > 0; --t) {
        size_t k = Pick(static_cast<uint32_t>(unused.size()));
        in.tags.push_back({unused[k], values[Pick(3)]});  // one value under two keys too
        unused.erase(unused.begin() + static_cast<std::ptrdiff_t>(k));
      }
      if (Pick(8) == 0) in.lifecycle.gone_at = kNow - 1 - Pick(1000);  // gone, not yet purged
      // Created over the last minute, a few after kNow (a clock set back);
      // from i, so that the draws above stay those of every seed.
      in.created_at = kNow - 60'000 + (static_cast<int64_t>(i) * 7919) % 70'000;
      store.Insert(in);
      all.push_back(in);
    }
  }

  uint32_t Pick(uint32_t n) { return std::uniform_int_distribution<uint32_t>(0, n - 1)(rng); }

  // A random filter of DescribeInstances with one to three values, most of
  // them held by some instance.
  InstanceCondition RandomCondition() {
    const Instance& in = all[Pick(static_cast<uint32_t>(all.size()))];
    auto some = [&](std::vector<std::string> pool) {
      std::vector<std::string> out;
      for (int n = 1 + static_cast<int>(Pick(3)); n > 0; --n)
        out.push_back(pool[Pick(static_cast<uint32_t>(pool.size()))]);
      return out;
    };
    switch (Pick(13)) {
      case 0:
        return {"zone", some({in.zone, "ap-guangzhou-3", "ap-guangzhou-6"})};
      case 1:
        return {"project-id", some({std::to_string(in.project_id), "0", "7"})};
      case 2:
        return {"host-id", some({in.host_id.value_or("host-10000000"), "host-10000002"})};
      case 3:
        return {"vpc-id", some({in.vpc_id.value_or("vpc-10000000"), "vpc-10000001"})};
      case 4:
        return {"instance-id", some({in.instance_id, all[Pick(40)].instance_id, "ins-nope0000"})};
      case 5:
        return {"security-group-id", some({"sg-10000000", "sg-10000001", "sg-10000002"})};
      case 6:
        return {"instance-name", some({in.name, "web", "nope"})};
      case 7:
        return {"instance-charge-type", some({"POSTPAID_BY_HOUR", "PREPAID", "SPOTPAID"})};
      case 8:
        return {"private-ip-address", some({in.private_ip, "10.0.0.9", "10.9.9.9"})};
      case 9:
        return {"public-ip-address", some({in.public_ip.value_or("43.0.0.1"), "43.0.0.2"})};
      case 10:
        return {"tag-key", some({"env", "team", "tier", "nope"})};
      case 11:
        return {"tag-value", some({"a", "b", "prod", "nope"})};
      default: {
        const char* keys[] = {"env", "team", "nope"};
        return {std::string("tag:") + keys[Pick(3)], some({"a", "b", "prod"})};
      }
    }
  }

  static bool Any(const std::vector<std::string>& values, const std::string& v) {
    return std::find(values.begin(), values.end(), v) != values.end();
  }
  static bool Matches(const Instance& in, const InstanceCondition& c) {
    const auto& v = c.values;
    if (c.name == "zone") return Any(v, in.zone);
    if (c.name == "project-id") return Any(v, std::to_string(in.project_id));
    if (c.name == "host-id") return in.host_id && Any(v, *in.host_id);
    if (c.name == "vpc-id") return in.vpc_id && Any(v, *in.vpc_id);
    if (c.name == "instance-id") return Any(v, in.instance_id);
    if (c.name == "instance-name") return Any(v, in.name);
    if (c.name == "instance-charge-type")
      return Any(v, std::string(cvm::state::NameOf(in.charge_type)));
    if (c.name == "private-ip-address") return Any(v, in.private_ip);
    if (c.name == "public-ip-address") return in.public_ip && Any(v, *in.public_ip);
    if (c.name == "security-group-id") {
      return std::any_of(in.security_group_ids.begin(), in.security_group_ids.end(),
                         [&](const std::string& g) { return Any(v, g); });
    }
    return std::any_of(in.tags.begin(), in.tags.end(), [&](const cvm::state::Tag& t) {
      if (c.name == "tag-key") return Any(v, t.key);
      if (c.name == "tag-value") return Any(v, t.value);
      return "tag:" + t.key == c.name && Any(v, t.value);
    });
  }

  // The IDs a query matches at `now`, oldest first: the plain loop.
  std::vector<std::string> Expected(int64_t app_id, const std::string& region,
                                    const InstanceQuery& q, TimeMs now) const {
    std::vector<std::string> out;
    for (const Instance& in : all) {
      if (in.app_id != app_id || in.region != region || !in.lifecycle.Visible(now)) continue;
      if (q.hidden_created && in.created_at > q.hidden_created->after &&
          in.created_at <= q.hidden_created->upto) {
        continue;  // too new to be seen (D-219)
      }
      if (q.instance_ids && !Any(*q.instance_ids, in.instance_id)) continue;
      if (std::all_of(q.conditions.begin(), q.conditions.end(),
                      [&](const InstanceCondition& c) { return Matches(in, c); })) {
        out.push_back(in.instance_id);
      }
    }
    return out;
  }
};

std::vector<std::string> IdsOf(const std::vector<Instance>& items) {
  std::vector<std::string> out;
  for (const Instance& in : items) out.push_back(in.instance_id);
  return out;
}

// Lists `q` page by page (Limit `limit`) and checks every page and the
// TotalCount against the plain loop.
void CheckQuery(Fleet& fleet, InstanceQuery q, int64_t limit, TimeMs now) {
  std::vector<std::string> want = fleet.Expected(kApp, kRegion, q, now);
  q.limit = limit;
  std::vector<std::string> got;
  for (q.offset = 0; q.offset < static_cast<int64_t>(want.size()) + limit; q.offset += limit) {
    cvm::state::InstancePage page = fleet.store.List(kApp, kRegion, q, now);
    CHECK(page.total == static_cast<int64_t>(want.size()));
    std::vector<std::string> ids = IdsOf(page.items);
    CHECK(static_cast<int64_t>(ids.size()) <= limit);
    got.insert(got.end(), ids.begin(), ids.end());
  }
  CHECK(got == want);
}

// A hide_new fault's window of 20 s at kNow: about a third of the fleet is
// that new (D-219).
constexpr cvm::state::CreatedWindow kNewWindow{kNow - 20'000, kNow};

// `q` as it is, and with the instances created within kNewWindow left out.
void CheckQueryAndNew(Fleet& fleet, InstanceQuery q, int64_t limit, TimeMs now) {
  CheckQuery(fleet, q, limit, now);
  q.hidden_created = kNewWindow;
  CheckQuery(fleet, q, limit, now);
}

std::string Describe(const InstanceQuery& q) {
  std::string out = q.hidden_created ? "hidden-new " : "";
  if (q.instance_ids) out += "InstanceIds(" + std::to_string(q.instance_ids->size()) + ") ";
  for (const InstanceCondition& c : q.conditions) {
    out += c.name + "=[";
    for (const std::string& v : c.values) out += v + ",";
    out += "] ";
  }
  return out;
}

}  // namespace

TEST_CASE(
    "Listing: random filters over a random fleet list exactly the matching instances, page by "
    "page, whichever filter drives") {
  for (unsigned seed : {1u, 2u, 3u}) {
    Fleet fleet(seed);
    // Gone instances not yet purged (a store used outside a unit of work),
    // then purged (every row visible: counters and counted gaps).
    for (bool purged : {false, true}) {
      if (purged) fleet.store.Purge(kNow);
      for (int i = 0; i < 150; ++i) {
        InstanceQuery q;
        for (int n = 1 + static_cast<int>(fleet.Pick(3)); n > 0; --n) {
          q.conditions.push_back(fleet.RandomCondition());
        }
        if (fleet.Pick(6) == 0) {
          q.instance_ids = std::vector<std::string>{fleet.all[fleet.Pick(200)].instance_id,
                                                    fleet.all[fleet.Pick(200)].instance_id};
        }
        CAPTURE(seed);
        CAPTURE(purged);
        CAPTURE(Describe(q));
        CheckQueryAndNew(fleet, q, 1 + fleet.Pick(7), kNow);
      }
      CheckQueryAndNew(fleet, InstanceQuery{}, 9, kNow);
    }
  }
}

// kCountProbe is 256: the account has about 1,200 instances in the region,
// so these filters match all of them, all but fewer than 256 (the rest are
// counted), or all but more (the matches are counted).
TEST_CASE(
    "Listing: a lone filter that matches all or all but a few instances counts the rest instead, "
    "exactly") {
  Fleet fleet(7, 2000);
  fleet.store.Purge(kNow);
  std::vector<InstanceQuery> queries(6);
  queries[0].conditions = {{"zone", {"ap-guangzhou-3", "ap-guangzhou-4", "ap-guangzhou-5"}}};
  queries[1].conditions = {{"zone", {"ap-guangzhou-4", "ap-guangzhou-3"}}};
  queries[2].conditions = {{"zone", {"ap-guangzhou-3"}}};
  queries[3].conditions = {{"project-id", {"0", "1001", "12"}}};
  queries[4].conditions = {{"project-id", {"0"}}};
  queries[5].conditions = {{"instance-charge-type", {"SPOTPAID", "POSTPAID_BY_HOUR", "PREPAID"}}};
  for (const InstanceQuery& q : queries) {
    CAPTURE(Describe(q));
    CheckQueryAndNew(fleet, q, 100, kNow);
  }
}

// As above, with several such filters: the rows less those that some filter
// leaves out (each fewer than kCountProbe), or, when one leaves out more,
// the matches counted.
TEST_CASE(
    "Listing: several filters that each match all or all but a few instances count the rows they "
    "leave out, exactly") {
  Fleet fleet(11, 2000);
  fleet.store.Purge(kNow);
  const InstanceCondition every_zone{"zone",
                                     {"ap-guangzhou-3", "ap-guangzhou-4", "ap-guangzhou-5"}};
  const InstanceCondition most_zones{"zone", {"ap-guangzhou-3", "ap-guangzhou-4"}};
  const InstanceCondition one_zone{"zone", {"ap-guangzhou-3"}};
  const InstanceCondition every_charge{"instance-charge-type",
                                       {"SPOTPAID", "POSTPAID_BY_HOUR", "PREPAID"}};
  const InstanceCondition most_charges{"instance-charge-type", {"POSTPAID_BY_HOUR", "PREPAID"}};
  const InstanceCondition most_projects{"project-id", {"1001", "0"}};
  const InstanceCondition web{"instance-name", {"web"}};
  std::vector<std::vector<InstanceCondition>> combinations = {
      {every_zone, every_charge},
      {most_zones, most_charges},
      {most_charges, most_zones, most_projects},
      {every_zone, most_charges, every_charge},
      {one_zone, most_charges},  // one_zone leaves out more than kCountProbe
      {most_zones, web},         // so does web
  };
  for (const auto& conditions : combinations) {
    InstanceQuery q;
    q.conditions = conditions;
    CAPTURE(Describe(q));
    CheckQueryAndNew(fleet, q, 100, kNow);
  }
}

TEST_CASE(
    "Listing: what Purge reads before it deletes starts from the gone instances' index, never "
    "from a scan of instances or of their tags and security groups") {
  Database db(":memory:");
  cvm::state::Migrate(db);
  for (const char* sql : InstanceStore::PurgeReads()) {
    CAPTURE(sql);
    std::vector<std::string> plan = PlanOf(db, BoundSql{sql, {}});
    CHECK(Has(plan, "instances_gone"));
    for (const std::string& line : plan) CHECK_MESSAGE(line.rfind("SCAN ", 0) != 0, line);
  }
}

}  // namespace listing_test
