// Every mutating action's plan (Registry::FindPlan, state/'s Plan*) checks
// and writes nothing: run on a request that would succeed, inside a unit of
// work as the pipeline runs it, it passes and leaves every row of every table
// as it was, with no write at all on the connection (SQLite's
// total_changes()). The same request through the API then succeeds and does
// change the database, so the comparison can see a write. Price inquiries
// will rely on this: an inquiry is the action's plan plus the price engine.
#include <doctest/doctest.h>

#include <map>
#include <set>
#include <string>
#include <vector>

#include "handlers/registry.h"
#include "schema/decoder.h"
#include "schema/validator.h"
#include "crypto/crypto.h"
#include "state/ssh_keys.h"
#include "state/database.h"
#include "state/unit_of_work.h"
#include "tests/handlers/image_test_support.h"
#include "tests/handlers/instance_test_support.h"
#include "tests/support/db_snapshot.h"

namespace {

using namespace cvm::testing;
using namespace cvm::testing::instances;
using cvm::handlers::Registry;
using nlohmann::json;

using Snapshot = DbSnapshot;

Snapshot Take(cvm::state::Database& db) { return TakeSnapshot(db); }

int64_t TotalChanges(cvm::state::Database& db) {
  cvm::state::Statement s = db.Prepare("SELECT total_changes()");
  REQUIRE(s.Step());
  return s.Int(0);
}

std::string Ed25519Key(int seed) {
  std::string key(32, 'p');
  key[0] = static_cast<char>(seed);
  std::string blob = cvm::state::ssh::SshString("ssh-ed25519") + cvm::state::ssh::SshString(key);
  return "ssh-ed25519 " + cvm::crypto::Base64Encode(blob);
}

// Resources for every action to act on: a RUNNING and a STOPPED instance,
// a RUNNING PREPAID one with prepaid bandwidth, two key pairs (the second
// bound to the stopped instance), and a NORMAL imported image.
struct World {
  TestApi api;
  std::string running, stopped, with_disk, prepaid, key, bound_key, image, host, group;

  World() {
    json h = api.Call("AllocateHosts", {{"Placement", {{"Zone", kZone}}}, {"HostChargePrepaid", {{"Period", 1}}}});
    REQUIRE_MESSAGE(CodeOf(h) == "", h.dump());
    host = h["HostIdSet"][0].get<std::string>();
    json g = api.Call("CreateDisasterRecoverGroup", {{"Name", "g"}, {"Type", "SW"}});
    REQUIRE_MESSAGE(CodeOf(g) == "", g.dump());
    group = g["DisasterRecoverGroupId"].get<std::string>();
    running = Running(api);
    stopped = Stopped(api);
    with_disk = Stopped(api, {{"DataDisks", {{{"DiskType", "CLOUD_BASIC"}, {"DiskSize", 100}}}}});
    prepaid = Running(api, {{"InstanceChargeType", "PREPAID"},
                            {"InstanceChargePrepaid", {{"Period", 1}}},
                            {"InternetAccessible",
                             {{"InternetChargeType", "BANDWIDTH_PREPAID"},
                              {"InternetMaxBandwidthOut", 5}}}});
    key = ImportKey("first", 1);
    bound_key = ImportKey("second", 2);
    Ok(api, "AssociateInstancesKeyPairs", {{"InstanceIds", {stopped}}, {"KeyIds", {bound_key}}});
    image = cvm::testing::images::NormalImage(api, "base");
  }

