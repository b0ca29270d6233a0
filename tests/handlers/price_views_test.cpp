// Prices as the API shows them: every member present, amounts with two
// decimals written from whole fen.
#include "handlers/price_views.h"

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

namespace {

using cvm::handlers::JsonWriter;
using cvm::state::ChargeUnit;
using cvm::state::ItemPrice;
using cvm::state::Money;
using cvm::state::Price;

std::string Rendered(const Price& price) {
  JsonWriter out;
  cvm::handlers::WritePrice(out, price);
  return out.Take();
}

}  // namespace

TEST_SUITE("handlers") {
  TEST_CASE(
      "WritePrice: hourly instance and per-GB traffic, as InquiryPriceRunInstances answers them") {
    Price p{ItemPrice::PerUnit(Money::Fen(34), ChargeUnit::kHour),
            ItemPrice::PerUnit(Money::Fen(80), ChargeUnit::kGb)};
    CHECK(
        Rendered(p) ==
        R"({"InstancePrice":{"UnitPrice":0.34,"ChargeUnit":"HOUR","OriginalPrice":null,"DiscountPrice":null},)"
        R"("BandwidthPrice":{"UnitPrice":0.80,"ChargeUnit":"GB","OriginalPrice":null,"DiscountPrice":null}})");
  }

  TEST_CASE(
      "WritePrice: a prepaid price with two decimals, no bandwidth price as null, and valid JSON "
      "numbers") {
    Price p{ItemPrice::Prepaid(Money::Fen(34000), Money::Fen(28220)), std::nullopt};
    std::string text = Rendered(p);
    CHECK(
        text ==
        R"({"InstancePrice":{"UnitPrice":null,"ChargeUnit":null,"OriginalPrice":340.00,"DiscountPrice":282.20},)"
        R"("BandwidthPrice":null})");
    nlohmann::json parsed = nlohmann::json::parse(text);
    CHECK(parsed["InstancePrice"]["OriginalPrice"].get<double>() == 340.0);
    CHECK(parsed["InstancePrice"]["DiscountPrice"].get<double>() == 282.2);
  }
}
