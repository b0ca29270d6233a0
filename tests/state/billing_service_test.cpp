// RenewInstances, ModifyInstancesRenewFlag and ModifyInstancesChargeType
// (state/billing_service.h): every refusal's code, plans that write nothing,
// ExpiredTime moved by AddMonths from what is observed (month ends included),
// and the prices of what a change buys. A ":memory:" database and explicit
// times.
#include "state/billing_service.h"

#include <doctest/doctest.h>

#include "state/instance_rules.h"
#include "tests/state/billing_test_support.h"

// Named, for the test group this file compiles in (tests/CMakeLists.txt).
namespace billing_service_test {

namespace {

using cvm::state::BillingChange;
using cvm::state::ChargeType;
using cvm::state::Instance;
using cvm::state::ItemPrice;
using cvm::state::Money;
using cvm::state::PrepaidTerms;
using cvm::state::RenewFlag;
using cvm::state::RestrictState;
using cvm::state::TimeMs;
using namespace cvm::testing::billing;

using Ids = std::vector<std::string>;

cvm::Result<BillingChange> Renew(World& w, const Ids& ids, PrepaidTerms terms, TimeMs now = kNow) {
  return cvm::state::PlanRenewInstances(w.Scope(now), ids, terms, "RenewInstances");
}
cvm::Result<BillingChange> SetFlag(World& w, const Ids& ids, RenewFlag flag, TimeMs now = kNow) {
  return cvm::state::PlanModifyInstancesRenewFlag(w.Scope(now), ids, flag,
                                                  "ModifyInstancesRenewFlag");
}
cvm::Result<BillingChange> Convert(World& w, const Ids& ids, std::optional<PrepaidTerms> terms,
                                   TimeMs now = kNow) {
  return cvm::state::PlanModifyInstancesChargeType(w.Scope(now), ids, terms,
                                                   "ModifyInstancesChargeType");
}

std::string CodeOf(const cvm::Result<BillingChange>& r) {
  return r.ok() ? "" : std::string(r.error().code());
}
std::string MessageOf(const cvm::Result<BillingChange>& r) {
  return r.ok() ? "" : r.error().message();
}

// Plans, checks the plan wrote nothing, applies.
void PlanAndApply(World& w, const cvm::Result<BillingChange>& change, const Ids& ids,
                  TimeMs now = kNow) {
  REQUIRE_MESSAGE(change.ok(), MessageOf(change));
  std::vector<Instance> before;
  for (const std::string& id : ids) before.push_back(w.Get(id, now));
  for (size_t i = 0; i < ids.size(); ++i) CHECK(w.Get(ids[i], now) == before[i]);
  cvm::state::ApplyBillingChange(w.Scope(now), *change);
}

// 2028-01-31T10:00:00Z.
const TimeMs kJan31 = (cvm::state::DaysFromCivil(2028, 1, 31) * 86'400 + 10 * 3'600) * 1'000;

std::string Iso(TimeMs t) { return cvm::state::FormatIso8601(t / 1000); }

}  // namespace

TEST_SUITE("state") {
  // -------------------------------------------------------------------------
  // RenewInstances

  TEST_CASE(
      "PlanRenewInstances: ExpiredTime moves on by the period and RenewFlag becomes the one given; "
      "the plan writes nothing") {
    World w;
    w.Insert(Prepaid("ins-aaaaaaaa", kJan31));
    w.Insert(Prepaid("ins-bbbbbbbb", kJan31 + kDay));
    Ids ids{"ins-aaaaaaaa", "ins-bbbbbbbb"};
    auto change = Renew(w, ids, {3, RenewFlag::kNotifyAndAutoRenew});
    CHECK(change->period_months == 3);
    PlanAndApply(w, change, ids);
    Instance a = w.Get("ins-aaaaaaaa"), b = w.Get("ins-bbbbbbbb");
    CHECK(Iso(*a.expired_at) == "2028-04-30T10:00:00Z");
    CHECK(Iso(*b.expired_at) == "2028-05-01T10:00:00Z");
    CHECK(a.renew_flag == RenewFlag::kNotifyAndAutoRenew);
    CHECK(a.charge_type == ChargeType::kPrepaid);
  }

  TEST_CASE(
      "PlanRenewInstances: month ends hold across renewals: Jan 31 → Feb 29 2028 → Mar 29 2028 "
      "(D-183)") {
    World w;
    REQUIRE(Iso(kJan31) == "2028-01-31T10:00:00Z");
    w.Insert(Prepaid("ins-aaaaaaaa", kJan31));
    PlanAndApply(w, Renew(w, {"ins-aaaaaaaa"}, {1, RenewFlag::kNotifyAndManualRenew}),
                 {"ins-aaaaaaaa"});
    CHECK(Iso(*w.Get("ins-aaaaaaaa").expired_at) == "2028-02-29T10:00:00Z");
    PlanAndApply(w, Renew(w, {"ins-aaaaaaaa"}, {1, RenewFlag::kNotifyAndManualRenew}),
                 {"ins-aaaaaaaa"});
    CHECK(Iso(*w.Get("ins-aaaaaaaa").expired_at) == "2028-03-29T10:00:00Z");
    PlanAndApply(w, Renew(w, {"ins-aaaaaaaa"}, {12, RenewFlag::kNotifyAndManualRenew}),
                 {"ins-aaaaaaaa"});
    CHECK(Iso(*w.Get("ins-aaaaaaaa").expired_at) == "2029-03-29T10:00:00Z");
  }

  TEST_CASE(
      "PlanRenewInstances: an instance that renewed itself is renewed from the ExpiredTime it "
      "shows") {
    World w;
    Instance in = Prepaid("ins-aaaaaaaa", kJan31);
    in.renew_flag = RenewFlag::kNotifyAndAutoRenew;
    w.Insert(in);
    TimeMs now = kJan31 + 35 * kDay;  // 2028-03-06: renewed to Mar 31, from Jan 31 (D-54)
    CHECK(Iso(*cvm::state::ObserveBilling(w.Get("ins-aaaaaaaa", now), now).expired_at) ==
          "2028-03-31T10:00:00Z");
    PlanAndApply(w, Renew(w, {"ins-aaaaaaaa"}, {1, RenewFlag::kNotifyAndManualRenew}, now),
                 {"ins-aaaaaaaa"}, now);
    Instance after = w.Get("ins-aaaaaaaa", now);
    CHECK(Iso(*after.expired_at) == "2028-04-30T10:00:00Z");
    CHECK(after.renew_flag == RenewFlag::kNotifyAndManualRenew);
  }

  TEST_CASE(
      "PlanRenewInstances: an EXPIRED instance is renewed from its old ExpiredTime, and stays "
      "EXPIRED if that is still past") {
    World w;
    w.Insert(Prepaid("ins-aaaaaaaa", kNow - 40 * kDay));
    w.Insert(Prepaid("ins-bbbbbbbb", kNow - 10 * kDay));
    auto observe = [&](const std::string& id) {
      return cvm::state::ObserveBilling(w.Get(id), kNow).restrict_state;
    };
    CHECK(observe("ins-aaaaaaaa") == RestrictState::kExpired);
    PlanAndApply(w,
                 Renew(w, {"ins-aaaaaaaa", "ins-bbbbbbbb"}, {1, RenewFlag::kNotifyAndManualRenew}),
                 {"ins-aaaaaaaa", "ins-bbbbbbbb"});
    CHECK(*w.Get("ins-aaaaaaaa").expired_at == cvm::state::AddMonths(kNow - 40 * kDay, 1));
    CHECK(observe("ins-aaaaaaaa") == RestrictState::kExpired);
    CHECK(observe("ins-bbbbbbbb") == RestrictState::kNormal);
  }

  TEST_CASE(
      "PlanRenewInstances: a pay-as-you-go or CDH instance in the batch is "
      "InvalidInstance.NotSupported, and nothing is renewed") {
    World w;
    w.Insert(Prepaid("ins-aaaaaaaa"));
    w.Insert(Postpaid("ins-bbbbbbbb"));
    w.Insert(OnHost("ins-cccccccc"));
    Instance spot = Postpaid("ins-dddddddd");
    spot.charge_type = ChargeType::kSpotPaid;
    w.Insert(spot);
    auto r = Renew(w, {"ins-aaaaaaaa", "ins-bbbbbbbb"}, {1, RenewFlag::kNotifyAndManualRenew});
    CHECK(CodeOf(r) == "InvalidInstance.NotSupported");
    CHECK(MessageOf(r).find("ins-bbbbbbbb") != std::string::npos);
    CHECK(MessageOf(r).find("POSTPAID_BY_HOUR") != std::string::npos);
    r = Renew(w, {"ins-cccccccc"}, {1, RenewFlag::kNotifyAndManualRenew});
    CHECK(CodeOf(r) == "InvalidInstance.NotSupported");
    CHECK(MessageOf(r).find("dedicated host") != std::string::npos);
    CHECK(CodeOf(Renew(w, {"ins-dddddddd"}, {1, RenewFlag::kNotifyAndManualRenew})) ==
          "InvalidInstance.NotSupported");
  }

  TEST_CASE(
      "PlanRenewInstances: an unknown instance is InvalidInstanceId.NotFound; a SHUTDOWN one its "
      "wrong-state code") {
    World w;
    w.Insert(Prepaid("ins-aaaaaaaa"));
    Instance shut = Prepaid("ins-bbbbbbbb");
    shut.lifecycle.rest = cvm::state::InstanceState::kShutdown;
    w.Insert(shut);
    CHECK(CodeOf(Renew(w, {"ins-aaaaaaaa", "ins-zzzzzzzz"},
                       {1, RenewFlag::kNotifyAndManualRenew})) == "InvalidInstanceId.NotFound");
    CHECK(CodeOf(Renew(w, {"ins-bbbbbbbb"}, {1, RenewFlag::kNotifyAndManualRenew})) ==
          "UnsupportedOperation.InstanceStateShutdown");
  }

  // -------------------------------------------------------------------------
  // ModifyInstancesRenewFlag

  TEST_CASE(
      "PlanModifyInstancesRenewFlag: sets the flag of every instance; the plan writes nothing") {
    World w;
    w.Insert(Prepaid("ins-aaaaaaaa"));
    w.Insert(Prepaid("ins-bbbbbbbb"));
    Ids ids{"ins-aaaaaaaa", "ins-bbbbbbbb"};
    auto change = SetFlag(w, ids, RenewFlag::kDisableNotifyAndManualRenew);
    CHECK(change->period_months == 0);
    PlanAndApply(w, change, ids);
    for (const std::string& id : ids) {
      Instance in = w.Get(id);
      CHECK(in.renew_flag == RenewFlag::kDisableNotifyAndManualRenew);
      CHECK(in.expired_at == kNow + 29 * kDay);
    }
  }

  TEST_CASE(
      "PlanModifyInstancesRenewFlag: turning automatic renewal off keeps the renewals that "
      "happened (D-184)") {
    World w;
    Instance in = Prepaid("ins-aaaaaaaa", kJan31);
    in.renew_flag = RenewFlag::kNotifyAndAutoRenew;
    w.Insert(in);
    TimeMs now = kJan31 + 35 * kDay;
    PlanAndApply(w, SetFlag(w, {"ins-aaaaaaaa"}, RenewFlag::kNotifyAndManualRenew, now),
                 {"ins-aaaaaaaa"}, now);
    Instance after = w.Get("ins-aaaaaaaa", now);
    CHECK(Iso(*after.expired_at) == "2028-03-31T10:00:00Z");
    CHECK(cvm::state::ObserveBilling(after, now).restrict_state == RestrictState::kNormal);
    CHECK(cvm::state::ObserveBilling(after, kJan31 + 61 * kDay).restrict_state ==
          RestrictState::kExpired);
  }

  TEST_CASE(
      "PlanModifyInstancesRenewFlag: an EXPIRED instance cannot be set to renew itself "
      "(InvalidInstance.NotSupported); the manual flags it can") {
    World w;
    w.Insert(Prepaid("ins-aaaaaaaa", kNow - kDay));
    auto r = SetFlag(w, {"ins-aaaaaaaa"}, RenewFlag::kNotifyAndAutoRenew);
    CHECK(CodeOf(r) == "InvalidInstance.NotSupported");
    CHECK(MessageOf(r).find("RenewInstances") != std::string::npos);
    CHECK(CodeOf(SetFlag(w, {"ins-aaaaaaaa"}, RenewFlag::kDisableNotifyAndManualRenew)) == "");
  }

  TEST_CASE(
      "PlanModifyInstancesRenewFlag: pay-as-you-go and CDH instances are "
      "InvalidInstance.NotSupported; unknown ones NotFound") {
    World w;
    w.Insert(Postpaid("ins-aaaaaaaa"));
    w.Insert(OnHost("ins-cccccccc"));
    CHECK(CodeOf(SetFlag(w, {"ins-aaaaaaaa"}, RenewFlag::kNotifyAndAutoRenew)) ==
          "InvalidInstance.NotSupported");
    auto r = SetFlag(w, {"ins-cccccccc"}, RenewFlag::kNotifyAndAutoRenew);
    CHECK(CodeOf(r) == "InvalidInstance.NotSupported");
    CHECK(MessageOf(r).find("dedicated host") != std::string::npos);
    CHECK(CodeOf(SetFlag(w, {"ins-zzzzzzzz"}, RenewFlag::kNotifyAndAutoRenew)) ==
          "InvalidInstanceId.NotFound");
  }

  // -------------------------------------------------------------------------
  // ModifyInstancesChargeType

  TEST_CASE(
      "PlanModifyInstancesChargeType: POSTPAID_BY_HOUR becomes PREPAID until now plus the period, "
      "with the RenewFlag given; bandwidth stays as it is") {
    World w;
    w.Insert(Postpaid("ins-aaaaaaaa"));
    w.Insert(Postpaid("ins-bbbbbbbb"));
    Ids ids{"ins-aaaaaaaa", "ins-bbbbbbbb"};
    PlanAndApply(w, Convert(w, ids, PrepaidTerms{2, RenewFlag::kNotifyAndAutoRenew}), ids);
    for (const std::string& id : ids) {
      Instance in = w.Get(id);
      CHECK(in.charge_type == ChargeType::kPrepaid);
      CHECK(in.expired_at == cvm::state::AddMonths(kNow, 2));
      CHECK(in.renew_flag == RenewFlag::kNotifyAndAutoRenew);
      CHECK(in.internet_charge_type == cvm::state::InternetChargeType::kTrafficPostpaidByHour);
      CHECK(in.bandwidth_out == 5);
    }
  }

  TEST_CASE(
      "PlanModifyInstancesChargeType: without InstanceChargePrepaid it is MissingParameter, before "
      "any lookup") {
    World w;
    auto r = Convert(w, {"ins-zzzzzzzz"}, std::nullopt);
    CHECK(CodeOf(r) == "MissingParameter");
    CHECK(MessageOf(r).find("InstanceChargePrepaid") != std::string::npos);
  }

  TEST_CASE(
      "PlanModifyInstancesChargeType: PREPAID, SPOTPAID and CDHPAID instances, the BC1 and BS1 "
      "families and an ActionTimer are InvalidInstance.NotSupported") {
    World w;
    w.Insert(Prepaid("ins-prepaid1"));
    Instance spot = Postpaid("ins-spot0001");
    spot.charge_type = ChargeType::kSpotPaid;
    w.Insert(spot);
    w.Insert(OnHost("ins-cdh00001"));
    Instance bc1 = Postpaid("ins-bc100001");
    bc1.instance_type = "BC1.LARGE8";
    w.Insert(bc1);
    Instance bs1 = Postpaid("ins-bs100001");
    bs1.instance_type = "BS1.MEDIUM4";
    w.Insert(bs1);
    Instance timer = Postpaid("ins-timer001");
    timer.lifecycle.timer_at = kNow + kDay;
    timer.lifecycle.gone_at = kNow + kDay + 5'000;
    w.Insert(timer);
    for (auto [id, why] :
         {std::pair("ins-prepaid1", "PREPAID"), std::pair("ins-spot0001", "SPOTPAID"),
          std::pair("ins-cdh00001", "dedicated host"), std::pair("ins-bc100001", "BC1"),
          std::pair("ins-bs100001", "BS1"), std::pair("ins-timer001", "ActionTimer")}) {
      CAPTURE(id);
      auto r = Convert(w, {id}, PrepaidTerms{1, RenewFlag::kNotifyAndManualRenew});
      CHECK(CodeOf(r) == "InvalidInstance.NotSupported");
      CHECK(MessageOf(r).find(why) != std::string::npos);
    }
    w.Insert(Postpaid("ins-ok000001"));
    CHECK(CodeOf(Convert(w, {"ins-ok000001", "ins-timer001"},
                         PrepaidTerms{1, RenewFlag::kNotifyAndManualRenew})) ==
          "InvalidInstance.NotSupported");
    CHECK(w.Get("ins-ok000001").charge_type == ChargeType::kPostpaidByHour);
  }

  // -------------------------------------------------------------------------
  // Prices

  TEST_CASE(
      "PriceBillingChange: a renewal is PREPAID for the period, discounted by its percent, summed "
      "over the batch (D-188)") {
    World w;
    w.Insert(Prepaid("ins-aaaaaaaa"));  // S1.SMALL1: 45.00 a month; 5 Mbps prepaid: 100.00
    Instance larger = Prepaid("ins-bbbbbbbb");
    larger.internet_charge_type = cvm::state::InternetChargeType::kTrafficPostpaidByHour;
    larger.data_disks.push_back({cvm::state::DiskType::kCloudSsd, "disk-ssd00001", 100, true});
    w.Insert(larger);  // + 100 GB CLOUD_SSD at 1.00: 145.00 a month; traffic not renewed
    const auto& catalog = cvm::state::Catalog::Builtin();
    auto one = Renew(w, {"ins-aaaaaaaa"}, {1, RenewFlag::kNotifyAndManualRenew});
    REQUIRE(one.ok());
    auto price = cvm::state::PriceBillingChange(catalog, *one);
    REQUIRE(price.ok());
    CHECK(price->instance == ItemPrice::Prepaid(Money::Fen(4500), Money::Fen(4500)));
    CHECK(price->bandwidth == ItemPrice::Prepaid(Money::Fen(10000), Money::Fen(10000)));
    auto both = Renew(w, {"ins-aaaaaaaa", "ins-bbbbbbbb"}, {12, RenewFlag::kNotifyAndManualRenew});
    REQUIRE(both.ok());
    price = cvm::state::PriceBillingChange(catalog, *both);
    REQUIRE(price.ok());
    // 12 months at 83%: 540.00 → 448.20 and 1740.00 → 1444.20; bandwidth 1200.00 → 996.00.
    CHECK(price->instance ==
          ItemPrice::Prepaid(Money::Fen(54000 + 174000), Money::Fen(44820 + 144420)));
    CHECK(price->bandwidth == ItemPrice::Prepaid(Money::Fen(120000), Money::Fen(99600)));
  }

  TEST_CASE(
      "PriceBillingChange: a conversion to PREPAID prices the instances only (their bandwidth "
      "stays pay-as-you-go)") {
    World w;
    w.Insert(Postpaid("ins-aaaaaaaa"));
    w.Insert(Postpaid("ins-bbbbbbbb"));
    auto change = Convert(w, {"ins-aaaaaaaa", "ins-bbbbbbbb"},
                          PrepaidTerms{24, RenewFlag::kNotifyAndManualRenew});
    REQUIRE(change.ok());
    auto price = cvm::state::PriceBillingChange(cvm::state::Catalog::Builtin(), *change);
    REQUIRE(price.ok());
    // 2 × 45.00 × 24 = 2160.00, at 70%: 1512.00.
    CHECK(price->instance == ItemPrice::Prepaid(Money::Fen(216000), Money::Fen(151200)));
    CHECK_FALSE(price->bandwidth.has_value());
  }
}

}  // namespace billing_service_test
