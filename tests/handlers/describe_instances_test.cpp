// DescribeInstances and DescribeInstancesStatus through the in-process API:
// every error code of their tables, every filter of their Filters rows (AND
// across filters, OR within one; D-115, D-119), pagination (their Offset and
// Limit rows), unknown IDs (D-122), and
// isolation between accounts and regions. Codes the emulator cannot produce
// are injected in instance_faults_test.cpp.
#include <doctest/doctest.h>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "tests/handlers/instance_test_support.h"

namespace {

using namespace cvm::testing;
using namespace cvm::testing::instances;
using nlohmann::json;
using IdSet = std::set<std::string>;

json Filter(const std::string& name, const json& values) { return {{"Name", name}, {"Values", values}}; }

// The IDs DescribeInstances returns for `filters`; checks TotalCount agrees.
IdSet Matching(TestApi& api, const std::vector<json>& filters) {
  json r = api.Call("DescribeInstances", {{"Filters", json(filters)}, {"Limit", 100}});
  REQUIRE_MESSAGE(CodeOf(r) == "", r.dump());
  IdSet ids;
  for (const json& in : r["InstanceSet"]) ids.insert(in["InstanceId"].get<std::string>());
  CHECK(r["TotalCount"] == ids.size());
  return ids;
}

std::vector<std::string> Listing(TestApi& api, const std::string& action, const json& params) {
  json r = api.Call(action, params);
  REQUIRE_MESSAGE(CodeOf(r) == "", r.dump());
  const char* set = action == "DescribeInstances" ? "InstanceSet" : "InstanceStatusSet";
  std::vector<std::string> ids;
  for (const json& in : r[set]) ids.push_back(in["InstanceId"].get<std::string>());
  return ids;
}

// Three instances that differ in every filtered attribute.
struct Fleet {
  std::string alpha, beta, gamma;
  std::string alpha_public_ip;

  explicit Fleet(TestApi& api) {
    alpha = LaunchOne(api, json::parse(R"({
      "Placement": {"Zone": "ap-guangzhou-3", "ProjectId": 1},
      "VirtualPrivateCloud": {"VpcId": "vpc-aaaa1111", "SubnetId": "subnet-aaaa1111",
                              "PrivateIpAddresses": ["10.9.1.10"]},
      "InternetAccessible": {"InternetMaxBandwidthOut": 1},
      "SecurityGroupIds": ["sg-aaaa1111"],
      "InstanceName": "alpha",
      "TagSpecification": [{"ResourceType": "instance", "Tags": [{"Key": "env", "Value": "prod"}]}]
    })"));
    beta = LaunchOne(api, json::parse(R"({
      "Placement": {"Zone": "ap-guangzhou-4", "ProjectId": 2},
      "InstanceChargeType": "PREPAID", "InstanceChargePrepaid": {"Period": 1},
      "SecurityGroupIds": ["sg-bbbb2222", "sg-aaaa1111"],
      "InstanceName": "beta",
      "TagSpecification": [{"ResourceType": "instance",
                            "Tags": [{"Key": "env", "Value": "dev"}, {"Key": "team", "Value": "core"}]}]
    })"));
    gamma = LaunchOne(api, json::parse(R"({
      "Placement": {"Zone": "ap-guangzhou-3", "ProjectId": 2},
      "VirtualPrivateCloud": {"VpcId": "vpc-bbbb2222", "SubnetId": "subnet-bbbb2222"},
      "InstanceName": "gamma",
      "TagSpecification": [{"ResourceType": "instance", "Tags": [{"Key": "team", "Value": "edge"}]}]
    })"));
    alpha_public_ip = Describe(api, alpha)["PublicIpAddresses"][0].get<std::string>();
  }
};

void ExpectCode(TestApi& api, const std::string& action, const json& params, const std::string& code) {
  json r = api.Call(action, params);
  CHECK_MESSAGE(CodeOf(r) == code, action << " " << params.dump() << " → " << r.dump());
}

}  // namespace

