// GET /_emulator/health: cheap by default (it never waits behind a batch
// holding the database), deep on request (?deep=1 runs PRAGMA quick_check).
#include <doctest/doctest.h>

#include <chrono>
#include <future>
#include <nlohmann/json.hpp>
#include <thread>

#include "server/emulator.h"
#include "tests/support/test_api.h"

namespace {

using cvm::server::HttpRequest;
using cvm::testing::TestApi;
using nlohmann::json;

cvm::server::HttpResponse HealthOf(TestApi& api, const std::string& query = "") {
  HttpRequest req;
  req.method = "GET";
  req.target = "/_emulator/health" + query;
  return api.emulator().Handle(req);
}

TEST_CASE("Health: an idle server that has committed nothing is 200, with the cheap check") {
  TestApi api;
  cvm::server::HttpResponse r = HealthOf(api);
  CHECK(r.status == 200);
  json body = json::parse(r.body);
  CHECK(body["status"] == "ok");
  CHECK(body["database"]["status"] == "ok");
  CHECK(body["database"]["check"] == "cheap");
  CHECK(body["database"]["busy"] == false);
  CHECK_FALSE(body["database"].contains("quick_check"));
  CHECK(body["database"]["commits"]["last_ok"] == true);
}

TEST_CASE("Health: ?deep=1 runs quick_check; deep takes only a boolean") {
  TestApi api;
  cvm::server::HttpResponse r = HealthOf(api, "?deep=1");
  CHECK(r.status == 200);
  json body = json::parse(r.body);
  CHECK(body["database"]["check"] == "deep");
  CHECK(body["database"]["quick_check"] == "ok");
  CHECK(HealthOf(api, "?deep=maybe").status == 400);
  CHECK(json::parse(HealthOf(api, "?deep=0").body)["database"]["check"] == "cheap");
}

TEST_CASE("Health: the cheap check answers 200 at once while a batch holds the database lock") {
  TestApi api;
  std::promise<void> release;
  std::promise<void> holding;
  std::thread batch([&] {
    auto lock = api.emulator().db().Lock();
    holding.set_value();
    release.get_future().wait();
  });
  holding.get_future().wait();
  std::future<cvm::server::HttpResponse> health =
      std::async(std::launch::async, [&] { return HealthOf(api); });
  // A guard, not a sleep: before, health waited for the lock forever.
  bool answered = health.wait_for(std::chrono::seconds(30)) == std::future_status::ready;
  release.set_value();
  batch.join();
  REQUIRE(answered);
  cvm::server::HttpResponse r = health.get();
  CHECK(r.status == 200);
  CHECK(json::parse(r.body)["database"]["busy"] == true);
}

}  // namespace
