// What the price inquiries quote (state/price_quotes.h): a purchase as
// RunInstances' change describes it, and a change to an instance as the
// difference of its prices after and before (hourly), or for the rest of its
// subscription in whole months (PREPAID, D-170).
#include "state/price_quotes.h"

#include <doctest/doctest.h>

#include "state/instance_rules.h"

// A namespace of its own: this file compiles in one unit with others
// (tests/CMakeLists.txt), whose file-local names may be the same.
namespace price_quotes_test {

namespace {

using cvm::state::ChargeType;
using cvm::state::ChargeUnit;
using cvm::state::Disk;
using cvm::state::DiskType;
using cvm::state::Instance;
using cvm::state::ItemPrice;
using cvm::state::Money;
using cvm::state::Price;
using cvm::state::TimeMs;

constexpr TimeMs kNow = 1'700'000'000'000;  // 2023-11-14T22:13:20Z
constexpr TimeMs kDay = 86'400'000;

const cvm::state::Catalog& catalog() { return cvm::state::Catalog::Builtin(); }
Money Yuan(const char* text) { return *Money::ParseYuan(text); }

Instance Hourly(const char* type = "S1.SMALL1") {
  Instance in;
  in.zone = "ap-guangzhou-3";
  in.instance_type = type;
  in.system_disk = Disk{DiskType::kCloudBasic, "disk-aaaaaaaa", 50, true};
  return in;
}

// PREPAID for `months` from kNow.
Instance Prepaid(int64_t months, const char* type = "S1.SMALL1") {
  Instance in = Hourly(type);
  in.charge_type = ChargeType::kPrepaid;
  in.renew_flag = cvm::state::RenewFlag::kNotifyAndManualRenew;
  in.expired_at = cvm::state::AddMonths(kNow, months);
  return in;
}

Price Quote(const Instance& before, const Instance& after, TimeMs now = kNow) {
  auto price = cvm::state::QuoteChange(catalog(), before, after, now);
  REQUIRE_MESSAGE(price.ok(), price.error().message());
  return *price;
}

}  // namespace

TEST_SUITE("state") {
  TEST_CASE(
      "RemainingMonths: whole months to the expiry, a part month counting as one, at least one") {
    using cvm::state::AddMonths;
    using cvm::state::RemainingMonths;
    CHECK(RemainingMonths(kNow, AddMonths(kNow, 1)) == 1);
    CHECK(RemainingMonths(kNow, AddMonths(kNow, 12)) == 12);
    CHECK(RemainingMonths(kNow, AddMonths(kNow, 12) + 1) == 13);
    CHECK(RemainingMonths(kNow + 150 * kDay, AddMonths(kNow, 12)) == 8);  // 7.07 months
    CHECK(RemainingMonths(kNow, kNow + kDay) == 1);
    CHECK(RemainingMonths(kNow, kNow) == 1);
    CHECK(RemainingMonths(kNow, kNow - kDay) == 1);  // expired: one month to renew into
  }

  TEST_CASE(
      "QuoteChange: an hourly instance pays the difference of the hourly prices, never below "
      "zero") {
    Instance before = Hourly("S1.SMALL1"), after = Hourly("S1.SMALL4");
    Price p = Quote(before, after);
    CHECK(p.instance == ItemPrice::PerUnit(Yuan("0.60"), ChargeUnit::kHour));  // 0.94 - 0.34
    CHECK_FALSE(p.bandwidth.has_value());
    CHECK(Quote(after, before).instance == ItemPrice::PerUnit(Money(), ChargeUnit::kHour));
    CHECK(Quote(before, before).instance == ItemPrice::PerUnit(Money(), ChargeUnit::kHour));
    // A data disk grown from 100 to 200 GB of CLOUD_SSD: 100 × 0.0014.
    before.data_disks = {Disk{DiskType::kCloudSsd, "disk-bbbbbbbb", 100, true}};
    after = before;
    after.data_disks[0].size_gb = 200;
    CHECK(Quote(before, after).instance == ItemPrice::PerUnit(Yuan("0.14"), ChargeUnit::kHour));
  }

  TEST_CASE(
      "QuoteChange: a PREPAID instance pays the monthly difference for every remaining month, "
      "discounted as that many months are") {
    // S1.SMALL1 45.00 → S1.SMALL4 105.00 a month.
    Price month = Quote(Prepaid(1), Prepaid(1, "S1.SMALL4"));
    CHECK(month.instance == ItemPrice::Prepaid(Yuan("60.00"), Yuan("60.00")));
    Price year = Quote(Prepaid(12), Prepaid(12, "S1.SMALL4"));
    // 12 × 105.00 = 1260.00 at 83% 1045.80; 12 × 45.00 = 540.00 at 83% 448.20.
    CHECK(year.instance == ItemPrice::Prepaid(Yuan("720.00"), Yuan("597.60")));
    // 150 days into the year: 8 months remain (7.07, rounded up), no discount.
    Price later = Quote(Prepaid(12), Prepaid(12, "S1.SMALL4"), kNow + 150 * kDay);
    CHECK(later.instance == ItemPrice::Prepaid(Yuan("480.00"), Yuan("480.00")));
    CHECK(Quote(Prepaid(12, "S1.SMALL4"), Prepaid(12)).instance ==
          ItemPrice::Prepaid(Money(), Money()));
  }

  TEST_CASE(
      "QuoteChange: an auto-renewing PREPAID instance past its stored expiry counts to the expiry "
      "DescribeInstances shows") {
    Instance before = Prepaid(1);
    before.renew_flag = cvm::state::RenewFlag::kNotifyAndAutoRenew;
    Instance after = before;
    after.data_disks = {Disk{DiskType::kCloudBasic, "disk-bbbbbbbb", 100, true}};  // 28.00 a month
    // 40 days in: renewed once, expiring at kNow + 2 months: 1 month left.
    CHECK(Quote(before, after, kNow + 40 * kDay).instance ==
          ItemPrice::Prepaid(Yuan("28.00"), Yuan("28.00")));
  }

  TEST_CASE(
      "QuoteLaunch: the planned purchase, every instance, its public network only with a public "
      "IP") {
    cvm::state::LaunchChange change;
    change.prototype = Hourly();
    change.prototype.bandwidth_out = 10;
    change.prototype.internet_charge_type =
        cvm::state::InternetChargeType::kBandwidthPostpaidByHour;
    change.names = {"a", "b", "c"};
    change.public_ip = true;
    auto price = cvm::state::QuoteLaunch(catalog(), change);
    REQUIRE(price.ok());
    CHECK(price->instance == ItemPrice::PerUnit(Yuan("1.02"), ChargeUnit::kHour));    // 3 × 0.34
    CHECK(*price->bandwidth == ItemPrice::PerUnit(Yuan("4.71"), ChargeUnit::kHour));  // 3 × 1.57
    change.public_ip = false;
    price = cvm::state::QuoteLaunch(catalog(), change);
    REQUIRE(price.ok());
    CHECK_FALSE(price->bandwidth.has_value());
  }
}

}  // namespace price_quotes_test
