// Shared steps for the instance handler tests: the smallest valid
// RunInstances, launching instances into a known state, and reading state
// back through the API (never through the store), so every assertion is what
// a client would see.
#pragma once

#include <doctest/doctest.h>

#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "schema/errors.h"
#include "state/clock.h"
#include "tests/support/test_api.h"

namespace cvm::testing::instances {

using nlohmann::json;

inline constexpr const char* kRegion = "ap-guangzhou";
inline constexpr const char* kZone = "ap-guangzhou-3";
inline constexpr const char* kImage = "img-eb30mz89";  // CentOS 7.5 64位 (catalog)
inline constexpr const char* kImageOs = "CentOS 7.5 64位";
inline constexpr const char* kWindowsImage = "img-3wl8g0tt";  // Windows Server 2016 中文版
inline constexpr const char* kUnknownId = "ins-zzzzzzzz";  // well formed, never issued

// Default transition durations (state::Durations), in seconds.
inline constexpr double kPending = 10, kStarting = 5, kStopping = 5, kRebooting = 5,
                        kResetting = 15, kTerminating = 5;

// The smallest valid RunInstances, with `extra` merged over it.
inline json RunParams(const json& extra = json::object(), const std::string& zone = kZone) {
  json p = {{"Placement", {{"Zone", zone}}}, {"ImageId", kImage}};
  if (!extra.is_null()) p.update(extra);  // `{}` at a call site is null
  return p;
}

inline std::vector<std::string> IdsOf(const json& response) {
  std::vector<std::string> ids;
  if (response.contains("InstanceIdSet")) {
    for (const json& id : response["InstanceIdSet"]) ids.push_back(id.get<std::string>());
  }
  return ids;
}

// RunInstances that must succeed; the new IDs (still PENDING).
inline std::vector<std::string> Launch(TestApi& api, const json& extra = json::object(),
                                       const std::string& region = kRegion,
                                       const std::string& secret = kSecretA) {
  std::string zone = region == kRegion ? kZone : region + "-1";
  json r = api.Call("RunInstances", RunParams(extra, zone), region, secret);
  REQUIRE_MESSAGE(CodeOf(r) == "", r.dump());
  return IdsOf(r);
}

inline std::string LaunchOne(TestApi& api, const json& extra = json::object(),
                             const std::string& region = kRegion,
                             const std::string& secret = kSecretA) {
  std::vector<std::string> ids = Launch(api, extra, region, secret);
  REQUIRE(ids.size() == 1);
  return ids.front();
}

// The state DescribeInstancesStatus reports, or "" when the instance is not
// listed.
inline std::string StateOf(TestApi& api, const std::string& id, const std::string& region = kRegion,
                           const std::string& secret = kSecretA) {
  json r = api.Call("DescribeInstancesStatus", {{"InstanceIds", {id}}}, region, secret);
  REQUIRE_MESSAGE(CodeOf(r) == "", r.dump());
  for (const json& s : r["InstanceStatusSet"]) {
    if (s["InstanceId"] == id) return s["InstanceState"].get<std::string>();
  }
  return "";
}

// The instance as DescribeInstances shows it, or null when not listed.
inline json Describe(TestApi& api, const std::string& id, const std::string& region = kRegion,
                     const std::string& secret = kSecretA) {
  json r = api.Call("DescribeInstances", {{"InstanceIds", {id}}}, region, secret);
  REQUIRE_MESSAGE(CodeOf(r) == "", r.dump());
  for (const json& in : r["InstanceSet"]) {
    if (in["InstanceId"] == id) return in;
  }
  return nullptr;
}

// TotalCount of an unfiltered DescribeInstances.
inline int64_t TotalCount(TestApi& api, const std::string& region = kRegion,
                          const std::string& secret = kSecretA) {
  json r = api.Call("DescribeInstances", json::object(), region, secret);
  REQUIRE_MESSAGE(CodeOf(r) == "", r.dump());
  return r["TotalCount"].get<int64_t>();
}

// An action on instances that must succeed.
inline void Ok(TestApi& api, const std::string& action, const json& params) {
  json r = api.Call(action, params);
  REQUIRE_MESSAGE(CodeOf(r) == "", action << ": " << r.dump());
}

inline std::string Running(TestApi& api, const json& extra = json::object()) {
  std::string id = LaunchOne(api, extra);
  api.Advance(kPending);
  REQUIRE(StateOf(api, id) == "RUNNING");
  return id;
}

inline std::string Stopped(TestApi& api, const json& extra = json::object()) {
  std::string id = Running(api, extra);
  Ok(api, "StopInstances", {{"InstanceIds", {id}}});
  api.Advance(kStopping);
  REQUIRE(StateOf(api, id) == "STOPPED");
  return id;
}

// "YYYY-M-D hh:mm:ss" in Beijing time (UTC+8), the form of the document's
// ActionTimer.ActionTime example (2018-5-29 11:26:40).
inline std::string BeijingTime(int64_t utc_seconds) {
  std::string iso = state::FormatIso8601(utc_seconds + 8 * 3600);  // YYYY-MM-DDThh:mm:ssZ
  return std::to_string(std::stoi(iso.substr(0, 4))) + "-" + std::to_string(std::stoi(iso.substr(5, 2))) +
         "-" + std::to_string(std::stoi(iso.substr(8, 2))) + " " + iso.substr(11, 8);
}

// `n` well-formed instance IDs that were never issued.
inline json UnknownIds(int n) {
  json ids = json::array();
  for (int i = 0; i < n; ++i) {
    std::string digits = std::to_string(i);
    ids.push_back("ins-" + std::string(8 - digits.size(), '0') + digits);
  }
  return ids;
}

// Arranges for the next call of `action` to fail with `code` (the fault
// endpoint's path), then checks that `call` gets that code exactly once and
// succeeds the time after.
inline void ExpectInjectedOnce(TestApi& api, const std::string& action, const std::string& code,
                               const std::function<json()>& call) {
  api.Control("/_emulator/faults", {{"action", action}, {"code", code}, {"count", 1}});
  json first = call();
  CHECK(CodeOf(first) == code);
  json second = call();
  CHECK_MESSAGE(CodeOf(second) == "", second.dump());
}

}  // namespace cvm::testing::instances