  std::string ImportKey(const std::string& name, int seed) {
    json r = api.Call("ImportKeyPair",
                      {{"KeyName", name}, {"ProjectId", 0}, {"PublicKey", Ed25519Key(seed)}});
    REQUIRE_MESSAGE(CodeOf(r) == "", r.dump());
    return r["KeyId"].get<std::string>();
  }
};

// A request each mutating action would carry out in a World.
json ValidRequest(const std::string& action, const World& w) {
  const std::string url = "https://images-1250000000.cos.ap-guangzhou.myqcloud.com/other.qcow2";
  if (action == "RunInstances")
    return RunParams({{"InstanceCount", 2}, {"ClientToken", "token-1"}});
  if (action == "StartInstances") return {{"InstanceIds", {w.stopped}}};
  if (action == "StopInstances" || action == "RebootInstances" || action == "TerminateInstances") {
    return {{"InstanceIds", {w.running}}};
  }
  if (action == "ResetInstance") return {{"InstanceId", w.running}, {"ImageId", kWindowsImage}};
  if (action == "ResetInstancesPassword") {
    // RUNNING with ForceStop: it stops, changes and starts (a STOPPED one
    // keeps its record as it is; the password is not stored).
    return {{"InstanceIds", {w.running}}, {"Password", "Abc12345!x"}, {"ForceStop", true}};
  }
  if (action == "ModifyInstancesAttribute")
    return {{"InstanceIds", {w.running}}, {"InstanceName", "renamed"}};
  if (action == "ModifyInstancesProject") return {{"InstanceIds", {w.running}}, {"ProjectId", 5}};
  if (action == "ResetInstancesType") {
    return {{"InstanceIds", {w.running}}, {"InstanceType", "S1.SMALL2"}, {"ForceStop", true}};
  }
  if (action == "ResizeInstanceDisks")
    return {{"InstanceId", w.with_disk}, {"DataDisks", {{{"DiskSize", 200}}}}};
  if (action == "ModifyInstancesVpcAttribute") {
    return {{"InstanceIds", {w.running}},
            {"VirtualPrivateCloud", {{"VpcId", "vpc-abcd1234"}, {"SubnetId", "subnet-abcd1234"}}}};
  }
  if (action == "CreateImage") return {{"InstanceId", w.stopped}, {"ImageName", "captured"}};
  if (action == "DeleteImages") return {{"ImageIds", {w.image}}};
  if (action == "ModifyImageAttribute") return {{"ImageId", w.image}, {"ImageName", "renamed"}};
  if (action == "ImportImage") {
    return {{"Architecture", "x86_64"},
            {"OsType", "CentOS"},
            {"OsVersion", "7"},
            {"ImageUrl", url},
            {"ImageName", "other"}};
  }
  if (action == "ModifyImageSharePermission") {
    return {{"ImageId", w.image}, {"AccountIds", {kUinB}}, {"Permission", "SHARE"}};
  }
  if (action == "SyncImages")
    return {{"ImageIds", {w.image}}, {"DestinationRegions", {"ap-shanghai"}}};
  if (action == "CreateKeyPair") return {{"KeyName", "third"}, {"ProjectId", 0}};
  if (action == "ImportKeyPair")
    return {{"KeyName", "fourth"}, {"ProjectId", 0}, {"PublicKey", Ed25519Key(4)}};
  if (action == "ModifyKeyPairAttribute") return {{"KeyId", w.key}, {"KeyName", "renamed"}};
  if (action == "DeleteKeyPairs") return {{"KeyIds", {w.key}}};
  if (action == "AssociateInstancesKeyPairs")
    return {{"InstanceIds", {w.stopped}}, {"KeyIds", {w.key}}};
  if (action == "DisassociateInstancesKeyPairs") {
    return {{"InstanceIds", {w.stopped}}, {"KeyIds", {w.bound_key}}};
  }
  if (action == "AllocateHosts") {
    return {{"Placement", {{"Zone", kZone}}}, {"HostChargePrepaid", {{"Period", 1}}}, {"ClientToken", "h-1"}};
  }
  if (action == "ModifyHostsAttribute") return {{"HostIds", {w.host}}, {"HostName", "renamed"}};
  if (action == "RenewHosts") return {{"HostIds", {w.host}}, {"HostChargePrepaid", {{"Period", 1}}}};
  if (action == "CreateDisasterRecoverGroup") return {{"Name", "g2"}, {"Type", "RACK"}, {"ClientToken", "g-1"}};
  if (action == "DeleteDisasterRecoverGroups") return {{"DisasterRecoverGroupIds", {w.group}}};
  if (action == "ModifyDisasterRecoverGroupAttribute")
    return {{"DisasterRecoverGroupId", w.group}, {"Name", "renamed"}};
  if (action == "RenewInstances")
    return {{"InstanceIds", {w.prepaid}}, {"InstanceChargePrepaid", {{"Period", 1}}}};
  if (action == "ModifyInstancesRenewFlag")
    return {{"InstanceIds", {w.prepaid}}, {"RenewFlag", "NOTIFY_AND_AUTO_RENEW"}};
  if (action == "ModifyInstancesChargeType") {
    return {{"InstanceIds", {w.running}},
            {"InstanceChargeType", "PREPAID"},
            {"InstanceChargePrepaid", {{"Period", 1}}}};
  }
  if (action == "ResetInstancesInternetMaxBandwidth") {
    return {{"InstanceIds", {w.prepaid}},
            {"InternetAccessible", {{"InternetMaxBandwidthOut", 10}}},
            {"StartTime", "2023-11-16"},
            {"EndTime", "2023-11-17"}};
  }
  return nullptr;
}

// Runs `action`'s plan alone on `params`, the way the pipeline runs the
// handler: validated parameters, inside a unit of work (rolled back after).
cvm::Status RunPlan(World& w, const std::string& action, const json& params, Snapshot* during,
                    int64_t* changes_before, int64_t* changes_after) {
  cvm::server::Emulator& emu = w.api.emulator();
  const cvm::schema::ActionSpec& spec = *emu.services().schema.FindAction(action);
  auto tree = cvm::schema::DecodeJson(spec, params.dump());
  REQUIRE(tree.ok());
  auto validated = cvm::schema::Validate(spec, std::move(tree).value(), false);
  REQUIRE_MESSAGE(validated.ok(), validated.error().message());
  std::string region = kRegion;
  cvm::handlers::RequestContext ctx{emu.services(), emu.accounts().primary(), region, spec,
                                    nullptr,        emu.clock().NowMs()};
  cvm::state::UnitOfWork work(emu.db(), ctx.now());
  *changes_before = TotalChanges(emu.db());
  Snapshot before = Take(emu.db());
  cvm::Status status = Registry::Builtin().FindPlan(action)(ctx, validated->params);
  *during = Take(emu.db());
  *changes_after = TotalChanges(emu.db());
  CHECK_MESSAGE(*during == before, action << "'s plan changed the database");
  return status;
}

std::vector<std::string> MutatingActions() {
  std::vector<std::string> out;
  for (const std::string& name : Registry::Builtin().Names()) {
    if (Registry::Builtin().FindPlan(name)) out.push_back(name);
  }
  return out;
}

}  // namespace

