// DescribeInstanceInternetBandwidthConfigs through the in-process API: a
// prepaid-bandwidth instance's configuration runs from its creation to its
// ExpiredTime (renewals included); other bandwidth is
// InvalidInstance.NotSupported; the instance lookup gives the ID codes.
#include <doctest/doctest.h>

#include <string>

#include "tests/handlers/instance_test_support.h"

namespace {

using namespace cvm::testing;
using namespace cvm::testing::instances;
using nlohmann::json;

json Prepaid(const json& internet, const std::string& renew = "NOTIFY_AND_MANUAL_RENEW") {
  return {{"InstanceChargeType", "PREPAID"},
          {"InstanceChargePrepaid", {{"Period", 1}, {"RenewFlag", renew}}},
          {"InternetAccessible", internet}};
}

json Configs(TestApi& api, const std::string& id, const std::string& region = kRegion,
             const std::string& secret = kSecretA) {
  return api.Call("DescribeInstanceInternetBandwidthConfigs", {{"InstanceId", id}}, region, secret);
}

}  // namespace

TEST_SUITE("handlers") {
  TEST_CASE("DescribeInstanceInternetBandwidthConfigs: a BANDWIDTH_PREPAID instance's bandwidth from its creation to its ExpiredTime") {
    TestApi api;
    std::string id = LaunchOne(api, Prepaid({{"InternetChargeType", "BANDWIDTH_PREPAID"},
                                             {"InternetMaxBandwidthOut", 50}}));
    json r = Configs(api, id);
    REQUIRE_MESSAGE(CodeOf(r) == "", r.dump());
    CHECK(r["InternetBandwidthConfigSet"] ==
          json::array({{{"StartTime", "2023-11-14T22:13:20Z"},
                        {"EndTime", "2023-12-14T22:13:20Z"},
                        {"InternetAccessible", {{"InternetChargeType", "BANDWIDTH_PREPAID"},
                                                {"InternetMaxBandwidthOut", 50},
                                                {"PublicIpAssigned", true}}}}}));
    json in = Describe(api, id);
    CHECK(r["InternetBandwidthConfigSet"][0]["StartTime"] == in["CreatedTime"]);
    CHECK(r["InternetBandwidthConfigSet"][0]["EndTime"] == in["ExpiredTime"]);
  }

  TEST_CASE("DescribeInstanceInternetBandwidthConfigs: a prepaid instance's bandwidth defaults to BANDWIDTH_PREPAID, without a public IP at 0 Mbps") {
    TestApi api;
    std::string id = LaunchOne(api, {{"InstanceChargeType", "PREPAID"}, {"InstanceChargePrepaid", {{"Period", 2}}}});
    json r = Configs(api, id);
    REQUIRE_MESSAGE(CodeOf(r) == "", r.dump());
    json c = r["InternetBandwidthConfigSet"][0];
    CHECK(c["EndTime"] == "2024-01-14T22:13:20Z");
    CHECK(c["InternetAccessible"] == json{{"InternetChargeType", "BANDWIDTH_PREPAID"},
                                          {"InternetMaxBandwidthOut", 0},
                                          {"PublicIpAssigned", false}});
  }

  TEST_CASE("DescribeInstanceInternetBandwidthConfigs: EndTime follows the instance's renewals on the emulator clock") {
    TestApi api;
    std::string id = LaunchOne(api, Prepaid({{"InternetChargeType", "BANDWIDTH_PREPAID"},
                                             {"InternetMaxBandwidthOut", 5}},
                                            "NOTIFY_AND_AUTO_RENEW"));
    api.Advance(45 * 86400.0);  // past the first month: renewed once
    json r = Configs(api, id);
    REQUIRE_MESSAGE(CodeOf(r) == "", r.dump());
    CHECK(r["InternetBandwidthConfigSet"][0]["StartTime"] == "2023-11-14T22:13:20Z");
    CHECK(r["InternetBandwidthConfigSet"][0]["EndTime"] == "2024-01-14T22:13:20Z");
    CHECK(r["InternetBandwidthConfigSet"][0]["EndTime"] == Describe(api, id)["ExpiredTime"]);
  }

  TEST_CASE("DescribeInstanceInternetBandwidthConfigs: other bandwidth charge types are InvalidInstance.NotSupported") {
    TestApi api;
    std::string hourly = LaunchOne(api, {{"InternetAccessible", {{"InternetMaxBandwidthOut", 5}}}});
    std::string by_hour = LaunchOne(api, {{"InternetAccessible", {{"InternetChargeType", "BANDWIDTH_POSTPAID_BY_HOUR"},
                                                                  {"InternetMaxBandwidthOut", 5}}}});
    std::string prepaid_traffic = LaunchOne(api, Prepaid({{"InternetChargeType", "TRAFFIC_POSTPAID_BY_HOUR"},
                                                          {"InternetMaxBandwidthOut", 5}}));
    for (const std::string& id : {hourly, by_hour, prepaid_traffic}) {
      json r = Configs(api, id);
      CHECK_MESSAGE(CodeOf(r) == "InvalidInstance.NotSupported", r.dump());
      CHECK(r["Error"]["Message"].get<std::string>().find(id) != std::string::npos);
    }
  }

  TEST_CASE("DescribeInstanceInternetBandwidthConfigs: unknown, malformed, missing, another account's or region's instance") {
    TestApi api;
    std::string id = LaunchOne(api, Prepaid({{"InternetChargeType", "BANDWIDTH_PREPAID"},
                                             {"InternetMaxBandwidthOut", 1}}));
    CHECK(CodeOf(Configs(api, kUnknownId)) == "InvalidInstanceId.NotFound");
    CHECK(CodeOf(Configs(api, "ins-123")) == "InvalidInstanceId.Malformed");
    CHECK(CodeOf(Configs(api, "i-12345678")) == "InvalidInstanceId.Malformed");
    CHECK(CodeOf(api.Call("DescribeInstanceInternetBandwidthConfigs", json::object())) == "MissingParameter");
    CHECK(CodeOf(Configs(api, id, kRegion, kSecretB)) == "InvalidInstanceId.NotFound");
    CHECK(CodeOf(Configs(api, id, "ap-shanghai")) == "InvalidInstanceId.NotFound");
    CHECK(CodeOf(Configs(api, id)) == "");
  }

  TEST_CASE("DescribeInstanceInternetBandwidthConfigs: a terminated prepaid instance is SHUTDOWN and still answers; a terminated hourly one is gone") {
    TestApi api;
    std::string id = LaunchOne(api, Prepaid({{"InternetChargeType", "BANDWIDTH_PREPAID"},
                                             {"InternetMaxBandwidthOut", 1}}));
    api.Advance(kPending);
    Ok(api, "TerminateInstances", {{"InstanceIds", {id}}});
    api.Advance(kTerminating);
    REQUIRE(StateOf(api, id) == "SHUTDOWN");
    CHECK(CodeOf(Configs(api, id)) == "");
  }
}
