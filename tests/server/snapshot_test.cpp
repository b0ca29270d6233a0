// Snapshots (server/snapshot.h): GET and POST /_emulator/snapshot.
#include "server/snapshot.h"

#include <doctest/doctest.h>

#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "server/emulator.h"
#include "state/database.h"
#include "state/migrations.h"
#include "state/snapshot_tables.h"
#include "tests/support/test_api.h"

namespace {

using cvm::testing::CodeOf;
using cvm::testing::TestApi;
using nlohmann::json;

cvm::server::HttpResponse Send(TestApi& api, const std::string& method, const std::string& target,
                               const std::string& body = "") {
  cvm::server::HttpRequest req;
  req.method = method;
  req.target = "/_emulator/" + target;
  req.body = body;
  return api.emulator().Handle(req);
}

json Export(TestApi& api, const std::string& query = "") {
  cvm::server::HttpResponse r = Send(api, "GET", "snapshot" + query);
  REQUIRE(r.status == 200);
  return json::parse(r.body);
}

// Some of everything: instances (with tags, disks, key pairs), an image, key
// pairs, in two accounts and two regions; a quota and a duration changed.
void Populate(TestApi& api) {
  json key = api.Call("CreateKeyPair", {{"KeyName", "k1"}, {"ProjectId", 0}});
  REQUIRE(CodeOf(key) == "");
  json run = api.Call(
      "RunInstances",
      {{"ImageId", "img-eb30mz89"},
       {"Placement", {{"Zone", "ap-guangzhou-3"}}},
       {"InstanceCount", 2},
       {"LoginSettings", {{"KeyIds", {key["KeyPair"]["KeyId"]}}}},
       {"DataDisks", {{{"DiskType", "CLOUD_PREMIUM"}, {"DiskSize", 50}}}},
       {"TagSpecification",
        {{{"ResourceType", "instance"}, {"Tags", {{{"Key", "team"}, {"Value", "web"}}}}}}}});
  REQUIRE(CodeOf(run) == "");
  api.Advance(600);
  json image = api.Call("CreateImage", {{"InstanceId", run["InstanceIdSet"][0]},
                                        {"ImageName", "golden"},
                                        {"ForcePoweroff", "TRUE"}});
  REQUIRE_MESSAGE(CodeOf(image) == "", image.dump());
  REQUIRE(CodeOf(api.Call("CreateKeyPair", {{"KeyName", "b1"}, {"ProjectId", 0}}, "ap-beijing",
                          cvm::testing::kSecretB)) == "");
  REQUIRE(Send(api, "POST", "quotas", R"({"app_id": 1250000001, "instances": 7})").status == 200);
  REQUIRE(Send(api, "POST", "durations", R"({"pending": 3})").status == 200);
}

}  // namespace

TEST_CASE("Snapshot: export, reset, import, export gives the same document") {
  TestApi api;
  Populate(api);
  json before = Export(api);
  CHECK(before["version"] == cvm::server::kSnapshotVersion);
  CHECK(before["tables"]["instances"]["rows"].size() == 2);
  CHECK(before["tables"]["instance_tags"]["rows"].size() == 2);
  CHECK(before["tables"]["images"]["rows"].size() == 1);
  CHECK(before["tables"]["key_pairs"]["rows"].size() == 2);
  CHECK(before["settings"]["durations"]["pending"] == 3);
  CHECK(before["settings"]["quotas"]["accounts"]["1250000001"]["instances"] == 7);

  REQUIRE(Send(api, "POST", "reset").status == 200);
  json empty = Export(api);
  CHECK(empty["tables"]["instances"]["rows"].empty());
  CHECK(empty != before);

  cvm::server::HttpResponse imported = Send(api, "POST", "snapshot", before.dump());
  CHECK(imported.status == 200);
  CHECK(Export(api) == before);
  // And the API sees it: the instances, and the key pair bound to them.
  json described = api.Call("DescribeInstances", json::object());
  CHECK(described["TotalCount"] == 2);
  CHECK(described["InstanceSet"][0]["LoginSettings"]["KeyIds"].size() == 1);
  // The derived count was rebuilt: the quota counts the imported instances.
  CHECK(Send(api, "POST", "quotas", R"({"instances": 2})").status == 200);
  json refused = api.Call("RunInstances", {{"ImageId", "img-eb30mz89"},
                                           {"Placement", {{"Zone", "ap-guangzhou-3"}}}});
  CHECK(CodeOf(refused) == "InstancesQuotaLimitExceeded");
}

