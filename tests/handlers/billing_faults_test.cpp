// Error codes of the billing and bandwidth actions' tables that the emulator
// cannot produce by itself, each injected through the fault path
// (Settings::AddFault, what POST /_emulator/faults does): the code comes back
// once, the refused call changes nothing, and the same call then succeeds.
//
// Codes that cannot be produced, and why (D-187):
//
//   InternalServerError                 every one of the seven actions: a
//                                       failure of the real back end. The
//                                       emulator's own unexpected failures
//                                       are InternalError (pipeline
//                                       boundary), never this code.
//   InvalidAccount.InsufficientBalance  RenewInstances, InquiryPriceRenewInstances,
//   InvalidAccount.UnpaidOrder          ResetInstancesInternetMaxBandwidth and
//                                       its inquiry, ModifyInstancesChargeType:
//                                       the account balance is unlimited and
//                                       there are no orders (D-130).
//   InvalidPermission                   ResetInstancesInternetMaxBandwidth and
//                                       its inquiry, ModifyInstancesChargeType
//                                       and its inquiry: there is no
//                                       permission model besides the
//                                       signature; every account may do all.
//
// Every other code of the seven tables is produced for real in
// billing_test.cpp, bandwidth_reset_test.cpp and price_inquiries_test.cpp.
#include <doctest/doctest.h>

#include <functional>
#include <set>
#include <string>

#include "schema/spec.h"
#include "tests/handlers/instance_test_support.h"

// Named, for the test group this file compiles in (tests/CMakeLists.txt).
namespace billing_faults_test {

namespace {

using namespace cvm::testing;
using namespace cvm::testing::instances;
using nlohmann::json;

struct Case {
  std::string action;
  std::vector<std::string> codes;
  // A request that succeeds on a fresh instance made by `launch`.
  std::function<std::string(TestApi&)> launch;
  std::function<json(const std::string& id)> params;
};

std::string PrepaidInstance(TestApi& api) {
  return Running(api,
                 {{"InstanceChargeType", "PREPAID"},
                  {"InstanceChargePrepaid", {{"Period", 1}}},
                  {"InternetAccessible",
                   {{"InternetChargeType", "BANDWIDTH_PREPAID"}, {"InternetMaxBandwidthOut", 5}}}});
}
std::string HourlyInstance(TestApi& api) {
  return Running(api, {{"InternetAccessible", {{"InternetMaxBandwidthOut", 5}}}});
}

json RenewParams(const std::string& id) {
  return {{"InstanceIds", {id}}, {"InstanceChargePrepaid", {{"Period", 1}}}};
}
json ChargeTypeParams(const std::string& id) {
  return {{"InstanceIds", {id}},
          {"InstanceChargeType", "PREPAID"},
          {"InstanceChargePrepaid", {{"Period", 1}}}};
}
json BandwidthParams(const std::string& id) {
  return {{"InstanceIds", {id}},
          {"InternetAccessible", {{"InternetMaxBandwidthOut", 10}}},
          {"StartTime", "2023-11-16"},
          {"EndTime", "2023-11-17"}};
}

const std::vector<Case>& Cases() {
  static const std::vector<Case> cases = {
      {"RenewInstances",
       {"InternalServerError", "InvalidAccount.InsufficientBalance", "InvalidAccount.UnpaidOrder"},
       PrepaidInstance,
       RenewParams},
      {"InquiryPriceRenewInstances",
       {"InternalServerError", "InvalidAccount.InsufficientBalance", "InvalidAccount.UnpaidOrder"},
       PrepaidInstance,
       RenewParams},
      {"ModifyInstancesRenewFlag",
       {"InternalServerError"},
       PrepaidInstance,
       [](const std::string& id) {
         return json{{"InstanceIds", {id}}, {"RenewFlag", "NOTIFY_AND_AUTO_RENEW"}};
       }},
      {"ModifyInstancesChargeType",
       {"InternalServerError", "InvalidAccount.InsufficientBalance", "InvalidAccount.UnpaidOrder",
        "InvalidPermission"},
       HourlyInstance,
       ChargeTypeParams},
      {"InquiryPriceModifyInstancesChargeType",
       {"InternalServerError", "InvalidPermission"},
       HourlyInstance,
       ChargeTypeParams},
      {"ResetInstancesInternetMaxBandwidth",
       {"InternalServerError", "InvalidAccount.InsufficientBalance", "InvalidAccount.UnpaidOrder",
        "InvalidPermission"},
       PrepaidInstance,
       BandwidthParams},
      {"InquiryPriceResetInstancesInternetMaxBandwidth",
       {"InternalServerError", "InvalidAccount.InsufficientBalance", "InvalidAccount.UnpaidOrder",
        "InvalidPermission"},
       PrepaidInstance,
       BandwidthParams},
  };
  return cases;
}

// What a client can read about the instance.
json Observed(TestApi& api, const std::string& id) {
  json r = api.Call("DescribeInstanceInternetBandwidthConfigs", {{"InstanceId", id}});
  return {Describe(api, id), r.value("InternetBandwidthConfigSet", json())};
}

}  // namespace

TEST_SUITE("handlers") {
  TEST_CASE(
      "Billing and bandwidth actions: each code they cannot produce, injected, comes back once and "
      "changes nothing; the call then succeeds") {
    for (const Case& c : Cases()) {
      for (const std::string& code : c.codes) {
        CAPTURE(c.action);
        CAPTURE(code);
        TestApi api;
        std::string id = c.launch(api);
        json before = Observed(api, id);
        bool first = true;
        ExpectInjectedOnce(api, c.action, code, [&] {
          json r = api.Call(c.action, c.params(id));
          if (first) {
            CHECK(Observed(api, id) == before);
            first = false;
          }
          return r;
        });
        // The retry did its work: actions change the instance, inquiries nothing.
        bool inquiry = c.action.rfind("InquiryPrice", 0) == 0;
        CHECK((Observed(api, id) == before) == inquiry);
      }
    }
  }

  TEST_CASE(
      "Billing and bandwidth actions: every listed code is produced by a test or injected here") {
    // The union of the seven actions' error tables, as the schema lists them.
    std::set<std::string> injected;
    for (const Case& c : Cases()) {
      for (const std::string& code : c.codes) injected.insert(c.action + " " + code);
    }
    const std::set<std::string> produced = {"InvalidInstance.NotSupported",
                                            "InvalidInstanceId.Malformed",
                                            "InvalidInstanceId.NotFound",
                                            "InvalidParameter",
                                            "InvalidParameterValue",
                                            "InvalidParameterValue.Range",
                                            "InvalidParameterValue.LimitExceeded",
                                            "InvalidPeriod",
                                            "MissingParameter"};
    for (const Case& c : Cases()) {
      const auto* spec = cvm::schema::Schema::Builtin().FindAction(c.action);
      REQUIRE(spec);
      for (const std::string& code : spec->errors) {
        CAPTURE(c.action);
        CAPTURE(code);
        CHECK((produced.count(code) == 1) != (injected.count(c.action + " " + code) == 1));
      }
    }
  }
}

}  // namespace billing_faults_test
