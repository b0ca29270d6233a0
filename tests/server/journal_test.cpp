// The request journal (server/journal.h) and GET /_emulator/requests.
#include "server/journal.h"

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "server/emulator.h"
#include "tests/support/test_api.h"

namespace {

using cvm::server::Journal;
using cvm::server::JournalEntry;
using cvm::server::JournalFilter;
using nlohmann::json;

JournalEntry Entry(std::string action, std::string code = "", int64_t emulator_ms = 0) {
  JournalEntry e;
  e.kind = "api";
  e.action = std::move(action);
  e.code = std::move(code);
  e.emulator_ms = emulator_ms;
  return e;
}

JournalFilter Filter(void (*set)(JournalFilter&)) {
  JournalFilter f;
  set(f);
  return f;
}

std::vector<std::string> Actions(const std::vector<JournalEntry>& entries) {
  std::vector<std::string> out;
  for (const auto& e : entries) out.push_back(e.action);
  return out;
}

// GET or POST /_emulator/<path> through the emulator; the parsed body.
json Control(cvm::testing::TestApi& api, const std::string& method, const std::string& target,
             int* status = nullptr) {
  cvm::server::HttpRequest req;
  req.method = method;
  req.target = "/_emulator/" + target;
  cvm::server::HttpResponse r = api.emulator().Handle(req);
  if (status) *status = r.status;
  return json::parse(r.body);
}

}  // namespace

TEST_CASE("Journal: keeps the last N entries, numbered, newest first") {
  Journal journal(3);
  for (const char* a : {"A", "B", "C", "D"}) journal.Record(Entry(a));
  std::vector<JournalEntry> all = journal.Find(JournalFilter{});
  CHECK(Actions(all) == std::vector<std::string>{"D", "C", "B"});
  CHECK(all.front().sequence == 4);
  JournalFilter two;
  two.limit = 2;
  CHECK(Actions(journal.Find(two)) == std::vector<std::string>{"D", "C"});
  journal.Clear();
  CHECK(journal.Find(JournalFilter{}).empty());
}

TEST_CASE("Journal: a size of 0 keeps nothing") {
  Journal journal(0);
  CHECK_FALSE(journal.enabled());
  journal.Record(Entry("A"));
  CHECK(journal.Find(JournalFilter{}).empty());
}

TEST_CASE("Journal: filters by action, code, any error, account, region, RequestId and time") {
  Journal journal(10);
  JournalEntry a = Entry("RunInstances", "", 1000);
  a.app_id = 1, a.region = "ap-guangzhou", a.request_id = "r-1";
  JournalEntry b = Entry("RunInstances", "InternalError", 2000);
  b.app_id = 2, b.region = "ap-beijing", b.request_id = "r-2";
  JournalEntry c = Entry("DescribeZones", "", 3000);
  c.app_id = 1, c.region = "ap-beijing", c.request_id = "r-3";
  for (auto& e : {a, b, c}) journal.Record(e);
  auto ids = [&](JournalFilter f) {
    std::vector<std::string> out;
    for (const auto& e : journal.Find(f)) out.push_back(e.request_id);
    return out;
  };
  using V = std::vector<std::string>;
  CHECK(ids(Filter([](JournalFilter& f) { f.action = "RunInstances"; })) == V{"r-2", "r-1"});
  CHECK(ids(Filter([](JournalFilter& f) { f.code = "InternalError"; })) == V{"r-2"});
  CHECK(ids(Filter([](JournalFilter& f) { f.errors_only = true; })) == V{"r-2"});
  CHECK(ids(Filter([](JournalFilter& f) { f.request_id = "r-3"; })) == V{"r-3"});
  CHECK(ids(Filter([](JournalFilter& f) { f.region = "ap-beijing"; })) == V{"r-3", "r-2"});
  CHECK(ids(Filter([](JournalFilter& f) { f.app_id = 1; })) == V{"r-3", "r-1"});
  CHECK(ids(Filter([](JournalFilter& f) { f.since_ms = 2000; })) == V{"r-3", "r-2"});
  CHECK(ids(Filter([](JournalFilter& f) { f.until_ms = 2000; })) == V{"r-2", "r-1"});
}

