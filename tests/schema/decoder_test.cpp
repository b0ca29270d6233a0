// The JSON body decoder's bounds (schema/decoder.h): lists past their
// documented maximum are counted, not kept, so a large body cannot make the
// emulator build a large tree before it is refused; lists with no documented
// maximum and whole bodies have bounds of their own.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "tests/schema/request_helpers.h"

namespace cvm::schema::testing {
namespace {

// {"<member>": ["<value>", ... n times]} as text.
std::string ListBody(const std::string& member, const std::string& value, size_t n) {
  std::string body = "{\"" + member + "\":[";
  for (size_t i = 0; i < n; ++i) body += (i ? ",\"" : "\"") + value + "\"";
  return body + "]}";
}

// DescribeInstances Filters: `filters` filters of `values` values each.
std::string FilterBody(size_t filters, size_t values) {
  json list = json::array();
  for (size_t f = 0; f < filters; ++f) {
    json v = json::array();
    for (size_t i = 0; i < values; ++i) v.push_back("ins-" + std::to_string(10000000 + i));
    list.push_back({{"Name", "instance-id"}, {"Values", v}});
  }
  return json{{"Filters", list}}.dump();
}

TEST_CASE(
    "DecodeJson: a list past its documented maximum keeps that many elements; the validator still "
    "says how many were given") {
  const ActionSpec& action = Action("DescribeInstances");
  Result<DecodedTree> decoded =
      DecodeJson(action, ListBody("InstanceIds", "ins-12345678", 100'000));
  REQUIRE(decoded.ok());
  CHECK(decoded->tree["InstanceIds"].size() == 100);
  Result<ValidatedParams> v = Validate(action, std::move(decoded).value(), false);
  REQUIRE_FALSE(v.ok());
  CHECK(v.error().code() == "InvalidParameterValue.LimitExceeded");
  CHECK(v.error().message().find("InstanceIds") != std::string::npos);
  CHECK(v.error().message().find("at most 100 elements are allowed, 100000 were given") !=
        std::string::npos);
}

TEST_CASE(
    "DecodeJson: one-character InstanceIds past the maximum get the same answer as well-formed "
    "ones") {
  auto many = RunJson("DescribeInstances", ListBody("InstanceIds", "x", 200'000));
  REQUIRE_FALSE(many.ok());
  CHECK(many.error().code() == "InvalidParameterValue.LimitExceeded");
  CHECK(many.error().message().find("200000 were given") != std::string::npos);
}

TEST_CASE(
    "DecodeJson: Filters keep at most the documented number of filters and values; the limit codes "
    "name the numbers given") {
  const ActionSpec& action = Action("DescribeInstances");
  Result<DecodedTree> decoded = DecodeJson(action, FilterBody(1'000, 100));
  REQUIRE(decoded.ok());
  REQUIRE(decoded->tree["Filters"].size() == 10);
  CHECK(decoded->tree["Filters"][0]["Values"].size() == 5);
  Result<ValidatedParams> v = Validate(action, std::move(decoded).value(), false);
  REQUIRE_FALSE(v.ok());
  CHECK(v.error().code() == "InvalidFilterValue.LimitExceeded");
  CHECK(v.error().message().find("at most 10 filters are allowed, 1000 were given") !=
        std::string::npos);

  // Few filters, too many values in one: that filter's Values is named.
  auto values = RunJson("DescribeInstances", FilterBody(2, 100));
  REQUIRE_FALSE(values.ok());
  CHECK(values.error().code() == "InvalidFilterValue.LimitExceeded");
  CHECK(values.error().message().find("Filters.0.Values") != std::string::npos);
  CHECK(values.error().message().find("100 were given") != std::string::npos);
}

TEST_CASE("DecodeJson: a list at its documented maximum is kept whole and accepted") {
  auto exact = RunJson("DescribeInstances", ListBody("InstanceIds", "ins-12345678", 100));
  REQUIRE(exact.ok());
  CHECK(exact->params["InstanceIds"].size() == 100);
  auto filters = RunJson("DescribeInstances", FilterBody(10, 5));
  CHECK(filters.ok());
}

TEST_CASE(
    "DecodeJson: a list with no documented maximum holds at most 10,000 elements, as in the flat "
    "form") {
  auto at_cap = RunJson("DescribeImages", ListBody("ImageIds", "img-12345678", 10'000));
  CHECK(at_cap.ok());
  auto over = RunJson("DescribeImages", ListBody("ImageIds", "img-12345678", 10'001));
  REQUIRE_FALSE(over.ok());
  CHECK(over.error().code() == "InvalidParameter");
  CHECK(over.error().message().find("ImageIds") != std::string::npos);
  CHECK(over.error().message().find("10000") != std::string::npos);
}

TEST_CASE(
    "DecodeJson: a body of more than 100,000 values is InvalidParameter, whatever holds them") {
  // Eleven unknown lists of 10,000 numbers: each list within its bound.
  std::string body = "{";
  for (int l = 0; l < 11; ++l) {
    body += (l ? ",\"Foo" : "\"Foo") + std::to_string(l) + "\":[";
    for (int i = 0; i < 10'000; ++i) body += i ? ",1" : "1";
    body += "]";
  }
  body += "}";
  auto r = RunJson("DescribeRegions", body);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code() == "InvalidParameter");
  CHECK(r.error().message().find("100000 values") != std::string::npos);
}

TEST_CASE("DecodeJson: elements past the maximum are not examined, but the rest of the body is") {
  // A missing Name in a kept filter is still found first (required members
  // come before list sizes), and an unknown member after the long list too.
  json filters = json::array();
  filters.push_back({{"Values", {"a"}}});
  for (int i = 0; i < 20; ++i) filters.push_back({{"Name", "zone"}, {"Values", {"a"}}});
  auto missing = RunJson("DescribeInstances", json{{"Filters", filters}}.dump());
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().code() == "MissingParameter");
  CHECK(missing.error().message().find("Filters.0.Name") != std::string::npos);

  std::string body = ListBody("InstanceIds", "ins-12345678", 1'000);
  body.back() = ',';
  body += "\"Foo\":1}";
  auto unknown = RunJson("DescribeInstances", body);
  REQUIRE_FALSE(unknown.ok());
  CHECK(unknown.error().code() == "UnknownParameter");
}

}  // namespace
}  // namespace cvm::schema::testing
