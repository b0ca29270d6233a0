// The emulator as a whole: its RequestIds come from the seeded source, so the
// same --seed answers the same RequestIds, and they never disturb the
// resource IDs drawn from the same seed.
#include <doctest/doctest.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "server/emulator.h"
#include "tests/support/test_api.h"

namespace {

using cvm::testing::TestApi;
using nlohmann::json;

bool IsUuidV4Id(const std::string& s) {
  static const std::regex kUuid("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$");
  return std::regex_match(s, kUuid);
}

// The RequestIds of a fixed series of requests: answers, errors before the
// handler, an unknown action, and a request the transport refused.
std::vector<std::string> RequestIdsOf(TestApi& api) {
  std::vector<std::string> ids;
  ids.push_back(api.Call("DescribeRegions", json::object(), "")["RequestId"]);
  ids.push_back(api.Call("DescribeZones")["RequestId"]);
  ids.push_back(api.Call("DescribeZones", json::object(), "ap-nowhere-1")["RequestId"]);
  ids.push_back(api.Call("NoSuchAction")["RequestId"]);
  ids.push_back(api.Call("DescribeKeyPairs")["RequestId"]);
  cvm::server::HttpRequest oversize;
  oversize.method = "POST";
  oversize.target = "/";
  cvm::server::HttpResponse refused = api.emulator().Refuse(
      oversize, std::chrono::steady_clock::now(), "RequestSizeLimitExceeded", "too large");
  ids.push_back(json::parse(refused.body)["Response"]["RequestId"]);
  return ids;
}

void Seed43(cvm::server::EmulatorOptions& options) { options.seed = 43; }

TEST_CASE("RequestIds: two emulators with the same seed answer the same RequestIds, request after request") {
  TestApi first, second;  // seed 42
  std::vector<std::string> a = RequestIdsOf(first), b = RequestIdsOf(second);
  CHECK(a == b);
  CHECK(std::set<std::string>(a.begin(), a.end()).size() == a.size());
  for (const std::string& id : a) {
    INFO(id);
    CHECK(IsUuidV4Id(id));
  }
}

TEST_CASE("RequestIds: another seed answers other RequestIds") {
  TestApi seed42, seed43(Seed43);
  std::vector<std::string> a = RequestIdsOf(seed42), b = RequestIdsOf(seed43);
  for (size_t i = 0; i < a.size(); ++i) CHECK(a[i] != b[i]);
}

TEST_CASE("RequestIds: answering requests does not change the resource IDs the seed gives") {
  TestApi quiet, busy;
  for (int i = 0; i < 5; ++i) busy.Call("DescribeRegions", json::object(), "");
  json params = {{"KeyName", "k1"}, {"ProjectId", 0}};
  json from_quiet = quiet.Call("CreateKeyPair", params), from_busy = busy.Call("CreateKeyPair", params);
  REQUIRE(cvm::testing::CodeOf(from_quiet) == "");
  REQUIRE(cvm::testing::CodeOf(from_busy) == "");
  CHECK(from_quiet["KeyPair"]["KeyId"] == from_busy["KeyPair"]["KeyId"]);
  CHECK(from_quiet["RequestId"] != from_busy["RequestId"]);
}

}  // namespace