TEST_CASE("Snapshot: one account's export and import replace only that account's resources") {
  TestApi api;
  Populate(api);
  json b = Export(api, "?uin=100000000002");
  CHECK(b["app_id"] == 1250000001);
  CHECK(b["tables"]["key_pairs"]["rows"].size() == 1);
  CHECK(b["tables"]["instances"]["rows"].empty());
  CHECK_FALSE(b.contains("clock"));
  json whole = Export(api);

  // B's key pair goes; A's resources stay.
  REQUIRE(CodeOf(api.Call("DeleteKeyPairs",
                          {{"KeyIds", {b["tables"]["key_pairs"]["rows"][0][3]}}}, "ap-beijing",
                          cvm::testing::kSecretB)) == "");
  REQUIRE(CodeOf(api.Call("CreateKeyPair", {{"KeyName", "b2"}, {"ProjectId", 0}}, "ap-beijing",
                          cvm::testing::kSecretB)) == "");
  cvm::server::HttpResponse r = Send(api, "POST", "snapshot?app_id=1250000001", b.dump());
  CHECK(r.status == 200);
  json after = Export(api);
  CHECK(after["tables"]["instances"] == whole["tables"]["instances"]);
  json names = json::array();
  for (const auto& row : after["tables"]["key_pairs"]["rows"]) names.push_back(row[4]);
  CHECK(names == json{"k1", "b1"});

  // A one-account snapshot is not taken as a whole one.
  r = Send(api, "POST", "snapshot", b.dump());
  CHECK(r.status == 400);
  CHECK(json::parse(r.body)["error"].get<std::string>().find("?app_id=1250000001") != std::string::npos);
}

TEST_CASE("Snapshot: a bad snapshot is refused with 400 naming the problem, and nothing changes") {
  TestApi api;
  Populate(api);
  json before = Export(api);
  auto refused = [&](json doc, const std::string& expected) {
    cvm::server::HttpResponse r = Send(api, "POST", "snapshot", doc.dump());
    CHECK(r.status == 400);
    std::string error = json::parse(r.body)["error"].get<std::string>();
    CAPTURE(error);
    CHECK(error.find(expected) != std::string::npos);
    CHECK(Export(api) == before);
  };
  json doc = before;
  doc["version"] = 99;
  refused(doc, "version 99");
  doc = before;
  doc["tables"]["widgets"] = json::object();
  refused(doc, "unknown table widgets");
  doc = before;
  doc["tables"]["instances"]["rows"][1][3] = 12;
  refused(doc, "tables.instances row 1: instance_id must be a string");
  doc = before;
  doc["tables"]["instances"]["columns"][3] = "colour";
  refused(doc, "tables.instances: the column instance_id is missing");
  doc = before;
  doc["tables"]["instance_tags"]["rows"][0][0] = 999;
  refused(doc, "tables.instance_tags row 0: instance_rowid 999 is no id in instances");
  doc = before;
  doc["tables"]["instances"]["rows"][0][1] = 42;
  refused(doc, "app_id 42 names no account");
  // Two instances with one InstanceId: the database refuses the second.
  doc = before;
  doc["tables"]["instances"]["rows"][1][3] = doc["tables"]["instances"]["rows"][0][3];
  refused(doc, "tables.instances row 1");
  // A state the store cannot read.
  doc = before;
  for (size_t i = 0; i < doc["tables"]["instances"]["columns"].size(); ++i) {
    if (doc["tables"]["instances"]["columns"][i] == "charge_type") {
      doc["tables"]["instances"]["rows"][0][i] = "FREE";
    }
  }
  refused(doc, "FREE");
  CHECK(Send(api, "POST", "snapshot", "{not json").status == 400);
}

