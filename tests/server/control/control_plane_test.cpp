// The control plane's boundary: whatever a request to /_emulator/ holds, the
// answer is JSON with a status, never an exception out of Handle (the
// process would end), and a refused request changes nothing.
#include "server/control/control_plane.h"

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <random>
#include <set>
#include <stdexcept>
#include <string>

#include "server/emulator.h"
#include "server/setting_table.h"
#include "state/settings.h"
#include "tests/support/test_api.h"

namespace {

using cvm::server::ControlPlane;
using cvm::server::HttpRequest;
using cvm::server::HttpResponse;
using cvm::testing::TestApi;
using nlohmann::json;
namespace control = cvm::server::control;

HttpRequest ControlRequest(std::string method, std::string target, std::string body = "",
                           std::string content_type = "application/json") {
  HttpRequest req;
  req.method = std::move(method);
  req.target = std::move(target);
  req.body = std::move(body);
  if (!req.body.empty()) req.headers.emplace_back("content-type", std::move(content_type));
  return req;
}

struct ControlAnswer {
  int status;
  json body;
};

ControlAnswer Send(TestApi& api, const HttpRequest& req) {
  HttpResponse r = api.emulator().Handle(req);
  CHECK(r.content_type == "application/json");
  json body = json::parse(r.body, nullptr, false);
  REQUIRE_MESSAGE(body.is_object(), r.body);
  if (r.status >= 400) CHECK(body["error"].is_string());
  return {r.status, body};
}

ControlAnswer Post(TestApi& api, const std::string& path, const std::string& body = "") {
  return Send(api, ControlRequest("POST", "/_emulator/" + path, body));
}

json Faults(TestApi& api) {
  return Send(api, ControlRequest("GET", "/_emulator/faults")).body;
}

TEST_CASE("Control: POST /_emulator/faults with a number for action answers 400 naming action, not a crash") {
  TestApi api;
  ControlAnswer a = Post(api, "faults", R"({"action": 5, "code": "InternalError"})");
  CHECK(a.status == 400);
  CHECK(a.body["field"] == "action");
  CHECK(a.body["error"] == "match.action must be a string");
  CHECK(Faults(api)["faults"].empty());
}

TEST_CASE("Control: every field of /_emulator/faults of the wrong JSON type is a 400 naming it, and adds nothing") {
  TestApi api;
  const json kWrong[] = {json(nullptr), json(true), json::array({1}), json::object({{"a", 1}}),
                         json("x"), json(1.5)};
  for (const char* field : {"action", "code", "count", "probability", "launch_failure_probability"}) {
    for (const json& wrong : kWrong) {
      json body = {{"code", "InternalError"}, {"action", "RunInstances"}};
      body[field] = wrong;
      if (field == std::string("action") && wrong == json("x")) continue;  // a string: "unknown action"
      if ((field == std::string("probability") || field == std::string("launch_failure_probability")) &&
          wrong.is_number())
        continue;  // 1.5 is a number (out of range, below)
      INFO(body.dump());
      ControlAnswer a = Post(api, "faults", body.dump());
      CHECK(a.status == 400);
      CHECK(a.body["field"] == field);
    }
  }
  CHECK(Post(api, "faults", R"({"code":"InternalError","probability":1.5})").body["field"] ==
        "probability");
  CHECK(Faults(api)["faults"].empty());
  CHECK(Faults(api)["launch_failure_probability"] == 0);
}

TEST_CASE("Control: an unknown field is refused with 400 naming it, and the request changes nothing (D-90)") {
  TestApi api;
  int64_t before = api.emulator().clock().NowMs();
  ControlAnswer a = Post(api, "clock/advance", R"({"seconds": 60, "secnds": 1})");
  CHECK(a.status == 400);
  CHECK(a.body["field"] == "secnds");
  CHECK(api.emulator().clock().NowMs() == before);
  CHECK(Post(api, "clock/advance?seconds=60&x=1").body["field"] == "x");
  CHECK(api.emulator().clock().NowMs() == before);
  CHECK(Send(api, ControlRequest("GET", "/_emulator/durations?pending=0")).status == 400);
  CHECK(Post(api, "durations", R"({"pending": 0, "pendng": 0})").body["field"] == "pendng");
  CHECK(api.emulator().settings().durations().pending == cvm::state::Durations{}.pending);
}

TEST_CASE("Control: every route refuses an unknown field with 400 and keeps the clock, settings and faults") {
  TestApi api;
  for (const control::Route& route : control::AllRoutes()) {
    for (std::string method : {"GET", "POST"}) {
      if (!control::TakesMethod(route, method)) continue;
      INFO(method << " " << route.path);
      json durations = Send(api, ControlRequest("GET", "/_emulator/durations")).body;
      json quotas = Send(api, ControlRequest("GET", "/_emulator/quotas")).body;
      json faults = Faults(api);
      int64_t now = api.emulator().clock().NowMs();
      ControlAnswer a =
          Send(api, ControlRequest(method, "/_emulator/" + std::string(route.path) + "?no_such_field=1"));
      // 400 naming it, or naming a field the route requires first.
      CHECK(a.status == 400);
      CHECK(a.body["field"].is_string());
      CHECK(api.emulator().clock().NowMs() == now);
      CHECK(Send(api, ControlRequest("GET", "/_emulator/durations")).body == durations);
      CHECK(Send(api, ControlRequest("GET", "/_emulator/quotas")).body == quotas);
      CHECK(Faults(api) == faults);
    }
  }
}

HttpResponse Throws(control::Call&) { throw std::runtime_error("disk on fire"); }
HttpResponse ThrowsJson(control::Call& call) {
  return control::Reply(200, json{{"n", call.request.body.at(1'000'000)}});  // std::out_of_range
}
HttpResponse ThrowsInt(control::Call&) { throw 42; }

TEST_CASE("Control: a route that throws is answered 500 JSON {\"error\"}, whatever it throws") {
  TestApi api;
  static constexpr control::Route kThrowing[] = {
      {"boom", "POST", &Throws}, {"json", "POST", &ThrowsJson}, {"int", "POST", &ThrowsInt}};
  ControlPlane plane(api.emulator(), kThrowing);
  for (const char* path : {"boom", "json", "int"}) {
    INFO(path);
    HttpResponse r = plane.Handle(ControlRequest("POST", std::string("/_emulator/") + path));
    CHECK(r.status == 500);
    CHECK(r.content_type == "application/json");
    json body = json::parse(r.body);
    CHECK(body["error"] == "internal error while serving /_emulator/" + std::string(path) +
                               " (see the server log)");
  }
}

TEST_CASE("Control: route paths are unique and every route takes GET or POST") {
  std::set<std::string_view> paths;
  for (const control::Route& route : control::AllRoutes()) {
    INFO(route.path);
    CHECK(paths.insert(route.path).second);
    CHECK((control::TakesMethod(route, "GET") || control::TakesMethod(route, "POST")));
  }
  CHECK(paths.contains("health"));
  CHECK(paths.contains("faults"));
}

// Random requests at every route: random bytes, random JSON, known field
// names with values of every type. Each answer is JSON, 200 or 4xx; never a
// 500 (a bug) and never an exception.
json RandomValue(std::mt19937_64& rng, int depth = 0) {
  switch (rng() % (depth > 2 ? 7 : 9)) {
    case 0: return nullptr;
    case 1: return rng() % 2 == 0;
    case 2: return static_cast<int64_t>(rng());
    case 3: return static_cast<uint64_t>(rng());
    case 4: {
      const double kEdges[] = {0, -0.0, -1, 1e300, -1e300, 0.5, 1e-300, 9.2233720368547758e18,
                               253402300799.0, 1.7e308};
      return kEdges[rng() % std::size(kEdges)];
    }
    case 5: {
      const char* kStrings[] = {"", "0", "-1", "1e400", "nan", "inf", "InternalError", "*",
                                "RunInstances", "2024-02-30T00:00:00Z", "9999-12-31T23:59:59Z",
                                "100000000001", "\xff\xfe", "1250000000", "true", "deep"};
      return kStrings[rng() % std::size(kStrings)];
    }
    case 6: {
      std::string s(rng() % 8, '\0');
      for (char& c : s) c = static_cast<char>(rng());
      return s;
    }
    case 7: {
      json a = json::array();
      for (size_t n = rng() % 3; n > 0; --n) a.push_back(RandomValue(rng, depth + 1));
      return a;
    }
    default: {
      json o = json::object();
      for (size_t n = rng() % 3; n > 0; --n) o["k" + std::to_string(n)] = RandomValue(rng, depth + 1);
      return o;
    }
  }
}

TEST_CASE("Control: random bytes and random JSON at every route get a JSON answer, 200 or 4xx, never 500 or a throw") {
  TestApi api;
  std::vector<std::string> fields = {"seconds", "time", "action", "code", "count", "probability",
                                     "launch_failure_probability", "app_id", "uin", "deep", "x"};
  for (const auto& s : cvm::server::RunSettings()) fields.push_back(s.name);
  std::mt19937_64 rng(20261204);
  int answered = 0;
  for (int round = 0; round < 300; ++round) {
    for (const control::Route& route : control::AllRoutes()) {
      for (std::string method : {"GET", "POST", "HEAD", "PUT"}) {
        std::string body;
        std::string query;
        switch (rng() % 4) {
          case 0: {  // random bytes
            body.resize(rng() % 24);
            for (char& c : body) c = static_cast<char>(rng());
            break;
          }
          case 1:  // any JSON value
            body = RandomValue(rng).dump(-1, ' ', false, json::error_handler_t::replace);
            break;
          case 2: {  // an object of known fields
            json o = json::object();
            for (size_t n = 1 + rng() % 3; n > 0; --n) o[fields[rng() % fields.size()]] = RandomValue(rng);
            body = o.dump(-1, ' ', false, json::error_handler_t::replace);
            break;
          }
          default: {  // a query string
            query = "?" + fields[rng() % fields.size()] + "=" + std::to_string(rng() % 100);
            if (rng() % 2) query += "&%zz=%";
            break;
          }
        }
        HttpRequest req = ControlRequest(method, "/_emulator/" + std::string(route.path) + query, body);
        INFO(method << " " << req.target << " " << json(body).dump(-1, ' ', false, json::error_handler_t::replace));
        HttpResponse r;
        CHECK_NOTHROW(r = api.emulator().Handle(req));
        // JSON, but for the console's page and a followed journal.
        if (r.content_type == "application/json") CHECK(json::accept(r.body));
        CHECK(r.status != 500);
        CHECK((r.status == 200 || r.status == 400 || r.status == 405));
        ++answered;
      }
    }
  }
  CHECK(answered == 300 * 4 * static_cast<int>(control::AllRoutes().size()));
}

TEST_CASE("Control: GET /_emulator/resources lists the account's dedicated hosts and placement groups in the region") {
  TestApi api;
  json hosts = api.Call("AllocateHosts", {{"Placement", {{"Zone", "ap-guangzhou-3"}}},
                                          {"HostChargePrepaid", {{"Period", 1}}},
                                          {"HostCount", 2}});
  REQUIRE_MESSAGE(cvm::testing::CodeOf(hosts) == "", hosts.dump());
  json group = api.Call("CreateDisasterRecoverGroup", {{"Name", "web"}, {"Type", "SW"}});
  REQUIRE_MESSAGE(cvm::testing::CodeOf(group) == "", group.dump());
  // Another region's group is not listed.
  REQUIRE(cvm::testing::CodeOf(api.Call("CreateDisasterRecoverGroup",
                                        {{"Name", "far"}, {"Type", "HOST"}}, "ap-shanghai")) == "");

  ControlAnswer r =
      Send(api, ControlRequest("GET", "/_emulator/resources?app_id=1250000000&region=ap-guangzhou"));
  REQUIRE(r.status == 200);
  REQUIRE(r.body["hosts"].size() == 2);
  std::set<std::string> listed;
  for (const json& h : r.body["hosts"]) {
    listed.insert(h["HostId"].get<std::string>());
    CHECK(h["HostState"] == "PENDING");
    CHECK(h["HostType"] == "HS1");
    CHECK(h["Zone"] == "ap-guangzhou-3");
  }
  CHECK(listed == std::set<std::string>(hosts["HostIdSet"].begin(), hosts["HostIdSet"].end()));
  REQUIRE(r.body["placement_groups"].size() == 1);
  CHECK(r.body["placement_groups"][0]["DisasterRecoverGroupId"] == group["DisasterRecoverGroupId"]);
  CHECK(r.body["placement_groups"][0]["Name"] == "web");
  CHECK(r.body["placement_groups"][0]["Type"] == "SW");
}

}  // namespace
