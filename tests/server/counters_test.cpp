// The counters the stores keep beside the rows (D-253, D-255) stay exact
// through every writer: launches, ModifyInstancesAttribute's security
// groups, ModifyInstancesProject (which drops them), CreateImage,
// termination and the purge after it, snapshot import (whole and one
// account) and reset. After each step of a random sequence, every counter
// table equals what a COUNT over the rows gives, and a lone filter's
// TotalCount (read from a counter) equals the instances that match.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <vector>

#include "server/emulator.h"
#include "state/database.h"
#include "tests/support/test_api.h"

// A namespace of its own: this file compiles in one unit with others
// (tests/CMakeLists.txt), whose file-local names may be the same.
namespace counters_test {

namespace {

using cvm::testing::CodeOf;
using cvm::testing::TestApi;
using nlohmann::json;

// The rows of a query (its first `columns` columns), each as one line of
// text, in the query's order.
std::vector<std::string> Lines(TestApi& api, int columns, const char* sql) {
  auto lock = api.emulator().db().Lock();
  cvm::state::Statement s = api.emulator().db().Prepare(sql);
  std::vector<std::string> out;
  while (s.Step()) {
    std::string line;
    for (int c = 0; c < columns; ++c) line += s.Text(c) + "|";
    out.push_back(line);
  }
  return out;
}

// Each counter table, and what counting the rows gives.
void CheckCounters(TestApi& api) {
  CHECK(Lines(api, 6, "SELECT app_id, region, filter, key, value, count FROM instance_value_counts "
                   "ORDER BY app_id, region, filter, key, value") ==
        Lines(api, 6,
              "SELECT app_id, region, 'tag-key', '', key, COUNT(DISTINCT instance_rowid) "
              "FROM instance_tags GROUP BY app_id, region, key "
              "UNION ALL SELECT app_id, region, 'tag-value', '', value, "
              "COUNT(DISTINCT instance_rowid) FROM instance_tags GROUP BY app_id, region, value "
              "UNION ALL SELECT app_id, region, 'tag:', key, value, COUNT(DISTINCT instance_rowid) "
              "FROM instance_tags GROUP BY app_id, region, key, value "
              "UNION ALL SELECT app_id, region, 'security-group-id', '', sg_id, "
              "COUNT(DISTINCT instance_rowid) FROM instance_security_groups "
              "GROUP BY app_id, region, sg_id ORDER BY 1, 2, 3, 4, 5"));
  CHECK(Lines(api, 3, "SELECT app_id, region, count FROM instance_counts WHERE count > 0 "
                   "ORDER BY app_id, region") ==
        Lines(api, 3, "SELECT app_id, region, COUNT(*) FROM instances GROUP BY app_id, region "
                   "ORDER BY app_id, region"));
  CHECK(Lines(api, 4, "SELECT app_id, region, resource, count FROM resource_counts WHERE count > 0 "
                   "ORDER BY app_id, region, resource") ==
        Lines(api, 4, "SELECT app_id, region, 'images', COUNT(*) FROM images GROUP BY app_id, region "
                   "UNION ALL SELECT app_id, region, 'key_pairs', COUNT(*) FROM key_pairs "
                   "GROUP BY app_id, region ORDER BY 1, 2, 3"));
}

struct Random {
  std::mt19937 rng;
  uint32_t Pick(uint32_t n) { return std::uniform_int_distribution<uint32_t>(0, n - 1)(rng); }
  template <typename T>
  const T& Of(const std::vector<T>& v) {
    return v[Pick(static_cast<uint32_t>(v.size()))];
  }
};

const std::vector<std::string> kKeys = {"env", "team", "tier"};
const std::vector<std::string> kValues = {"a", "b", "prod"};
const std::vector<std::string> kGroups = {"sg-aaaaaaa1", "sg-aaaaaaa2", "sg-aaaaaaa3"};

json RandomTags(Random& r) {
  json tags = json::array();
  std::vector<std::string> keys = kKeys;
  for (uint32_t n = r.Pick(3); n > 0; --n) {
    size_t k = r.Pick(static_cast<uint32_t>(keys.size()));
    tags.push_back({{"Key", keys[k]}, {"Value", r.Of(kValues)}});  // a value under two keys too
    keys.erase(keys.begin() + static_cast<std::ptrdiff_t>(k));
  }
  return tags;
}

json RandomGroups(Random& r) {
  json groups = json::array();
  for (uint32_t n = 1 + r.Pick(2); n > 0; --n) groups.push_back(r.Of(kGroups));  // repeats too
  return groups;
}

// The account's visible instances, every page.
std::vector<json> AllInstances(TestApi& api, const std::string& secret) {
  std::vector<json> out;
  for (int offset = 0;; offset += 100) {
    json page = api.Call("DescribeInstances", {{"Offset", offset}, {"Limit", 100}}, "ap-guangzhou",
                         secret);
    REQUIRE(CodeOf(page) == "");
    for (const json& in : page["InstanceSet"]) out.push_back(in);
    if (page["InstanceSet"].size() < 100) return out;
  }
}

// A lone filter's TotalCount against the instances that match it.
void CheckTotals(TestApi& api, Random& r, const std::string& secret) {
  std::vector<json> all = AllInstances(api, secret);
  auto has_tag = [](const json& in, const std::string* key, const std::string* value) {
    for (const json& t : in["Tags"]) {
      if ((!key || t["Key"] == *key) && (!value || t["Value"] == *value)) return true;
    }
    return false;
  };
  for (int i = 0; i < 4; ++i) {
    const std::string& key = r.Of(kKeys);
    const std::string& value = r.Of(kValues);
    const std::string& group = r.Of(kGroups);
    struct Case {
      std::string name, value;
      std::function<bool(const json&)> matches;
    };
    std::vector<Case> cases = {
        {"tag-key", key, [&](const json& in) { return has_tag(in, &key, nullptr); }},
        {"tag-value", value, [&](const json& in) { return has_tag(in, nullptr, &value); }},
        {"tag:" + key, value, [&](const json& in) { return has_tag(in, &key, &value); }},
        {"security-group-id", group,
         [&](const json& in) {
           for (const json& g : in["SecurityGroupIds"]) {
             if (g == group) return true;
           }
           return false;
         }},
    };
    for (const Case& c : cases) {
      int64_t want = 0;
      for (const json& in : all) want += c.matches(in);
      json got = api.Call("DescribeInstances",
                          {{"Filters", {{{"Name", c.name}, {"Values", {c.value}}}}}, {"Limit", 1}},
                          "ap-guangzhou", secret);
      CAPTURE(c.name);
      CAPTURE(c.value);
      CHECK(got["TotalCount"] == want);
    }
  }
}

cvm::server::HttpResponse Control(TestApi& api, const std::string& method,
                                  const std::string& target, const std::string& body = "") {
  cvm::server::HttpRequest req;
  req.method = method;
  req.target = "/_emulator/" + target;
  req.body = body;
  return api.emulator().Handle(req);
}

}  // namespace

TEST_CASE(
    "Counters: after every step of random launches, modifications, terminations, purges, "
    "snapshot imports and resets, each counter equals a COUNT over the rows") {
  for (unsigned seed : {1u, 2u}) {
    TestApi api;
    Random r{std::mt19937(seed)};
    const std::vector<std::string> secrets = {cvm::testing::kSecretA, cvm::testing::kSecretB};
    json saved;  // a whole snapshot taken along the way
    for (int step = 0; step < 60; ++step) {
      const std::string& secret = r.Of(secrets);
      std::vector<json> mine = AllInstances(api, secret);
      json ids = json::array();
      for (uint32_t n = 1 + r.Pick(3); n > 0 && !mine.empty(); --n) {
        const std::string& id = r.Of(mine)["InstanceId"].get_ref<const std::string&>();
        if (std::find(ids.begin(), ids.end(), id) == ids.end()) ids.push_back(id);
      }
      uint32_t what = r.Pick(20);
      if (ids.empty() || what < 6) what = 0;
      CAPTURE(seed);
      CAPTURE(step);
      CAPTURE(what);
      json answer = json::object();
      switch (what) {
        case 0: {  // a launch, with tags and security groups
          json params = {{"ImageId", "img-eb30mz89"},
                         {"Placement", {{"Zone", "ap-guangzhou-3"}}},
                         {"InstanceCount", 1 + r.Pick(4)}};
          json tags = RandomTags(r);
          if (!tags.empty()) {
            params["TagSpecification"] = {{{"ResourceType", "instance"}, {"Tags", tags}}};
          }
          if (r.Pick(3) > 0) params["SecurityGroupIds"] = RandomGroups(r);
          answer = api.Call("RunInstances", params, "ap-guangzhou", secret);
          break;
        }
        case 6:
        case 7:
        case 8:  // new security groups (the instances must be RUNNING or STOPPED)
          answer = api.Call("ModifyInstancesAttribute",
                            {{"InstanceIds", ids}, {"SecurityGroups", RandomGroups(r)}},
                            "ap-guangzhou", secret);
          break;
        case 9:  // a new project drops the security groups
          answer = api.Call("ModifyInstancesProject", {{"InstanceIds", ids}, {"ProjectId", 0}},
                            "ap-guangzhou", secret);
          break;
        case 10:
          answer = api.Call("CreateImage",
                            {{"InstanceId", ids[0]},
                             {"ImageName", "img" + std::to_string(seed) + "-" + std::to_string(step)},
                             {"ForcePoweroff", "TRUE"}},
                            "ap-guangzhou", secret);
          break;
        case 11:
        case 12:
        case 13:
          answer = api.Call("TerminateInstances", {{"InstanceIds", ids}}, "ap-guangzhou", secret);
          break;
        case 14:
        case 15:  // time passes: launches finish, terminated instances are purged
          api.Advance(30 + r.Pick(600));
          break;
        case 16:
          saved = json::parse(Control(api, "GET", "snapshot").body);
          break;
        case 17:  // back to the saved snapshot, whole
          if (!saved.is_null()) {
            REQUIRE(Control(api, "POST", "snapshot", saved.dump()).status == 200);
          }
          break;
        case 18: {  // one account's own snapshot, imported over its changed resources
          bool a = secret == cvm::testing::kSecretA;
          std::string uin = a ? cvm::testing::kUinA : cvm::testing::kUinB;
          json doc = json::parse(Control(api, "GET", "snapshot?uin=" + uin).body);
          api.Call("TerminateInstances", {{"InstanceIds", ids}}, "ap-guangzhou", secret);
          REQUIRE(Control(api, "POST", "snapshot?uin=" + uin, doc.dump()).status == 200);
          break;
        }
        default:
          if (r.Pick(3) == 0) REQUIRE(Control(api, "POST", "reset").status == 200);
          break;
      }
      // Refusals (a state that forbids the action) are part of the sequence.
      CAPTURE(answer.dump());
      CheckCounters(api);
      if (step % 10 == 9) CheckTotals(api, r, secret);
    }
    api.Advance(3600);  // every terminated instance purged
    api.Call("DescribeInstances");
    CheckCounters(api);
    CheckTotals(api, r, cvm::testing::kSecretA);
  }
}

}  // namespace counters_test