TEST_CASE("Snapshot: a version-1 document (rows as objects, the clock in seconds) is migrated") {
  TestApi api;
  Populate(api);
  json current = Export(api, "?app_id=1250000001");
  json v1 = R"({
    "format": "cvm-emulator-snapshot", "version": 1, "app_id": 1250000001,
    "tables": {"key_pairs": [
      {"id": 5, "app_id": 1250000001, "region": "ap-beijing", "key_id": "skey-v1000001",
       "name": "from-v1", "description": null, "project_id": 0,
       "public_key": "", "created_at": 1700000000000}]}})"_json;
  // The public key of the exported key pair, so the row is a real one.
  v1["tables"]["key_pairs"][0]["public_key"] = current["tables"]["key_pairs"]["rows"][0][7];
  cvm::server::HttpResponse r = Send(api, "POST", "snapshot?app_id=1250000001", v1.dump());
  CHECK(r.status == 200);
  json keys = api.Call("DescribeKeyPairs", json::object(), "ap-beijing", cvm::testing::kSecretB);
  REQUIRE(keys["KeyPairSet"].size() == 1);
  CHECK(keys["KeyPairSet"][0]["KeyName"] == "from-v1");
  CHECK(keys["KeyPairSet"][0]["KeyId"] == "skey-v1000001");

  json clock_v1 = {{"format", "cvm-emulator-snapshot"}, {"version", 1},
                   {"clock", {{"now", 1800000000}, {"frozen", true}}}};
  REQUIRE(cvm::server::MigrateSnapshot(clock_v1) == "");
  CHECK(clock_v1["version"] == 2);
  CHECK(clock_v1["clock"]["now_ms"] == 1800000000000);
}

TEST_CASE("Snapshot: the clock and settings come back with a whole snapshot") {
  TestApi api;
  REQUIRE(Send(api, "POST", "clock/set", R"({"time": "2030-01-01T00:00:00Z"})").status == 200);
  REQUIRE(Send(api, "POST", "clock/freeze").status == 200);
  json doc = Export(api);
  REQUIRE(Send(api, "POST", "reset").status == 200);
  REQUIRE(Send(api, "POST", "snapshot", doc.dump()).status == 200);
  json clock = json::parse(Send(api, "GET", "clock").body);
  CHECK(clock["iso"] == "2030-01-01T00:00:00Z");
  CHECK(clock["frozen"] == true);
}

TEST_CASE("Snapshot: every table of the schema is in snapshots, or excluded by name") {
  cvm::state::Database db(":memory:");
  cvm::state::Migrate(db);
  std::set<std::string> in_snapshots;
  for (const auto& t : cvm::state::SnapshotTables(db)) in_snapshots.insert(t.name);
  cvm::state::Statement s = db.Prepare(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name");
  while (s.Step()) {
    std::string name = s.Text(0);
    CAPTURE(name);
    CHECK(in_snapshots.count(name) + cvm::state::ExcludedFromSnapshots(name) == 1);
  }
  // Every store's table is in snapshots, and is read back through the store.
  for (const auto& store : cvm::state::StoreColumns()) {
    CAPTURE(store.table);
    CHECK(in_snapshots.count(store.table) == 1);
    CHECK(static_cast<bool>(store.read_record));
  }
}

TEST_CASE("Snapshot: --snapshot starts the emulator from a file") {
  std::string path = "/tmp/cvm-snapshot-test-" + std::to_string(::getpid()) + ".json";
  json doc;
  {
    TestApi api;
    Populate(api);
    doc = Export(api);
    std::ofstream(path) << doc.dump();
  }
  static std::string snapshot_path;
  snapshot_path = path;
  TestApi restored([](cvm::server::EmulatorOptions& o) { o.snapshot_file = snapshot_path; });
  std::remove(path.c_str());
  CHECK(Export(restored) == doc);
}
