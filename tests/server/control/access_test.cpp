// Who may use /_emulator/: a web page on another origin, or one reached
// through a rebound DNS name, may not (D-91, D-92); curl, SDKs and scripts
// may, by any host name; with a control token, only requests carrying it
// (D-93).
#include "server/control/access.h"

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "server/emulator.h"
#include "state/settings.h"
#include "tests/support/test_api.h"

namespace {

using cvm::server::ControlAccess;
using cvm::server::HttpRequest;
using cvm::testing::TestApi;
using nlohmann::json;
namespace control = cvm::server::control;

HttpRequest Browserless(std::string method, std::string target,
                        std::vector<std::pair<std::string, std::string>> headers = {},
                        std::string body = "") {
  HttpRequest req;
  req.method = std::move(method);
  req.target = std::move(target);
  req.headers = std::move(headers);
  req.body = std::move(body);
  return req;
}

int OriginStatus(const ControlAccess& access, const HttpRequest& req) {
  auto refused = control::CheckOrigin(access, req);
  return refused ? refused->status : 200;
}

TEST_CASE("Control access: a web page on another origin is refused 403, whatever its body") {
  ControlAccess access;
  using H = std::vector<std::pair<std::string, std::string>>;
  const H kEvil[] = {
      {{"host", "127.0.0.1:8100"}, {"origin", "http://evil.example"},
       {"content-type", "application/x-www-form-urlencoded"}},
      {{"host", "127.0.0.1:8100"}, {"origin", "http://evil.example"}, {"content-type", "text/plain"}},
      {{"host", "127.0.0.1:8100"}, {"origin", "http://evil.example"},
       {"content-type", "multipart/form-data; boundary=x"}},
      {{"host", "127.0.0.1:8100"}, {"origin", "http://evil.example"}},  // bodyless POST
      {{"host", "127.0.0.1:8100"}, {"origin", "null"}},                 // a sandboxed page
      {{"host", "127.0.0.1:8100"}, {"origin", "http://localhost:3000"}},  // another local port
      {{"host", "127.0.0.1:8100"}, {"origin", "https://127.0.0.1:8100"}},  // other scheme
      {{"host", "127.0.0.1:8100"}, {"sec-fetch-site", "cross-site"}},
      {{"host", "127.0.0.1:8100"}, {"sec-fetch-site", "same-site"}},
  };
  for (const H& headers : kEvil) {
    HttpRequest req = Browserless("POST", "/_emulator/reset", headers);
    INFO(json(headers).dump());
    auto refused = control::CheckOrigin(access, req);
    REQUIRE(refused.has_value());
    CHECK(refused->status == 403);
    CHECK(json::parse(refused->body)["error"].get<std::string>().starts_with(
        "cross-site control request refused: "));
  }
}

TEST_CASE("Control access: a Host that does not name the emulator is refused when the request comes from a browser (DNS rebinding)") {
  ControlAccess access;
  for (auto headers : std::vector<std::vector<std::pair<std::string, std::string>>>{
           {{"host", "evil.example:8100"}, {"sec-fetch-site", "same-origin"}},
           {{"host", "evil.example:8100"}, {"origin", "http://evil.example:8100"}},
           {{"host", "evil.example:8100"}, {"content-type", "text/plain"}},
           {{"origin", "http://127.0.0.1:8100"}}}) {  // no Host at all
    INFO(json(headers).dump());
    CHECK(OriginStatus(access, Browserless("GET", "/_emulator/clock", headers)) == 403);
  }
  CHECK(json::parse(control::CheckOrigin(access, Browserless("GET", "/_emulator/clock",
                                                             {{"host", "evil.example:8100"},
                                                              {"sec-fetch-site", "same-origin"}}))
                        ->body)["error"] ==
        "cross-site control request refused: Host evil.example:8100 does not name this emulator "
        "(add it with --control-allowed-hosts)");
}

TEST_CASE("Control access: the emulator's own pages, curl, SDKs and scripts by any host name pass") {
  ControlAccess access;
  access.listen_host = "0.0.0.0";
  for (auto headers : std::vector<std::vector<std::pair<std::string, std::string>>>{
           {{"host", "127.0.0.1:8100"}, {"origin", "http://127.0.0.1:8100"}, {"sec-fetch-site", "same-origin"}},
           {{"host", "localhost:9000"}, {"origin", "http://localhost:9000"}},  // a mapped port
           {{"host", "[::1]:8100"}, {"origin", "http://[::1]:8100"}, {"content-type", "text/plain"}},
           {{"host", "LOCALHOST:8100"}, {"origin", "http://localhost:8100/"}},
           {{"host", "127.0.0.1:8100"}, {"sec-fetch-site", "none"}},  // typed into the address bar
           {{"host", "cvm:8100"}},                                   // docker compose, no browser
           {{"host", "cvm:8100"}, {"content-type", "application/json"}},
           {{"host", "172.17.0.2:8100"}, {"content-type", "application/json; charset=utf-8"}},
           {{"host", "127.0.0.1:8100"}, {"content-type", "application/x-www-form-urlencoded"}},  // curl -d
           {}}) {
    INFO(json(headers).dump());
    CHECK(OriginStatus(access, Browserless("POST", "/_emulator/reset", headers)) == 200);
  }
}

TEST_CASE("Control access: --host and --control-allowed-hosts name the emulator too; --control-allowed-origins lets a page in") {
  ControlAccess access;
  access.listen_host = "192.168.1.5";
  HttpRequest via_listen = Browserless("POST", "/_emulator/reset",
                                       {{"host", "192.168.1.5:8100"}, {"origin", "http://192.168.1.5:8100"}});
  CHECK(OriginStatus(access, via_listen) == 200);
  HttpRequest via_name = Browserless("POST", "/_emulator/reset",
                                     {{"host", "cvm:8100"}, {"origin", "http://cvm:8100"}});
  CHECK(OriginStatus(access, via_name) == 403);
  access.allowed_hosts = {"cvm"};
  CHECK(OriginStatus(access, via_name) == 200);

  HttpRequest dashboard = Browserless("POST", "/_emulator/reset",
                                      {{"host", "localhost:8100"}, {"origin", "http://localhost:3000"},
                                       {"sec-fetch-site", "same-site"}});
  CHECK(OriginStatus(access, dashboard) == 403);
  access.allowed_origins = {"http://localhost:3000"};
  CHECK(OriginStatus(access, dashboard) == 200);
  access.allowed_origins = {"*"};
  CHECK(OriginStatus(access, dashboard) == 200);
  // An allowed origin does not open other host names.
  CHECK(OriginStatus(access, Browserless("POST", "/_emulator/reset",
                                         {{"host", "evil.example"}, {"origin", "http://localhost:3000"}})) ==
        403);
}

void EvilOriginTest(cvm::server::EmulatorOptions& options) { options.seed = 7; }

TEST_CASE("Control access: reset from a foreign origin answers 403 and keeps every setting and the clock") {
  TestApi api(EvilOriginTest);
  api.emulator().settings().set_default_quotas(cvm::state::Quotas{.instances = 7});
  api.Advance(3600);
  int64_t now = api.emulator().clock().NowMs();
  for (auto [target, type, body] : std::vector<std::tuple<std::string, std::string, std::string>>{
           {"/_emulator/reset", "application/x-www-form-urlencoded", ""},
           {"/_emulator/reset", "text/plain", "x"},
           {"/_emulator/clock/advance?seconds=86400", "", ""}}) {
    HttpRequest req = Browserless("POST", target, {{"host", "127.0.0.1:8100"}, {"origin", "http://evil.example"}}, body);
    if (!type.empty()) req.headers.emplace_back("content-type", type);
    INFO(target << " " << type);
    CHECK(api.emulator().Handle(req).status == 403);
  }
  CHECK(api.emulator().settings().default_quotas().instances == 7);
  CHECK(api.emulator().clock().NowMs() == now);
}

void WithToken(cvm::server::EmulatorOptions& options) { options.control.token = "s3cret"; }

TEST_CASE("Control access: with a control token every control request needs it as a Bearer token, 401 otherwise") {
  TestApi api(WithToken);
  auto status = [&](std::string target, std::vector<std::pair<std::string, std::string>> headers) {
    return api.emulator().Handle(Browserless("POST", std::move(target), std::move(headers))).status;
  };
  CHECK(status("/_emulator/clock/freeze", {}) == 401);
  CHECK(status("/_emulator/clock/freeze", {{"authorization", "Bearer wrong"}}) == 401);
  CHECK(status("/_emulator/clock/freeze", {{"authorization", "Bearer s3cre"}}) == 401);
  CHECK(status("/_emulator/clock/freeze", {{"authorization", "Basic s3cret"}}) == 401);
  CHECK(status("/_emulator/clock/freeze", {{"authorization", "s3cret"}}) == 401);
  CHECK(status("/_emulator/nothing-here", {}) == 401);
  CHECK_FALSE(api.emulator().clock().snapshot().frozen);
  cvm::server::HttpResponse refused = api.emulator().Handle(Browserless("POST", "/_emulator/reset"));
  CHECK(refused.status == 401);
  CHECK(json::parse(refused.body)["error"].get<std::string>().starts_with("no control token"));
  bool challenged = false;
  for (const auto& [name, value] : refused.headers) challenged |= name == "WWW-Authenticate";
  CHECK(challenged);
  CHECK(status("/_emulator/clock/freeze", {{"authorization", "Bearer s3cret"}}) == 200);
  CHECK(status("/_emulator/clock/resume", {{"authorization", "bearer  s3cret "}}) == 200);
  // The container's health probe needs none.
  CHECK(api.emulator().Handle(Browserless("GET", "/_emulator/health")).status == 200);
  // The deep check reads the whole database: it needs the token.
  CHECK(api.emulator().Handle(Browserless("GET", "/_emulator/health?deep=1")).status == 401);
  CHECK(api.emulator()
            .Handle(Browserless("GET", "/_emulator/health?deep=1", {{"authorization", "Bearer s3cret"}}))
            .status == 200);
}

TEST_CASE("Control access: IsLoopbackHost and SplitList") {
  CHECK(cvm::server::IsLoopbackHost("127.0.0.1"));
  CHECK(cvm::server::IsLoopbackHost("127.1.2.3"));
  CHECK(cvm::server::IsLoopbackHost("::1"));
  CHECK(cvm::server::IsLoopbackHost("localhost"));
  CHECK_FALSE(cvm::server::IsLoopbackHost("0.0.0.0"));
  CHECK_FALSE(cvm::server::IsLoopbackHost("::"));
  CHECK_FALSE(cvm::server::IsLoopbackHost("192.168.1.5"));
  CHECK(cvm::server::SplitList(" a, b,,c ") == std::vector<std::string>{"a", "b", "c"});
  CHECK(cvm::server::SplitList("").empty());
}

}  // namespace
