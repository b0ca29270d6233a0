// ResetInstancesInternetMaxBandwidth through the in-process API: pay-as-you-go
// bandwidth changes at once, BANDWIDTH_PREPAID bandwidth is raised for
// calendar days in UTC+8 and falls back afterwards, as DescribeInstances and
// DescribeInstanceInternetBandwidthConfigs show while the clock advances;
// every listed code the action can produce, each refusal changing nothing.
// (The codes it cannot produce: billing_faults_test.cpp, D-187.)
#include <doctest/doctest.h>

#include <string>

#include "tests/handlers/instance_test_support.h"

// Named, for the test group this file compiles in (tests/CMakeLists.txt).
namespace bandwidth_reset_test {

namespace {

using namespace cvm::testing;
using namespace cvm::testing::instances;
using nlohmann::json;

constexpr const char* kAction = "ResetInstancesInternetMaxBandwidth";
// The test clock starts at 2023-11-14T22:13:20Z, 2023-11-15 06:13:20 in UTC+8.
constexpr double kToNov17 = 150'400;  // seconds to 2023-11-17T00:00:00+08:00
constexpr double kDaySeconds = 86'400;

json Internet(const std::string& charge, int64_t mbps) {
  return {{"InternetChargeType", charge}, {"InternetMaxBandwidthOut", mbps}};
}

// A RUNNING S1.SMALL1 (at most 100 Mbps) with `internet`.
std::string WithInternet(TestApi& api, const json& internet) {
  return Running(api, {{"InternetAccessible", internet}});
}

// A RUNNING PREPAID instance (one month) with 5 Mbps of BANDWIDTH_PREPAID.
std::string PrepaidBandwidth(TestApi& api) {
  return Running(api, {{"InstanceChargeType", "PREPAID"},
                       {"InstanceChargePrepaid", {{"Period", 1}}},
                       {"InternetAccessible", Internet("BANDWIDTH_PREPAID", 5)}});
}

json Reset(const json& ids, int64_t mbps, const json& extra = json::object()) {
  json p = {{"InstanceIds", ids}, {"InternetAccessible", {{"InternetMaxBandwidthOut", mbps}}}};
  if (!extra.is_null()) p.update(extra);
  return p;
}

int64_t Bandwidth(TestApi& api, const std::string& id) {
  return Describe(api, id)["InternetAccessible"]["InternetMaxBandwidthOut"].get<int64_t>();
}

json Configs(TestApi& api, const std::string& id) {
  json r = api.Call("DescribeInstanceInternetBandwidthConfigs", {{"InstanceId", id}});
  REQUIRE_MESSAGE(CodeOf(r) == "", r.dump());
  json out = json::array();
  for (const json& c : r["InternetBandwidthConfigSet"]) {
    out.push_back(
        {c["StartTime"], c["EndTime"], c["InternetAccessible"]["InternetMaxBandwidthOut"]});
  }
  return out;
}

// `params` is refused with `code`, naming `what` in its message, and the
// instances look as they did.
void ExpectRefused(TestApi& api, const json& params, const std::string& code,
                   const std::string& what, const std::vector<std::string>& ids) {
  std::vector<json> before;
  for (const std::string& id : ids) before.push_back(Describe(api, id));
  json r = api.Call(kAction, params);
  CHECK_MESSAGE(CodeOf(r) == code, r.dump());
  CHECK_MESSAGE(r["Error"]["Message"].get<std::string>().find(what) != std::string::npos, r.dump());
  for (size_t i = 0; i < ids.size(); ++i) CHECK(Describe(api, ids[i]) == before[i]);
}

}  // namespace

TEST_SUITE("handlers") {
  TEST_CASE(
      "ResetInstancesInternetMaxBandwidth: traffic-billed bandwidth of a batch changes at once, up "
      "and down") {
    TestApi api;
    std::string a = WithInternet(api, {{"InternetMaxBandwidthOut", 5}});
    std::string b = WithInternet(api, {{"InternetMaxBandwidthOut", 20}});
    Ok(api, kAction, Reset({a, b}, 100));
    CHECK(Bandwidth(api, a) == 100);
    CHECK(Bandwidth(api, b) == 100);
    Ok(api, kAction, Reset({a}, 1));
    CHECK(Bandwidth(api, a) == 1);
    CHECK(Describe(api, a)["InternetAccessible"]["InternetChargeType"] ==
          "TRAFFIC_POSTPAID_BY_HOUR");
    CHECK(Describe(api, a)["InternetAccessible"]["PublicIpAssigned"] == true);
  }

  TEST_CASE(
      "ResetInstancesInternetMaxBandwidth: BANDWIDTH_POSTPAID_BY_HOUR and BANDWIDTH_PACKAGE change "
      "at once too") {
    TestApi api;
    std::string hourly = WithInternet(api, Internet("BANDWIDTH_POSTPAID_BY_HOUR", 10));
    std::string package = WithInternet(api, Internet("BANDWIDTH_PACKAGE", 10));
    Ok(api, kAction, Reset({hourly}, 3));
    Ok(api, kAction, Reset({package}, 30));
    CHECK(Bandwidth(api, hourly) == 3);
    CHECK(Bandwidth(api, package) == 30);
  }

  TEST_CASE(
      "ResetInstancesInternetMaxBandwidth: BANDWIDTH_PREPAID is raised from 00:00 UTC+8 of "
      "StartTime to the end of EndTime's day, then falls back; DescribeInstances follows the "
      "clock") {
    TestApi api;
    std::string id = PrepaidBandwidth(api);
    Ok(api, kAction, Reset({id}, 20, {{"StartTime", "2023-11-17"}, {"EndTime", "2023-11-18"}}));
    CHECK(Bandwidth(api, id) == 5);
    api.Advance(kToNov17 - 10 - 1);  // Running() took 10 s
    CHECK(Bandwidth(api, id) == 5);
    api.Advance(1);  // 2023-11-17T00:00:00+08:00
    CHECK(Bandwidth(api, id) == 20);
    api.Advance(2 * kDaySeconds - 1);
    CHECK(Bandwidth(api, id) == 20);
    api.Advance(1);  // 2023-11-19T00:00:00+08:00
    CHECK(Bandwidth(api, id) == 5);
    CHECK(Describe(api, id)["InternetAccessible"]["InternetChargeType"] == "BANDWIDTH_PREPAID");
    // The whole history, without a gap, to ExpiredTime.
    json in = Describe(api, id);
    CHECK(Configs(api, id) == json::array({{in["CreatedTime"], "2023-11-16T16:00:00Z", 5},
                                           {"2023-11-16T16:00:00Z", "2023-11-18T16:00:00Z", 20},
                                           {"2023-11-18T16:00:00Z", in["ExpiredTime"], 5}}));
  }

  TEST_CASE(
      "ResetInstancesInternetMaxBandwidth: a BANDWIDTH_PREPAID raise from today is in force at "
      "once") {
    TestApi api;
    std::string id = PrepaidBandwidth(api);
    json in = Describe(api, id);
    Ok(api, kAction, Reset({id}, 50, {{"StartTime", "2023-11-15"}, {"EndTime", "2023-11-15"}}));
    CHECK(Bandwidth(api, id) == 50);
    CHECK(Configs(api, id) == json::array({{in["CreatedTime"], "2023-11-14T22:13:30Z", 5},
                                           {"2023-11-14T22:13:30Z", "2023-11-15T16:00:00Z", 50},
                                           {"2023-11-15T16:00:00Z", in["ExpiredTime"], 5}}));
    api.Advance(18 * 3600);  // past 2023-11-16T00:00:00+08:00
    CHECK(Bandwidth(api, id) == 5);
  }

  TEST_CASE(
      "ResetInstancesInternetMaxBandwidth: a raise to the day of ExpiredTime ends at ExpiredTime; "
      "renewing lets the own bandwidth follow") {
    TestApi api;
    std::string id = PrepaidBandwidth(api);  // expires 2023-12-14T22:13:20Z, Dec 15 in UTC+8
    Ok(api, kAction, Reset({id}, 10, {{"StartTime", "2023-12-01"}, {"EndTime", "2023-12-15"}}));
    Ok(api, "RenewInstances", {{"InstanceIds", {id}}, {"InstanceChargePrepaid", {{"Period", 1}}}});
    json in = Describe(api, id);
    CHECK(in["ExpiredTime"] == "2024-01-14T22:13:20Z");
    CHECK(Configs(api, id) == json::array({{in["CreatedTime"], "2023-11-30T16:00:00Z", 5},
                                           {"2023-11-30T16:00:00Z", "2023-12-14T22:13:20Z", 10},
                                           {"2023-12-14T22:13:20Z", "2024-01-14T22:13:20Z", 5}}));
  }

  // -------------------------------------------------------------------------
  // Codes

  TEST_CASE(
      "ResetInstancesInternetMaxBandwidth: a malformed ID is InvalidInstanceId.Malformed, an "
      "unknown one InvalidInstanceId.NotFound, and nothing changes") {
    TestApi api;
    std::string id = WithInternet(api, {{"InternetMaxBandwidthOut", 5}});
    ExpectRefused(api, Reset({id, "ins-1122"}, 50), "InvalidInstanceId.Malformed", "ins-1122",
                  {id});
    ExpectRefused(api, Reset({id, kUnknownId}, 50), "InvalidInstanceId.NotFound", kUnknownId, {id});
  }

  TEST_CASE(
      "ResetInstancesInternetMaxBandwidth: an instance without a public IP is "
      "InvalidInstance.NotSupported") {
    TestApi api;
    std::string id = Running(api);  // no InternetAccessible: 0 Mbps, no public IP
    ExpectRefused(api, Reset({id}, 5), "InvalidInstance.NotSupported", "public IP", {id});
  }

  TEST_CASE(
      "ResetInstancesInternetMaxBandwidth: StartTime or EndTime with pay-as-you-go bandwidth is "
      "InvalidParameter") {
    TestApi api;
    std::string id = WithInternet(api, {{"InternetMaxBandwidthOut", 5}});
    ExpectRefused(api, Reset({id}, 10, {{"StartTime", "2023-11-16"}}), "InvalidParameter",
                  "StartTime", {id});
    ExpectRefused(api, Reset({id}, 10, {{"EndTime", "2023-11-16"}}), "InvalidParameter", "EndTime",
                  {id});
  }

  TEST_CASE(
      "ResetInstancesInternetMaxBandwidth: BANDWIDTH_PREPAID without StartTime or EndTime is "
      "MissingParameter; so is a request without InternetAccessible") {
    TestApi api;
    std::string id = PrepaidBandwidth(api);
    ExpectRefused(api, Reset({id}, 10), "MissingParameter", "StartTime", {id});
    ExpectRefused(api, Reset({id}, 10, {{"StartTime", "2023-11-16"}}), "MissingParameter",
                  "EndTime", {id});
    ExpectRefused(api, {{"InstanceIds", {id}}}, "MissingParameter", "InternetAccessible", {id});
  }

  TEST_CASE(
      "ResetInstancesInternetMaxBandwidth: bad dates are InvalidParameterValue: not a calendar "
      "date, before today, after ExpiredTime, an overlap") {
    TestApi api;
    std::string id = PrepaidBandwidth(api);
    ExpectRefused(api, Reset({id}, 10, {{"StartTime", "2023-11-31"}, {"EndTime", "2023-12-01"}}),
                  "InvalidParameterValue", "StartTime", {id});
    ExpectRefused(api, Reset({id}, 10, {{"StartTime", "2023-11-14"}, {"EndTime", "2023-11-16"}}),
                  "InvalidParameterValue", "StartTime", {id});
    ExpectRefused(api, Reset({id}, 10, {{"StartTime", "2023-11-16"}, {"EndTime", "2023-12-16"}}),
                  "InvalidParameterValue", "EndTime", {id});
    ExpectRefused(api, Reset({id}, 10, {{"StartTime", "2023-11-18"}, {"EndTime", "2023-11-16"}}),
                  "InvalidParameterValue", "EndTime", {id});
    Ok(api, kAction, Reset({id}, 10, {{"StartTime", "2023-11-20"}, {"EndTime", "2023-11-25"}}));
    ExpectRefused(api, Reset({id}, 20, {{"StartTime", "2023-11-25"}, {"EndTime", "2023-11-26"}}),
                  "InvalidParameterValue", "overlaps", {id});
    // The schema refuses what is not shaped YYYY-MM-DD.
    ExpectRefused(api, Reset({id}, 10, {{"StartTime", "2023/11/16"}, {"EndTime", "2023-11-17"}}),
                  "InvalidParameterValue", "StartTime", {id});
  }

  TEST_CASE(
      "ResetInstancesInternetMaxBandwidth: beyond the type's MaxBandwidthOut, lowering prepaid "
      "bandwidth, or a negative value is InvalidParameterValue.Range") {
    TestApi api;
    std::string traffic = WithInternet(api, {{"InternetMaxBandwidthOut", 5}});
    std::string prepaid = PrepaidBandwidth(api);
    ExpectRefused(api, Reset({traffic}, 101), "InvalidParameterValue.Range", "at most 100",
                  {traffic});
    ExpectRefused(api, Reset({traffic}, -1), "InvalidParameterValue.Range",
                  "InternetAccessible.InternetMaxBandwidthOut", {traffic});
    ExpectRefused(api,
                  Reset({prepaid}, 4, {{"StartTime", "2023-11-16"}, {"EndTime", "2023-11-17"}}),
                  "InvalidParameterValue.Range", "raised", {prepaid});
  }

  TEST_CASE(
      "ResetInstancesInternetMaxBandwidth: mixed charge types, or two BANDWIDTH_POSTPAID_BY_HOUR "
      "instances, are InvalidParameterCombination (D-132)") {
    TestApi api;
    std::string traffic = WithInternet(api, {{"InternetMaxBandwidthOut", 5}});
    std::string package = WithInternet(api, Internet("BANDWIDTH_PACKAGE", 5));
    std::string hourly1 = WithInternet(api, Internet("BANDWIDTH_POSTPAID_BY_HOUR", 5));
    std::string hourly2 = WithInternet(api, Internet("BANDWIDTH_POSTPAID_BY_HOUR", 5));
    ExpectRefused(api, Reset({traffic, package}, 10), "InvalidParameterCombination", package,
                  {traffic, package});
    ExpectRefused(api, Reset({hourly1, hourly2}, 10), "InvalidParameterCombination",
                  "BANDWIDTH_POSTPAID_BY_HOUR", {hourly1, hourly2});
  }

  TEST_CASE(
      "ResetInstancesInternetMaxBandwidth: more than 100 IDs is "
      "InvalidParameterValue.LimitExceeded; a gap in v1 indexes InvalidParameter") {
    TestApi api;
    std::string id = WithInternet(api, {{"InternetMaxBandwidthOut", 5}});
    ExpectRefused(api, Reset(UnknownIds(101), 10), "InvalidParameterValue.LimitExceeded",
                  "InstanceIds", {id});
    json r = api.CallFlat(kAction, {{"InstanceIds.0", id},
                                    {"InstanceIds.2", id},
                                    {"InternetAccessible.InternetMaxBandwidthOut", "10"}});
    CHECK(CodeOf(r) == "InvalidParameter");
    CHECK(Bandwidth(api, id) == 5);
  }

  TEST_CASE(
      "ResetInstancesInternetMaxBandwidth: a SHUTDOWN prepaid instance is "
      "UnsupportedOperation.InstanceStateShutdown") {
    TestApi api;
    std::string id = PrepaidBandwidth(api);
    Ok(api, "TerminateInstances", {{"InstanceIds", {id}}});
    REQUIRE(StateOf(api, id) == "SHUTDOWN");
    ExpectRefused(api, Reset({id}, 10, {{"StartTime", "2023-11-16"}, {"EndTime", "2023-11-17"}}),
                  "UnsupportedOperation.InstanceStateShutdown", id, {id});
  }
}

}  // namespace bandwidth_reset_test
