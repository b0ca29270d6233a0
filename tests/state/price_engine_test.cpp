// The price engine over the built-in catalog's price table: the two prices
// the document pins, disks beyond what a type includes, bandwidth tiers,
// prepaid discounts, rounding to a fen, linearity in InstanceCount, and the
// table as data (a changed table changes the prices; a malformed one is
// refused when the catalog loads).
#include "state/price_engine.h"

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>

extern const std::string_view kEmbeddedCatalog;

// A namespace of its own: this file compiles in one unit with others
// (tests/CMakeLists.txt), whose file-local names may be the same.
namespace price_engine_test {

namespace {

using cvm::state::Catalog;
using cvm::state::ChargeType;
using cvm::state::ChargeUnit;
using cvm::state::DiskSpec;
using cvm::state::DiskType;
using cvm::state::InternetChargeType;
using cvm::state::ItemPrice;
using cvm::state::Money;
using cvm::state::Price;
using cvm::state::PriceInput;

const Catalog& catalog() { return Catalog::Builtin(); }

Money Yuan(const char* text) { return *Money::ParseYuan(text); }

PriceInput Hourly(const std::string& type = "S1.SMALL1") {
  PriceInput in;
  in.zone = "ap-guangzhou-2";
  in.instance_type = type;
  return in;
}

PriceInput Monthly(int64_t months = 1, const std::string& type = "S1.SMALL1") {
  PriceInput in = Hourly(type);
  in.instance_charge_type = ChargeType::kPrepaid;
  in.period_months = months;
  return in;
}

Price PriceOf(const PriceInput& in, const Catalog& c = catalog()) {
  auto price = cvm::state::PriceOf(c, in);
  REQUIRE_MESSAGE(price.ok(), price.error().message());
  return *price;
}

std::string CodeOf(const PriceInput& in, const Catalog& c = catalog()) {
  auto price = cvm::state::PriceOf(c, in);
  return price.ok() ? "" : std::string(price.error().code());
}

// The built-in catalog with its "prices" changed by `edit`.
std::unique_ptr<Catalog> WithPrices(void (*edit)(nlohmann::json& prices)) {
  nlohmann::json doc = nlohmann::json::parse(kEmbeddedCatalog);
  edit(doc["prices"]);
  return Catalog::Parse(doc.dump());
}

}  // namespace

TEST_SUITE("state") {
  TEST_CASE("Prices: S1.SMALL1 with the default system disk is 0.34 an hour and 45.00 a month, as the document's examples") {
    Price hourly = PriceOf(Hourly());
    CHECK(hourly.instance == ItemPrice::PerUnit(Yuan("0.34"), ChargeUnit::kHour));
    CHECK_FALSE(hourly.bandwidth.has_value());  // no public network by default
    Price monthly = PriceOf(Monthly());
    CHECK(monthly.instance == ItemPrice::Prepaid(Yuan("45.00"), Yuan("45.00")));
    CHECK_FALSE(monthly.instance.unit_price.has_value());
    CHECK_FALSE(monthly.instance.charge_unit.has_value());
  }

  TEST_CASE("Prices: S1.SMALL1 with LOCAL_BASIC 50 + 100 GB costs the same: local disks are in the type's price") {
    for (PriceInput in : {Hourly(), Monthly()}) {
      Price plain = PriceOf(in);
      in.system_disk = DiskSpec{DiskType::kLocalBasic, 50};
      in.data_disks = {DiskSpec{DiskType::kLocalBasic, 100}};
      CHECK(PriceOf(in).instance == plain.instance);
    }
    PriceInput ssd = Hourly("I1.MEDIUM4");
    Price plain = PriceOf(ssd);
    ssd.system_disk = DiskSpec{DiskType::kLocalSsd, 50};
    ssd.data_disks = {DiskSpec{DiskType::kLocalSsd, 500}};
    CHECK(PriceOf(ssd).instance == plain.instance);
  }

  TEST_CASE("Prices: the traffic price of the examples is 0.80 per GB") {
    PriceInput in = Monthly();
    in.internet_charge_type = InternetChargeType::kTrafficPostpaidByHour;
    in.bandwidth_mbps = 10;
    Price price = PriceOf(in);
    REQUIRE(price.bandwidth.has_value());
    CHECK(*price.bandwidth == ItemPrice::PerUnit(Yuan("0.80"), ChargeUnit::kGb));
    CHECK(price.instance == ItemPrice::Prepaid(Yuan("45.00"), Yuan("45.00")));
  }

  TEST_CASE("Prices: S2.MEDIUM4 is 0.64 an hour, as in the DescribeZoneInstanceConfigInfos example") {
    CHECK(PriceOf(Hourly("S2.MEDIUM4")).instance == ItemPrice::PerUnit(Yuan("0.64"), ChargeUnit::kHour));
  }

  TEST_CASE("Prices: a cloud system disk beyond 50 GB and cloud data disks cost their type's rate per GB") {
    // CLOUD_PREMIUM: 0.0005 an hour and 0.35 a month per GB; the first 50 GB of
    // the system disk are included.
    PriceInput in = Hourly();
    in.system_disk = DiskSpec{DiskType::kCloudPremium, 50};
    CHECK(PriceOf(in).instance.unit_price == Yuan("0.34"));
    in.system_disk = DiskSpec{DiskType::kCloudPremium, 100};
    CHECK(PriceOf(in).instance.unit_price == Yuan("0.37"));  // 0.34 + 0.025 = 0.365, half up
    in.system_disk = DiskSpec{DiskType::kCloudBasic, 50};
    in.data_disks = {DiskSpec{DiskType::kCloudSsd, 100}, DiskSpec{DiskType::kCloudBasic, 10}};
    CHECK(PriceOf(in).instance.unit_price == Yuan("0.48"));  // 0.34 + 0.14 + 0.004 = 0.484

    PriceInput month = Monthly();
    month.system_disk = DiskSpec{DiskType::kCloudPremium, 100};
    CHECK(PriceOf(month).instance == ItemPrice::Prepaid(Yuan("62.50"), Yuan("62.50")));
    month.system_disk = DiskSpec{DiskType::kCloudBasic, 50};
    month.data_disks = {DiskSpec{DiskType::kCloudSsd, 100}};
    CHECK(PriceOf(month).instance == ItemPrice::Prepaid(Yuan("145.00"), Yuan("145.00")));
  }

  TEST_CASE("Prices: prepaid periods of 12, 24 and 36 months get 83, 70 and 50 percent") {
    struct Case {
      int64_t months;
      const char *original, *discounted;
    };
    for (const Case& c : {Case{1, "45.00", "45.00"}, Case{11, "495.00", "495.00"},
                          Case{12, "540.00", "448.20"}, Case{24, "1080.00", "756.00"},
                          Case{36, "1620.00", "810.00"}}) {
      INFO(c.months << " months");
      CHECK(PriceOf(Monthly(c.months)).instance ==
            ItemPrice::Prepaid(Yuan(c.original), Yuan(c.discounted)));
    }
  }

  TEST_CASE("Prices: a discount is rounded half up to a fen, once per instance") {
    // GN8.LARGE56: 5468.00 a month; 12 months 65616.00, at 83% exactly 54461.28.
    CHECK(PriceOf(Monthly(12, "GN8.LARGE56")).instance ==
          ItemPrice::Prepaid(Yuan("65616.00"), Yuan("54461.28")));
    // S1.SMALL1 with 10 GB of CLOUD_BASIC data disk: 45.00 + 2.80 = 47.80 a
    // month; a year 573.60, at 83% 476.088 → 476.09.
    PriceInput in = Monthly(12);
    in.data_disks = {DiskSpec{DiskType::kCloudBasic, 10}};
    CHECK(PriceOf(in).instance == ItemPrice::Prepaid(Yuan("573.60"), Yuan("476.09")));
  }

  TEST_CASE("Prices: bandwidth is priced by tiers of Mbps, per hour or per prepaid month") {
    PriceInput in = Hourly();
    in.internet_charge_type = InternetChargeType::kBandwidthPostpaidByHour;
    in.bandwidth_mbps = 3;  // 3 × 0.063 = 0.189
    CHECK(*PriceOf(in).bandwidth == ItemPrice::PerUnit(Yuan("0.19"), ChargeUnit::kHour));
    in.bandwidth_mbps = 10;  // 5 × 0.063 + 5 × 0.25 = 1.565
    CHECK(*PriceOf(in).bandwidth == ItemPrice::PerUnit(Yuan("1.57"), ChargeUnit::kHour));

    PriceInput month = Monthly();
    month.internet_charge_type = InternetChargeType::kBandwidthPrepaid;
    month.bandwidth_mbps = 5;
    CHECK(*PriceOf(month).bandwidth == ItemPrice::Prepaid(Yuan("100.00"), Yuan("100.00")));
    month.bandwidth_mbps = 10;  // 5 × 20 + 5 × 80
    CHECK(*PriceOf(month).bandwidth == ItemPrice::Prepaid(Yuan("500.00"), Yuan("500.00")));
    month.period_months = 12;
    CHECK(*PriceOf(month).bandwidth == ItemPrice::Prepaid(Yuan("6000.00"), Yuan("4980.00")));
  }

  TEST_CASE("Prices: no bandwidth price without a public network or under a bandwidth package") {
    PriceInput in = Hourly();
    in.internet_charge_type = InternetChargeType::kBandwidthPostpaidByHour;
    in.bandwidth_mbps = 0;
    CHECK_FALSE(PriceOf(in).bandwidth.has_value());
    in.internet_charge_type = InternetChargeType::kBandwidthPackage;
    in.bandwidth_mbps = 10;
    CHECK_FALSE(PriceOf(in).bandwidth.has_value());
  }

  TEST_CASE(
      "Prices: every price scales exactly with InstanceCount, rounding per instance, the per-GB "
      "traffic price too") {
    PriceInput hourly = Hourly();
    hourly.system_disk = DiskSpec{DiskType::kCloudPremium, 100};  // 0.365 → 0.37 an instance
    hourly.internet_charge_type = InternetChargeType::kBandwidthPostpaidByHour;
    hourly.bandwidth_mbps = 10;
    PriceInput monthly = Monthly(12);
    monthly.data_disks = {DiskSpec{DiskType::kCloudBasic, 10}};
    monthly.internet_charge_type = InternetChargeType::kBandwidthPrepaid;
    monthly.bandwidth_mbps = 7;
    PriceInput traffic = Monthly();
    traffic.internet_charge_type = InternetChargeType::kTrafficPostpaidByHour;
    traffic.bandwidth_mbps = 1;
    Price one_hourly = PriceOf(hourly), one_monthly = PriceOf(monthly), one_traffic = PriceOf(traffic);
    for (int64_t n : {1, 2, 3, 7, 50, 100}) {
      INFO(n << " instances");
      hourly.count = monthly.count = traffic.count = n;
      Price h = PriceOf(hourly), m = PriceOf(monthly), t = PriceOf(traffic);
      CHECK(h.instance.unit_price == *one_hourly.instance.unit_price * n);
      CHECK(h.bandwidth->unit_price == *one_hourly.bandwidth->unit_price * n);
      CHECK(m.instance.original_price == *one_monthly.instance.original_price * n);
      CHECK(m.instance.discount_price == *one_monthly.instance.discount_price * n);
      CHECK(m.bandwidth->original_price == *one_monthly.bandwidth->original_price * n);
      CHECK(m.bandwidth->discount_price == *one_monthly.bandwidth->discount_price * n);
      CHECK(t.instance.original_price == *one_traffic.instance.original_price * n);
      CHECK(t.bandwidth ==
            ItemPrice::PerUnit(*one_traffic.bandwidth->unit_price * n, ChargeUnit::kGb));
    }
    hourly.count = 3;
    CHECK(PriceOf(hourly).instance.unit_price == Yuan("1.11"));  // 3 × 0.37, not 1.095 → 1.10
    traffic.count = 3;
    CHECK(PriceOf(traffic).bandwidth->unit_price == Yuan("2.40"));  // a GB for each of 3 instances
  }

  TEST_CASE("Prices: every type on offer prices in both charge types, DiscountPrice ≤ OriginalPrice for every period, a month under 720 hours") {
    for (const cvm::state::InstanceTypeInfo& t : catalog().instance_types()) {
      INFO(t.type);
      Price hourly = PriceOf(Hourly(t.type));
      CHECK(hourly.instance.unit_price == t.hourly_price);
      CHECK(t.monthly_price < t.hourly_price * 720);
      for (int64_t months : {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 24, 36}) {
        Price p = PriceOf(Monthly(months, t.type));
        CHECK(*p.instance.discount_price <= *p.instance.original_price);
        CHECK(*p.instance.original_price == t.monthly_price * months);
      }
    }
  }

  TEST_CASE("Prices: what the table cannot price is InvalidParameterValue") {
    CHECK(CodeOf(Hourly("S9.HUGE")) == "InvalidParameterValue");
    PriceInput spot = Hourly();
    spot.instance_charge_type = ChargeType::kSpotPaid;
    CHECK(CodeOf(spot) == "InvalidParameterValue");
    PriceInput cdh = Hourly();
    cdh.instance_charge_type = ChargeType::kCdhPaid;
    CHECK(CodeOf(cdh) == "InvalidParameterValue");
    auto no_ssd_rate = WithPrices([](nlohmann::json& p) { p["DiskPerGB"].erase("CLOUD_SSD"); });
    PriceInput ssd = Hourly();
    ssd.data_disks = {DiskSpec{DiskType::kCloudSsd, 100}};
    CHECK(CodeOf(ssd) == "");
    CHECK(CodeOf(ssd, *no_ssd_rate) == "InvalidParameterValue");
    PriceInput month = Monthly(0);
    CHECK(CodeOf(month) == "InvalidParameterValue");
    PriceInput by_month = Hourly();
    by_month.internet_charge_type = InternetChargeType::kBandwidthPostpaidByMonth;
    by_month.bandwidth_mbps = 1;
    CHECK(CodeOf(by_month) == "InvalidParameterValue");
  }

  TEST_CASE("Prices: Difference is what a change adds, never below zero") {
    Price small = PriceOf(Hourly("S1.SMALL1")), bigger = PriceOf(Hourly("S1.SMALL2"));
    CHECK(cvm::state::Difference(bigger.instance, small.instance) ==
          ItemPrice::PerUnit(Yuan("0.20"), ChargeUnit::kHour));
    CHECK(cvm::state::Difference(small.instance, bigger.instance).unit_price == Money());
    Price month = PriceOf(Monthly(3)), year = PriceOf(Monthly(12));
    ItemPrice d = cvm::state::Difference(year.instance, month.instance);
    CHECK(d == ItemPrice::Prepaid(Yuan("405.00"), Yuan("313.20")));
  }

  TEST_CASE("Prices: the table is data: a changed table changes the prices") {
    auto changed = WithPrices([](nlohmann::json& p) {
      p["TrafficPerGB"] = "1.25";
      p["SystemDiskIncludedGB"] = 20;
      p["PrepaidDiscounts"] = {{{"FromMonths", 1}, {"Percent", 100}}, {{"FromMonths", 6}, {"Percent", 90}}};
    });
    PriceInput in = Monthly(6);
    in.internet_charge_type = InternetChargeType::kTrafficPostpaidByHour;
    in.bandwidth_mbps = 1;
    Price p = PriceOf(in, *changed);
    CHECK(p.bandwidth->unit_price == Yuan("1.25"));
    // 30 GB of CLOUD_BASIC beyond the 20 included: 45.00 + 8.40 = 53.40 a month.
    CHECK(p.instance == ItemPrice::Prepaid(Yuan("320.40"), Yuan("288.36")));
  }

  TEST_CASE("Prices: a malformed price table is refused when the catalog loads") {
    using Edit = void (*)(nlohmann::json&);
    for (Edit edit : std::initializer_list<Edit>{
             [](nlohmann::json& p) { p["TrafficPerGB"] = 0.8; },  // a number, not text
             [](nlohmann::json& p) { p["TrafficPerGB"] = "0.0000001"; },
             [](nlohmann::json& p) { p["DiskPerGB"]["CLOUD_SSD"]["Monthly"] = "-1"; },
             [](nlohmann::json& p) { p["BandwidthPerMbpsHour"] = nlohmann::json::array(); },
             [](nlohmann::json& p) { p["BandwidthPerMbpsHour"][1]["UpToMbps"] = 3; },
             [](nlohmann::json& p) {
               p["BandwidthPerMbpsMonth"][1].erase("UpToMbps");
               p["BandwidthPerMbpsMonth"][0].erase("UpToMbps");
             },
             [](nlohmann::json& p) { p["PrepaidDiscounts"][0]["FromMonths"] = 2; },
             [](nlohmann::json& p) { p["PrepaidDiscounts"][1]["Percent"] = 101; },
             [](nlohmann::json& p) { p["PrepaidDiscounts"][2]["Percent"] = 90; },  // rises after 83
             [](nlohmann::json& p) { p["PrepaidDiscounts"][2]["FromMonths"] = 12; },
             [](nlohmann::json& p) { p.erase("TrafficPerGB"); },
             [](nlohmann::json& p) { p["DiskPerGB"]["CLOUD_MAGIC"] = p["DiskPerGB"]["CLOUD_SSD"]; },
         }) {
      CHECK_THROWS_AS(WithPrices(edit), std::runtime_error);
    }
    nlohmann::json doc = nlohmann::json::parse(kEmbeddedCatalog);
    doc["instance_types"][0]["HourlyPrice"] = "0.345";  // a price in a fraction of a fen
    CHECK_THROWS_AS(Catalog::Parse(doc.dump()), std::runtime_error);
  }
}

}  // namespace price_engine_test
