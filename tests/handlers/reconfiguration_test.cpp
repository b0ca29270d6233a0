// ResetInstancesType, ResizeInstanceDisks and ModifyInstancesVpcAttribute
// through the in-process API: every code each can produce, and the state
// afterwards as DescribeInstances shows it while the clock advances (D-107,
// D-131, D-133, D-171..D-174).
#include <doctest/doctest.h>

#include <string>

#include "tests/handlers/instance_test_support.h"
#include "tests/support/db_snapshot.h"

// A namespace of its own: this file compiles in one unit with others
// (tests/CMakeLists.txt), whose file-local names may be the same.
namespace reconfiguration_test {

namespace {

using namespace cvm::testing;
using namespace cvm::testing::instances;
using nlohmann::json;

// A refused call changes nothing.
void ExpectRefused(TestApi& api, const std::string& action, const json& params,
                   const std::string& code) {
  DbSnapshot before = LockAndSnapshot(api.emulator().db());
  json r = api.Call(action, params);
  CHECK_MESSAGE(CodeOf(r) == code, action << ": " << r.dump());
  CHECK(LockAndSnapshot(api.emulator().db()) == before);
}

json WithDataDisk(int64_t size = 100) {
  return {{"DataDisks", {{{"DiskType", "CLOUD_BASIC"}, {"DiskSize", size}}}}};
}

json InVpc(const std::string& vpc, const std::string& subnet, const std::string& ip = "") {
  json v = {{"VpcId", vpc}, {"SubnetId", subnet}};
  if (!ip.empty()) v["PrivateIpAddresses"] = {ip};
  return {{"VirtualPrivateCloud", v}};
}

json MoveTo(const std::string& id, const std::string& vpc, const std::string& subnet,
            const std::string& ip = "") {
  json p = InVpc(vpc, subnet, ip);
  p["InstanceIds"] = {id};
  return p;
}

// A RUNNING instance after a ForceStop change: STOPPING, then STARTING, then
// RUNNING on the clock, with `check` true of DescribeInstances throughout.
template <typename Check>
void ExpectStopChangeStart(TestApi& api, const std::string& id, Check check) {
  CHECK(StateOf(api, id) == "STOPPING");
  check(Describe(api, id));
  api.Advance(kStopping);
  CHECK(StateOf(api, id) == "STARTING");
  check(Describe(api, id));
  api.Advance(kStarting);
  CHECK(StateOf(api, id) == "RUNNING");
  check(Describe(api, id));
}

}  // namespace

TEST_SUITE("handlers") {
  // ---------------------------------------------------------------------
  // ResetInstancesType

  TEST_CASE(
      "ResetInstancesType: a STOPPED instance takes the type, its CPU and memory, and stays "
      "STOPPED") {
    TestApi api;
    std::string id = Stopped(api);
    Ok(api, "ResetInstancesType", {{"InstanceIds", {id}}, {"InstanceType", "S1.MEDIUM4"}});
    json in = Describe(api, id);
    CHECK(in["InstanceType"] == "S1.MEDIUM4");
    CHECK(in["CPU"] == 2);
    CHECK(in["Memory"] == 4);
    CHECK(StateOf(api, id) == "STOPPED");
    api.Advance(3600);
    CHECK(StateOf(api, id) == "STOPPED");
  }

  TEST_CASE(
      "ResetInstancesType: RUNNING with ForceStop shows the new type at once, STOPPING, STARTING, "
      "RUNNING (D-171)") {
    TestApi api;
    std::string id = Running(api);
    Ok(api, "ResetInstancesType",
       {{"InstanceIds", {id}}, {"InstanceType", "S1.SMALL2"}, {"ForceStop", true}});
    ExpectStopChangeStart(api, id, [](const json& in) {
      CHECK(in["InstanceType"] == "S1.SMALL2");
      CHECK(in["Memory"] == 2);
    });
  }

  TEST_CASE(
      "ResetInstancesType: a change while another runs is MutexOperation.TaskRunning, in either "
      "phase") {
    TestApi api;
    std::string id = Running(api, WithDataDisk());
    Ok(api, "ResetInstancesType",
       {{"InstanceIds", {id}}, {"InstanceType", "S1.SMALL2"}, {"ForceStop", true}});
    json again = {{"InstanceIds", {id}}, {"InstanceType", "S1.SMALL4"}, {"ForceStop", true}};
    json grow = {{"InstanceId", id}, {"DataDisks", {{{"DiskSize", 200}}}}, {"ForceStop", true}};
    ExpectRefused(api, "ResetInstancesType", again, "MutexOperation.TaskRunning");
    ExpectRefused(api, "ResizeInstanceDisks", grow, "MutexOperation.TaskRunning");
    ExpectRefused(api, "ModifyInstancesVpcAttribute", MoveTo(id, "vpc-abcd1234", "subnet-abcd1234"),
                  "MutexOperation.TaskRunning");
    api.Advance(kStopping);
    ExpectRefused(api, "ResetInstancesType", again, "MutexOperation.TaskRunning");
    api.Advance(kStarting);
    Ok(api, "ResetInstancesType", again);
  }

  TEST_CASE("ResetInstancesType: every refusal has its code and changes nothing") {
    TestApi api;
    std::string running = Running(api);
    std::string stopped = Stopped(api);
    std::string local =
        Stopped(api, {{"SystemDisk", {{"DiskType", "LOCAL_BASIC"}, {"DiskSize", 50}}}});
    std::string pending = LaunchOne(api);
    auto on = [](const json& ids, const std::string& type) {
      return json{{"InstanceIds", ids}, {"InstanceType", type}};
    };
    ExpectRefused(api, "ResetInstancesType", {{"InstanceIds", {stopped}}}, "MissingParameter");
    ExpectRefused(api, "ResetInstancesType", on({stopped, running}, "S1.SMALL2"),
                  "InvalidParameterValue.LimitExceeded");
    ExpectRefused(api, "ResetInstancesType", on({"ins-1122"}, "S1.SMALL2"),
                  "InvalidInstanceId.Malformed");
    ExpectRefused(api, "ResetInstancesType", on({kUnknownId}, "S1.SMALL2"),
                  "InvalidInstanceId.NotFound");
    ExpectRefused(api, "ResetInstancesType", on({stopped}, "small"), "InvalidParameterValue");
    ExpectRefused(api, "ResetInstancesType", on({stopped}, "S1.HUGE1"), "InvalidParameterValue");
    ExpectRefused(api, "ResetInstancesType", on({stopped}, "S2.SMALL2"), "InvalidParameterValue");
    ExpectRefused(api, "ResetInstancesType", on({stopped}, "S1.SMALL1"), "InvalidParameterValue");
    ExpectRefused(api, "ResetInstancesType", on({local}, "S1.SMALL2"),
                  "InvalidInstance.NotSupported");
    ExpectRefused(api, "ResetInstancesType", on({running}, "S1.SMALL2"),
                  "UnsupportedOperation.InstanceStateRunning");
    ExpectRefused(api, "ResetInstancesType", on({pending}, "S1.SMALL2"),
                  "UnsupportedOperation.InstanceStatePending");
    // Another account's instance does not exist for the caller.
    json theirs = api.Call("ResetInstancesType", on({stopped}, "S1.SMALL2"), kRegion, kSecretB);
    CHECK(CodeOf(theirs) == "InvalidInstanceId.NotFound");
  }

  TEST_CASE(
      "ResetInstancesType: a bandwidth over the new type's limit is InvalidParameterValue "
      "(D-172)") {
    TestApi api;
    // S1.LARGE4 (4 vCPU) allows 200 Mbps, S1.SMALL... (1 vCPU) 100.
    std::string id = Stopped(api, {{"InstanceType", "S1.LARGE4"},
                                   {"InternetAccessible", {{"InternetMaxBandwidthOut", 150}}}});
    ExpectRefused(api, "ResetInstancesType",
                  {{"InstanceIds", {id}}, {"InstanceType", "S1.MEDIUM4"}}, "InvalidParameterValue");
    Ok(api, "ResetInstancesType", {{"InstanceIds", {id}}, {"InstanceType", "S1.LARGE8"}});
  }

  // ---------------------------------------------------------------------
  // ResizeInstanceDisks

  TEST_CASE(
      "ResizeInstanceDisks: the only cloud data disk grows, by its ID too, and a STOPPED instance "
      "stays STOPPED") {
    TestApi api;
    std::string id = Stopped(api, WithDataDisk(100));
    Ok(api, "ResizeInstanceDisks", {{"InstanceId", id}, {"DataDisks", {{{"DiskSize", 200}}}}});
    json disk = Describe(api, id)["DataDisks"][0];
    CHECK(disk["DiskSize"] == 200);
    CHECK(StateOf(api, id) == "STOPPED");
    Ok(api, "ResizeInstanceDisks",
       {{"InstanceId", id},
        {"DataDisks",
         {{{"DiskId", disk["DiskId"]}, {"DiskSize", 250}, {"DiskType", "CLOUD_SSD"}}}}});
    // DiskType is not read: the disk keeps its type.
    json grown = Describe(api, id)["DataDisks"][0];
    CHECK(grown["DiskId"] == disk["DiskId"]);
    CHECK(grown["DiskSize"] == 250);
    CHECK(grown["DiskType"] == "CLOUD_BASIC");
    api.Advance(3600);
    CHECK(StateOf(api, id) == "STOPPED");
  }

  TEST_CASE(
      "ResizeInstanceDisks: RUNNING with ForceStop shows the new size at once, STOPPING, STARTING, "
      "RUNNING") {
    TestApi api;
    std::string id = Running(api, WithDataDisk(100));
    ExpectRefused(api, "ResizeInstanceDisks",
                  {{"InstanceId", id}, {"DataDisks", {{{"DiskSize", 200}}}}},
                  "UnsupportedOperation.InstanceStateRunning");
    Ok(api, "ResizeInstanceDisks",
       {{"InstanceId", id}, {"DataDisks", {{{"DiskSize", 200}}}}, {"ForceStop", true}});
    ExpectStopChangeStart(api, id,
                          [](const json& in) { CHECK(in["DataDisks"][0]["DiskSize"] == 200); });
  }

  TEST_CASE("ResizeInstanceDisks: every refusal has its code and changes nothing (D-112)") {
    TestApi api;
    std::string id = Stopped(api, WithDataDisk(100));
    std::string none = Stopped(api);
    std::string two = Stopped(api, {{"DataDisks",
                                     {{{"DiskType", "CLOUD_BASIC"}, {"DiskSize", 100}},
                                      {{"DiskType", "CLOUD_SSD"}, {"DiskSize", 100}}}}});
    auto grow = [](const std::string& instance, json disk) {
      return json{{"InstanceId", instance}, {"DataDisks", {disk}}};
    };
    ExpectRefused(api, "ResizeInstanceDisks", {{"InstanceId", id}}, "MissingParameter");
    ExpectRefused(api, "ResizeInstanceDisks", grow("ins-1122", {{"DiskSize", 200}}),
                  "InvalidInstanceId.Malformed");
    ExpectRefused(api, "ResizeInstanceDisks", grow(kUnknownId, {{"DiskSize", 200}}),
                  "InvalidInstanceId.NotFound");
    ExpectRefused(api, "ResizeInstanceDisks",
                  {{"InstanceId", id}, {"DataDisks", {{{"DiskSize", 200}}, {{"DiskSize", 300}}}}},
                  "InvalidParameterValue.LimitExceeded");
    ExpectRefused(api, "ResizeInstanceDisks", grow(none, {{"DiskSize", 200}}),
                  "InvalidParameterValue");
    ExpectRefused(api, "ResizeInstanceDisks", grow(two, {{"DiskSize", 200}}),
                  "InvalidParameterValue");
    ExpectRefused(api, "ResizeInstanceDisks",
                  grow(id, {{"DiskId", "disk-zzzzzzzz"}, {"DiskSize", 200}}),
                  "InvalidParameterValue");
    ExpectRefused(api, "ResizeInstanceDisks", grow(id, {{"DiskSize", 100}}),
                  "InvalidParameterValue.Range");
    ExpectRefused(api, "ResizeInstanceDisks", grow(id, {{"DiskSize", 50}}),
                  "InvalidParameterValue.Range");
    ExpectRefused(api, "ResizeInstanceDisks", grow(id, {{"DiskSize", 205}}),
                  "InvalidParameterValue.Range");
    ExpectRefused(api, "ResizeInstanceDisks", grow(id, {{"DiskSize", 16010}}),
                  "InvalidParameterValue.Range");
    // Two cloud data disks: naming one by its ID works.
    json disk = Describe(api, two)["DataDisks"][1];
    Ok(api, "ResizeInstanceDisks", grow(two, {{"DiskId", disk["DiskId"]}, {"DiskSize", 200}}));
    CHECK(Describe(api, two)["DataDisks"][1]["DiskSize"] == 200);
    CHECK(Describe(api, two)["DataDisks"][0]["DiskSize"] == 100);
  }

  // ---------------------------------------------------------------------
  // ModifyInstancesVpcAttribute

  TEST_CASE(
      "ModifyInstancesVpcAttribute: ForceStop defaults to TRUE; a RUNNING instance moves and "
      "restarts on the clock") {
    TestApi api;
    std::string id = Running(api, InVpc("vpc-aaaa1111", "subnet-aaaa1111"));
    Ok(api, "ModifyInstancesVpcAttribute",
       MoveTo(id, "vpc-bbbb2222", "subnet-bbbb2222", "10.8.9.7"));
    ExpectStopChangeStart(api, id, [](const json& in) {
      CHECK(in["VirtualPrivateCloud"]["VpcId"] == "vpc-bbbb2222");
      CHECK(in["VirtualPrivateCloud"]["SubnetId"] == "subnet-bbbb2222");
      CHECK(in["PrivateIpAddresses"] == json{"10.8.9.7"});
    });
    // The address is now held in the new VPC.
    std::string other = Stopped(api, InVpc("vpc-bbbb2222", "subnet-bbbb2222"));
    ExpectRefused(api, "ModifyInstancesVpcAttribute",
                  MoveTo(other, "vpc-bbbb2222", "subnet-bbbb2222", "10.8.9.7"), "VpcIpsUsed");
  }

  TEST_CASE(
      "ModifyInstancesVpcAttribute: ForceStop FALSE refuses a RUNNING instance; a STOPPED one "
      "moves and stays STOPPED") {
    TestApi api;
    std::string running = Running(api, InVpc("vpc-aaaa1111", "subnet-aaaa1111"));
    std::string stopped = Stopped(api, InVpc("vpc-aaaa1111", "subnet-aaaa1111"));
    json p = MoveTo(running, "vpc-bbbb2222", "subnet-bbbb2222");
    p["ForceStop"] = false;
    ExpectRefused(api, "ModifyInstancesVpcAttribute", p,
                  "UnsupportedOperation.InstanceStateRunning");
    p["InstanceIds"] = {stopped};
    Ok(api, "ModifyInstancesVpcAttribute", p);
    CHECK(StateOf(api, stopped) == "STOPPED");
    json vpc = Describe(api, stopped)["VirtualPrivateCloud"];
    CHECK(vpc["VpcId"] == "vpc-bbbb2222");
    CHECK(vpc["SubnetId"] == "subnet-bbbb2222");
    api.Advance(3600);
    CHECK(StateOf(api, stopped) == "STOPPED");
  }

  TEST_CASE(
      "ModifyInstancesVpcAttribute: a batch moves together, each to its own address, or not at "
      "all") {
    TestApi api;
    std::string a = Stopped(api, InVpc("vpc-aaaa1111", "subnet-aaaa1111"));
    std::string b = Stopped(api, InVpc("vpc-aaaa1111", "subnet-aaaa1111"));
    std::string running = Running(api, InVpc("vpc-aaaa1111", "subnet-aaaa1111"));
    json batch = {{"InstanceIds", {a, b}},
                  {"VirtualPrivateCloud",
                   {{"VpcId", "vpc-cccc3333"},
                    {"SubnetId", "subnet-cccc3333"},
                    {"PrivateIpAddresses", {"10.3.3.5", "10.3.3.6"}}}}};
    // One instance refused: nobody moves.
    json with_running = batch;
    with_running["InstanceIds"] = {a, running};
    with_running["ForceStop"] = false;
    ExpectRefused(api, "ModifyInstancesVpcAttribute", with_running,
                  "UnsupportedOperation.InstanceStateRunning");
    json unknown = batch;
    unknown["InstanceIds"] = {a, kUnknownId};
    ExpectRefused(api, "ModifyInstancesVpcAttribute", unknown, "InvalidInstanceId.NotFound");
    Ok(api, "ModifyInstancesVpcAttribute", batch);
    CHECK(Describe(api, a)["PrivateIpAddresses"] == json{"10.3.3.5"});
    CHECK(Describe(api, b)["PrivateIpAddresses"] == json{"10.3.3.6"});
    // Two instances may swap addresses in one call: each gives its own up.
    batch["VirtualPrivateCloud"]["PrivateIpAddresses"] = {"10.3.3.6", "10.3.3.5"};
    Ok(api, "ModifyInstancesVpcAttribute", batch);
    CHECK(Describe(api, a)["PrivateIpAddresses"] == json{"10.3.3.6"});
    CHECK(Describe(api, b)["PrivateIpAddresses"] == json{"10.3.3.5"});
  }

  TEST_CASE(
      "ModifyInstancesVpcAttribute: without addresses, an instance already in the subnet keeps its "
      "own (D-174)") {
    TestApi api;
    std::string stay = Stopped(api, InVpc("vpc-aaaa1111", "subnet-aaaa1111", "10.1.1.9"));
    std::string move = Stopped(api, InVpc("vpc-aaaa1111", "subnet-dddd4444"));
    json p = {
        {"InstanceIds", {stay, move}},
        {"VirtualPrivateCloud", {{"VpcId", "vpc-aaaa1111"}, {"SubnetId", "subnet-aaaa1111"}}}};
    Ok(api, "ModifyInstancesVpcAttribute", p);
    CHECK(Describe(api, stay)["PrivateIpAddresses"] == json{"10.1.1.9"});
    std::string moved = Describe(api, move)["PrivateIpAddresses"][0];
    CHECK(moved.rfind("10.1.1.", 0) == 0);
    CHECK(moved != "10.1.1.9");
    CHECK(Describe(api, move)["VirtualPrivateCloud"]["SubnetId"] == "subnet-aaaa1111");
  }

  TEST_CASE(
      "ModifyInstancesVpcAttribute: every address refusal has its code and changes nothing (D-13, "
      "D-133)") {
    TestApi api;
    std::string a = Stopped(api, InVpc("vpc-aaaa1111", "subnet-aaaa1111", "10.1.1.9"));
    std::string b = Stopped(api, InVpc("vpc-aaaa1111", "subnet-aaaa1111"));
    std::string classic = Stopped(api);
    // subnet-aaaa1111 is known to be in vpc-aaaa1111.
    ExpectRefused(api, "ModifyInstancesVpcAttribute", MoveTo(b, "vpc-eeee5555", "subnet-aaaa1111"),
                  "VpcIdNotMatch");
    ExpectRefused(api, "ModifyInstancesVpcAttribute",
                  MoveTo(b, "vpc-aaaa1111", "subnet-aaaa1111", "10.2.2.2"), "VpcAddrNotInSubNet");
    ExpectRefused(api, "ModifyInstancesVpcAttribute",
                  MoveTo(b, "vpc-aaaa1111", "subnet-aaaa1111", "10.1.1.1"), "VpcAddrNotInSubNet");
    ExpectRefused(api, "ModifyInstancesVpcAttribute",
                  MoveTo(b, "vpc-aaaa1111", "subnet-aaaa1111", "10.1.1.9"), "VpcIpsUsed");
    json two_ips = MoveTo(b, "vpc-aaaa1111", "subnet-aaaa1111");
    two_ips["VirtualPrivateCloud"]["PrivateIpAddresses"] = {"10.1.1.20", "10.1.1.21"};
    ExpectRefused(api, "ModifyInstancesVpcAttribute", two_ips, "InvalidParameterValue");
    json twice = MoveTo(b, "vpc-aaaa1111", "subnet-aaaa1111");
    twice["InstanceIds"] = {b, b};
    twice["VirtualPrivateCloud"]["PrivateIpAddresses"] = {"10.1.1.20", "10.1.1.21"};
    ExpectRefused(api, "ModifyInstancesVpcAttribute", twice, "InvalidParameterValue");
    json gateway = MoveTo(b, "vpc-aaaa1111", "subnet-aaaa1111");
    gateway["VirtualPrivateCloud"]["AsVpcGateway"] = true;
    ExpectRefused(api, "ModifyInstancesVpcAttribute", gateway, "InvalidParameterCombination");
    ExpectRefused(api, "ModifyInstancesVpcAttribute",
                  MoveTo("ins-1122", "vpc-aaaa1111", "subnet-aaaa1111"),
                  "InvalidInstanceId.Malformed");
    // A basic-network instance moves into a VPC.
    Ok(api, "ModifyInstancesVpcAttribute",
       MoveTo(classic, "vpc-aaaa1111", "subnet-aaaa1111", "10.1.1.30"));
    CHECK(Describe(api, classic)["VirtualPrivateCloud"]["VpcId"] == "vpc-aaaa1111");
  }
}

}  // namespace reconfiguration_test