TEST_SUITE("handlers") {
  // ---------------------------------------------------------------------
  // DescribeInstances: error codes

  TEST_CASE("DescribeInstances: an undocumented filter name gives InvalidFilter") {
    TestApi api;
    ExpectCode(api, "DescribeInstances", {{"Filters", {Filter("image-id", {kImage})}}}, "InvalidFilter");
    ExpectCode(api, "DescribeInstances", {{"Filters", {Filter("tag:", {"x"})}}}, "InvalidFilter");
    ExpectCode(api, "DescribeInstances", {{"Filters", {Filter("Zone", {kZone})}}}, "InvalidFilter");
  }

  TEST_CASE("DescribeInstances: more than 5 values in a filter or more than 10 filters gives InvalidFilterValue.LimitExceeded") {
    TestApi api;
    ExpectCode(api, "DescribeInstances",
               {{"Filters", {Filter("instance-name", {"a", "b", "c", "d", "e", "f"})}}},
               "InvalidFilterValue.LimitExceeded");
    json eleven = json::array();
    for (int i = 0; i < 11; ++i) eleven.push_back(Filter("instance-name", {"n" + std::to_string(i)}));
    ExpectCode(api, "DescribeInstances", {{"Filters", eleven}}, "InvalidFilterValue.LimitExceeded");
    // The limits themselves are fine.
    eleven.erase(eleven.size() - 1);
    ExpectCode(api, "DescribeInstances", {{"Filters", eleven}}, "");
    ExpectCode(api, "DescribeInstances", {{"Filters", {Filter("instance-name", {"a", "b", "c", "d", "e"})}}}, "");
  }

  TEST_CASE("DescribeInstances: a malformed host-id filter value gives InvalidHostId.Malformed") {
    TestApi api;
    ExpectCode(api, "DescribeInstances", {{"Filters", {Filter("host-id", {"host-1122"})}}}, "InvalidHostId.Malformed");
  }

  TEST_CASE("DescribeInstances: a malformed instance ID gives InvalidInstanceId.Malformed") {
    TestApi api;
    ExpectCode(api, "DescribeInstances", {{"InstanceIds", {"ins-1122"}}}, "InvalidInstanceId.Malformed");
    ExpectCode(api, "DescribeInstances", {{"InstanceIds", {"i-abcd1234"}}}, "InvalidInstanceId.Malformed");
    ExpectCode(api, "DescribeInstances", {{"Filters", {Filter("instance-id", {"ins-1122"})}}},
               "InvalidInstanceId.Malformed");
  }

  TEST_CASE("DescribeInstances: a request that cannot be decoded gives InvalidParameter") {
    TestApi api;
    // A JSON body that is not an object.
    ExpectCode(api, "DescribeInstances", json::array({1, 2}), "InvalidParameter");
    // A flattened list with a gap (docs/decisions.md D-02).
    json r = api.CallFlat("DescribeInstances", {{"InstanceIds.0", "ins-abcd1234"}, {"InstanceIds.2", "ins-abcd1235"}});
    CHECK(CodeOf(r) == "InvalidParameter");
  }

  TEST_CASE("DescribeInstances: an out-of-range Offset or Limit or a bad filter value gives InvalidParameterValue") {
    TestApi api;
    ExpectCode(api, "DescribeInstances", {{"Limit", 101}}, "InvalidParameterValue");
    ExpectCode(api, "DescribeInstances", {{"Limit", 0}}, "InvalidParameterValue");
    ExpectCode(api, "DescribeInstances", {{"Offset", -1}}, "InvalidParameterValue");
    ExpectCode(api, "DescribeInstances", {{"Limit", "20"}}, "InvalidParameterValue");  // a string in JSON
    ExpectCode(api, "DescribeInstances", {{"Filters", {Filter("project-id", {"abc"})}}}, "InvalidParameterValue");
    ExpectCode(api, "DescribeInstances", {{"Filters", {Filter("vpc-id", {"vpc-1"})}}}, "InvalidParameterValue");
    ExpectCode(api, "DescribeInstances", {{"Filters", {Filter("zone", {"guangzhou"})}}}, "InvalidZone.MismatchRegion");
    ExpectCode(api, "DescribeInstances", {{"Limit", 100}}, "");
  }

  TEST_CASE("DescribeInstances: more than 100 instance IDs gives InvalidParameterValue.LimitExceeded") {
    TestApi api;
    ExpectCode(api, "DescribeInstances", {{"InstanceIds", UnknownIds(101)}}, "InvalidParameterValue.LimitExceeded");
    ExpectCode(api, "DescribeInstances", {{"InstanceIds", UnknownIds(100)}}, "");
  }

  TEST_CASE("DescribeInstances: a zone filter of another region gives InvalidZone.MismatchRegion") {
    TestApi api;
    ExpectCode(api, "DescribeInstances", {{"Filters", {Filter("zone", {"ap-beijing-1"})}}}, "InvalidZone.MismatchRegion");
    ExpectCode(api, "DescribeInstances", {{"Filters", {Filter("zone", {kZone, "ap-guangzhou-9"})}}},
               "InvalidZone.MismatchRegion");
  }

  TEST_CASE("DescribeInstances: InstanceIds together with Filters gives InvalidParameterCombination") {
    TestApi api;
    std::string id = LaunchOne(api);
    ExpectCode(api, "DescribeInstances", {{"InstanceIds", {id}}, {"Filters", {Filter("zone", {kZone})}}},
               "InvalidParameterCombination");
  }

  TEST_CASE("DescribeInstances and DescribeInstancesStatus: a region that does not exist gives UnsupportedRegion (docs D-01)") {
    TestApi api;
    CHECK(CodeOf(api.Call("DescribeInstances", json::object(), "ap-nowhere")) == "UnsupportedRegion");
    CHECK(CodeOf(api.Call("DescribeInstancesStatus", json::object(), "ap-nowhere")) == "UnsupportedRegion");
  }

  TEST_CASE("DescribeInstances: an unknown parameter gives UnknownParameter") {
    TestApi api;
    ExpectCode(api, "DescribeInstances", {{"InstanceId", kUnknownId}}, "UnknownParameter");
    json r = api.CallFlat("DescribeInstances", {{"InstanceId.0", kUnknownId}});
    CHECK(CodeOf(r) == "UnknownParameter");
  }

  // ---------------------------------------------------------------------
  // DescribeInstancesStatus: error codes

  TEST_CASE("DescribeInstancesStatus: a malformed instance ID gives InvalidInstanceId.Malformed") {
    TestApi api;
    ExpectCode(api, "DescribeInstancesStatus", {{"InstanceIds", {"ins-1122"}}}, "InvalidInstanceId.Malformed");
  }

  TEST_CASE("DescribeInstancesStatus: an out-of-range Offset or Limit gives InvalidParameterValue") {
    TestApi api;
    ExpectCode(api, "DescribeInstancesStatus", {{"Limit", 101}}, "InvalidParameterValue");
    ExpectCode(api, "DescribeInstancesStatus", {{"Limit", 0}}, "InvalidParameterValue");
    ExpectCode(api, "DescribeInstancesStatus", {{"Offset", -1}}, "InvalidParameterValue");
    ExpectCode(api, "DescribeInstancesStatus", {{"Limit", 100}}, "");
  }

  TEST_CASE("DescribeInstancesStatus: more than 100 instance IDs gives InvalidParameterValue.LimitExceeded") {
    TestApi api;
    ExpectCode(api, "DescribeInstancesStatus", {{"InstanceIds", UnknownIds(101)}}, "InvalidParameterValue.LimitExceeded");
    ExpectCode(api, "DescribeInstancesStatus", {{"InstanceIds", UnknownIds(100)}}, "");
  }

  TEST_CASE("DescribeInstancesStatus: Filters are not one of its parameters and give UnknownParameter") {
    TestApi api;
    ExpectCode(api, "DescribeInstancesStatus", {{"Filters", {Filter("zone", {kZone})}}}, "UnknownParameter");
  }

  // ---------------------------------------------------------------------
  // Filters

  TEST_CASE("DescribeInstances: each filter selects exactly the matching instances") {
    TestApi api;
    Fleet f(api);
    SUBCASE("zone") { CHECK(Matching(api, {Filter("zone", {"ap-guangzhou-3"})}) == IdSet{f.alpha, f.gamma}); }
    SUBCASE("project-id, also with leading zeros") {
      CHECK(Matching(api, {Filter("project-id", {"2"})}) == IdSet{f.beta, f.gamma});
      CHECK(Matching(api, {Filter("project-id", {"001"})}) == IdSet{f.alpha});
      CHECK(Matching(api, {Filter("project-id", {"0"})}).empty());
    }
    SUBCASE("host-id: no instance runs on a dedicated host") {
      CHECK(Matching(api, {Filter("host-id", {"host-abcd1234"})}).empty());
    }
    SUBCASE("vpc-id") {
      CHECK(Matching(api, {Filter("vpc-id", {"vpc-aaaa1111"})}) == IdSet{f.alpha});
      CHECK(Matching(api, {Filter("vpc-id", {"vpc-cccc3333"})}).empty());
    }
    SUBCASE("instance-id") {
      CHECK(Matching(api, {Filter("instance-id", {f.alpha, f.gamma, kUnknownId})}) == IdSet{f.alpha, f.gamma});
    }
    SUBCASE("security-group-id") {
      CHECK(Matching(api, {Filter("security-group-id", {"sg-bbbb2222"})}) == IdSet{f.beta});
      CHECK(Matching(api, {Filter("security-group-id", {"sg-aaaa1111"})}) == IdSet{f.alpha, f.beta});
    }
    SUBCASE("instance-name matches exactly (D-119)") {
      CHECK(Matching(api, {Filter("instance-name", {"alpha"})}) == IdSet{f.alpha});
      CHECK(Matching(api, {Filter("instance-name", {"alph"})}).empty());
      CHECK(Matching(api, {Filter("instance-name", {"ALPHA"})}).empty());
    }
    SUBCASE("instance-charge-type") {
      CHECK(Matching(api, {Filter("instance-charge-type", {"PREPAID"})}) == IdSet{f.beta});
      CHECK(Matching(api, {Filter("instance-charge-type", {"POSTPAID_BY_HOUR"})}) == IdSet{f.alpha, f.gamma});
    }
    SUBCASE("private-ip-address") {
      CHECK(Matching(api, {Filter("private-ip-address", {"10.9.1.10"})}) == IdSet{f.alpha});
      std::string gamma_ip = Describe(api, f.gamma)["PrivateIpAddresses"][0];
      CHECK(Matching(api, {Filter("private-ip-address", {gamma_ip})}) == IdSet{f.gamma});
    }
    SUBCASE("public-ip-address") {
      CHECK(Matching(api, {Filter("public-ip-address", {f.alpha_public_ip})}) == IdSet{f.alpha});
      CHECK(Matching(api, {Filter("public-ip-address", {"10.9.1.10"})}).empty());
    }
    SUBCASE("tag-key") { CHECK(Matching(api, {Filter("tag-key", {"team"})}) == IdSet{f.beta, f.gamma}); }
    SUBCASE("tag-value") { CHECK(Matching(api, {Filter("tag-value", {"prod", "edge"})}) == IdSet{f.alpha, f.gamma}); }
    SUBCASE("tag:<key> matches the value under that key only") {
      CHECK(Matching(api, {Filter("tag:env", {"prod", "dev"})}) == IdSet{f.alpha, f.beta});
      CHECK(Matching(api, {Filter("tag:team", {"core"})}) == IdSet{f.beta});
      CHECK(Matching(api, {Filter("tag:env", {"core"})}).empty());
    }
  }

  TEST_CASE("DescribeInstances: filters are ANDed, the values of one filter ORed") {
    TestApi api;
    Fleet f(api);
    CHECK(Matching(api, {Filter("zone", {"ap-guangzhou-3"}), Filter("project-id", {"2"})}) == IdSet{f.gamma});
    CHECK(Matching(api, {Filter("instance-name", {"alpha", "beta"})}) == IdSet{f.alpha, f.beta});
    CHECK(Matching(api, {Filter("tag-key", {"env"}), Filter("tag-key", {"team"})}) == IdSet{f.beta});
    CHECK(Matching(api, {Filter("instance-name", {"alpha", "beta", "gamma"}),
                         Filter("instance-charge-type", {"POSTPAID_BY_HOUR"}),
                         Filter("zone", {"ap-guangzhou-4"})})
              .empty());
  }

  TEST_CASE("DescribeInstances: the filters see changes made by ModifyInstancesAttribute and ModifyInstancesProject") {
    TestApi api;
    Fleet f(api);
    Ok(api, "ModifyInstancesAttribute", {{"InstanceIds", {f.gamma}}, {"InstanceName", "delta"}, {"SecurityGroups", {"sg-dddd4444"}}});
    Ok(api, "ModifyInstancesProject", {{"InstanceIds", {f.alpha}}, {"ProjectId", 9}});
    CHECK(Matching(api, {Filter("instance-name", {"delta"})}) == IdSet{f.gamma});
    CHECK(Matching(api, {Filter("instance-name", {"gamma"})}).empty());
    CHECK(Matching(api, {Filter("security-group-id", {"sg-dddd4444"})}) == IdSet{f.gamma});
    CHECK(Matching(api, {Filter("project-id", {"9"})}) == IdSet{f.alpha});
    // Moving alpha's project unbound its security group (D-18).
    CHECK(Matching(api, {Filter("security-group-id", {"sg-aaaa1111"})}) == IdSet{f.beta});
  }

  // ---------------------------------------------------------------------
  // The wire

  TEST_CASE("DescribeInstances: the response body is valid JSON without the output check (the server's path)") {
    // Regression: the streaming writer once left out the comma between the
    // top-level members ({"TotalCount":1"InstanceSet":[...]}).
    TestApi api([](cvm::server::EmulatorOptions& o) { o.check_output = false; });
    LaunchOne(api);
    json r;
    REQUIRE_NOTHROW(r = api.Call("DescribeInstances"));
    CHECK(r["TotalCount"] == 1);
    CHECK(r["InstanceSet"].size() == 1);
  }

  // ---------------------------------------------------------------------
  // IDs, pagination

  TEST_CASE("DescribeInstances: unknown well-formed IDs are just absent, without an error") {
    TestApi api;
    std::string id = LaunchOne(api);
    json r = api.Call("DescribeInstances", {{"InstanceIds", {kUnknownId, id, "ins-00000000"}}});
    REQUIRE(CodeOf(r) == "");
    CHECK(r["TotalCount"] == 1);
    REQUIRE(r["InstanceSet"].size() == 1);
    CHECK(r["InstanceSet"][0]["InstanceId"] == id);
    json none = api.Call("DescribeInstances", {{"InstanceIds", {kUnknownId}}});
    CHECK(CodeOf(none) == "");
    CHECK(none["TotalCount"] == 0);
    CHECK(none["InstanceSet"] == json::array());
  }

  TEST_CASE("DescribeInstancesStatus: unknown well-formed IDs are just absent, without an error") {
    TestApi api;
    std::string id = LaunchOne(api);
    json r = api.Call("DescribeInstancesStatus", {{"InstanceIds", {kUnknownId, id}}});
    REQUIRE(CodeOf(r) == "");
    CHECK(r["TotalCount"] == 1);
    CHECK(r["InstanceStatusSet"] == json::parse(R"([{"InstanceId":")" + id + R"(","InstanceState":"PENDING"}])"));
  }

  TEST_CASE("DescribeInstances: with no parameters the first 20 are returned and TotalCount counts all") {
    TestApi api;
    std::vector<std::string> ids = Launch(api, {{"InstanceCount", 25}});
    json r = api.Call("DescribeInstances");
    REQUIRE(CodeOf(r) == "");
    CHECK(r["TotalCount"] == 25);
    CHECK(r["InstanceSet"].size() == 20);
    json last = api.Call("DescribeInstances", {{"Offset", 20}});
    CHECK(last["TotalCount"] == 25);
    CHECK(last["InstanceSet"].size() == 5);
    json beyond = api.Call("DescribeInstances", {{"Offset", 25}});
    CHECK(CodeOf(beyond) == "");
    CHECK(beyond["TotalCount"] == 25);
    CHECK(beyond["InstanceSet"] == json::array());
    // Limit 1 with TotalCount 2 is the document's own DescribeInstances example.
    json one = api.Call("DescribeInstances", {{"InstanceIds", {ids[3], ids[4]}}, {"Limit", 1}});
    CHECK(one["TotalCount"] == 2);
    CHECK(one["InstanceSet"].size() == 1);
  }

  TEST_CASE("DescribeInstances and DescribeInstancesStatus: pages are stable, disjoint and in creation order") {
    TestApi api;
    std::vector<std::string> created = Launch(api, {{"InstanceCount", 23}});
    std::vector<std::string> more = Launch(api, {{"InstanceCount", 2}});
    created.insert(created.end(), more.begin(), more.end());
    for (const std::string action : {"DescribeInstances", "DescribeInstancesStatus"}) {
      CAPTURE(action);
      std::vector<std::string> all = Listing(api, action, {{"Limit", 100}});
      CHECK(all == created);
      std::vector<std::string> paged;
      for (int offset = 0; offset < 25; offset += 7) {
        std::vector<std::string> page = Listing(api, action, {{"Offset", offset}, {"Limit", 7}});
        CHECK(page.size() == static_cast<size_t>(std::min(7, 25 - offset)));
        paged.insert(paged.end(), page.begin(), page.end());
      }
      CHECK(paged == all);
      // State changes do not reorder the listing.
      api.Advance(kPending);
      Ok(api, "StopInstances", {{"InstanceIds", {created[0], created[12]}}});
      CHECK(Listing(api, action, {{"Limit", 100}}) == all);
      api.Advance(kStopping);
      Ok(api, "StartInstances", {{"InstanceIds", {created[0], created[12]}}});
      api.Advance(kStarting);
    }
    json status = api.Call("DescribeInstancesStatus");
    CHECK(status["TotalCount"] == 25);
    CHECK(status["InstanceStatusSet"].size() == 20);
  }

  TEST_CASE("DescribeInstancesStatus: each entry is the ID and the observed state") {
    TestApi api;
    std::string running = Running(api);
    std::string pending = LaunchOne(api);
    json r = api.Call("DescribeInstancesStatus", {{"InstanceIds", {pending, running}}});
    REQUIRE(CodeOf(r) == "");
    CHECK(r["TotalCount"] == 2);
    // Listing order, not request order.
    CHECK(r["InstanceStatusSet"] == json::parse(R"([{"InstanceId":")" + running + R"(","InstanceState":"RUNNING"},
                                                   {"InstanceId":")" + pending + R"(","InstanceState":"PENDING"}])"));
  }

  // ---------------------------------------------------------------------
  // Isolation

  TEST_CASE("DescribeInstances: account B and another region never see account A's instances") {
    TestApi api;
    std::string id = Running(api, {{"InstanceName", "mine"}});
    CHECK(TotalCount(api) == 1);
    CHECK(TotalCount(api, kRegion, kSecretB) == 0);
    CHECK(TotalCount(api, "ap-shanghai") == 0);
    CHECK(Describe(api, id, kRegion, kSecretB).is_null());
    CHECK(Describe(api, id, "ap-shanghai").is_null());
    CHECK(StateOf(api, id, kRegion, kSecretB) == "");
    CHECK(StateOf(api, id, "ap-shanghai") == "");
    json status = api.Call("DescribeInstancesStatus", json::object(), kRegion, kSecretB);
    CHECK(status["TotalCount"] == 0);
    json filtered = api.Call("DescribeInstances", {{"Filters", {Filter("instance-id", {id})}}}, kRegion, kSecretB);
    CHECK(filtered["TotalCount"] == 0);
    json by_name = api.Call("DescribeInstances", {{"Filters", {Filter("instance-name", {"mine"})}}}, kRegion, kSecretB);
    CHECK(by_name["TotalCount"] == 0);
    // B's own instances do not show up for A either.
    Launch(api, {}, kRegion, kSecretB);
    CHECK(TotalCount(api) == 1);
    CHECK(TotalCount(api, kRegion, kSecretB) == 1);
  }

  TEST_CASE("Every instance action on account A's instance from account B or another region gives InvalidInstanceId.NotFound and changes nothing") {
    TestApi api;
    std::string id = Running(api, {{"InstanceName", "mine"}, {"Placement", {{"Zone", kZone}, {"ProjectId", 1}}}});
    const std::vector<std::pair<std::string, json>> calls = {
        {"StartInstances", {{"InstanceIds", {id}}}},
        {"StopInstances", {{"InstanceIds", {id}}}},
        {"RebootInstances", {{"InstanceIds", {id}}}},
        {"TerminateInstances", {{"InstanceIds", {id}}}},
        {"ResetInstance", {{"InstanceId", id}}},
        {"ResetInstancesPassword", {{"InstanceIds", {id}}, {"Password", "abcd1234"}, {"ForceStop", true}}},
        {"ModifyInstancesAttribute", {{"InstanceIds", {id}}, {"InstanceName", "theirs"}}},
        {"ModifyInstancesProject", {{"InstanceIds", {id}}, {"ProjectId", 5}}},
        {"DescribeInstanceVncUrl", {{"InstanceId", id}}},
    };
    for (const auto& [action, params] : calls) {
      CAPTURE(action);
      json from_b = api.Call(action, params, kRegion, kSecretB);
      CHECK(CodeOf(from_b) == "InvalidInstanceId.NotFound");
      json elsewhere = api.Call(action, params, "ap-shanghai");
      CHECK(CodeOf(elsewhere) == "InvalidInstanceId.NotFound");
    }
    json in = Describe(api, id);
    CHECK(in["InstanceState"] == "RUNNING");
    CHECK(in["InstanceName"] == "mine");
    CHECK(in["Placement"]["ProjectId"] == 1);
  }
}