TEST_CASE("Journal: secrets are redacted at any depth; UserData keeps only its size") {
  json params = {{"LoginSettings", {{"Password", "Hunter2!x"}, {"KeepImageLogin", "FALSE"}}},
                 {"Signature", "abc"},
                 {"Token", "t"},
                 {"UserData", "aGVsbG8="},
                 {"Items", json::array({{{"Password", "p"}}})},
                 {"InstanceName", "web"}};
  cvm::server::Redact(params);
  CHECK(params["LoginSettings"]["Password"] == "<redacted>");
  CHECK(params["LoginSettings"]["KeepImageLogin"] == "FALSE");
  CHECK(params["Signature"] == "<redacted>");
  CHECK(params["Token"] == "<redacted>");
  CHECK(params["UserData"] == "<redacted: 8 bytes>");
  CHECK(params["Items"][0]["Password"] == "<redacted>");
  CHECK(params["InstanceName"] == "web");
}

TEST_CASE("Journal: an answer's PrivateKey is redacted, and a long answer is cut and says so") {
  bool truncated = true;
  std::string body = cvm::server::RedactedBody(
      R"({"Response":{"KeyPair":{"PrivateKey":"-----BEGIN RSA","KeyId":"skey-1"}}})", 1000,
      &truncated);
  CHECK_FALSE(truncated);
  CHECK(body.find("BEGIN RSA") == std::string::npos);
  CHECK(json::parse(body)["Response"]["KeyPair"]["PrivateKey"] == "<redacted>");
  CHECK(json::parse(body)["Response"]["KeyPair"]["KeyId"] == "skey-1");
  std::string cut = cvm::server::RedactedBody(std::string(100, 'x'), 10, &truncated);
  CHECK(truncated);
  CHECK(cut == std::string(10, 'x'));
}

TEST_CASE("Journal: a follower gets each new matching entry as a JSON line") {
  Journal journal(10);
  journal.Record(Entry("Before"));
  auto follower = journal.Follow(Filter([](JournalFilter& f) { f.action = "RunInstances"; }));
  journal.Record(Entry("DescribeZones"));
  journal.Record(Entry("RunInstances"));
  std::string got;
  bool ended = true;
  follower->Next([&](std::string lines, bool end) { got = std::move(lines), ended = end; });
  CHECK_FALSE(ended);
  CHECK(json::parse(got)["Action"] == "RunInstances");
  // Nothing waiting: the next call is answered when an entry comes.
  got.clear();
  follower->Next([&](std::string lines, bool end) { got = std::move(lines), ended = end; });
  CHECK(got.empty());
  journal.Record(Entry("RunInstances", "InternalError"));
  CHECK(json::parse(got)["Code"] == "InternalError");
}

TEST_CASE("Journal: a follower that falls behind is cut off, not grown without limit") {
  Journal journal(10);
  auto follower = journal.Follow(JournalFilter{});
  for (size_t i = 0; i < Journal::kMaxFollowerBacklog + 5; ++i) journal.Record(Entry("A"));
  std::string got;
  bool ended = false;
  follower->Next([&](std::string lines, bool end) { got = std::move(lines), ended = end; });
  CHECK(ended);
  CHECK(json::parse(got).contains("error"));
  // A cut-off follower takes nothing more.
  journal.Record(Entry("A"));
  got = "unchanged";
  follower->Next([&](std::string lines, bool) { got = std::move(lines); });
  CHECK(got.empty());
}

