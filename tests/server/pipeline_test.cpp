// The whole emulator in process: signed requests in, {"Response": …} out,
// with an in-memory database and fake clocks (no socket, no wall clock).
#include <doctest/doctest.h>

#include <cctype>
#include <chrono>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <string>

#include "handlers/registry.h"
#include "server/emulator.h"
#include "server/pipeline.h"
#include "server/request_log.h"
#include "state/clock.h"
#include "state/random.h"
#include "tests/server/signing_helpers.h"
#include "tests/support/temp_dir.h"

namespace {

using cvm::server::AuthSettings;
using cvm::server::Emulator;
using cvm::server::EmulatorOptions;
using cvm::server::HttpRequest;
using cvm::server::HttpResponse;
using cvm::server::LogLevel;
using cvm::server::Logger;
using cvm::state::FakeClock;
using nlohmann::json;
using namespace cvm::test;

constexpr int64_t kBaseMs = 1'700'000'000'000;  // emulator (virtual) time starts here

struct Answer {
  HttpResponse http;
  json body;
  const json& response() const { return body.at("Response"); }
  // The error code, or "" on success.
  std::string code() const {
    return response().contains("Error") ? response()["Error"]["Code"].get<std::string>() : "";
  }
  std::string message() const { return response()["Error"]["Message"].get<std::string>(); }
};

// One emulator over ":memory:" whose real (wall) time is the captures'
// reference instant and whose virtual time starts at kBaseMs.
struct Fixture {
  FakeClock wall{kReferenceTimestamp * 1000};
  FakeClock base{kBaseMs};
  Logger logger{LogLevel::kOff};
  Emulator emulator;

  explicit Fixture(AuthSettings auth = {}, bool ignore_unknown = false,
                   const std::string& db_path = ":memory:",
                   const cvm::handlers::Registry* registry = nullptr)
      : emulator(Options(auth, ignore_unknown, db_path, registry), logger) {}

  EmulatorOptions Options(const AuthSettings& auth, bool ignore_unknown, const std::string& db_path,
                          const cvm::handlers::Registry* registry) {
    EmulatorOptions options;
    options.db_path = db_path;
    options.registry = registry;
    options.auth = auth;
    options.ignore_unknown_params = ignore_unknown;
    options.seed = 42;
    options.base_clock = &base;
    options.wall_clock = &wall;
    return options;
  }

  // Signing options for a client whose clock agrees with the wall clock.
  SignOptions Client() const {
    SignOptions o;
    o.timestamp = wall.NowSeconds();
    return o;
  }

