// Rate limits (server/rate_limiter.h, README "Rate limits"): off by default,
// a token bucket per account and action at the document's limit per second of
// emulator time, per-action overrides, and the control endpoint's checks.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "server/emulator.h"
#include "server/rate_limiter.h"
#include "tests/support/test_api.h"

namespace rate_limiter_test {

using cvm::server::HttpRequest;
using cvm::server::HttpResponse;
using cvm::testing::CodeOf;
using cvm::testing::TestApi;
using nlohmann::json;

struct ControlAnswer {
  int status;
  json body;
};

ControlAnswer Limits(TestApi& api, const json& body = nullptr) {
  HttpRequest req;
  req.method = body.is_null() ? "GET" : "POST";
  req.target = "/_emulator/rate_limits";
  if (!body.is_null()) {
    req.body = body.dump();
    req.headers.emplace_back("content-type", "application/json");
  }
  HttpResponse r = api.emulator().Handle(req);
  return {r.status, json::parse(r.body)};
}

// How many of `n` calls of `action` succeed (the clock stands still).
int Admitted(TestApi& api, const std::string& action, int n,
             const std::string& secret = cvm::testing::kSecretA) {
  int ok = 0;
  for (int i = 0; i < n; ++i) ok += CodeOf(api.Call(action, json::object(), "ap-guangzhou", secret)) == "";
  return ok;
}

TEST_CASE("Rate limits: off by default, nothing is refused") {
  TestApi api;
  CHECK(Limits(api).body == json{{"enabled", false}, {"limits", json::object()}});
  CHECK(Admitted(api, "DescribeRegions", 50) == 50);
}

TEST_CASE("Rate limits: on, each account and action has the document's limit per emulator second") {
  TestApi api;
  REQUIRE(Limits(api, {{"enabled", true}}).status == 200);
  CHECK(Admitted(api, "DescribeRegions", 25) == 20);
  json refused = api.Call("DescribeRegions");
  CHECK(CodeOf(refused) == "RequestLimitExceeded");
  CHECK(refused["Error"]["Message"] ==
        "Too many requests for DescribeRegions: the limit is 20 per second.");
  CHECK(Admitted(api, "DescribeInstances", 45) == 40);
  CHECK(Admitted(api, "DescribeKeyPairs", 15) == 10);
  // Another account has buckets of its own.
  CHECK(Admitted(api, "DescribeRegions", 25, cvm::testing::kSecretB) == 20);
  // Half a second refills half the bucket; a second fills it, no more.
  api.Advance(0.5);
  CHECK(Admitted(api, "DescribeRegions", 25) == 10);
  api.Advance(5);
  CHECK(Admitted(api, "DescribeRegions", 25) == 20);
}

TEST_CASE("Rate limits: per-action overrides, their removal, and reset back to the start-up values") {
  TestApi api;
  REQUIRE(Limits(api, {{"enabled", true}, {"limits", {{"DescribeZones", 2}}}}).status == 200);
  CHECK(Limits(api).body["limits"] == json{{"DescribeZones", 2}});
  CHECK(Admitted(api, "DescribeZones", 5) == 2);
  REQUIRE(Limits(api, {{"limits", {{"DescribeZones", nullptr}}}}).status == 200);
  api.Advance(1);
  CHECK(Admitted(api, "DescribeZones", 25) == 20);
  HttpRequest reset;
  reset.method = "POST";
  reset.target = "/_emulator/reset";
  REQUIRE(api.emulator().Handle(reset).status == 200);
  CHECK(Limits(api).body == json{{"enabled", false}, {"limits", json::object()}});
}

TEST_CASE("Rate limits: --rate-limits on starts them on") {
  TestApi api([](cvm::server::EmulatorOptions& o) { o.rate_limits = true; });
  CHECK(Limits(api).body["enabled"] == true);
  CHECK(Admitted(api, "DescribeRegions", 21) == 20);
}

TEST_CASE("Rate limits: bad control input is 400 naming the field, and changes nothing") {
  TestApi api;
  struct Case {
    json body;
    std::string error;
  };
  const Case cases[] = {
      {{{"enabled", "maybe"}}, "enabled must be true or false"},
      {{{"limits", {{"NoSuchAction", 5}}}}, "limits: unknown action NoSuchAction"},
      {{{"enabled", true}, {"limits", {{"DescribeZones", 0}}}},
       "limits.DescribeZones must be a whole number from 1 to 1000000, or null"},
      {{{"limits", {{"DescribeZones", 1.5}}}},
       "limits.DescribeZones must be a whole number from 1 to 1000000, or null"},
      {{{"limits", 5}}, "limits must be a JSON object of action: calls per second"},
      {{{"speed", 1}}, "unknown field speed (not taken by this endpoint)"},
  };
  for (const Case& c : cases) {
    INFO(c.body.dump());
    ControlAnswer a = Limits(api, c.body);
    CHECK(a.status == 400);
    CHECK(a.body["error"] == c.error);
  }
  CHECK(Limits(api).body == json{{"enabled", false}, {"limits", json::object()}});
}

}  // namespace rate_limiter_test