TEST_CASE("Registry: every action but the reads (Describe*, InquiryPrice*) is a mutation with a plan") {
  for (const std::string& name : Registry::Builtin().Names()) {
    CAPTURE(name);
    bool read = name.rfind("Describe", 0) == 0 || name.rfind("InquiryPrice", 0) == 0;
    CHECK(read == (Registry::Builtin().FindPlan(name) == nullptr));
  }
  // The 21 of issue 9; each one added later is held to the test below too.
  CHECK(MutatingActions().size() >= 21);
}

TEST_CASE(
    "Plans: every mutating action's plan passes on a request that succeeds, and leaves the "
    "database unchanged") {
  for (const std::string& action : MutatingActions()) {
    CAPTURE(action);
    World w;
    json params = ValidRequest(action, w);
    REQUIRE_MESSAGE(!params.is_null(), "no request for " << action << " in this test");
    Snapshot before, during;
    int64_t changes_before = 0, changes_after = 0;
    cvm::Status planned = RunPlan(w, action, params, &during, &changes_before, &changes_after);
    CHECK_MESSAGE(planned.ok(), planned.error().message());
    CHECK(changes_after == changes_before);  // not even a write undone later
    // The plan's unit of work is gone; the database is as it was.
    {
      auto lock = w.api.emulator().db().Lock();
      before = Take(w.api.emulator().db());
    }
    CHECK(before == during);
    // The action itself writes.
    json r = w.api.Call(action, params);
    REQUIRE_MESSAGE(CodeOf(r) == "", r.dump());
    auto lock = w.api.emulator().db().Lock();
    CHECK_MESSAGE(Take(w.api.emulator().db()) != before, action << " changed nothing");
  }
}

TEST_CASE(
    "Plans: a plan that refuses a request answers what the action answers, and writes nothing") {
  World w;
  struct Case {
    std::string action;
    json params;
  };
  std::vector<Case> cases = {
      {"RunInstances", RunParams({{"Placement", {{"Zone", "ap-shanghai-1"}}}})},
      {"StopInstances", {{"InstanceIds", {w.stopped}}}},
      {"ResetInstance", {{"InstanceId", kUnknownId}}},
      {"DeleteImages", {{"ImageIds", {kImage}}}},
      {"SyncImages", {{"ImageIds", {w.image}}, {"DestinationRegions", {kRegion}}}},
      {"DeleteKeyPairs", {{"KeyIds", {w.bound_key}}}},
  };
  for (const Case& c : cases) {
    CAPTURE(c.action);
    Snapshot during;
    int64_t changes_before = 0, changes_after = 0;
    cvm::Status planned = RunPlan(w, c.action, c.params, &during, &changes_before, &changes_after);
    REQUIRE_FALSE(planned.ok());
    CHECK(changes_after == changes_before);
    json r = w.api.Call(c.action, c.params);
    CHECK(CodeOf(r) == std::string(planned.error().code()));
    CHECK(r["Error"]["Message"] == planned.error().message());
  }
}
