// RenewInstances, ModifyInstancesRenewFlag and ModifyInstancesChargeType
// through the in-process API: what DescribeInstances shows (InstanceChargeType,
// ExpiredTime, RenewFlag, RestrictState) after each action and while the
// emulator clock passes expiry, and every listed code the actions can
// produce, each refusal changing nothing. (The codes they cannot produce:
// billing_faults_test.cpp.)
#include <doctest/doctest.h>

#include <string>

#include "tests/handlers/instance_test_support.h"

// Named, for the test group this file compiles in (tests/CMakeLists.txt).
namespace billing_test {

namespace {

using namespace cvm::testing;
using namespace cvm::testing::instances;
using nlohmann::json;

constexpr double kDaySeconds = 86'400;

// A RUNNING PREPAID instance bought for `months` at 2023-11-14T22:13:20Z.
std::string Prepaid(TestApi& api, int months = 1,
                    const std::string& renew = "NOTIFY_AND_MANUAL_RENEW") {
  return Running(api, {{"InstanceChargeType", "PREPAID"},
                       {"InstanceChargePrepaid", {{"Period", months}, {"RenewFlag", renew}}}});
}

json Billing(TestApi& api, const std::string& id) {
  json in = Describe(api, id);
  return {in["InstanceChargeType"], in["ExpiredTime"], in["RenewFlag"], in["RestrictState"]};
}

json Renew(const json& ids, int period, const std::string& flag = "NOTIFY_AND_MANUAL_RENEW") {
  return {{"InstanceIds", ids},
          {"InstanceChargePrepaid", {{"Period", period}, {"RenewFlag", flag}}}};
}

// `action` with `params` is refused with `code`, naming `what`, and the
// instances look as they did.
void ExpectRefused(TestApi& api, const std::string& action, const json& params,
                   const std::string& code, const std::string& what,
                   const std::vector<std::string>& ids) {
  std::vector<json> before;
  for (const std::string& id : ids) before.push_back(Describe(api, id));
  json r = api.Call(action, params);
  CHECK_MESSAGE(CodeOf(r) == code, action << ": " << r.dump());
  CHECK_MESSAGE(r["Error"]["Message"].get<std::string>().find(what) != std::string::npos, r.dump());
  for (size_t i = 0; i < ids.size(); ++i) CHECK(Describe(api, ids[i]) == before[i]);
}

}  // namespace

TEST_SUITE("handlers") {
  // -------------------------------------------------------------------------
  // RenewInstances

  TEST_CASE(
      "RenewInstances: ExpiredTime moves on by Period months and RenewFlag is the one given") {
    TestApi api;
    std::string a = Prepaid(api), b = Prepaid(api, 12);
    Ok(api, "RenewInstances", Renew({a, b}, 2, "DISABLE_NOTIFY_AND_MANUAL_RENEW"));
    CHECK(Billing(api, a) ==
          json{"PREPAID", "2024-02-14T22:13:20Z", "DISABLE_NOTIFY_AND_MANUAL_RENEW", "NORMAL"});
    // b was launched 10 s after a.
    CHECK(Billing(api, b) ==
          json{"PREPAID", "2025-01-14T22:13:30Z", "DISABLE_NOTIFY_AND_MANUAL_RENEW", "NORMAL"});
  }

  TEST_CASE(
      "RenewInstances: without RenewFlag the flag becomes NOTIFY_AND_MANUAL_RENEW, the structure's "
      "default (D-183)") {
    TestApi api;
    std::string id = Prepaid(api, 1, "NOTIFY_AND_AUTO_RENEW");
    Ok(api, "RenewInstances", {{"InstanceIds", {id}}, {"InstanceChargePrepaid", {{"Period", 1}}}});
    CHECK(Billing(api, id) ==
          json{"PREPAID", "2024-01-14T22:13:20Z", "NOTIFY_AND_MANUAL_RENEW", "NORMAL"});
  }

  TEST_CASE(
      "RenewInstances: an instance EXPIRED on the clock is NORMAL again once renewed past now, and "
      "EXPIRED again at its new ExpiredTime") {
    TestApi api;
    std::string id = Prepaid(api);
    api.Advance(30 * kDaySeconds - 10 - 1);  // a second before 2023-12-14T22:13:20Z
    CHECK(Billing(api, id)[3] == "NORMAL");
    api.Advance(1);
    CHECK(Billing(api, id) ==
          json{"PREPAID", "2023-12-14T22:13:20Z", "NOTIFY_AND_MANUAL_RENEW", "EXPIRED"});
    CHECK(StateOf(api, id) == "RUNNING");
    Ok(api, "RenewInstances", Renew({id}, 1));
    CHECK(Billing(api, id) ==
          json{"PREPAID", "2024-01-14T22:13:20Z", "NOTIFY_AND_MANUAL_RENEW", "NORMAL"});
    api.Advance(31 * kDaySeconds);
    CHECK(Billing(api, id)[3] == "EXPIRED");
  }

  TEST_CASE(
      "RenewInstances: with NOTIFY_AND_AUTO_RENEW given, the instance renews itself a month at a "
      "time after its new ExpiredTime") {
    TestApi api;
    std::string id = Prepaid(api);
    Ok(api, "RenewInstances", Renew({id}, 1, "NOTIFY_AND_AUTO_RENEW"));
    api.Advance(62 * kDaySeconds);  // past 2024-01-14T22:13:20Z
    CHECK(Billing(api, id) ==
          json{"PREPAID", "2024-02-14T22:13:20Z", "NOTIFY_AND_AUTO_RENEW", "NORMAL"});
  }

  TEST_CASE(
      "RenewInstances: a POSTPAID_BY_HOUR instance in the batch is InvalidInstance.NotSupported, "
      "and nothing is renewed") {
    TestApi api;
    std::string prepaid = Prepaid(api), hourly = Running(api);
    ExpectRefused(api, "RenewInstances", Renew({prepaid, hourly}, 1),
                  "InvalidInstance.NotSupported", hourly, {prepaid, hourly});
  }

  TEST_CASE(
      "RenewInstances: malformed and unknown IDs, a bad Period, a missing InstanceChargePrepaid, a "
      "Period of the wrong type") {
    TestApi api;
    std::string id = Prepaid(api);
    ExpectRefused(api, "RenewInstances", Renew({id, "ins-1122"}, 1), "InvalidInstanceId.Malformed",
                  "ins-1122", {id});
    ExpectRefused(api, "RenewInstances", Renew({id, kUnknownId}, 1), "InvalidInstanceId.NotFound",
                  kUnknownId, {id});
    ExpectRefused(api, "RenewInstances", Renew({id}, 13), "InvalidPeriod",
                  "InstanceChargePrepaid.Period", {id});
    ExpectRefused(api, "RenewInstances", {{"InstanceIds", {id}}}, "MissingParameter",
                  "InstanceChargePrepaid", {id});
    ExpectRefused(api, "RenewInstances",
                  {{"InstanceIds", {id}}, {"InstanceChargePrepaid", {{"Period", "one"}}}},
                  "InvalidParameterValue", "InstanceChargePrepaid.Period", {id});
    ExpectRefused(api, "RenewInstances", Renew(UnknownIds(101), 1),
                  "InvalidParameterValue.LimitExceeded", "InstanceIds", {id});
  }

  TEST_CASE("RenewInstances: a SHUTDOWN instance is UnsupportedOperation.InstanceStateShutdown") {
    TestApi api;
    std::string id = Prepaid(api);
    Ok(api, "TerminateInstances", {{"InstanceIds", {id}}});
    ExpectRefused(api, "RenewInstances", Renew({id}, 1),
                  "UnsupportedOperation.InstanceStateShutdown", id, {id});
  }

  // -------------------------------------------------------------------------
  // ModifyInstancesRenewFlag

  TEST_CASE(
      "ModifyInstancesRenewFlag: NOTIFY_AND_AUTO_RENEW renews at expiry; back to manual keeps what "
      "was renewed and expires later") {
    TestApi api;
    std::string a = Prepaid(api), b = Prepaid(api);
    Ok(api, "ModifyInstancesRenewFlag",
       {{"InstanceIds", {a, b}}, {"RenewFlag", "NOTIFY_AND_AUTO_RENEW"}});
    CHECK(Billing(api, a) ==
          json{"PREPAID", "2023-12-14T22:13:20Z", "NOTIFY_AND_AUTO_RENEW", "NORMAL"});
    api.Advance(31 * kDaySeconds);  // 2023-12-15T22:13:30Z
    CHECK(Billing(api, a) ==
          json{"PREPAID", "2024-01-14T22:13:20Z", "NOTIFY_AND_AUTO_RENEW", "NORMAL"});
    Ok(api, "ModifyInstancesRenewFlag",
       {{"InstanceIds", {a}}, {"RenewFlag", "NOTIFY_AND_MANUAL_RENEW"}});
    CHECK(Billing(api, a) ==
          json{"PREPAID", "2024-01-14T22:13:20Z", "NOTIFY_AND_MANUAL_RENEW", "NORMAL"});
    api.Advance(30 * kDaySeconds);  // past 2024-01-14T22:13:20Z
    CHECK(Billing(api, a)[3] == "EXPIRED");
    // b, launched 10 s after a, renewed itself twice.
    CHECK(Billing(api, b) ==
          json{"PREPAID", "2024-02-14T22:13:30Z", "NOTIFY_AND_AUTO_RENEW", "NORMAL"});
  }

  TEST_CASE(
      "ModifyInstancesRenewFlag: an EXPIRED instance cannot be set to renew itself; pay-as-you-go "
      "instances have no RenewFlag (InvalidInstance.NotSupported)") {
    TestApi api;
    std::string prepaid = Prepaid(api), hourly = Running(api);
    ExpectRefused(api, "ModifyInstancesRenewFlag",
                  {{"InstanceIds", {prepaid, hourly}}, {"RenewFlag", "NOTIFY_AND_AUTO_RENEW"}},
                  "InvalidInstance.NotSupported", hourly, {prepaid, hourly});
    api.Advance(31 * kDaySeconds);
    ExpectRefused(api, "ModifyInstancesRenewFlag",
                  {{"InstanceIds", {prepaid}}, {"RenewFlag", "NOTIFY_AND_AUTO_RENEW"}},
                  "InvalidInstance.NotSupported", "RenewInstances", {prepaid});
    Ok(api, "ModifyInstancesRenewFlag",
       {{"InstanceIds", {prepaid}}, {"RenewFlag", "DISABLE_NOTIFY_AND_MANUAL_RENEW"}});
    CHECK(Billing(api, prepaid)[2] == "DISABLE_NOTIFY_AND_MANUAL_RENEW");
  }

  TEST_CASE(
      "ModifyInstancesRenewFlag: malformed and unknown IDs, an unknown flag, more than 100 IDs") {
    TestApi api;
    std::string id = Prepaid(api);
    auto params = [&](const json& ids, const std::string& flag = "NOTIFY_AND_AUTO_RENEW") {
      return json{{"InstanceIds", ids}, {"RenewFlag", flag}};
    };
    ExpectRefused(api, "ModifyInstancesRenewFlag", params({id, "ins-1122"}),
                  "InvalidInstanceId.Malformed", "ins-1122", {id});
    ExpectRefused(api, "ModifyInstancesRenewFlag", params({id, kUnknownId}),
                  "InvalidInstanceId.NotFound", kUnknownId, {id});
    ExpectRefused(api, "ModifyInstancesRenewFlag", params({id}, "AUTO"), "InvalidParameterValue",
                  "RenewFlag", {id});
    ExpectRefused(api, "ModifyInstancesRenewFlag", params(UnknownIds(101)),
                  "InvalidParameterValue.LimitExceeded", "InstanceIds", {id});
  }

  // -------------------------------------------------------------------------
  // ModifyInstancesChargeType

  TEST_CASE(
      "ModifyInstancesChargeType: POSTPAID_BY_HOUR instances become PREPAID until now plus Period "
      "months, with the RenewFlag given") {
    TestApi api;
    std::string a = Running(api), b = Running(api);
    Ok(api, "ModifyInstancesChargeType",
       {{"InstanceIds", {a, b}},
        {"InstanceChargeType", "PREPAID"},
        {"InstanceChargePrepaid", {{"Period", 3}, {"RenewFlag", "NOTIFY_AND_AUTO_RENEW"}}}});
    // Converted 20 s after launch.
    for (const std::string& id : {a, b}) {
      CHECK(Billing(api, id) ==
            json{"PREPAID", "2024-02-14T22:13:40Z", "NOTIFY_AND_AUTO_RENEW", "NORMAL"});
    }
    json r = api.Call("DescribeInstances",
                      {{"Filters", {{{"Name", "instance-charge-type"}, {"Values", {"PREPAID"}}}}}});
    CHECK(r["TotalCount"] == 2);
  }

  TEST_CASE(
      "ModifyInstancesChargeType: a converted instance expires on the clock and is shut down, not "
      "deleted, by TerminateInstances") {
    TestApi api;
    std::string id = Running(api);
    Ok(api, "ModifyInstancesChargeType",
       {{"InstanceIds", {id}},
        {"InstanceChargeType", "PREPAID"},
        {"InstanceChargePrepaid", {{"Period", 1}}}});
    CHECK(Billing(api, id) ==
          json{"PREPAID", "2023-12-14T22:13:30Z", "NOTIFY_AND_MANUAL_RENEW", "NORMAL"});
    api.Advance(30 * kDaySeconds);
    CHECK(Billing(api, id)[3] == "EXPIRED");
    Ok(api, "TerminateInstances", {{"InstanceIds", {id}}});
    CHECK(StateOf(api, id) == "SHUTDOWN");
  }

  TEST_CASE(
      "ModifyInstancesChargeType: PREPAID instances and instances with an ActionTimer are "
      "InvalidInstance.NotSupported, and nothing changes") {
    TestApi api;
    std::string hourly = Running(api), prepaid = Prepaid(api);
    std::string timed = Running(api, {{"ActionTimer",
                                       {{"TimerAction", "TerminateInstances"},
                                        {"ActionTime", BeijingTime(api.NowSeconds() + 86'400)}}}});
    json params = {{"InstanceChargeType", "PREPAID"}, {"InstanceChargePrepaid", {{"Period", 1}}}};
    params["InstanceIds"] = {hourly, prepaid};
    ExpectRefused(api, "ModifyInstancesChargeType", params, "InvalidInstance.NotSupported", prepaid,
                  {hourly, prepaid});
    params["InstanceIds"] = {timed};
    ExpectRefused(api, "ModifyInstancesChargeType", params, "InvalidInstance.NotSupported",
                  "ActionTimer", {timed});
  }

  TEST_CASE(
      "ModifyInstancesChargeType: no InstanceChargePrepaid is MissingParameter; another "
      "InstanceChargeType InvalidParameterValue; a bad Period InvalidPeriod; IDs as everywhere") {
    TestApi api;
    std::string id = Running(api);
    auto params = [&](const json& ids, const json& extra) {
      json p = {{"InstanceIds", ids},
                {"InstanceChargeType", "PREPAID"},
                {"InstanceChargePrepaid", {{"Period", 1}}}};
      p.update(extra);
      return p;
    };
    ExpectRefused(api, "ModifyInstancesChargeType",
                  {{"InstanceIds", {id}}, {"InstanceChargeType", "PREPAID"}}, "MissingParameter",
                  "InstanceChargePrepaid", {id});
    ExpectRefused(api, "ModifyInstancesChargeType",
                  params({id}, {{"InstanceChargeType", "POSTPAID_BY_HOUR"}}),
                  "InvalidParameterValue", "InstanceChargeType", {id});
    ExpectRefused(api, "ModifyInstancesChargeType",
                  params({id}, {{"InstanceChargePrepaid", {{"Period", 18}}}}), "InvalidPeriod",
                  "InstanceChargePrepaid.Period", {id});
    ExpectRefused(api, "ModifyInstancesChargeType", params({id, "ins-1122"}, json::object()),
                  "InvalidInstanceId.Malformed", "ins-1122", {id});
    ExpectRefused(api, "ModifyInstancesChargeType", params({id, kUnknownId}, json::object()),
                  "InvalidInstanceId.NotFound", kUnknownId, {id});
    json r = api.CallFlat("ModifyInstancesChargeType", {{"InstanceIds.0", id},
                                                        {"InstanceIds.2", id},
                                                        {"InstanceChargeType", "PREPAID"},
                                                        {"InstanceChargePrepaid.Period", "1"}});
    CHECK(CodeOf(r) == "InvalidParameter");
    CHECK(Billing(api, id)[0] == "POSTPAID_BY_HOUR");
  }
}

}  // namespace billing_test