  Answer Send(const HttpRequest& req) {
    Answer a;
    a.http = emulator.Handle(req);
    a.body = json::parse(a.http.body);
    return a;
  }
  Answer Control(std::string method, std::string path, std::string body = "") {
    HttpRequest req;
    req.method = std::move(method);
    req.target = std::move(path);
    req.body = std::move(body);
    if (!req.body.empty()) req.headers.emplace_back("content-type", "application/json");
    Answer a;
    a.http = emulator.Handle(req);
    a.body = json::parse(a.http.body);
    return a;
  }
};

bool IsUuidV4(const std::string& s) {
  static const std::regex kUuid("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$");
  return std::regex_match(s, kUuid);
}

// ---------------------------------------------------------------------------
// Successful calls.

TEST_CASE("DescribeRegions without X-TC-Region lists the 19 regions with Region, RegionName and RegionState") {
  Fixture f;
  SignOptions o = f.Client();
  o.region = "";
  HttpRequest req = Tc3Post("DescribeRegions", "{}", o);
  REQUIRE(req.Header("x-tc-region") == nullptr);
  Answer a = f.Send(req);
  REQUIRE(a.code() == "");
  CHECK(a.response()["TotalCount"] == 19);
  const json& set = a.response()["RegionSet"];
  REQUIRE(set.size() == 19);
  CHECK(set[0]["Region"] == "ap-bangkok");
  CHECK(set[18]["Region"] == "na-toronto");
  for (const json& region : set) {
    INFO(region.dump());
    CHECK(region.size() == 3);
    CHECK(region["Region"].is_string());
    CHECK(region["RegionName"].is_string());
    CHECK(region["RegionState"] == "AVAILABLE");
  }
}

TEST_CASE("DescribeRegions answers the same over TC3 GET, v1 GET with HmacSHA1 and v1 POST with HmacSHA256") {
  Fixture f;
  Answer tc3_get = f.Send(Tc3Get("DescribeRegions", "", f.Client()));
  SignOptions second = f.Client();
  second.nonce = 1;
  Answer v1_get = f.Send(V1Call("GET", "DescribeRegions", {}, second, "HmacSHA1"));
  SignOptions third = f.Client();
  third.nonce = 2;
  Answer v1_post = f.Send(V1Call("POST", "DescribeRegions", {}, third, "HmacSHA256"));
  for (const Answer* a : {&tc3_get, &v1_get, &v1_post}) {
    REQUIRE(a->code() == "");
    CHECK(a->response()["TotalCount"] == 19);
    CHECK(a->response()["RegionSet"] == tc3_get.response()["RegionSet"]);
  }
}

TEST_CASE("DescribeZones in ap-guangzhou lists its zones with Zone, ZoneId, ZoneName and ZoneState") {
  Fixture f;
  Answer a = f.Send(Tc3Post("DescribeZones", "{}", f.Client()));
  REQUIRE(a.code() == "");
  const json& set = a.response()["ZoneSet"];
  REQUIRE(set.size() == 4);
  CHECK(a.response()["TotalCount"] == 4);
  for (const json& zone : set) {
    INFO(zone.dump());
    CHECK(zone.size() == 4);
    CHECK(zone["Zone"].get<std::string>().rfind("ap-guangzhou-", 0) == 0);
    CHECK(zone["ZoneId"].is_string());
    CHECK(zone["ZoneName"].is_string());
    CHECK(zone["ZoneState"].is_string());
  }
  CHECK(set[0]["Zone"] == "ap-guangzhou-1");
  CHECK(set[0]["ZoneId"] == "100001");
  CHECK(set[0]["ZoneState"] == "UNAVAILABLE");
  CHECK(set[2]["Zone"] == "ap-guangzhou-3");
  CHECK(set[2]["ZoneState"] == "AVAILABLE");
}

TEST_CASE("Every answer, success or error, is HTTP 200, Content-Type exactly application/json, with a UUID RequestId") {
  Fixture f;
  HttpRequest unsigned_request = Tc3Post("DescribeRegions", "{}", f.Client());
  RemoveHeader(unsigned_request, "authorization");
  HttpRequest put = Tc3Post("DescribeRegions", "{}", f.Client());
  put.method = "PUT";
  std::set<std::string> ids;
  for (const HttpRequest& req : {Tc3Post("DescribeRegions", "{}", f.Client()),
                                 Tc3Post("DescribeZones", "{}", f.Client()),
                                 Tc3Post("NoSuchAction", "{}", f.Client()), unsigned_request, put}) {
    Answer a = f.Send(req);
    INFO(a.http.body);
    CHECK(a.http.status == 200);
    CHECK(a.http.content_type == "application/json");
    CHECK(a.body.size() == 1);
    REQUIRE(a.response()["RequestId"].is_string());
    std::string id = a.response()["RequestId"];
    CHECK(IsUuidV4(id));
    ids.insert(id);
  }
  CHECK(ids.size() == 5);  // each answer has its own RequestId
}

TEST_CASE("Two identical requests get different RequestIds") {
  Fixture f;
  HttpRequest req = Tc3Post("DescribeRegions", "{}", f.Client());
  Answer first = f.Send(req), second = f.Send(req);
  REQUIRE(first.code() == "");
  REQUIRE(second.code() == "");
  CHECK(first.response()["RequestId"] != second.response()["RequestId"]);
}

TEST_CASE("Dispatch goes to the registry the emulator is given: its handler answers, an action it lacks is not implemented") {
  cvm::handlers::Registry registry;
  registry.Add(
      "DescribeRegions",
      [](cvm::handlers::RequestContext&, const json&) -> cvm::handlers::HandlerResult {
        return cvm::handlers::Output(json{{"TotalCount", 0}, {"RegionSet", json::array()}});
      },
      /*uses_database=*/false);
  Fixture f({}, false, ":memory:", &registry);
  Answer regions = f.Send(Tc3Post("DescribeRegions", "{}", f.Client()));
  REQUIRE(regions.code() == "");
  CHECK(regions.response()["TotalCount"] == 0);
  SignOptions second = f.Client();
  second.nonce = 1;
  Answer zones = f.Send(Tc3Post("DescribeZones", "{}", second));
  CHECK(zones.code() == "UnsupportedOperation");
}

// ---------------------------------------------------------------------------
// Resolving Action, Version and Region.

TEST_CASE("MissingParameter: a TC3 request without X-TC-Action") {
  Fixture f;
  HttpRequest req = Tc3Post("", "{}", f.Client());
  REQUIRE(req.Header("x-tc-action") == nullptr);
  Answer a = f.Send(req);
  CHECK(a.code() == "MissingParameter");
  CHECK(a.message().find("X-TC-Action") != std::string::npos);
}

TEST_CASE("MissingParameter: a v1 request without Action") {
  Fixture f;
  Answer a = f.Send(V1Call("POST", "", {}, f.Client()));
  CHECK(a.code() == "MissingParameter");
  CHECK(a.message().find("Action") != std::string::npos);
}

TEST_CASE("MissingParameter: a request without a version, TC3 or v1") {
  Fixture f;
  SignOptions o = f.Client();
  o.version = "";
  Answer tc3 = f.Send(Tc3Post("DescribeRegions", "{}", o));
  CHECK(tc3.code() == "MissingParameter");
  CHECK(tc3.message().find("X-TC-Version") != std::string::npos);
  Answer v1 = f.Send(V1Call("GET", "DescribeRegions", {}, o));
  CHECK(v1.code() == "MissingParameter");
  CHECK(v1.message().find("Version") != std::string::npos);
}

TEST_CASE("MissingParameter: DescribeZones without a region, TC3 or v1") {
  Fixture f;
  SignOptions o = f.Client();
  o.region = "";
  Answer tc3 = f.Send(Tc3Post("DescribeZones", "{}", o));
  CHECK(tc3.code() == "MissingParameter");
  CHECK(tc3.message().find("X-TC-Region") != std::string::npos);
  Answer v1 = f.Send(V1Call("POST", "DescribeZones", {}, o));
  CHECK(v1.code() == "MissingParameter");
  CHECK(v1.message().find("Region") != std::string::npos);
}

TEST_CASE("InvalidAction: an action CVM 2017-03-12 does not have") {
  Fixture f;
  Answer a = f.Send(Tc3Post("DescribeEverything", "{}", f.Client()));
  CHECK(a.code() == "InvalidAction");
  CHECK(a.message().find("DescribeEverything") != std::string::npos);
}

TEST_CASE("NoSuchVersion: version 2017-03-13") {
  Fixture f;
  SignOptions o = f.Client();
  o.version = "2017-03-13";
  CHECK(f.Send(Tc3Post("DescribeRegions", "{}", o)).code() == "NoSuchVersion");
  CHECK(f.Send(V1Call("GET", "DescribeRegions", {}, o)).code() == "NoSuchVersion");
}

TEST_CASE("UnsupportedRegion: DescribeZones in ap-nowhere-1") {
  Fixture f;
  SignOptions o = f.Client();
  o.region = "ap-nowhere-1";
  Answer a = f.Send(Tc3Post("DescribeZones", "{}", o));
  CHECK(a.code() == "UnsupportedRegion");
  CHECK(a.message().find("ap-nowhere-1") != std::string::npos);
}

// ---------------------------------------------------------------------------
// Decoding and authentication.

TEST_CASE("UnsupportedProtocol: the PUT method") {
  Fixture f;
  HttpRequest req = Tc3Unsigned("PUT", "/", "DescribeRegions", "application/json", "{}", f.Client());
  SignTc3(req, f.Client());
  CHECK(f.Send(req).code() == "UnsupportedProtocol");
}

TEST_CASE("UnsupportedProtocol: a POST with Content-Type text/plain") {
  Fixture f;
  HttpRequest req = Tc3Unsigned("POST", "/", "DescribeRegions", "text/plain", "{}", f.Client());
  SignTc3(req, f.Client());
  Answer a = f.Send(req);
  CHECK(a.code() == "UnsupportedProtocol");
  CHECK(a.message().find("text/plain") != std::string::npos);
}

TEST_CASE("UnsupportedProtocol: the path /foo") {
  Fixture f;
  HttpRequest req = Tc3Unsigned("POST", "/foo", "DescribeRegions", "application/json", "{}", f.Client());
  SignTc3(req, f.Client());
  CHECK(f.Send(req).code() == "UnsupportedProtocol");
}

TEST_CASE("AuthFailure.SignatureFailure: an unsigned request") {
  Fixture f;
  HttpRequest req = Tc3Post("DescribeRegions", "{}", f.Client());
  RemoveHeader(req, "authorization");
  CHECK(f.Send(req).code() == "AuthFailure.SignatureFailure");
}

TEST_CASE("Auth off (AuthSettings.verify = false) lets an unsigned request through") {
  AuthSettings off;
  off.verify = false;
  Fixture f(off);
  HttpRequest req = Tc3Post("DescribeRegions", "{}", f.Client());
  RemoveHeader(req, "authorization");
  Answer a = f.Send(req);
  REQUIRE(a.code() == "");
  CHECK(a.response()["TotalCount"] == 19);
}

TEST_CASE("The signature window follows the wall clock: a request 301 s old fails with AuthFailure.SignatureExpire") {
  Fixture f;
  HttpRequest req = Tc3Post("DescribeRegions", "{}", f.Client());
  f.wall.Advance(300'000);
  CHECK(f.Send(req).code() == "");
  f.wall.Advance(1'000);
  CHECK(f.Send(req).code() == "AuthFailure.SignatureExpire");
}

TEST_CASE("A v1 request sent twice to the emulator is a replay: AuthFailure.SignatureFailure") {
  Fixture f;
  HttpRequest req = V1Call("POST", "DescribeRegions", {}, f.Client());
  CHECK(f.Send(req).code() == "");
  Answer again = f.Send(req);
  CHECK(again.code() == "AuthFailure.SignatureFailure");
  CHECK(again.message().find("replay") != std::string::npos);
}

TEST_CASE(
    "Replay: a v1 request accepted before a restart on the same database is still a replay after "
    "it") {
  TempDir dir;
  std::string path = (dir.path / "cvm.sqlite3").string();
  std::vector<HttpRequest> requests;
  {
    Fixture f({}, false, path);
    // A catalog-only action and one that reads the database.
    requests.push_back(V1Call("GET", "DescribeRegions", {}, f.Client()));
    SignOptions o = f.Client();
    o.nonce += 1;
    requests.push_back(V1Call("POST", "DescribeInstances", {}, o));
    for (const HttpRequest& req : requests) REQUIRE(f.Send(req).code() == "");
  }
  Fixture again({}, false, path);
  for (const HttpRequest& req : requests) {
    Answer a = again.Send(req);
    CHECK(a.code() == "AuthFailure.SignatureFailure");
    CHECK(a.message().find("replay") != std::string::npos);
  }
}

TEST_CASE("Replay: after reset, a restart still accepts the request once") {
  TempDir dir;
  std::string path = (dir.path / "cvm.sqlite3").string();
  HttpRequest req;
  {
    Fixture f({}, false, path);
    req = V1Call("GET", "DescribeRegions", {}, f.Client());
    REQUIRE(f.Send(req).code() == "");
    f.Control("POST", "/_emulator/reset");
  }
  Fixture again({}, false, path);
  CHECK(again.Send(req).code() == "");
  CHECK(again.Send(req).code() == "AuthFailure.SignatureFailure");
}

// A correctly signed v1 request whose parameters are `params` with `name`
// given a second time (`second`): before signing, or (Signature) after.
HttpRequest V1WithDuplicate(std::string_view http_method, const std::string& name,
                            const std::string& second, const SignOptions& o) {
  FormParams params = V1CommonParams("DescribeInstances", "HmacSHA256", o);
  if (name == "Token") params.emplace_back("Token", "first-token");
  if (name == "Signature") {
    HttpRequest req = SignV1(http_method, params, "HmacSHA256", o);
    std::string extra = "&Signature=" + cvm::server::PercentEncode(second);
    if (http_method == "GET") {
      req.target += extra;
    } else {
      req.body += extra;
      SetHeader(req, "content-length", std::to_string(req.body.size()));
    }
    return req;
  }
  params.emplace_back(name, second);
  return SignV1(http_method, std::move(params), "HmacSHA256", o);
}

TEST_CASE("InvalidParameter: a v1 common parameter given twice, even in a correctly signed request, names it (GET and form POST)") {
  // D-02: a name given twice is refused, common parameters included; the
  // first value does not silently win.
  const std::vector<std::pair<std::string, std::string>> seconds = {
      {"Action", "DescribeZones"},     {"Region", "ap-singapore"},
      {"Version", "2099-01-01"},       {"Timestamp", "1465185769"},
      {"Nonce", "22"},                 {"SecretId", "AKIDotherOtherOtherOther"},
      {"Signature", "c2lnbmF0dXJl"},   {"SignatureMethod", "HmacSHA1"},
      {"Token", "second-token"}};
  for (const char* http_method : {"GET", "POST"}) {
    for (const auto& [name, second] : seconds) {
      Fixture f;
      INFO(http_method << " " << name);
      Answer a = f.Send(V1WithDuplicate(http_method, name, second, f.Client()));
      CHECK(a.code() == "InvalidParameter");
      CHECK(a.message() == "the parameter " + name + " is given more than once");
    }
  }
}

TEST_CASE("A v1 request with each common parameter once still succeeds") {
  Fixture f;
  Answer a = f.Send(V1Call("POST", "DescribeInstances", {}, f.Client()));
  CHECK(a.code() == "");
  CHECK(a.response()["TotalCount"] == 0);
}

// ---------------------------------------------------------------------------
// What is executed is what was signed.

// A key pair made over TC3; returns its KeyId.
std::string MakeKeyPair(Fixture& f, const std::string& name) {
  Answer a = f.Send(
      Tc3Post("CreateKeyPair", R"({"KeyName":")" + name + R"(","ProjectId":0})", f.Client()));
  REQUIRE(a.code() == "");
  return a.response()["KeyPair"]["KeyId"].get<std::string>();
}

// The key pair's record as DescribeKeyPairs shows it (null when it is gone).
json DescribedKeyPair(Fixture& f, const std::string& key_id) {
  Answer a = f.Send(Tc3Post("DescribeKeyPairs", R"({"KeyIds":[")" + key_id + R"("]})", f.Client()));
  REQUIRE(a.code() == "");
  const json& set = a.response()["KeyPairSet"];
  return set.empty() ? json(nullptr) : set[0];
}

TEST_CASE(
    "v1: unsigned X-TC-Action, X-TC-Version and X-TC-Region headers do not change the action; the "
    "mix is AuthFailure.SignatureFailure") {
  // --unknown-params ignore: without the refusal, KeyIds.0 would be a
  // DeleteKeyPairs parameter and the key pair would be deleted.
  Fixture f({}, /*ignore_unknown=*/true);
  std::string key_id = MakeKeyPair(f, "victim");
  for (const std::string method : {"GET", "POST"}) {
    HttpRequest req = V1Call(method, "DescribeKeyPairs", {{"KeyIds.0", key_id}}, f.Client());
    SetHeader(req, "x-tc-action", "DeleteKeyPairs");
    SetHeader(req, "x-tc-version", "2017-03-12");
    SetHeader(req, "x-tc-region", "ap-guangzhou");
    Answer a = f.Send(req);
    CHECK(a.code() == "AuthFailure.SignatureFailure");
    CHECK(a.message().find("X-TC-Action") != std::string::npos);
    CHECK(a.message().find("Signature") != std::string::npos);
    CHECK(DescribedKeyPair(f, key_id).is_object());
  }
}

TEST_CASE(
    "v1: any one of X-TC-Action, X-TC-Version, X-TC-Region, X-TC-Timestamp or X-TC-Token beside a "
    "Signature parameter is AuthFailure.SignatureFailure naming it") {
  Fixture f;
  for (const std::string header :
       {"X-TC-Action", "X-TC-Version", "X-TC-Region", "X-TC-Timestamp", "X-TC-Token"}) {
    SignOptions o = f.Client();
    o.nonce += header.size();  // a fresh signature each time (no replay)
    HttpRequest req = V1Call("POST", "DescribeRegions", {}, o);
    std::string lower = header;
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    SetHeader(req, lower, lower == "x-tc-action" ? "DescribeRegions" : "1");
    Answer a = f.Send(req);
    CHECK_MESSAGE(a.code() == "AuthFailure.SignatureFailure", header);
    CHECK_MESSAGE(a.message().find(header) != std::string::npos, a.message());
  }
  // X-TC-TraceId (which the SDKs send with v1) and X-TC-Language are no part of either scheme's
  // request: a v1 request may carry them.
  HttpRequest req = V1Call("POST", "DescribeRegions", {}, f.Client());
  SetHeader(req, "x-tc-language", "en-US");
  CHECK(f.Send(req).code() == "");
}

TEST_CASE("v1: the action, version and region are the signed parameters' even when auth is off") {
  AuthSettings off;
  off.verify = false;
  Fixture f(off);
  HttpRequest req = V1Call("POST", "DescribeZones", {}, f.Client());
  SetHeader(req, "x-tc-action", "DescribeRegions");
  CHECK(f.Send(req).code() == "AuthFailure.SignatureFailure");
  // Unsigned requests in the TC3 style still take the headers (README: --auth off).
  HttpRequest tc3 = Tc3Post("DescribeZones", "{}", f.Client());
  RemoveHeader(tc3, "authorization");
  Answer a = f.Send(tc3);
  REQUIRE(a.code() == "");
  CHECK(a.response().contains("ZoneSet"));
}

TEST_CASE(
    "v1: an empty parameter left out of the signature (the Go SDK's rule) is not executed: "
    "appending Description= does not clear it") {
  Fixture f;
  std::string key_id = MakeKeyPair(f, "keep");
  REQUIRE(f.Send(Tc3Post("ModifyKeyPairAttribute",
                         R"({"KeyId":")" + key_id + R"(","Description":"keep me"})", f.Client()))
              .code() == "");
  for (const std::string method : {"GET", "POST"}) {
    SignOptions o = f.Client();
    o.nonce += method.size();
    FormParams params = {{"KeyId", key_id}, {"KeyName", "renamed_" + method}};
    for (auto& p : V1CommonParams("ModifyKeyPairAttribute", "HmacSHA256", o)) params.push_back(p);
    HttpRequest req = SignV1(method, params, "HmacSHA256", o, /*go_style=*/true);
    if (method == "GET") {
      req.target += "&Description=";
    } else {
      req.body += "&Description=";
      SetHeader(req, "content-length", std::to_string(req.body.size()));
    }
    Answer a = f.Send(req);
    REQUIRE_MESSAGE(a.code() == "", a.body.dump());
    json key = DescribedKeyPair(f, key_id);
    CHECK(key["KeyName"] == "renamed_" + method);  // the signed parameters are executed
    CHECK(key["Description"] == "keep me");        // the unsigned empty one is not
  }
}

TEST_CASE(
    "v1: an empty parameter that was signed is executed (Description= clears the description)") {
  Fixture f;
  std::string key_id = MakeKeyPair(f, "clear");
  REQUIRE(f.Send(Tc3Post("ModifyKeyPairAttribute",
                         R"({"KeyId":")" + key_id + R"(","Description":"old"})", f.Client()))
              .code() == "");
  Answer a = f.Send(V1Call("POST", "ModifyKeyPairAttribute",
                           {{"KeyId", key_id}, {"Description", ""}}, f.Client()));
  REQUIRE(a.code() == "");
  CHECK(DescribedKeyPair(f, key_id)["Description"] == "");
}

TEST_CASE(
    "v1: with the Go SDK's rule, an empty parameter is as if not sent (MissingParameter.AtLeastOne "
    "when it was the only change)") {
  Fixture f;
  std::string key_id = MakeKeyPair(f, "gostyle");
  SignOptions o = f.Client();
  FormParams params = {{"KeyId", key_id}, {"Description", ""}};
  for (auto& p : V1CommonParams("ModifyKeyPairAttribute", "HmacSHA256", o)) params.push_back(p);
  Answer a = f.Send(SignV1("POST", params, "HmacSHA256", o, /*go_style=*/true));
  CHECK(a.code() == "MissingParameter.AtLeastOne");
}

TEST_CASE(
    "TC3: a Signature parameter in the query of a TC3 request is AuthFailure.SignatureFailure, not "
    "a second scheme") {
  Fixture f;
  Answer a = f.Send(Tc3Get("DescribeRegions", "Signature=abc", f.Client()));
  CHECK(a.code() == "AuthFailure.SignatureFailure");
  CHECK(a.message().find("Signature") != std::string::npos);
  CHECK(a.message().find("Authorization") != std::string::npos);
}

// ---------------------------------------------------------------------------
// Validation and dispatch.

TEST_CASE("UnknownParameter: DescribeRegions with Foo=1 over v1") {
  Fixture f;
  Answer a = f.Send(V1Call("POST", "DescribeRegions", {{"Foo", "1"}}, f.Client()));
  CHECK(a.code() == "UnknownParameter");
  CHECK(a.message().find("Foo") != std::string::npos);
}

TEST_CASE("UnknownParameter: DescribeRegions with {\"Foo\":1} over TC3") {
  Fixture f;
  Answer a = f.Send(Tc3Post("DescribeRegions", R"({"Foo":1})", f.Client()));
  CHECK(a.code() == "UnknownParameter");
  CHECK(a.message().find("Foo") != std::string::npos);
}

TEST_CASE("UnknownParameter: DescribeRegions with Foo=1 in a TC3 GET query") {
  Fixture f;
  CHECK(f.Send(Tc3Get("DescribeRegions", "Foo=1", f.Client())).code() == "UnknownParameter");
}

TEST_CASE("UnsupportedOperation: AllocateHosts, in the schema but without a handler in the registry, says it is not implemented") {
  cvm::handlers::Registry registry;  // empty: every action of the schema lacks a handler
  Fixture f({}, false, ":memory:", &registry);
  Answer a = f.Send(Tc3Post("AllocateHosts", R"({"Placement":{"Zone":"ap-guangzhou-3"}})", f.Client()));
  CHECK(a.code() == "UnsupportedOperation");
  CHECK(a.message().find("AllocateHosts") != std::string::npos);
  CHECK(a.message().find("not implemented") != std::string::npos);
}

TEST_CASE("MissingParameter: AllocateHosts without its required Placement is refused before dispatch") {
  Fixture f;
  Answer a = f.Send(Tc3Post("AllocateHosts", "{}", f.Client()));
  CHECK(a.code() == "MissingParameter");
  CHECK(a.message().find("Placement") != std::string::npos);
}

TEST_CASE("InvalidParameter: a malformed JSON body") {
  Fixture f;
  CHECK(f.Send(Tc3Post("DescribeRegions", R"({"Foo":)", f.Client())).code() == "InvalidParameter");
  CHECK(f.Send(Tc3Post("DescribeRegions", "", f.Client())).code() == "InvalidParameter");
  CHECK(f.Send(Tc3Post("DescribeRegions", "[]", f.Client())).code() == "InvalidParameter");
}

TEST_CASE("InvalidParameter: a JSON body nested 10,000 levels deep is refused without a crash") {
  Fixture f;
  const int depth = 10'000;
  std::string objects;
  for (int i = 0; i < depth; ++i) objects += R"({"Foo":)";
  objects += "1" + std::string(depth, '}');
  Answer a = f.Send(Tc3Post("DescribeRegions", objects, f.Client()));
  CHECK(a.code() == "InvalidParameter");
  CHECK(a.message().find("nested") != std::string::npos);
  std::string arrays = std::string(depth, '[') + std::string(depth, ']');
  CHECK(f.Send(Tc3Post("DescribeRegions", arrays, f.Client())).code() == "InvalidParameter");
  // The emulator still answers afterwards.
  CHECK(f.Send(Tc3Post("DescribeRegions", "{}", f.Client())).code() == "");
}

// ---------------------------------------------------------------------------
// The control plane.

TEST_CASE("Control: GET /_emulator/health answers 200 with status ok and database status ok") {
  Fixture f;
  Answer a = f.Control("GET", "/_emulator/health");
  CHECK(a.http.status == 200);
  CHECK(a.http.content_type == "application/json");
  CHECK(a.body["status"] == "ok");
  CHECK(a.body["database"]["status"] == "ok");
  CHECK(a.body["database"]["path"] == ":memory:");
  CHECK(a.body["api_version"] == "2017-03-12");
  CHECK(a.body["clock"]["now"] == kBaseMs / 1000);
}

TEST_CASE("Control: clock/advance moves emulator time, yet a request signed at real time still authenticates") {
  Fixture f;
  Answer advanced = f.Control("POST", "/_emulator/clock/advance", R"({"seconds":3600})");
  REQUIRE(advanced.http.status == 200);
  CHECK(advanced.body["now"] == kBaseMs / 1000 + 3600);
  CHECK(f.emulator.clock().NowMs() == kBaseMs + 3'600'000);
  Answer a = f.Send(Tc3Post("DescribeRegions", "{}", f.Client()));
  CHECK(a.code() == "");
}

TEST_CASE("Control: clock/advance takes seconds in the query too, and refuses a negative or missing amount with 400") {
  Fixture f;
  CHECK(f.Control("POST", "/_emulator/clock/advance?seconds=1.5").http.status == 200);
  CHECK(f.emulator.clock().NowMs() == kBaseMs + 1'500);
  CHECK(f.Control("POST", "/_emulator/clock/advance", R"({"seconds":-1})").http.status == 400);
  CHECK(f.Control("POST", "/_emulator/clock/advance").http.status == 400);
  CHECK(f.Control("POST", "/_emulator/clock/advance", "not json").http.status == 400);
  CHECK(f.emulator.clock().NowMs() == kBaseMs + 1'500);
}

TEST_CASE("Control: clock/freeze stops emulator time and clock/resume lets it run again from there") {
  Fixture f;
  Answer frozen = f.Control("POST", "/_emulator/clock/freeze");
  REQUIRE(frozen.http.status == 200);
  CHECK(frozen.body["frozen"] == true);
  f.base.Advance(10'000);
  CHECK(f.emulator.clock().NowMs() == kBaseMs);
  CHECK(f.Control("GET", "/_emulator/clock").body["now_ms"] == kBaseMs);
  Answer resumed = f.Control("POST", "/_emulator/clock/resume");
  CHECK(resumed.body["frozen"] == false);
  f.base.Advance(5'000);
  CHECK(f.emulator.clock().NowMs() == kBaseMs + 5'000);
}

TEST_CASE("Control: clock/set jumps to an ISO 8601 time or to Unix seconds") {
  Fixture f;
  Answer iso = f.Control("POST", "/_emulator/clock/set", R"({"time":"2030-01-01T00:00:00Z"})");
  REQUIRE(iso.http.status == 200);
  CHECK(iso.body["now"] == 1893456000);
  CHECK(iso.body["iso"] == "2030-01-01T00:00:00Z");
  CHECK(f.emulator.clock().NowSeconds() == 1893456000);
  CHECK(f.Control("POST", "/_emulator/clock/set", R"({"time":1465185768})").body["now"] == 1465185768);
  CHECK(f.Control("POST", "/_emulator/clock/set", R"({"time":"yesterday"})").http.status == 400);
  CHECK(f.emulator.clock().NowSeconds() == 1465185768);
}

TEST_CASE("Control: reset puts the clock back on the base clock, running") {
  Fixture f;
  f.Control("POST", "/_emulator/clock/advance", R"({"seconds":3600})");
  f.Control("POST", "/_emulator/clock/freeze");
  Answer reset = f.Control("POST", "/_emulator/reset");
  REQUIRE(reset.http.status == 200);
  CHECK(reset.body["reset"] == true);
  CHECK(reset.body["clock"]["frozen"] == false);
  CHECK(reset.body["clock"]["offset_seconds"] == 0);
  CHECK(f.emulator.clock().NowMs() == kBaseMs);
  f.base.Advance(1'000);
  CHECK(f.emulator.clock().NowMs() == kBaseMs + 1'000);
}

TEST_CASE("Control: reset forgets accepted v1 signatures, so the same request is accepted again") {
  Fixture f;
  HttpRequest req = V1Call("GET", "DescribeRegions", {}, f.Client());
  REQUIRE(f.Send(req).code() == "");
  REQUIRE(f.Send(req).code() == "AuthFailure.SignatureFailure");
  f.Control("POST", "/_emulator/reset");
  CHECK(f.Send(req).code() == "");
}

TEST_CASE("Control: POST to an unknown control path answers 404") {
  Fixture f;
  Answer a = f.Control("POST", "/_emulator/nothing-here");
  CHECK(a.http.status == 404);
  CHECK(a.body["error"].get<std::string>().find("nothing-here") != std::string::npos);
}

TEST_CASE("Control: GET of an unknown control path answers 404, not 405") {
  // The path is recognised before the method is checked.
  Fixture f;
  CHECK(f.Control("GET", "/_emulator/nothing-here").http.status == 404);
}

TEST_CASE("Control: the health endpoint refuses POST with 405") {
  Fixture f;
  CHECK(f.Control("POST", "/_emulator/health").http.status == 405);
}

TEST_CASE("Control: clock/set refuses a time outside 1970-01-01T00:00:00Z..9999-12-31T23:59:59Z with 400 and keeps the clock") {
  Fixture f;
  for (const char* body :
       {R"({"time":1e30})", R"({"time":-1e30})", R"({"time":-1})", R"({"time":253402300800})",
        R"({"time":"1e308"})", R"({"time":"inf"})", R"({"time":"nan"})",
        R"({"time":"1969-12-31T23:59:59Z"})"}) {
    INFO(body);
    Answer a = f.Control("POST", "/_emulator/clock/set", body);
    CHECK(a.http.status == 400);
    CHECK(a.body["error"].is_string());
  }
  CHECK(f.Control("POST", "/_emulator/clock/set", R"({"time":1e30})").body["error"] ==
        "time must be between 1970-01-01T00:00:00Z and 9999-12-31T23:59:59Z");
  CHECK(f.emulator.clock().NowMs() == kBaseMs);
}

TEST_CASE("Control: clock/set accepts the ends of its range, 0 and 9999-12-31T23:59:59Z") {
  Fixture f;
  CHECK(f.Control("POST", "/_emulator/clock/set", R"({"time":0})").body["iso"] ==
        "1970-01-01T00:00:00Z");
  Answer last = f.Control("POST", "/_emulator/clock/set", R"({"time":253402300799})");
  REQUIRE(last.http.status == 200);
  CHECK(last.body["iso"] == "9999-12-31T23:59:59Z");
  Answer iso = f.Control("POST", "/_emulator/clock/set", R"({"time":"9999-12-31T23:59:59Z"})");
  CHECK(iso.body["now"] == 253402300799);
}

TEST_CASE("Control: clock/set refuses a day or second the calendar does not have instead of rolling it over") {
  Fixture f;
  for (const char* time : {"2024-02-30T00:00:00Z", "2023-02-29T00:00:00Z", "2024-04-31T12:00:00Z",
                           "2024-01-01T23:59:60Z"}) {
    INFO(time);
    Answer a = f.Control("POST", "/_emulator/clock/set", json{{"time", time}}.dump());
    CHECK(a.http.status == 400);
    CHECK(a.body["error"] == std::string("time ") + time + " is not a calendar date and time");
  }
  CHECK(f.emulator.clock().NowMs() == kBaseMs);
  Answer leap = f.Control("POST", "/_emulator/clock/set", R"({"time":"2024-02-29T00:00:00Z"})");
  CHECK(leap.body["iso"] == "2024-02-29T00:00:00Z");
}

TEST_CASE("Control: clock/advance refuses an infinite amount, or one that takes the clock past 9999-12-31T23:59:59Z") {
  Fixture f;
  for (const char* query : {"seconds=1e308", "seconds=inf", "seconds=nan", "seconds=1e30",
                            "seconds=253402300799"}) {
    INFO(query);
    CHECK(f.Control("POST", std::string("/_emulator/clock/advance?") + query).http.status == 400);
  }
  CHECK(f.Control("POST", "/_emulator/clock/advance", R"({"seconds":1e300})").body["error"] ==
        "the clock must stay between 1970-01-01T00:00:00Z and 9999-12-31T23:59:59Z");
  CHECK(f.emulator.clock().NowMs() == kBaseMs);
  // Up to the last second is allowed.
  int64_t left = 253402300799 - kBaseMs / 1000;
  Answer a = f.Control("POST", "/_emulator/clock/advance?seconds=" + std::to_string(left));
  REQUIRE(a.http.status == 200);
  CHECK(a.body["iso"] == "9999-12-31T23:59:59Z");
  CHECK(f.Control("POST", "/_emulator/clock/advance?seconds=1").http.status == 400);
}

TEST_CASE("Control: durations refuses a value that is not finite or is over 10 years, and keeps the old one") {
  Fixture f;
  json before = f.Control("GET", "/_emulator/durations").body;
  for (const char* body : {R"({"pending":1e300})", R"({"pending":"inf"})", R"({"pending":"nan"})",
                           R"({"pending":315360001})", R"({"pending":-1})"}) {
    INFO(body);
    Answer a = f.Control("POST", "/_emulator/durations", body);
    CHECK(a.http.status == 400);
    CHECK(a.body["error"] == "pending must be a number of seconds from 0 to 315360000 (10 years)");
  }
  CHECK(f.Control("GET", "/_emulator/durations").body == before);
  Answer ten_years = f.Control("POST", "/_emulator/durations", R"({"pending":315360000})");
  REQUIRE(ten_years.http.status == 200);
  CHECK(ten_years.body["pending"] == 315360000);
}

TEST_CASE("Control: quotas and faults refuse numbers that do not fit, or are not numbers") {
  Fixture f;
  CHECK(f.Control("POST", "/_emulator/quotas", R"({"instances":1e300})").http.status == 400);
  CHECK(f.Control("POST", "/_emulator/quotas", R"({"instances":"inf"})").http.status == 400);
  CHECK(f.Control("POST", "/_emulator/faults", R"({"launch_failure_probability":"nan"})")
            .http.status == 400);
  CHECK(f.Control("POST", "/_emulator/faults", R"({"code":"InternalError","probability":"nan"})")
            .http.status == 400);
  CHECK(f.Control("GET", "/_emulator/faults").body["faults"].empty());
}

// ---------------------------------------------------------------------------
// The transport's rules, and its answers before the pipeline.

HttpRequest Headers(std::string method, std::vector<std::pair<std::string, std::string>> headers) {
  HttpRequest req;
  req.method = std::move(method);
  req.target = "/";
  req.headers = std::move(headers);
  return req;
}

TEST_CASE("BodyRuleFor: GET and HEAD bodies are read up to 1 MB and dropped") {
  using cvm::server::BodyRuleFor;
  for (const char* method : {"GET", "HEAD"}) {
    INFO(method);
    auto rule = BodyRuleFor(Headers(method, {{"content-type", "application/json"}}));
    CHECK(rule.limit == 1024 * 1024);
    CHECK(rule.ignored);
  }
}

TEST_CASE("BodyRuleFor: a POST is TC3 (10 MB) if it has an Authorization header or a JSON body, else v1 (1 MB)") {
  using cvm::server::BodyRuleFor;
  CHECK(BodyRuleFor(Headers("POST", {{"authorization", "TC3-HMAC-SHA256 x"}})).limit ==
        10 * 1024 * 1024);
  CHECK(BodyRuleFor(Headers("POST", {{"content-type", "application/json; charset=utf-8"}})).limit ==
        10 * 1024 * 1024);
  CHECK(BodyRuleFor(Headers("POST", {{"content-type", "Application/JSON"}})).limit ==
        10 * 1024 * 1024);
  auto form = Headers("POST", {{"content-type", "application/x-www-form-urlencoded"}});
  CHECK(BodyRuleFor(form).limit == 1024 * 1024);
  CHECK(BodyRuleFor(Headers("POST", {})).limit == 1024 * 1024);
  CHECK_FALSE(BodyRuleFor(Headers("POST", {})).ignored);
}

// The lines a Logger wrote to a temporary file.
std::vector<json> LogLines(std::FILE* file) {
  std::fflush(file);
  std::rewind(file);
  std::vector<json> lines;
  char buffer[4096];
  while (std::fgets(buffer, sizeof buffer, file)) lines.push_back(json::parse(buffer));
  return lines;
}

TEST_CASE("Refuse: a request refused before the pipeline gets the envelope and one log line with the same RequestId") {
  std::FILE* file = std::tmpfile();
  REQUIRE(file);
  Logger logger(LogLevel::kInfo, file);
  cvm::state::Random ids(1);
  HttpRequest req = Headers("POST", {{"x-tc-action", "DescribeInstances"},
                                     {"x-tc-region", "ap-guangzhou"}});
  req.remote = "127.0.0.1:4000";
  auto started = std::chrono::steady_clock::now();
  HttpResponse r =
      cvm::server::Refuse(logger, ids, req, started, "RequestSizeLimitExceeded", "too large");
  json body = json::parse(r.body);
  CHECK(body["Response"]["Error"]["Code"] == "RequestSizeLimitExceeded");
  CHECK(body["Response"]["Error"]["Message"] == "too large");
  std::vector<json> lines = LogLines(file);
  REQUIRE(lines.size() == 1);
  const json& line = lines[0];
  CHECK(line["RequestId"] == body["Response"]["RequestId"]);
  CHECK(line["Code"] == "RequestSizeLimitExceeded");
  CHECK(line["Action"] == "DescribeInstances");
  CHECK(line["Region"] == "ap-guangzhou");
  CHECK(line["Remote"] == "127.0.0.1:4000");
  CHECK(line["LatencyUs"].is_number_integer());
  CHECK(line["level"] == "info");
  CHECK(line["time"].is_string());
  std::fclose(file);
}

TEST_CASE("Refuse: the log line takes Action and Region from the query when no header names them, and is empty when nothing is known") {
  std::FILE* file = std::tmpfile();
  REQUIRE(file);
  Logger logger(LogLevel::kInfo, file);
  cvm::state::Random ids(1);
  HttpRequest get = Headers("GET", {});
  get.target = "/?Action=DescribeZones&Region=ap-singapore&X=aaa";
  auto now = std::chrono::steady_clock::now();
  cvm::server::Refuse(logger, ids, get, now, "RequestSizeLimitExceeded", "m");
  cvm::server::Refuse(logger, ids, HttpRequest{}, now, "UnsupportedProtocol", "m");
  std::vector<json> lines = LogLines(file);
  REQUIRE(lines.size() == 2);
  CHECK(lines[0]["Action"] == "DescribeZones");
  CHECK(lines[0]["Region"] == "ap-singapore");
  CHECK(lines[1]["Action"] == "");
  CHECK(lines[1]["Region"] == "");
  CHECK(lines[1]["Code"] == "UnsupportedProtocol");
  CHECK(lines[1]["RequestId"].is_string());
  std::fclose(file);
}

}  // namespace