TEST_CASE("GET /_emulator/requests: API requests with account, region, RequestId, outcome") {
  cvm::testing::TestApi api;
  json created = api.Call("CreateKeyPair", {{"KeyName", "k1"}, {"ProjectId", 0}});
  REQUIRE(cvm::testing::CodeOf(created) == "");
  json refused = api.Call("StopInstances", {{"InstanceIds", {"ins-00000000"}}}, "ap-beijing");
  std::string refused_code = cvm::testing::CodeOf(refused);
  REQUIRE(refused_code != "");

  json all = Control(api, "GET", "requests");
  REQUIRE(all["requests"].size() == 2);
  json newest = all["requests"][0];
  CHECK(newest["Action"] == "StopInstances");
  CHECK(newest["Code"] == refused_code);
  CHECK(newest["Region"] == "ap-beijing");
  CHECK(newest["AppId"] == 1250000000);
  CHECK(newest["Uin"] == "100000000001");
  CHECK(newest["RequestId"] == refused["RequestId"]);
  CHECK(newest["Params"]["InstanceIds"][0] == "ins-00000000");
  CHECK_FALSE(newest.contains("Response"));

  // One request by its RequestId comes with its answer, secrets redacted.
  json one = Control(api, "GET", "requests?request_id=" + created["RequestId"].get<std::string>());
  REQUIRE(one["requests"].size() == 1);
  json answer = json::parse(one["requests"][0]["Response"].get<std::string>());
  CHECK(answer["Response"]["KeyPair"]["PrivateKey"] == "<redacted>");
  CHECK(answer["Response"]["KeyPair"]["KeyName"] == "k1");
  CHECK(one["requests"][0]["Code"].is_null());

  CHECK(Control(api, "GET", "requests?code=error")["requests"].size() == 1);
  CHECK(Control(api, "GET", "requests?action=CreateKeyPair")["requests"].size() == 1);
  CHECK(Control(api, "GET", "requests?region=ap-guangzhou")["requests"].size() == 1);
  CHECK(Control(api, "GET", "requests?app_id=1250000001")["requests"].empty());
}

TEST_CASE("GET /_emulator/requests: control requests that change something are recorded") {
  cvm::testing::TestApi api;
  Control(api, "GET", "clock");
  Control(api, "POST", "clock/advance?seconds=5");
  int status = 0;
  Control(api, "POST", "clock/advance?seconds=-1", &status);
  CHECK(status == 400);
  json all = Control(api, "GET", "requests");
  REQUIRE(all["requests"].size() == 2);
  CHECK(all["requests"][0]["Action"] == "POST /_emulator/clock/advance");
  CHECK(all["requests"][0]["Code"] == "HTTP 400");
  CHECK(all["requests"][0]["Kind"] == "control");
  CHECK(all["requests"][1]["Code"].is_null());
  CHECK(all["requests"][1]["Params"]["seconds"] == "5");
}

TEST_CASE("GET /_emulator/requests: bad filters are refused with 400 naming them") {
  cvm::testing::TestApi api;
  int status = 0;
  CHECK(Control(api, "GET", "requests?limit=0", &status)["error"].get<std::string>().find("limit") !=
        std::string::npos);
  CHECK(status == 400);
  CHECK(Control(api, "GET", "requests?app_id=7", &status)["error"] == "app_id names no account");
  CHECK(Control(api, "GET", "requests?colour=red", &status)["error"].get<std::string>().find(
            "colour") != std::string::npos);
  CHECK(Control(api, "GET", "requests?since=yesterday", &status)["error"].get<std::string>().find(
            "since") != std::string::npos);
}

TEST_CASE("GET /_emulator/requests?follow=1 answers with a stream of NDJSON") {
  cvm::testing::TestApi api;
  cvm::server::HttpRequest req;
  req.method = "GET";
  req.target = "/_emulator/requests?follow=1&action=DescribeZones";
  cvm::server::HttpResponse r = api.emulator().Handle(req);
  CHECK(r.content_type == "application/x-ndjson");
  REQUIRE(r.stream);
  api.Call("DescribeZones");
  std::string got;
  r.stream->Next([&](std::string lines, bool) { got = std::move(lines); });
  CHECK(json::parse(got)["Action"] == "DescribeZones");
  r.stream->Cancel();
}
