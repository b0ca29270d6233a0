// Shared steps for the price inquiry tests: a successful inquiry's Price, and
// the two shapes of an item price the inquiries answer (hourly, upfront).
#pragma once

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "tests/support/test_api.h"

namespace cvm::testing::prices {

using nlohmann::json;

// The Price of `inquiry` with `params`, which must succeed.
inline json PriceOf(TestApi& api, const std::string& inquiry, const json& params) {
  json r = api.Call(inquiry, params);
  REQUIRE_MESSAGE(CodeOf(r) == "", r.dump());
  REQUIRE(r.contains("Price"));
  return r["Price"];
}

// An item charged by the hour (or, for traffic, by the GB: `unit` "GB").
inline json HourlyPrice(double unit_price, const char* unit = "HOUR") {
  return {{"UnitPrice", unit_price},
          {"ChargeUnit", unit},
          {"OriginalPrice", nullptr},
          {"DiscountPrice", nullptr}};
}

// An item paid upfront: its price before and after the discount.
inline json UpfrontPrice(double original, double discounted) {
  return {{"UnitPrice", nullptr},
          {"ChargeUnit", nullptr},
          {"OriginalPrice", original},
          {"DiscountPrice", discounted}};
}

}  // namespace cvm::testing::prices
