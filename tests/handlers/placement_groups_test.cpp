// The five placement group actions through the in-process API
// (CreateDisasterRecoverGroup, DeleteDisasterRecoverGroups,
// DescribeDisasterRecoverGroups, ModifyDisasterRecoverGroupAttribute,
// DescribeDisasterRecoverGroupQuota) and RunInstances into a group
// (docs/decisions.md D-113, D-129, D-194..D-196). Every code of their tables
// is produced here for real; none needs the fault path.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "state/clock.h"
#include "tests/handlers/instance_test_support.h"

// A namespace of its own: this file compiles in one unit with others
// (tests/CMakeLists.txt), whose file-local names may be the same.
namespace placement_groups_test {

namespace {

using namespace cvm::testing;
using namespace cvm::testing::instances;
using nlohmann::json;

constexpr const char* kUnknownGroup = "ps-zzzzzzzz";  // well formed, never issued

json CreateGroup(TestApi& api, const std::string& name, const std::string& type,
                 const json& extra = json::object(), const std::string& secret = kSecretA) {
  json p = {{"Name", name}, {"Type", type}};
  if (!extra.is_null()) p.update(extra);
  json r = api.Call("CreateDisasterRecoverGroup", p, kRegion, secret);
  REQUIRE_MESSAGE(CodeOf(r) == "", r.dump());
  return r;
}

std::string NewGroup(TestApi& api, const std::string& type = "SW", const std::string& name = "g") {
  return CreateGroup(api, name, type)["DisasterRecoverGroupId"];
}

json Groups(TestApi& api, const json& params = json::object(),
            const std::string& secret = kSecretA) {
  json r = api.Call("DescribeDisasterRecoverGroups", params, kRegion, secret);
  REQUIRE_MESSAGE(CodeOf(r) == "", r.dump());
  return r;
}

json Group(TestApi& api, const std::string& id) {
  json r = Groups(api, {{"DisasterRecoverGroupIds", {id}}});
  REQUIRE(r["DisasterRecoverGroupSet"].size() == 1);
  return r["DisasterRecoverGroupSet"][0];
}

int64_t GroupCount(TestApi& api) { return Groups(api)["TotalCount"].get<int64_t>(); }

json IntoGroup(const std::string& group, int count) {
  return RunParams({{"DisasterRecoverGroupIds", {group}}, {"InstanceCount", count}});
}

}  // namespace

TEST_SUITE("handlers") {
  TEST_CASE("CreateDisasterRecoverGroup: a new group of each type, with its capacity") {
    TestApi api;
    int64_t now = api.NowSeconds();
    json host = CreateGroup(api, "spread hosts", "HOST");
    CHECK(host["DisasterRecoverGroupId"].get<std::string>().rfind("ps-", 0) == 0);
    CHECK(host["DisasterRecoverGroupId"].get<std::string>().size() == 11);
    CHECK(host["Type"] == "HOST");
    CHECK(host["Name"] == "spread hosts");
    CHECK(host["CvmQuotaTotal"] == 50);
    CHECK(host["CurrentNum"] == 0);
    CHECK(host["CreateTime"] == cvm::state::FormatIso8601(now));
    CHECK(CreateGroup(api, "sw", "SW")["CvmQuotaTotal"] == 20);
    CHECK(CreateGroup(api, "rack", "RACK")["CvmQuotaTotal"] == 30);
    CHECK(GroupCount(api) == 3);
  }

  TEST_CASE("CreateDisasterRecoverGroup: each refusal names its code and creates nothing") {
    TestApi api;
    auto refused = [&](const json& params, const std::string& code) {
      json r = api.Call("CreateDisasterRecoverGroup", params);
      CHECK_MESSAGE(CodeOf(r) == code, r.dump());
      CHECK(GroupCount(api) == 0);
    };
    refused({{"Name", std::string(61, 'a')}, {"Type", "SW"}}, "InvalidParameterValue.TooLong");
    refused({{"Name", ""}, {"Type", "SW"}}, "InvalidParameterValue");
    refused({{"Name", "g"}, {"Type", "ZONE"}}, "InvalidParameterValue.Range");
    refused({{"Name", "g"}}, "MissingParameter");
    // 60 characters (not bytes) are fine.
    std::string sixty;
    for (int i = 0; i < 60; ++i) sixty += "组";
    CHECK(CreateGroup(api, sixty, "SW")["Name"] == sixty);
  }

  TEST_CASE(
      "CreateDisasterRecoverGroup: 10 groups per account and region, then "
      "LimitExceeded.DisasterRecoverGroup") {
    TestApi api;
    for (int i = 0; i < 10; ++i) NewGroup(api, "RACK", "g" + std::to_string(i));
    json r = api.Call("CreateDisasterRecoverGroup", {{"Name", "one more"}, {"Type", "SW"}});
    CHECK(CodeOf(r) == "LimitExceeded.DisasterRecoverGroup");
    CHECK(GroupCount(api) == 10);
    // Another account, and another region, have their own.
    CHECK(CodeOf(api.Call("CreateDisasterRecoverGroup", {{"Name", "b"}, {"Type", "SW"}}, kRegion,
                          kSecretB)) == "");
    CHECK(CodeOf(api.Call("CreateDisasterRecoverGroup", {{"Name", "s"}, {"Type", "SW"}},
                          "ap-shanghai")) == "");
    // The quota is a setting.
    api.Control("/_emulator/quotas", {{"placement_groups", 11}});
    CHECK(CodeOf(api.Call("CreateDisasterRecoverGroup", {{"Name", "one more"}, {"Type", "SW"}})) ==
          "");
  }

  TEST_CASE(
      "CreateDisasterRecoverGroup: a ClientToken creates once; other parameters are refused") {
    TestApi api;
    json first = CreateGroup(api, "g", "SW", {{"ClientToken", "t-1"}});
    json again = CreateGroup(api, "g", "SW", {{"ClientToken", "t-1"}});
    CHECK(again["RequestId"] != first["RequestId"]);
    again.erase("RequestId");
    first.erase("RequestId");
    CHECK(again == first);
    CHECK(GroupCount(api) == 1);
    json r = api.Call("CreateDisasterRecoverGroup",
                      {{"Name", "h"}, {"Type", "SW"}, {"ClientToken", "t-1"}});
    CHECK(CodeOf(r) == "InvalidParameterValue");
    CHECK(GroupCount(api) == 1);
  }

  TEST_CASE("DescribeDisasterRecoverGroupQuota: the limits and the groups in use") {
    TestApi api;
    json q = api.Call("DescribeDisasterRecoverGroupQuota");
    CHECK(q["GroupQuota"] == 10);
    CHECK(q["CurrentNum"] == 0);
    CHECK(q["CvmInHostGroupQuota"] == 50);
    CHECK(q["CvmInSwGroupQuota"] == 20);
    CHECK(q["CvmInRackGroupQuota"] == 30);
    NewGroup(api);
    NewGroup(api);
    api.Control("/_emulator/quotas", {{"placement_group_sw", 5}});
    q = api.Call("DescribeDisasterRecoverGroupQuota");
    CHECK(q["CurrentNum"] == 2);
    CHECK(q["CvmInSwGroupQuota"] == 5);
  }

  TEST_CASE(
      "DescribeDisasterRecoverGroups: by ID (unknown ones left out), by name substring, in pages") {
    TestApi api;
    std::string a = NewGroup(api, "SW", "web-a");
    std::string b = NewGroup(api, "HOST", "db");
    std::string c = NewGroup(api, "RACK", "web-c");
    auto ids = [&](const json& params) {
      std::vector<std::string> out;
      json r = Groups(api, params);
      for (const json& g : r["DisasterRecoverGroupSet"]) {
        out.push_back(g["DisasterRecoverGroupId"].get<std::string>());
      }
      return out;
    };
    using V = std::vector<std::string>;
    CHECK(ids(json::object()) == V{a, b, c});
    CHECK(ids({{"DisasterRecoverGroupIds", {c, kUnknownGroup, a}}}) == V{a, c});
    CHECK(ids({{"Name", "web"}}) == V{a, c});
    CHECK(ids({{"Name", "b-a"}}) == V{a});
    CHECK(ids({{"Name", "%"}}).empty());  // a plain character, not a wildcard
    json page = Groups(api, {{"Offset", 1}, {"Limit", 1}});
    CHECK(page["TotalCount"] == 3);
    CHECK(page["DisasterRecoverGroupSet"].size() == 1);
    CHECK(page["DisasterRecoverGroupSet"][0]["DisasterRecoverGroupId"] == b);
    CHECK(Groups(api, json::object(), kSecretB)["TotalCount"] == 0);
    CHECK(CodeOf(api.Call("DescribeDisasterRecoverGroups",
                          {{"DisasterRecoverGroupIds", {"ps-1"}}})) == "InvalidParameterValue");
    CHECK(CodeOf(api.Call("DescribeDisasterRecoverGroups", {{"Limit", 0}})) ==
          "InvalidParameterValue");
  }

  TEST_CASE(
      "ModifyDisasterRecoverGroupAttribute: renames a group; unknown or malformed IDs are "
      "refused") {
    TestApi api;
    std::string id = NewGroup(api, "SW", "old");
    Ok(api, "ModifyDisasterRecoverGroupAttribute",
       {{"DisasterRecoverGroupId", id}, {"Name", "new"}});
    CHECK(Group(api, id)["Name"] == "new");
    auto code = [&](const json& p, const std::string& secret = kSecretA) {
      return CodeOf(api.Call("ModifyDisasterRecoverGroupAttribute", p, kRegion, secret));
    };
    CHECK(code({{"DisasterRecoverGroupId", kUnknownGroup}, {"Name", "x"}}) ==
          "ResourceNotFound.InvalidPlacementSet");
    CHECK(code({{"DisasterRecoverGroupId", id}, {"Name", "x"}}, kSecretB) ==
          "ResourceNotFound.InvalidPlacementSet");
    CHECK(code({{"DisasterRecoverGroupId", "ps-x"}, {"Name", "x"}}) == "InvalidParameterValue");
    CHECK(code({{"DisasterRecoverGroupId", id}, {"Name", std::string(61, 'x')}}) ==
          "InvalidParameterValue");
    CHECK(code({{"DisasterRecoverGroupId", id}, {"Name", ""}}) == "InvalidParameterValue");
    CHECK(Group(api, id)["Name"] == "new");
  }

  TEST_CASE("RunInstances: a group holds its capacity; beyond it nothing is created") {
    TestApi api;
    std::string sw = NewGroup(api, "SW");
    std::vector<std::string> ids = Launch(api, IntoGroup(sw, 18));
    json g = Group(api, sw);
    CHECK(g["CurrentNum"] == 18);
    CHECK(g["InstanceIds"] == ids);
    json r = api.Call("RunInstances", IntoGroup(sw, 3));
    CHECK(CodeOf(r) == "ResourceInsufficient.DisasterRecoverGroupCvmQuota");
    CHECK(TotalCount(api) == 18);
    Launch(api, IntoGroup(sw, 2));
    CHECK(CodeOf(api.Call("RunInstances", IntoGroup(sw, 1))) ==
          "ResourceInsufficient.DisasterRecoverGroupCvmQuota");
    CHECK(Group(api, sw)["CurrentNum"] == 20);
  }

  TEST_CASE("RunInstances: 30 launches into an SW group create exactly 20") {
    TestApi api;
    std::string sw = NewGroup(api, "SW");
    int created = 0;
    for (int i = 0; i < 30; ++i) {
      json r = api.Call("RunInstances", IntoGroup(sw, 1));
      if (CodeOf(r) == "") {
        ++created;
      } else {
        CHECK(CodeOf(r) == "ResourceInsufficient.DisasterRecoverGroupCvmQuota");
      }
    }
    CHECK(created == 20);
    CHECK(Group(api, sw)["CurrentNum"] == 20);
  }

  TEST_CASE("RunInstances: an unknown, foreign or second placement group is refused") {
    TestApi api;
    std::string mine = NewGroup(api);
    std::string theirs =
        CreateGroup(api, "b", "SW", json::object(), kSecretB)["DisasterRecoverGroupId"];
    auto code = [&](const json& groups) {
      return CodeOf(api.Call("RunInstances", RunParams({{"DisasterRecoverGroupIds", groups}})));
    };
    CHECK(code({kUnknownGroup}) == "ResourceNotFound.InvalidPlacementSet");
    CHECK(code({theirs}) == "ResourceNotFound.InvalidPlacementSet");
    CHECK(code({mine, mine}) == "InvalidParameterValue.LimitExceeded");
    CHECK(code({"ps-1"}) == "InvalidParameterValue");
    CHECK(TotalCount(api) == 0);
  }

  TEST_CASE(
      "DeleteDisasterRecoverGroups: only empty groups, all or none; a member counts until it is "
      "gone") {
    TestApi api;
    std::string full = NewGroup(api, "SW", "full");
    std::string empty = NewGroup(api, "SW", "empty");
    std::string id = LaunchOne(api, IntoGroup(full, 1));
    auto code = [&](const json& ids) {
      return CodeOf(api.Call("DeleteDisasterRecoverGroups", {{"DisasterRecoverGroupIds", ids}}));
    };
    CHECK(code({empty, full}) == "FailedOperation.PlacementSetNotEmpty");
    CHECK(code({empty, kUnknownGroup}) == "ResourceNotFound.InvalidPlacementSet");
    CHECK(code({"ps-1"}) == "InvalidParameterValue");
    CHECK(GroupCount(api) == 2);
    api.Advance(kPending);
    Ok(api, "TerminateInstances", {{"InstanceIds", {id}}});
    // TERMINATING still counts (D-129).
    CHECK(Group(api, full)["CurrentNum"] == 1);
    CHECK(code({full}) == "FailedOperation.PlacementSetNotEmpty");
    api.Advance(kTerminating);
    CHECK(Group(api, full)["CurrentNum"] == 0);
    CHECK(code({empty, full}) == "");
    CHECK(GroupCount(api) == 0);
    CHECK(api.Call("DescribeDisasterRecoverGroupQuota")["CurrentNum"] == 0);
  }
}

}  // namespace placement_groups_test
