// The three price inquiries of billing and bandwidth, each its action's plan
// plus the price engine (D-134): walked through every refusal of their
// action they answer the same code, they change nothing, and a valid request
// answers the Price its action's change would cost.
#include <doctest/doctest.h>

#include <functional>
#include <string>
#include <vector>

#include "tests/handlers/instance_test_support.h"

// Named, for the test group this file compiles in (tests/CMakeLists.txt).
namespace price_inquiries_test {

namespace {

using namespace cvm::testing;
using namespace cvm::testing::instances;
using nlohmann::json;

// Instances of every kind the refusals need.
struct World {
  TestApi api;
  std::string prepaid, hourly, no_ip, shut, timed, package, by_hour1, by_hour2;

  World() {
    json prepaid_terms = {{"InstanceChargeType", "PREPAID"},
                          {"InstanceChargePrepaid", {{"Period", 1}}}};
    json prepaid_net = prepaid_terms;
    prepaid_net["InternetAccessible"] = {{"InternetChargeType", "BANDWIDTH_PREPAID"},
                                         {"InternetMaxBandwidthOut", 5}};
    prepaid = Running(api, prepaid_net);
    hourly = Running(api, {{"InternetAccessible", {{"InternetMaxBandwidthOut", 5}}}});
    no_ip = Running(api);
    shut = Running(api, prepaid_net);
    Ok(api, "TerminateInstances", {{"InstanceIds", {shut}}});
    timed = Running(api, {{"ActionTimer",
                           {{"TimerAction", "TerminateInstances"},
                            {"ActionTime", BeijingTime(api.NowSeconds() + 86'400)}}}});
    package = Running(
        api, {{"InternetAccessible",
               {{"InternetChargeType", "BANDWIDTH_PACKAGE"}, {"InternetMaxBandwidthOut", 5}}}});
    json by_hour = {
        {"InternetAccessible",
         {{"InternetChargeType", "BANDWIDTH_POSTPAID_BY_HOUR"}, {"InternetMaxBandwidthOut", 5}}}};
    by_hour1 = Running(api, by_hour);
    by_hour2 = Running(api, by_hour);
  }

  std::vector<std::string> all() const {
    return {prepaid, hourly, no_ip, shut, timed, package, by_hour1, by_hour2};
  }

  // Everything a client can read about the instances.
  json Snapshot() {
    json out = json::array();
    for (const std::string& id : all()) out.push_back(Describe(api, id));
    json r = api.Call("DescribeInstanceInternetBandwidthConfigs", {{"InstanceId", prepaid}});
    out.push_back(r["InternetBandwidthConfigSet"]);
    return out;
  }
};

struct Refusal {
  std::string code;
  json params;
};

// Each refusal of `action` is answered with the same code by `inquiry`, and
// neither changes anything.
void ExpectSameRefusals(World& w, const std::string& action, const std::string& inquiry,
                        const std::vector<Refusal>& refusals) {
  json before = w.Snapshot();
  for (const Refusal& r : refusals) {
    CAPTURE(r.params.dump());
    json by_action = w.api.Call(action, r.params);
    json by_inquiry = w.api.Call(inquiry, r.params);
    CHECK_MESSAGE(CodeOf(by_action) == r.code, by_action.dump());
    CHECK_MESSAGE(CodeOf(by_inquiry) == r.code, by_inquiry.dump());
  }
  CHECK(w.Snapshot() == before);
}

json Renew(const json& ids, const json& prepaid) {
  return {{"InstanceIds", ids}, {"InstanceChargePrepaid", prepaid}};
}

json Convert(const json& ids, const json& extra = json::object()) {
  json p = {{"InstanceIds", ids},
            {"InstanceChargeType", "PREPAID"},
            {"InstanceChargePrepaid", {{"Period", 1}}}};
  if (!extra.is_null()) p.update(extra);
  return p;
}

json Bandwidth(const json& ids, int64_t mbps, const json& extra = json::object()) {
  json p = {{"InstanceIds", ids}, {"InternetAccessible", {{"InternetMaxBandwidthOut", mbps}}}};
  if (!extra.is_null()) p.update(extra);
  return p;
}

json Dates(const std::string& start, const std::string& end) {
  return {{"StartTime", start}, {"EndTime", end}};
}

json Item(const json& unit, const json& charge_unit, const json& original, const json& discount) {
  return {{"UnitPrice", unit},
          {"ChargeUnit", charge_unit},
          {"OriginalPrice", original},
          {"DiscountPrice", discount}};
}

json Prepaid(double original, double discount) {
  return Item(nullptr, nullptr, original, discount);
}

// Calls an inquiry that must succeed, and checks it changed nothing.
json Price(World& w, const std::string& inquiry, const json& params) {
  json before = w.Snapshot();
  json r = w.api.Call(inquiry, params);
  REQUIRE_MESSAGE(CodeOf(r) == "", inquiry << ": " << r.dump());
  CHECK(w.Snapshot() == before);
  return r["Price"];
}

}  // namespace

TEST_SUITE("handlers") {
  TEST_CASE(
      "InquiryPriceRenewInstances: every refusal of RenewInstances, with the same code, changing "
      "nothing") {
    World w;
    json month = {{"Period", 1}};
    ExpectSameRefusals(
        w, "RenewInstances", "InquiryPriceRenewInstances",
        {{"InvalidInstanceId.Malformed", Renew({w.prepaid, "ins-1122"}, month)},
         {"InvalidInstanceId.NotFound", Renew({w.prepaid, kUnknownId}, month)},
         {"InvalidInstance.NotSupported", Renew({w.prepaid, w.hourly}, month)},
         {"UnsupportedOperation.InstanceStateShutdown", Renew({w.shut}, month)},
         {"InvalidPeriod", Renew({w.prepaid}, {{"Period", 0}})},
         {"InvalidParameterValue", Renew({w.prepaid}, {{"Period", "1"}})},
         {"InvalidParameterValue", Renew({w.prepaid}, {{"Period", 1}, {"RenewFlag", "AUTO"}})},
         {"MissingParameter", {{"InstanceIds", {w.prepaid}}}},
         {"MissingParameter", Renew({w.prepaid}, json::object())},
         {"InvalidParameterValue.LimitExceeded", Renew(UnknownIds(101), month)}});
  }

  TEST_CASE(
      "InquiryPriceModifyInstancesChargeType: every refusal of ModifyInstancesChargeType, with the "
      "same code, changing nothing") {
    World w;
    ExpectSameRefusals(
        w, "ModifyInstancesChargeType", "InquiryPriceModifyInstancesChargeType",
        {{"InvalidInstanceId.Malformed", Convert({w.hourly, "ins-1122"})},
         {"InvalidInstanceId.NotFound", Convert({w.hourly, kUnknownId})},
         {"InvalidInstance.NotSupported", Convert({w.hourly, w.prepaid})},
         {"InvalidInstance.NotSupported", Convert({w.timed})},
         {"MissingParameter", {{"InstanceIds", {w.hourly}}, {"InstanceChargeType", "PREPAID"}}},
         {"MissingParameter",
          {{"InstanceIds", {w.hourly}}, {"InstanceChargePrepaid", {{"Period", 1}}}}},
         {"InvalidParameterValue", Convert({w.hourly}, {{"InstanceChargeType", "SPOTPAID"}})},
         {"InvalidPeriod", Convert({w.hourly}, {{"InstanceChargePrepaid", {{"Period", 48}}}})},
         {"InvalidParameterValue.LimitExceeded", Convert(UnknownIds(101))}});
    // A gap in the v1 form's indexes.
    for (const char* action :
         {"ModifyInstancesChargeType", "InquiryPriceModifyInstancesChargeType"}) {
      json r = w.api.CallFlat(action, {{"InstanceIds.0", w.hourly},
                                       {"InstanceIds.2", w.hourly},
                                       {"InstanceChargeType", "PREPAID"},
                                       {"InstanceChargePrepaid.Period", "1"}});
      CHECK_MESSAGE(CodeOf(r) == "InvalidParameter", action);
    }
  }

  TEST_CASE(
      "InquiryPriceResetInstancesInternetMaxBandwidth: every refusal of "
      "ResetInstancesInternetMaxBandwidth, with the same code, changing nothing") {
    World w;
    ExpectSameRefusals(
        w, "ResetInstancesInternetMaxBandwidth", "InquiryPriceResetInstancesInternetMaxBandwidth",
        {{"InvalidInstanceId.Malformed", Bandwidth({w.hourly, "ins-1122"}, 10)},
         {"InvalidInstanceId.NotFound", Bandwidth({w.hourly, kUnknownId}, 10)},
         {"InvalidInstance.NotSupported", Bandwidth({w.no_ip}, 10)},
         {"UnsupportedOperation.InstanceStateShutdown",
          Bandwidth({w.shut}, 10, Dates("2023-11-16", "2023-11-17"))},
         {"InvalidParameterCombination", Bandwidth({w.hourly, w.package}, 10)},
         {"InvalidParameterCombination", Bandwidth({w.by_hour1, w.by_hour2}, 10)},
         {"InvalidParameter", Bandwidth({w.hourly}, 10, {{"StartTime", "2023-11-16"}})},
         {"InvalidParameter", Bandwidth({w.hourly}, 10,
                                        {{"InternetAccessible",
                                          {{"InternetMaxBandwidthOut", 10},
                                           {"InternetChargeType", "BANDWIDTH_PACKAGE"}}}})},
         {"MissingParameter", Bandwidth({w.prepaid}, 10, {{"StartTime", "2023-11-16"}})},
         {"MissingParameter", {{"InstanceIds", {w.hourly}}}},
         {"InvalidParameterValue", Bandwidth({w.prepaid}, 10, Dates("2023-02-29", "2023-11-17"))},
         {"InvalidParameterValue", Bandwidth({w.prepaid}, 10, Dates("2023-11-14", "2023-11-17"))},
         {"InvalidParameterValue", Bandwidth({w.prepaid}, 10, Dates("2023-11-16", "2024-11-17"))},
         {"InvalidParameterValue.Range", Bandwidth({w.hourly}, 101)},
         {"InvalidParameterValue.Range",
          Bandwidth({w.prepaid}, 5, Dates("2023-11-16", "2023-11-17"))},
         {"InvalidParameterValue.LimitExceeded", Bandwidth(UnknownIds(101), 10)}});
  }

  TEST_CASE(
      "InquiryPriceRenewInstances: the instance and its prepaid bandwidth for the period, summed "
      "over the instances, changing nothing") {
    World w;
    CHECK(Price(w, "InquiryPriceRenewInstances", Renew({w.prepaid}, {{"Period", 1}})) ==
          json{{"InstancePrice", Prepaid(45.0, 45.0)}, {"BandwidthPrice", Prepaid(100.0, 100.0)}});
    // Twelve months cost 83%; the instances add up.
    std::string second = Running(
        w.api, {{"InstanceChargeType", "PREPAID"}, {"InstanceChargePrepaid", {{"Period", 1}}}});
    CHECK(Price(w, "InquiryPriceRenewInstances", Renew({w.prepaid, second}, {{"Period", 12}})) ==
          json{{"InstancePrice", Prepaid(1080.0, 896.4)},
               {"BandwidthPrice", Prepaid(1200.0, 996.0)}});
  }

  TEST_CASE(
      "InquiryPriceRenewInstances: DryRun=TRUE on a valid request is DryRunOperation; on a refused "
      "one, the refusal") {
    World w;
    json params = Renew({w.prepaid}, {{"Period", 1}});
    params["DryRun"] = true;
    json r = w.api.Call("InquiryPriceRenewInstances", params);
    CHECK(CodeOf(r) == "DryRunOperation");
    params["InstanceIds"] = {w.hourly};
    CHECK(CodeOf(w.api.Call("InquiryPriceRenewInstances", params)) ==
          "InvalidInstance.NotSupported");
    params["InstanceIds"] = {w.prepaid};
    params["DryRun"] = false;
    CHECK(CodeOf(w.api.Call("InquiryPriceRenewInstances", params)) == "");
    // The form the document's example sends.
    r = w.api.CallFlat(
        "InquiryPriceRenewInstances",
        {{"InstanceIds.0", w.prepaid}, {"InstanceChargePrepaid.Period", "1"}, {"DryRun", "TRUE"}});
    CHECK(CodeOf(r) == "DryRunOperation");
  }

  TEST_CASE(
      "InquiryPriceModifyInstancesChargeType: the instances as PREPAID for the period; bandwidth "
      "stays pay-as-you-go (null)") {
    World w;
    CHECK(Price(w, "InquiryPriceModifyInstancesChargeType",
                Convert({w.hourly, w.no_ip}, {{"InstanceChargePrepaid", {{"Period", 1}}}})) ==
          json{{"InstancePrice", Prepaid(90.0, 90.0)}, {"BandwidthPrice", nullptr}});
    CHECK(Price(w, "InquiryPriceModifyInstancesChargeType",
                Convert({w.hourly}, {{"InstanceChargePrepaid", {{"Period", 36}}}})) ==
          json{{"InstancePrice", Prepaid(1620.0, 810.0)}, {"BandwidthPrice", nullptr}});
  }

  TEST_CASE(
      "InquiryPriceResetInstancesInternetMaxBandwidth: the document's example (traffic: 0.80 per "
      "GB); hourly bandwidth per hour; a prepaid raise for its days") {
    World w;
    CHECK(Price(w, "InquiryPriceResetInstancesInternetMaxBandwidth", Bandwidth({w.hourly}, 20)) ==
          json{{"InstancePrice", nullptr}, {"BandwidthPrice", Item(0.8, "GB", nullptr, nullptr)}});
    CHECK(
        Price(w, "InquiryPriceResetInstancesInternetMaxBandwidth", Bandwidth({w.by_hour1}, 10)) ==
        json{{"InstancePrice", nullptr}, {"BandwidthPrice", Item(1.57, "HOUR", nullptr, nullptr)}});
    CHECK(Price(w, "InquiryPriceResetInstancesInternetMaxBandwidth", Bandwidth({w.package}, 10)) ==
          json{{"InstancePrice", nullptr}, {"BandwidthPrice", nullptr}});
    // 5 → 10 Mbps: 400.00 more a month, for 3 days of 30.
    CHECK(Price(w, "InquiryPriceResetInstancesInternetMaxBandwidth",
                Bandwidth({w.prepaid}, 10, Dates("2023-11-20", "2023-11-22"))) ==
          json{{"InstancePrice", nullptr}, {"BandwidthPrice", Prepaid(40.0, 40.0)}});
  }
}

}  // namespace price_inquiries_test
