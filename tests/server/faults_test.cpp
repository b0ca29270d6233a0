// Fault injection through the control plane and the pipeline (README "Fault
// injection"): rules as POST /_emulator/faults reads them, their validation,
// errors before dispatch, effects after the commit, the transport effects
// the pipeline hands the socket layer, and --faults FILE.
#include <doctest/doctest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "server/emulator.h"
#include "state/settings.h"
#include "tests/handlers/instance_test_support.h"
#include "tests/support/test_api.h"

namespace faults_test {

using cvm::server::HttpRequest;
using cvm::server::HttpResponse;
using cvm::server::TransportEffect;
using cvm::testing::CodeOf;
using cvm::testing::TestApi;
using cvm::testing::instances::IdsOf;
using cvm::testing::instances::RunParams;
using nlohmann::json;

struct ControlAnswer {
  int status;
  json body;
};

ControlAnswer Control(TestApi& api, const std::string& method, const std::string& path,
                      const json& body = nullptr) {
  HttpRequest req;
  req.method = method;
  req.target = "/_emulator/" + path;
  if (!body.is_null()) {
    req.body = body.dump();
    req.headers.emplace_back("content-type", "application/json");
  }
  HttpResponse r = api.emulator().Handle(req);
  return {r.status, json::parse(r.body)};
}

// A signed-style request the way TestApi sends it, answered raw.
HttpResponse Raw(TestApi& api, const std::string& action, const json& params) {
  HttpRequest req;
  req.method = "POST";
  req.target = "/";
  req.body = params.dump();
  req.headers = {{"content-type", "application/json"},
                 {"x-tc-action", action},
                 {"x-tc-version", "2017-03-12"},
                 {"x-tc-region", "ap-guangzhou"}};
  return api.emulator().Handle(req);
}

int64_t TotalInstances(TestApi& api) {
  return api.Call("DescribeInstances")["TotalCount"].get<int64_t>();
}

TEST_CASE("Fault control: a malformed rule is 400 naming the field, and nothing changes") {
  TestApi api;
  REQUIRE(Control(api, "POST", "faults", {{"action", "DescribeRegions"}, {"code", "InternalError"}})
              .status == 200);
  struct Case {
    json body;
    std::string error;
  };
  const Case cases[] = {
      {{{"code", "NoSuchCode"}}, "effect.code: NoSuchCode is not an error code of the API"},
      {{{"code", "InternalError"}, {"probability", 1.5}}, "trigger.probability must be between 0 and 1"},
      {{{"code", "InternalError"}, {"probability", -0.1}}, "trigger.probability must be between 0 and 1"},
      {{{"code", "InternalError"}, {"count", 0}},
       "trigger.count must be a positive whole number, or -1 for until deleted"},
      {{{"action", "NoSuchAction"}, {"code", "InternalError"}},
       "match.action: unknown action NoSuchAction"},
      {{{"match", {{"region", "mars-1"}}}, {"effect", {{"type", "reset"}}}},
       "match.region: unknown region mars-1"},
      {{{"effect", {{"type", "explode"}}}},
       "effect.type must be one of error, latency, reset, close, hold, gateway, truncate, malformed, "
       "stuck, hide_new"},
      {{{"effect", {{"type", "gateway"}, {"status", 500}}}}, "effect.status must be 502, 503 or 504"},
      {{{"effect", {{"type", "latency"}, {"delay_ms", -1}}}},
       "effect.delay_ms must be a whole number from 0 to 300000"},
      {{{"effect", {{"type", "error"}}}}, "effect.code is required for an error effect"},
      {{{"trigger", {{"every_nth", 0}}}, {"code", "InternalError"}},
       "trigger.every_nth must be a whole number from 1 to 9223372036854775807"},
      {{{"code", "InternalError"}, {"colour", "red"}}, "unknown field colour"},
      {{{"match", "RunInstances"}, {"code", "InternalError"}}, "match must be a JSON object"},
      {{{"id", "fault-1"}, {"code", "InternalError"}}, "id fault-1 is taken by another rule"},
      {{{"rules", {{{"code", "InternalError"}}, {{"code", "Nope"}}}}},
       "rules[1]: effect.code: Nope is not an error code of the API"},
      {{{"launch_failure_probability", 2}}, "launch_failure_probability must be between 0 and 1"},
  };
  for (const Case& c : cases) {
    INFO(c.body.dump());
    ControlAnswer a = Control(api, "POST", "faults", c.body);
    CHECK(a.status == 400);
    CHECK(a.body["error"] == c.error);
  }
  ControlAnswer listed = Control(api, "GET", "faults");
  CHECK(listed.body["rules"].size() == 1);
  CHECK(listed.body["launch_failure_probability"] == 0);
}

TEST_CASE("Fault control: the simple form injects once; the rule stays listed with its counters") {
  TestApi api;
  ControlAnswer added = Control(api, "POST", "faults",
                                {{"action", "DescribeZones"}, {"code", "InternalError"},
                                 {"count", 1}, {"probability", 1}});
  REQUIRE(added.status == 200);
  CHECK(added.body["added"] == json{"fault-1"});
  CHECK(added.body["faults"].size() == 1);
  CHECK(CodeOf(api.Call("DescribeRegions")) == "");
  json faulted = api.Call("DescribeZones");
  CHECK(CodeOf(faulted) == "InternalError");
  CHECK(faulted["Error"]["Message"] == cvm::ApiError::Make(cvm::errors::kInternalError).message());
  CHECK(CodeOf(api.Call("DescribeZones")) == "");
  ControlAnswer listed = Control(api, "GET", "faults");
  CHECK(listed.body["faults"].empty());
  REQUIRE(listed.body["rules"].size() == 1);
  const json& rule = listed.body["rules"][0];
  CHECK(rule["id"] == "fault-1");
  CHECK(rule["matched"] == 1);
  CHECK(rule["fired"] == 1);
  CHECK(rule["active"] == false);
  CHECK(rule["effect"] == json{{"type", "error"}, {"code", "InternalError"}});
}

TEST_CASE("Fault control: a given message, delete one rule, clear all, reset clears") {
  TestApi api;
  REQUIRE(Control(api, "POST", "faults",
                  {{"rules",
                    {{{"id", "a"}, {"action", "DescribeZones"}, {"code", "RequestLimitExceeded"},
                      {"message", "slow down"}},
                     {{"id", "b"}, {"action", "DescribeRegions"}, {"code", "InternalError"}}}}})
              .status == 200);
  json zones = api.Call("DescribeZones");
  CHECK(CodeOf(zones) == "RequestLimitExceeded");
  CHECK(zones["Error"]["Message"] == "slow down");
  CHECK(Control(api, "POST", "faults/delete", {{"id", "a"}}).status == 200);
  CHECK(Control(api, "POST", "faults/delete", {{"id", "a"}}).status == 404);
  CHECK(CodeOf(api.Call("DescribeZones")) == "");
  CHECK(CodeOf(api.Call("DescribeRegions")) == "InternalError");
  CHECK(Control(api, "POST", "faults/clear").body["rules"].empty());
  CHECK(CodeOf(api.Call("DescribeRegions")) == "");
  REQUIRE(Control(api, "POST", "faults", {{"code", "InternalError"}}).status == 200);
  CHECK(Control(api, "POST", "reset").status == 200);
  CHECK(Control(api, "GET", "faults").body["rules"].empty());
}

TEST_CASE("Fault control: host_launch_failure_probability is a setting beside the rules") {
  TestApi api;
  ControlAnswer set = Control(api, "POST", "faults", {{"host_launch_failure_probability", 0.5}});
  REQUIRE(set.status == 200);
  CHECK(set.body["host_launch_failure_probability"] == 0.5);
  CHECK(set.body["rules"].empty());
  CHECK(api.emulator().settings().host_launch_failure_probability() == 0.5);
  ControlAnswer refused = Control(api, "POST", "faults", {{"host_launch_failure_probability", 2}});
  CHECK(refused.status == 400);
  CHECK(refused.body["field"] == "host_launch_failure_probability");
  CHECK(Control(api, "GET", "faults").body["host_launch_failure_probability"] == 0.5);
  CHECK(Control(api, "POST", "faults/clear").body["host_launch_failure_probability"] == 0);
  REQUIRE(Control(api, "POST", "faults", {{"host_launch_failure_probability", 1}}).status == 200);
  CHECK(Control(api, "POST", "reset").status == 200);
  CHECK(api.emulator().settings().host_launch_failure_probability() == 0);
}

TEST_CASE("Faults: the journal's entry names the rule that fired and its effect") {
  TestApi api;
  REQUIRE(Control(api, "POST", "faults", {{"id", "z"}, {"action", "DescribeZones"}, {"code", "InternalError"}})
              .status == 200);
  CHECK(CodeOf(api.Call("DescribeZones")) == "InternalError");
  CHECK(CodeOf(api.Call("DescribeRegions")) == "");
  ControlAnswer zones = Control(api, "GET", "requests?action=DescribeZones");
  REQUIRE(zones.body["requests"].size() == 1);
  CHECK(zones.body["requests"][0]["Fault"] == "z error InternalError");
  ControlAnswer regions = Control(api, "GET", "requests?action=DescribeRegions");
  REQUIRE(regions.body["requests"].size() == 1);
  CHECK(regions.body["requests"][0]["Fault"].is_null());
}

TEST_CASE("Faults: an error before dispatch applies nothing") {
  TestApi api;
  REQUIRE(Control(api, "POST", "faults", {{"action", "RunInstances"}, {"code", "ResourceInsufficient"}})
              .status == 200);
  CHECK(CodeOf(api.Call("RunInstances", RunParams())) == "ResourceInsufficient");
  CHECK(TotalInstances(api) == 0);
}

TEST_CASE("Faults: after the commit, RunInstances took effect; its ClientToken retry returns the same IDs") {
  TestApi api;
  REQUIRE(Control(api, "POST", "faults",
                  {{"match", {{"action", "RunInstances"}}},
                   {"trigger", {{"count", 1}}},
                   {"effect", {{"type", "error"}, {"code", "InternalError"}, {"after_commit", true}}}})
              .status == 200);
  json params = RunParams({{"ClientToken", "retry-after-commit"}});
  json first = api.Call("RunInstances", params);
  CHECK(CodeOf(first) == "InternalError");
  CHECK(TotalInstances(api) == 1);
  json retry = api.Call("RunInstances", params);
  REQUIRE(CodeOf(retry) == "");
  std::vector<std::string> ids = IdsOf(retry);
  REQUIRE(ids.size() == 1);
  CHECK(api.Call("DescribeInstances")["InstanceSet"][0]["InstanceId"] == ids[0]);
  CHECK(TotalInstances(api) == 1);
}

TEST_CASE("Faults: transport effects are handed to the socket layer on the answer") {
  TestApi api;
  REQUIRE(Control(api, "POST", "faults",
                  {{"rules",
                    {{{"id", "slow"}, {"effect", {{"type", "latency"}, {"delay_ms", 250}}}},
                     {{"id", "rst"}, {"action", "DescribeZones"}, {"effect", {{"type", "reset"}}}},
                     {{"id", "hold"}, {"action", "DescribeRegions"},
                      {"effect", {{"type", "hold"}, {"hold_ms", 2000}}}},
                     {{"id", "gw"}, {"action", "DescribeInstanceFamilyConfigs"},
                      {"effect", {{"type", "gateway"}, {"status", 502}}}},
                     {{"id", "cut"}, {"action", "DescribeKeyPairs"}, {"effect", {{"type", "truncate"}}}},
                     {{"id", "bad"}, {"action", "DescribeImages"}, {"effect", {{"type", "malformed"}}}},
                     {{"id", "drop"}, {"action", "RunInstances"},
                      {"effect", {{"type", "close"}, {"after_commit", true}}}}}}})
              .status == 200);
  HttpResponse rst = Raw(api, "DescribeZones", json::object());
  CHECK(rst.transport.action == TransportEffect::Action::kReset);
  CHECK(rst.transport.delay == std::chrono::milliseconds(250));

  HttpResponse hold = Raw(api, "DescribeRegions", json::object());
  CHECK(hold.transport.action == TransportEffect::Action::kClose);
  CHECK(hold.transport.delay == std::chrono::milliseconds(2250));

  HttpResponse gw = Raw(api, "DescribeInstanceFamilyConfigs", json::object());
  CHECK(gw.status == 502);
  CHECK(gw.content_type == "text/html");
  CHECK(gw.body.find("<h1>502 Bad Gateway</h1>") != std::string::npos);

  HttpResponse cut = Raw(api, "DescribeKeyPairs", json::object());
  CHECK(cut.status == 200);
  CHECK(json::parse(cut.body, nullptr, false).is_discarded());
  CHECK(cut.body.rfind("{\"Response\":", 0) == 0);

  HttpResponse bad = Raw(api, "DescribeImages", json::object());
  CHECK(json::parse(bad.body, nullptr, false).is_discarded());

  // Dropped after the commit: the instance exists.
  HttpResponse drop = Raw(api, "RunInstances", RunParams());
  CHECK(drop.transport.action == TransportEffect::Action::kClose);
  CHECK(TotalInstances(api) == 1);

  ControlAnswer listed = Control(api, "GET", "faults");
  for (const json& r : listed.body["rules"]) {
    INFO(r.dump());
    CHECK(r["fired"].get<int64_t>() >= 1);
  }
}

std::string& RulesFile() {
  static std::string path;
  return path;
}

TEST_CASE("Faults: --faults FILE loads rules at start; reset clears them") {
  RulesFile() = (std::filesystem::temp_directory_path() / "cvm_faults_test_rules.json").string();
  {
    std::ofstream out(RulesFile());
    out << R"({"rules": [{"id": "boot", "action": "DescribeRegions", "code": "InternalError"}]})";
  }
  TestApi api([](cvm::server::EmulatorOptions& o) { o.faults_file = RulesFile(); });
  CHECK(CodeOf(api.Call("DescribeRegions")) == "InternalError");
  CHECK(Control(api, "GET", "faults").body["rules"][0]["id"] == "boot");
  Control(api, "POST", "reset");
  CHECK(CodeOf(api.Call("DescribeRegions")) == "");
  {
    std::ofstream out(RulesFile());
    out << R"([{"action": "DescribeRegions", "code": "Nope"}])";
  }
  CHECK_THROWS_WITH_AS(TestApi([](cvm::server::EmulatorOptions& o) { o.faults_file = RulesFile(); }),
                       doctest::Contains("rules[0]: effect.code: Nope is not an error code of the API"),
                       std::runtime_error);
  std::remove(RulesFile().c_str());
}

using cvm::testing::instances::Running;
using cvm::testing::instances::StateOf;
using cvm::testing::instances::Stopped;

TEST_CASE("Stuck: an instance stays STOPPING until the rule is deleted, refuses what STOPPING refuses, then shows STOPPED") {
  TestApi api;
  std::string id = Running(api);
  std::string other = Running(api);
  json rule = {{"id", "stuck-stop"},
               {"match", {{"resource_id", id}}},
               {"effect", {{"type", "stuck"}, {"phase", "STOPPING"}}}};
  ControlAnswer added = Control(api, "POST", "faults", rule);
  REQUIRE(added.status == 200);
  CHECK(added.body["rules"][0]["effect"] == json{{"type", "stuck"}, {"phase", "STOPPING"}});
  REQUIRE(CodeOf(api.Call("StopInstances", {{"InstanceIds", {id, other}}})) == "");
  api.Advance(3600);
  CHECK(StateOf(api, id) == "STOPPING");
  CHECK(StateOf(api, other) == "STOPPED");
  json described = api.Call("DescribeInstances", {{"InstanceIds", {id}}});
  CHECK(described["InstanceSet"][0]["InstanceState"] == "STOPPING");
  CHECK(CodeOf(api.Call("StartInstances", {{"InstanceIds", {id}}})) ==
        "UnsupportedOperation.InstanceStateStopping");
  CHECK(CodeOf(api.Call("TerminateInstances", {{"InstanceIds", {id}}})) ==
        "UnsupportedOperation.InstanceStateStopping");
  REQUIRE(Control(api, "POST", "faults/delete", {{"id", "stuck-stop"}}).status == 200);
  CHECK(StateOf(api, id) == "STOPPED");
  CHECK(CodeOf(api.Call("StartInstances", {{"InstanceIds", {id}}})) == "");
  CHECK(StateOf(api, id) == "STARTING");
}

TEST_CASE("Stuck: a rule without resource_id holds every instance of the phase; other phases run on") {
  TestApi api;
  std::string stopped = Stopped(api);
  std::string running = Running(api);
  REQUIRE(Control(api, "POST", "faults", {{"effect", {{"type", "stuck"}, {"phase", "STARTING"}}}}).status ==
          200);
  REQUIRE(CodeOf(api.Call("StartInstances", {{"InstanceIds", {stopped}}})) == "");
  REQUIRE(CodeOf(api.Call("RebootInstances", {{"InstanceIds", {running}}})) == "");
  api.Advance(600);
  CHECK(StateOf(api, stopped) == "STARTING");
  CHECK(StateOf(api, running) == "RUNNING");
  REQUIRE(Control(api, "POST", "faults/clear").status == 200);
  CHECK(StateOf(api, stopped) == "RUNNING");
}

TEST_CASE("Stuck: a malformed stuck rule is 400 naming the field, and adds nothing") {
  TestApi api;
  struct Case {
    json body;
    std::string error;
  };
  const Case cases[] = {
      {{{"effect", {{"type", "stuck"}}}}, "effect.phase is required for a stuck effect"},
      {{{"effect", {{"type", "stuck"}, {"phase", "RUNNING"}}}},
       "effect.phase must be one of PENDING, STARTING, STOPPING, REBOOTING"},
      {{{"effect", {{"type", "stuck"}, {"phase", "TERMINATING"}}}},
       "effect.phase must be one of PENDING, STARTING, STOPPING, REBOOTING"},
      {{{"action", "StopInstances"}, {"effect", {{"type", "stuck"}, {"phase", "STOPPING"}}}},
       "match.action does not apply to a stuck effect"},
      {{{"count", 1}, {"effect", {{"type", "stuck"}, {"phase", "STOPPING"}}}},
       "trigger.count, probability, every_nth and after do not apply to a stuck effect (from and "
       "until do)"},
  };
  for (const Case& c : cases) {
    INFO(c.body.dump());
    ControlAnswer a = Control(api, "POST", "faults", c.body);
    CHECK(a.status == 400);
    CHECK(a.body["error"] == c.error);
  }
  CHECK(Control(api, "GET", "faults").body["rules"].empty());
}

TEST_CASE("Hide new: a malformed hide_new rule is 400 naming the field, and adds nothing") {
  TestApi api;
  struct Case {
    json body;
    std::string field, error;
  };
  const Case cases[] = {
      {{{"effect", {{"type", "hide_new"}}}}, "effect",
       "effect.seconds is required for a hide_new effect"},
      {{{"effect", {{"type", "hide_new"}, {"seconds", 0}}}}, "effect.seconds",
       "effect.seconds must be a whole number from 1 to 86400"},
      {{{"effect", {{"type", "hide_new"}, {"seconds", 86401}}}}, "effect.seconds",
       "effect.seconds must be a whole number from 1 to 86400"},
      {{{"effect", {{"type", "hide_new"}, {"seconds", 1.5}}}}, "effect.seconds",
       "effect.seconds must be a whole number from 1 to 86400"},
      {{{"effect", {{"type", "hide_new"}, {"seconds", "ten"}}}}, "effect.seconds",
       "effect.seconds must be a whole number from 1 to 86400"},
      {{{"effect", {{"type", "hide_new"}, {"seconds", 10}, {"after_commit", true}}}}, "effect",
       "effect.after_commit does not apply to a hide_new effect"},
      {{{"action", "RunInstances"}, {"effect", {{"type", "hide_new"}, {"seconds", 10}}}}, "match",
       "match.action RunInstances does not list resources: a hide_new effect applies to "
       "DescribeInstances, DescribeInstancesStatus, DescribeImages, DescribeKeyPairs, "
       "DescribeHosts and DescribeDisasterRecoverGroups (or *)"},
      {{{"effect", {{"type", "latency"}, {"seconds", 10}}}}, "effect",
       "effect.seconds is only for a hide_new effect"},
  };
  for (const Case& c : cases) {
    INFO(c.body.dump());
    ControlAnswer a = Control(api, "POST", "faults", c.body);
    CHECK(a.status == 400);
    CHECK(a.body["field"] == c.field);
    CHECK(a.body["error"] == c.error);
  }
  CHECK(Control(api, "GET", "faults").body["rules"].empty());
  ControlAnswer ok = Control(api, "POST", "faults",
                             {{"id", "lag"},
                              {"match", {{"action", "DescribeImages"}}},
                              {"trigger", {{"count", 3}}},
                              {"effect", {{"type", "hide_new"}, {"seconds", 90}}}});
  REQUIRE(ok.status == 200);
  CHECK(ok.body["rules"][0]["effect"] == json{{"type", "hide_new"}, {"seconds", 90}});
  CHECK(ok.body["rules"][0]["trigger"]["count"] == 3);
}

using cvm::testing::kSecretB;
using cvm::testing::instances::Describe;
using cvm::testing::instances::LaunchOne;

// The TotalCount and the IDs under `key` of an answer's set `set`.
std::pair<int64_t, std::vector<std::string>> Listed(const json& r, const std::string& set,
                                                    const std::string& key) {
  REQUIRE_MESSAGE(CodeOf(r) == "", r.dump());
  std::vector<std::string> ids;
  for (const json& one : r[set]) ids.push_back(one[key].get<std::string>());
  return {r["TotalCount"].get<int64_t>(), ids};
}

TEST_CASE("Hide new: a new instance is left out of DescribeInstances and DescribeInstancesStatus for N emulator seconds; actions on it work") {
  TestApi api;
  std::string old = Running(api);
  api.Advance(60);  // old enough to be seen
  REQUIRE(Control(api, "POST", "faults",
                  {{"id", "lag"}, {"effect", {{"type", "hide_new"}, {"seconds", 30}}}})
              .status == 200);
  std::string fresh = LaunchOne(api);
  // By ID: what an ID that does not exist gets, an empty set.
  auto by_id = Listed(api.Call("DescribeInstances", {{"InstanceIds", {fresh}}}), "InstanceSet", "InstanceId");
  CHECK(by_id.first == 0);
  CHECK(by_id.second.empty());
  CHECK(by_id == Listed(api.Call("DescribeInstances", {{"InstanceIds", {"ins-zzzzzzzz"}}}), "InstanceSet",
                        "InstanceId"));
  auto all = Listed(api.Call("DescribeInstances"), "InstanceSet", "InstanceId");
  CHECK(all.first == 1);
  CHECK(all.second == std::vector<std::string>{old});
  auto status = Listed(api.Call("DescribeInstancesStatus"), "InstanceStatusSet", "InstanceId");
  CHECK(status.first == 1);
  CHECK(status.second == std::vector<std::string>{old});
  auto zone = Listed(api.Call("DescribeInstances", {{"Filters", {{{"Name", "zone"}, {"Values", {"ap-guangzhou-3"}}}}}}),
                     "InstanceSet", "InstanceId");
  CHECK(zone.first == static_cast<int64_t>(zone.second.size()));
  CHECK(std::find(zone.second.begin(), zone.second.end(), fresh) == zone.second.end());
  // The instance is real: an action on its ID is taken as for any other.
  api.Advance(10);  // RUNNING, 10 s old
  CHECK(CodeOf(api.Call("StopInstances", {{"InstanceIds", {fresh}}})) == "");
  CHECK(Describe(api, fresh).is_null());
  api.Advance(19);  // 29 s old
  CHECK(Describe(api, fresh).is_null());
  api.Advance(1);  // 30 s: seen, STOPPED by the call made while it was unseen
  json seen = Describe(api, fresh);
  REQUIRE_FALSE(seen.is_null());
  CHECK(seen["InstanceState"] == "STOPPED");
  CHECK(Listed(api.Call("DescribeInstances"), "InstanceSet", "InstanceId").first == 2);
  // The rule fired for every Describe call, and for nothing else.
  json rule = Control(api, "GET", "faults").body["rules"][0];
  CHECK(rule["matched"] == rule["fired"]);
  CHECK(rule["fired"] == 9);
}

TEST_CASE("Hide new: deleting the rule shows every new resource at once; another account's rule hides nothing here") {
  TestApi api;
  json other_account = {{"id", "theirs"},
                        {"match", {{"app_id", 1250000001}}},
                        {"effect", {{"type", "hide_new"}, {"seconds", 600}}}};
  REQUIRE(Control(api, "POST", "faults", other_account).status == 200);
  std::string mine = LaunchOne(api);
  std::string theirs = LaunchOne(api, json::object(), "ap-guangzhou", kSecretB);
  CHECK_FALSE(Describe(api, mine).is_null());
  CHECK(Describe(api, theirs, "ap-guangzhou", kSecretB).is_null());
  REQUIRE(Control(api, "POST", "faults", {{"id", "mine"}, {"effect", {{"type", "hide_new"}, {"seconds", 600}}}})
              .status == 200);
  CHECK(Describe(api, mine).is_null());
  REQUIRE(Control(api, "POST", "faults/delete", {{"id", "mine"}}).status == 200);
  CHECK_FALSE(Describe(api, mine).is_null());
  REQUIRE(Control(api, "POST", "faults/clear").status == 200);
  CHECK_FALSE(Describe(api, theirs, "ap-guangzhou", kSecretB).is_null());
}

TEST_CASE("Hide new: custom images, key pairs, hosts and placement groups are left out while new; public images never") {
  TestApi api;
  std::string stopped = Stopped(api);
  json key = api.Call("CreateKeyPair", {{"KeyName", "old"}, {"ProjectId", 0}});
  REQUIRE(CodeOf(key) == "");
  api.Advance(120);
  REQUIRE(Control(api, "POST", "faults", {{"effect", {{"type", "hide_new"}, {"seconds", 60}}}}).status == 200);
  int64_t public_images = Listed(api.Call("DescribeImages", {{"Limit", 100}}), "ImageSet", "ImageId").first;
  REQUIRE(public_images > 0);
  REQUIRE(CodeOf(api.Call("CreateImage", {{"InstanceId", stopped}, {"ImageName", "fresh"}})) == "");
  json fresh_key = api.Call("CreateKeyPair", {{"KeyName", "fresh"}, {"ProjectId", 0}});
  REQUIRE(CodeOf(fresh_key) == "");
  json host = api.Call("AllocateHosts", {{"Placement", {{"Zone", "ap-guangzhou-3"}}},
                                         {"HostChargePrepaid", {{"Period", 1}}}});
  REQUIRE(CodeOf(host) == "");
  std::string host_id = host["HostIdSet"][0].get<std::string>();
  json group = api.Call("CreateDisasterRecoverGroup", {{"Name", "g"}, {"Type", "SW"}});
  REQUIRE(CodeOf(group) == "");
  std::string group_id = group["DisasterRecoverGroupId"].get<std::string>();

  auto images = [&] { return Listed(api.Call("DescribeImages", {{"Limit", 100}}), "ImageSet", "ImageId"); };
  auto privates = [&] {
    return Listed(api.Call("DescribeImages", {{"Filters", {{{"Name", "image-type"}, {"Values", {"PRIVATE_IMAGE"}}}}}}),
                  "ImageSet", "ImageId");
  };
  auto keys = [&](json p) { return Listed(api.Call("DescribeKeyPairs", p), "KeyPairSet", "KeyId"); };
  auto hosts = [&](json p) { return Listed(api.Call("DescribeHosts", p), "HostSet", "HostId"); };
  auto groups = [&](json p) {
    return Listed(api.Call("DescribeDisasterRecoverGroups", p), "DisasterRecoverGroupSet", "DisasterRecoverGroupId");
  };
  CHECK(images().first == public_images);
  CHECK(privates().first == 0);
  CHECK(keys(json::object()).second == std::vector<std::string>{key["KeyPair"]["KeyId"].get<std::string>()});
  CHECK(keys({{"KeyIds", {fresh_key["KeyPair"]["KeyId"]}}}).first == 0);
  CHECK(hosts(json::object()).first == 0);
  CHECK(hosts({{"Filters", {{{"Name", "host-id"}, {"Values", {host_id}}}}}}).second.empty());
  CHECK(groups(json::object()).first == 0);
  CHECK(groups({{"DisasterRecoverGroupIds", {group_id}}}).second.empty());
  // Real meanwhile: the new group can be renamed, the new key pair deleted.
  CHECK(CodeOf(api.Call("ModifyDisasterRecoverGroupAttribute",
                        {{"DisasterRecoverGroupId", group_id}, {"Name", "renamed"}})) == "");
  api.Advance(60);
  CHECK(images().first == public_images + 1);
  CHECK(privates().first == 1);
  CHECK(keys(json::object()).first == 2);
  CHECK(hosts(json::object()).second == std::vector<std::string>{host_id});
  auto shown = groups({{"DisasterRecoverGroupIds", {group_id}}});
  CHECK(shown.second == std::vector<std::string>{group_id});
  // By ImageIds, while new (the clock set back 30 s): what an unknown ID gets.
  std::vector<std::string> mine = privates().second;
  REQUIRE(mine.size() == 1);
  auto& clock = api.emulator().clock();
  clock.Set(clock.NowMs() - 30'000);
  auto by_id = Listed(api.Call("DescribeImages", {{"ImageIds", {mine[0]}}}), "ImageSet", "ImageId");
  CHECK(by_id.first == 0);
  CHECK(by_id == Listed(api.Call("DescribeImages", {{"ImageIds", {"img-zzzzzzzz"}}}), "ImageSet", "ImageId"));
  CHECK(privates().first == 0);
}

TEST_CASE("Hide new: a count-2 rule: the next two Describe calls see the lag, the third does not; other calls do not count") {
  TestApi api;
  REQUIRE(Control(api, "POST", "faults",
                  {{"id", "twice"}, {"count", 2}, {"effect", {{"type", "hide_new"}, {"seconds", 600}}}})
              .status == 200);
  std::string id = LaunchOne(api);
  CHECK(CodeOf(api.Call("DescribeZones")) == "");
  CHECK(Describe(api, id).is_null());
  CHECK(StateOf(api, id) == "");
  CHECK(StateOf(api, id) == "PENDING");
  json rule = Control(api, "GET", "faults").body["rules"][0];
  CHECK(rule["matched"] == 2);
  CHECK(rule["fired"] == 2);
  CHECK(rule["active"] == false);
  // The journal names the rule on the calls it fired for.
  ControlAnswer listed = Control(api, "GET", "requests?action=DescribeInstances");
  REQUIRE(listed.body["requests"].size() == 1);
  CHECK(listed.body["requests"][0]["Fault"] == "twice hide_new 600s");
  ControlAnswer statuses = Control(api, "GET", "requests?action=DescribeInstancesStatus");
  REQUIRE(statuses.body["requests"].size() == 2);
  CHECK(statuses.body["requests"][0]["Fault"].is_null());  // newest first
  CHECK(statuses.body["requests"][1]["Fault"] == "twice hide_new 600s");
}

}  // namespace faults_test

