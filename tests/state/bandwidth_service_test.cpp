// ResetInstancesInternetMaxBandwidth's plan, apply and price
// (state/bandwidth_service.h): the codes of every refusal in order, a plan
// that writes nothing, pay-as-you-go bandwidth changed at once, prepaid
// bandwidth raised for calendar days in UTC+8, and what DescribeInstances
// shows in force. A ":memory:" database and explicit times.
#include "state/bandwidth_service.h"

#include <doctest/doctest.h>

#include "state/bandwidth_config_store.h"
#include "tests/state/billing_test_support.h"

// Named, for the test group this file compiles in (tests/CMakeLists.txt).
namespace bandwidth_service_test {

namespace {

using cvm::state::BandwidthConfig;
using cvm::state::BandwidthConfigStore;
using cvm::state::Instance;
using cvm::state::InternetChargeType;
using cvm::state::ResetBandwidthChange;
using cvm::state::ResetBandwidthRequest;
using cvm::state::TimeMs;
using namespace cvm::testing::billing;

// 2023-11-15 00:00:00+08:00, the day kNow is in (UTC+8).
constexpr TimeMs kToday = 1'699'977'600'000;

ResetBandwidthRequest Request(std::vector<std::string> ids, int64_t mbps,
                              std::optional<std::string> start = std::nullopt,
                              std::optional<std::string> end = std::nullopt) {
  ResetBandwidthRequest r;
  r.instance_ids = std::move(ids);
  r.bandwidth_out = mbps;
  r.start_time = std::move(start);
  r.end_time = std::move(end);
  return r;
}

cvm::Result<ResetBandwidthChange> Plan(World& w, const ResetBandwidthRequest& r,
                                       TimeMs now = kNow) {
  return cvm::state::PlanResetBandwidth(w.Scope(now), r, "ResetInstancesInternetMaxBandwidth");
}

// The code of a refused plan ("" when it passed) and its message.
std::string CodeOf(const cvm::Result<ResetBandwidthChange>& r) {
  return r.ok() ? "" : std::string(r.error().code());
}
std::string MessageOf(const cvm::Result<ResetBandwidthChange>& r) {
  return r.ok() ? "" : r.error().message();
}

Instance WithBandwidth(Instance in, InternetChargeType charge) {
  in.internet_charge_type = charge;
  return in;
}

int64_t ConfigRows(World& w) {
  cvm::state::Statement s = w.db.Prepare("SELECT COUNT(*) FROM instance_bandwidth_configs");
  REQUIRE(s.Step());
  return s.Int(0);
}

}  // namespace

TEST_SUITE("state") {
  TEST_CASE("BeijingDayStart: a calendar date starts at 00:00:00+08:00; anything else is refused") {
    CHECK(cvm::state::BeijingDayStart("2023-11-15") == kToday);
    CHECK(cvm::state::BeijingDayStart("2026-12-05") ==
          cvm::state::DaysFromCivil(2026, 12, 4) * kDay + 16 * 3'600'000);
    CHECK(cvm::state::BeijingDayStart("2024-02-29").has_value());
    for (const char* bad : {"2023-02-29", "2024-02-30", "2024-04-31", "2024-13-01", "2024-00-10",
                            "2024-1-01", "2024/01/01", "20240101xx"}) {
      CAPTURE(bad);
      CHECK_FALSE(cvm::state::BeijingDayStart(bad).has_value());
    }
  }

  TEST_CASE(
      "BeijingDayStartOf: the UTC+8 day of an instant, which starts at 16:00 UTC the day before") {
    CHECK(cvm::state::BeijingDayStartOf(kNow) == kToday);
    CHECK(cvm::state::BeijingDayStartOf(kToday) == kToday);
    CHECK(cvm::state::BeijingDayStartOf(kToday - 1) == kToday - kDay);
    CHECK(cvm::state::BeijingDayStartOf(kToday + kDay - 1) == kToday);
  }

  TEST_CASE(
      "PlanResetBandwidth: pay-as-you-go bandwidth of a batch changes at once, up or down; the "
      "plan writes nothing") {
    World w;
    w.Insert(Postpaid("ins-aaaaaaaa"));
    w.Insert(Postpaid("ins-bbbbbbbb"));
    auto change = Plan(w, Request({"ins-aaaaaaaa", "ins-bbbbbbbb"}, 80));
    REQUIRE_MESSAGE(change.ok(), MessageOf(change));
    CHECK_FALSE(change->scheduled.has_value());
    CHECK(w.Get("ins-aaaaaaaa").bandwidth_out == 5);
    cvm::state::ApplyResetBandwidth(w.Scope(), *change);
    CHECK(w.Get("ins-aaaaaaaa").bandwidth_out == 80);
    CHECK(w.Get("ins-bbbbbbbb").bandwidth_out == 80);
    change = Plan(w, Request({"ins-aaaaaaaa"}, 0));
    REQUIRE(change.ok());
    cvm::state::ApplyResetBandwidth(w.Scope(), *change);
    Instance after = w.Get("ins-aaaaaaaa");
    CHECK(after.bandwidth_out == 0);
    CHECK(after.public_ip.has_value());  // the address stays
    CHECK(ConfigRows(w) == 0);
  }

  TEST_CASE("PlanResetBandwidth: an unknown instance is InvalidInstanceId.NotFound") {
    World w;
    w.Insert(Postpaid("ins-aaaaaaaa"));
    auto r = Plan(w, Request({"ins-aaaaaaaa", "ins-zzzzzzzz"}, 10));
    CHECK(CodeOf(r) == "InvalidInstanceId.NotFound");
    CHECK(MessageOf(r).find("ins-zzzzzzzz") != std::string::npos);
  }

  TEST_CASE(
      "PlanResetBandwidth: a CDH instance, BANDWIDTH_POSTPAID_BY_MONTH bandwidth and an instance "
      "without a public IP are InvalidInstance.NotSupported") {
    World w;
    w.Insert(OnHost("ins-cdh00001"));
    w.Insert(
        WithBandwidth(Postpaid("ins-month001"), InternetChargeType::kBandwidthPostpaidByMonth));
    Instance no_ip = Postpaid("ins-noip0001");
    no_ip.public_ip.reset();
    no_ip.bandwidth_out = 0;
    w.Insert(no_ip);
    for (const char* id : {"ins-cdh00001", "ins-month001", "ins-noip0001"}) {
      CAPTURE(id);
      auto r = Plan(w, Request({id}, 10));
      CHECK(CodeOf(r) == "InvalidInstance.NotSupported");
      CHECK(MessageOf(r).find(id) != std::string::npos);
    }
    CHECK(MessageOf(Plan(w, Request({"ins-cdh00001"}, 10))).find("dedicated host") !=
          std::string::npos);
  }

  TEST_CASE(
      "PlanResetBandwidth: SHUTDOWN and TERMINATING instances answer their wrong-state codes") {
    World w;
    Instance shut = Prepaid("ins-shut0001");
    shut.lifecycle.rest = cvm::state::InstanceState::kShutdown;
    w.Insert(shut);
    Instance ending = Postpaid("ins-term0001");
    ending.lifecycle.phases = {{cvm::state::InstanceState::kTerminating, kNow + 5'000}};
    ending.lifecycle.gone_at = kNow + 5'000;
    w.Insert(ending);
    CHECK(CodeOf(Plan(w, Request({"ins-shut0001"}, 10, "2023-11-16", "2023-11-17"))) ==
          "UnsupportedOperation.InstanceStateShutdown");
    CHECK(CodeOf(Plan(w, Request({"ins-term0001"}, 10))) ==
          "UnsupportedOperation.InstanceStateTerminating");
  }

  TEST_CASE(
      "PlanResetBandwidth: mixed charge types, or more than one BANDWIDTH_PREPAID or "
      "BANDWIDTH_POSTPAID_BY_HOUR instance, are InvalidParameterCombination") {
    World w;
    w.Insert(Postpaid("ins-traffic1"));
    w.Insert(WithBandwidth(Postpaid("ins-package1"), InternetChargeType::kBandwidthPackage));
    w.Insert(WithBandwidth(Postpaid("ins-package2"), InternetChargeType::kBandwidthPackage));
    w.Insert(WithBandwidth(Postpaid("ins-byhour01"), InternetChargeType::kBandwidthPostpaidByHour));
    w.Insert(WithBandwidth(Postpaid("ins-byhour02"), InternetChargeType::kBandwidthPostpaidByHour));
    w.Insert(Prepaid("ins-prepaid1"));
    w.Insert(Prepaid("ins-prepaid2"));
    CHECK(CodeOf(Plan(w, Request({"ins-traffic1", "ins-package1"}, 10))) ==
          "InvalidParameterCombination");
    CHECK(CodeOf(Plan(w, Request({"ins-package1", "ins-package2"}, 10))) == "");
    CHECK(CodeOf(Plan(w, Request({"ins-byhour01", "ins-byhour02"}, 10))) ==
          "InvalidParameterCombination");
    CHECK(CodeOf(Plan(w, Request({"ins-byhour01"}, 10))) == "");
    CHECK(CodeOf(Plan(w, Request({"ins-prepaid1", "ins-prepaid2"}, 10, "2023-11-16",
                                 "2023-11-17"))) == "InvalidParameterCombination");
    // The same instance twice is one instance.
    CHECK(CodeOf(Plan(w, Request({"ins-byhour01", "ins-byhour01"}, 10))) == "");
  }

  TEST_CASE(
      "PlanResetBandwidth: BANDWIDTH_PREPAID needs both dates (MissingParameter); other charge "
      "types take neither (InvalidParameter)") {
    World w;
    w.Insert(Prepaid("ins-prepaid1"));
    w.Insert(Postpaid("ins-traffic1"));
    auto r = Plan(w, Request({"ins-prepaid1"}, 10));
    CHECK(CodeOf(r) == "MissingParameter");
    CHECK(MessageOf(r).find("StartTime") != std::string::npos);
    r = Plan(w, Request({"ins-prepaid1"}, 10, "2023-11-16"));
    CHECK(CodeOf(r) == "MissingParameter");
    CHECK(MessageOf(r).find("EndTime") != std::string::npos);
    r = Plan(w, Request({"ins-traffic1"}, 10, "2023-11-16"));
    CHECK(CodeOf(r) == "InvalidParameter");
    CHECK(MessageOf(r).find("StartTime") != std::string::npos);
    r = Plan(w, Request({"ins-traffic1"}, 10, std::nullopt, "2023-11-16"));
    CHECK(CodeOf(r) == "InvalidParameter");
    CHECK(MessageOf(r).find("EndTime") != std::string::npos);
  }

  TEST_CASE(
      "PlanResetBandwidth: InternetAccessible may repeat the charge type and public IP, never "
      "change them (InvalidParameter)") {
    World w;
    w.Insert(Postpaid("ins-traffic1"));
    ResetBandwidthRequest r = Request({"ins-traffic1"}, 10);
    r.internet_charge_type = InternetChargeType::kTrafficPostpaidByHour;
    r.public_ip_assigned = true;
    CHECK(CodeOf(Plan(w, r)) == "");
    r.internet_charge_type = InternetChargeType::kBandwidthPostpaidByHour;
    CHECK(CodeOf(Plan(w, r)) == "InvalidParameter");
    CHECK(MessageOf(Plan(w, r)).find("InternetAccessible.InternetChargeType") != std::string::npos);
    r.internet_charge_type.reset();
    r.public_ip_assigned = false;
    CHECK(CodeOf(Plan(w, r)) == "InvalidParameter");
    CHECK(MessageOf(Plan(w, r)).find("InternetAccessible.PublicIpAssigned") != std::string::npos);
  }

  TEST_CASE(
      "PlanResetBandwidth: above the type's MaxBandwidthOut, or prepaid bandwidth not raised, is "
      "InvalidParameterValue.Range") {
    World w;
    w.Insert(Postpaid("ins-traffic1"));  // S1.SMALL1: at most 100 Mbps
    w.Insert(Prepaid("ins-prepaid1"));   // 5 Mbps of its own
    CHECK(CodeOf(Plan(w, Request({"ins-traffic1"}, 100))) == "");
    auto r = Plan(w, Request({"ins-traffic1"}, 101));
    CHECK(CodeOf(r) == "InvalidParameterValue.Range");
    CHECK(MessageOf(r).find("InternetAccessible.InternetMaxBandwidthOut") != std::string::npos);
    CHECK(MessageOf(r).find("100") != std::string::npos);
    CHECK(CodeOf(Plan(w, Request({"ins-prepaid1"}, 101, "2023-11-16", "2023-11-17"))) ==
          "InvalidParameterValue.Range");
    CHECK(CodeOf(Plan(w, Request({"ins-prepaid1"}, 5, "2023-11-16", "2023-11-17"))) ==
          "InvalidParameterValue.Range");
    CHECK(CodeOf(Plan(w, Request({"ins-prepaid1"}, 4, "2023-11-16", "2023-11-17"))) ==
          "InvalidParameterValue.Range");
    CHECK(CodeOf(Plan(w, Request({"ins-prepaid1"}, 6, "2023-11-16", "2023-11-17"))) == "");
  }

  TEST_CASE(
      "PlanResetBandwidth: dates that are not calendar dates, or EndTime before StartTime, are "
      "InvalidParameterValue before any lookup") {
    World w;
    for (auto [start, end, path] : {std::tuple("2024-02-30", "2024-03-01", "StartTime"),
                                    std::tuple("2024-03-01", "2023-02-29", "EndTime"),
                                    std::tuple("2023-11-17", "2023-11-16", "EndTime")}) {
      auto r = Plan(w, Request({"ins-zzzzzzzz"}, 10, start, end));
      CHECK(CodeOf(r) == "InvalidParameterValue");
      CHECK(MessageOf(r).find(path) != std::string::npos);
    }
  }

  TEST_CASE(
      "PlanResetBandwidth: StartTime before today (UTC+8), or EndTime after the day of ExpiredTime "
      "(UTC+8), is InvalidParameterValue") {
    World w;
    // Expires 2023-12-15T00:00:00Z, which is 08:00 on 2023-12-15 in UTC+8.
    w.Insert(Prepaid("ins-prepaid1", cvm::state::DaysFromCivil(2023, 12, 15) * kDay));
    auto r = Plan(w, Request({"ins-prepaid1"}, 10, "2023-11-14", "2023-11-20"));
    CHECK(CodeOf(r) == "InvalidParameterValue");
    CHECK(MessageOf(r).find("StartTime") != std::string::npos);
    CHECK(MessageOf(r).find("2023-11-15") != std::string::npos);
    r = Plan(w, Request({"ins-prepaid1"}, 10, "2023-11-20", "2023-12-16"));
    CHECK(CodeOf(r) == "InvalidParameterValue");
    CHECK(MessageOf(r).find("EndTime") != std::string::npos);
    // The day turns at 16:00 UTC: at kToday 2023-11-15 is today, a
    // millisecond before it is tomorrow, and 2023-11-14 is yesterday at kToday.
    CHECK(CodeOf(Plan(w, Request({"ins-prepaid1"}, 10, "2023-11-15", "2023-11-15"), kToday)) == "");
    CHECK(CodeOf(Plan(w, Request({"ins-prepaid1"}, 10, "2023-11-15", "2023-11-15"), kToday - 1)) ==
          "");
    CHECK(CodeOf(Plan(w, Request({"ins-prepaid1"}, 10, "2023-11-14", "2023-11-15"), kToday)) ==
          "InvalidParameterValue");
    // The day of ExpiredTime itself is allowed; the raise ends at ExpiredTime.
    auto last = Plan(w, Request({"ins-prepaid1"}, 10, "2023-12-15", "2023-12-15"));
    REQUIRE_MESSAGE(last.ok(), MessageOf(last));
    CHECK(last->scheduled->start == *cvm::state::BeijingDayStart("2023-12-15"));
    CHECK(last->scheduled->end == cvm::state::DaysFromCivil(2023, 12, 15) * kDay);
  }

  TEST_CASE(
      "PlanResetBandwidth: an expired instance's prepaid bandwidth cannot be raised, even on the "
      "day it expired") {
    World w;
    w.Insert(Prepaid("ins-prepaid1", kNow - 3'600'000));  // an hour ago, today in UTC+8
    auto r = Plan(w, Request({"ins-prepaid1"}, 10, "2023-11-15", "2023-11-15"));
    CHECK(CodeOf(r) == "InvalidParameterValue");
    CHECK(MessageOf(r).find("ExpiredTime") != std::string::npos);
  }

  TEST_CASE(
      "PlanResetBandwidth: a prepaid raise from today starts now; a later one at 00:00 UTC+8 of "
      "StartTime; both end after EndTime's day") {
    World w;
    w.Insert(Prepaid("ins-prepaid1"));
    auto now = Plan(w, Request({"ins-prepaid1"}, 10, "2023-11-15", "2023-11-16"));
    REQUIRE_MESSAGE(now.ok(), MessageOf(now));
    CHECK(*now->scheduled == BandwidthConfig{kNow, kToday + 2 * kDay,
                                             InternetChargeType::kBandwidthPrepaid, 10, true});
    CHECK(now->days == 2);
    auto later = Plan(w, Request({"ins-prepaid1"}, 10, "2023-11-20", "2023-11-22"));
    REQUIRE(later.ok());
    CHECK(later->scheduled->start == kToday + 5 * kDay);
    CHECK(later->scheduled->end == kToday + 8 * kDay);
    CHECK(later->days == 3);
    // Planning wrote nothing; applying records the configuration, not the instance.
    CHECK(ConfigRows(w) == 0);
    cvm::state::ApplyResetBandwidth(w.Scope(), *later);
    Instance in = w.Get("ins-prepaid1");
    CHECK(in.bandwidth_out == 5);
    CHECK(BandwidthConfigStore(w.db).ForInstance(in.rowid) ==
          std::vector<BandwidthConfig>{*later->scheduled});
  }

  TEST_CASE(
      "PlanResetBandwidth: a period overlapping a recorded raise is InvalidParameterValue; one "
      "next to it is not") {
    World w;
    w.Insert(Prepaid("ins-prepaid1"));
    auto first = Plan(w, Request({"ins-prepaid1"}, 10, "2023-11-20", "2023-11-22"));
    REQUIRE(first.ok());
    cvm::state::ApplyResetBandwidth(w.Scope(), *first);
    for (auto [start, end] :
         {std::pair("2023-11-22", "2023-11-25"), std::pair("2023-11-16", "2023-11-20"),
          std::pair("2023-11-21", "2023-11-21"), std::pair("2023-11-16", "2023-11-30")}) {
      CAPTURE(start);
      auto r = Plan(w, Request({"ins-prepaid1"}, 20, start, end));
      CHECK(CodeOf(r) == "InvalidParameterValue");
      CHECK(MessageOf(r).find("overlaps") != std::string::npos);
    }
    CHECK(CodeOf(Plan(w, Request({"ins-prepaid1"}, 20, "2023-11-23", "2023-11-25"))) == "");
    CHECK(CodeOf(Plan(w, Request({"ins-prepaid1"}, 20, "2023-11-16", "2023-11-19"))) == "");
  }

  TEST_CASE(
      "ObserveBandwidth: a prepaid raise is in force in its period only; other instances keep "
      "their own") {
    World w;
    w.Insert(Prepaid("ins-prepaid1"));
    w.Insert(Postpaid("ins-traffic1"));
    auto change = Plan(w, Request({"ins-prepaid1"}, 10, "2023-11-20", "2023-11-22"));
    REQUIRE(change.ok());
    cvm::state::ApplyResetBandwidth(w.Scope(), *change);
    auto shown = [&](TimeMs at) {
      std::vector<Instance> page{w.Get("ins-prepaid1", at), w.Get("ins-traffic1", at)};
      cvm::state::ObserveBandwidth(w.db, page, at);
      return std::pair(page[0].bandwidth_out, page[1].bandwidth_out);
    };
    CHECK(shown(kNow) == std::pair<int64_t, int64_t>(5, 5));
    CHECK(shown(kToday + 5 * kDay - 1) == std::pair<int64_t, int64_t>(5, 5));
    CHECK(shown(kToday + 5 * kDay) == std::pair<int64_t, int64_t>(10, 5));
    CHECK(shown(kToday + 8 * kDay - 1) == std::pair<int64_t, int64_t>(10, 5));
    CHECK(shown(kToday + 8 * kDay) == std::pair<int64_t, int64_t>(5, 5));
  }

  TEST_CASE(
      "PriceResetBandwidth: traffic is 0.80 per GB through each instance, hourly bandwidth by "
      "tiers, a package nothing") {
    World w;
    w.Insert(Postpaid("ins-traffic1"));
    w.Insert(Postpaid("ins-traffic2"));
    w.Insert(WithBandwidth(Postpaid("ins-byhour01"), InternetChargeType::kBandwidthPostpaidByHour));
    w.Insert(WithBandwidth(Postpaid("ins-package1"), InternetChargeType::kBandwidthPackage));
    const auto& catalog = cvm::state::Catalog::Builtin();
    auto traffic = Plan(w, Request({"ins-traffic1", "ins-traffic2"}, 20));
    REQUIRE(traffic.ok());
    auto price = cvm::state::PriceResetBandwidth(catalog, *traffic);
    REQUIRE(price.ok());
    // Two instances: a GB through each, as every price scales with the
    // count (D-155).
    CHECK(**price ==
          cvm::state::ItemPrice::PerUnit(cvm::state::Money::Fen(160), cvm::state::ChargeUnit::kGb));
    // 5 Mbps at 0.063 and 5 at 0.25 an hour: 1.565, half up to 1.57.
    auto hourly = Plan(w, Request({"ins-byhour01"}, 10));
    REQUIRE(hourly.ok());
    price = cvm::state::PriceResetBandwidth(catalog, *hourly);
    REQUIRE(price.ok());
    CHECK(**price == cvm::state::ItemPrice::PerUnit(cvm::state::Money::Fen(157),
                                                    cvm::state::ChargeUnit::kHour));
    auto package = Plan(w, Request({"ins-package1"}, 10));
    REQUIRE(package.ok());
    price = cvm::state::PriceResetBandwidth(catalog, *package);
    REQUIRE(price.ok());
    CHECK_FALSE(price->has_value());
    auto none = Plan(w, Request({"ins-traffic1"}, 0));
    REQUIRE(none.ok());
    CHECK_FALSE(cvm::state::PriceResetBandwidth(catalog, *none)->has_value());
  }

  TEST_CASE(
      "PriceResetBandwidth: a prepaid raise costs the monthly difference for its days, of 30 a "
      "month (D-182)") {
    World w;
    w.Insert(Prepaid("ins-prepaid1"));  // 5 Mbps: 5 × 20.00 = 100.00 a month
    const auto& catalog = cvm::state::Catalog::Builtin();
    // 10 Mbps: 5 × 20.00 + 5 × 80.00 = 500.00 a month; 400.00 more, for 3 days: 40.00.
    auto change = Plan(w, Request({"ins-prepaid1"}, 10, "2023-11-20", "2023-11-22"));
    REQUIRE(change.ok());
    auto price = cvm::state::PriceResetBandwidth(catalog, *change);
    REQUIRE(price.ok());
    CHECK(**price == cvm::state::ItemPrice::Prepaid(cvm::state::Money::Fen(4000),
                                                    cvm::state::Money::Fen(4000)));
    // 6 Mbps: 80.00 more a month; 1 day is 2.666…, half up to 2.67.
    change = Plan(w, Request({"ins-prepaid1"}, 6, "2023-11-20", "2023-11-20"));
    REQUIRE(change.ok());
    CHECK(**cvm::state::PriceResetBandwidth(catalog, *change) ==
          cvm::state::ItemPrice::Prepaid(cvm::state::Money::Fen(267), cvm::state::Money::Fen(267)));
  }
}

}  // namespace bandwidth_service_test
