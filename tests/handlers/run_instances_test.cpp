// RunInstances through the in-process API: every error code of its table (and
// the codes docs/decisions.md adds) with "a refused launch creates nothing",
// then what a launch creates, as DescribeInstances shows it (the document's
// RunInstances input table and structures; D-102, D-120). Codes the emulator
// cannot produce are injected in instance_faults_test.cpp, which lists them
// with the reasons.
#include <doctest/doctest.h>

#include <set>
#include <string>
#include <vector>

#include "tests/handlers/instance_test_support.h"

namespace {

using namespace cvm::testing;
using namespace cvm::testing::instances;
using nlohmann::json;

// A refused RunInstances: the exact code, and no instance appeared.
void ExpectRefused(TestApi& api, const json& params, const std::string& code,
                   const std::string& region = kRegion) {
  int64_t before = TotalCount(api, region);
  json r = api.Call("RunInstances", params, region);
  CHECK_MESSAGE(CodeOf(r) == code, r.dump());
  CHECK(TotalCount(api, region) == before);
}

json Vpc(const std::string& vpc, const std::string& subnet, const json& ips = nullptr) {
  json v = {{"VpcId", vpc}, {"SubnetId", subnet}};
  if (!ips.is_null()) v["PrivateIpAddresses"] = ips;
  return v;
}

std::vector<std::string> Names(TestApi& api, const std::vector<std::string>& ids) {
  std::vector<std::string> names;
  for (const std::string& id : ids) names.push_back(Describe(api, id)["InstanceName"].get<std::string>());
  return names;
}

}  // namespace

TEST_SUITE("handlers") {
  // ---------------------------------------------------------------------
  // Error codes of the action's table

  TEST_CASE("RunInstances: more instances than the remaining quota gives InstancesQuotaLimitExceeded and creates nothing") {
    TestApi api;
    api.Control("/_emulator/quotas", {{"instances", 3}});
    Launch(api, {{"InstanceCount", 2}});
    ExpectRefused(api, RunParams({{"InstanceCount", 2}}), "InstancesQuotaLimitExceeded");
    // Exactly up to the quota is fine; one more is not.
    std::string third = LaunchOne(api);
    ExpectRefused(api, RunParams(), "InstancesQuotaLimitExceeded");
    // The quota is per account: B still has all of its own.
    CHECK(Launch(api, {{"InstanceCount", 3}}, kRegion, kSecretB).size() == 3);
    // A terminated instance frees its place once it is gone.
    api.Advance(kPending);
    Ok(api, "TerminateInstances", {{"InstanceIds", {third}}});
    api.Advance(kTerminating);
    CHECK(Launch(api).size() == 1);
  }

  TEST_CASE("RunInstances: a ClientToken over 64 characters gives InvalidClientToken.TooLong and creates nothing") {
    TestApi api;
    ExpectRefused(api, RunParams({{"ClientToken", std::string(65, 't')}}), "InvalidClientToken.TooLong");
    CHECK(Launch(api, {{"ClientToken", std::string(64, 't')}}).size() == 1);
    // 64 bytes, not 64 characters (D-52: ASCII); other text is refused outright.
    std::string e_acute = "\xc3\xa9";
    std::string forty;
    for (int i = 0; i < 40; ++i) forty += e_acute;
    ExpectRefused(api, RunParams({{"ClientToken", forty}}), "InvalidParameterValue");
    ExpectRefused(api, RunParams({{"ClientToken", e_acute}}), "InvalidParameterValue");
    ExpectRefused(api, RunParams({{"ClientToken", "tab\tinside"}}), "InvalidParameterValue");
  }

  TEST_CASE("RunInstances: a CDHPAID launch on a dedicated host the caller does not own gives InvalidHostId.NotFound and creates nothing") {
    TestApi api;
    ExpectRefused(api,
                  RunParams({{"InstanceChargeType", "CDHPAID"},
                             {"InstanceType", "CDH_1C1G"},
                             {"Placement", {{"Zone", kZone}, {"HostIds", {"host-abcd1234"}}}}}),
                  "InvalidHostId.NotFound");
  }

  TEST_CASE("RunInstances: a name over 60 bytes gives InvalidInstanceName.TooLong and creates nothing") {
    TestApi api;
    SUBCASE("61 ASCII bytes") {
      ExpectRefused(api, RunParams({{"InstanceName", std::string(61, 'n')}}), "InvalidInstanceName.TooLong");
    }
    SUBCASE("21 Chinese characters are 63 bytes") {
      std::string name;
      for (int i = 0; i < 21; ++i) name += "\xE4\xB8\xAD";
      ExpectRefused(api, RunParams({{"InstanceName", name}}), "InvalidInstanceName.TooLong");
    }
    SUBCASE("60 bytes whose numbered suffix makes 61") {
      ExpectRefused(api, RunParams({{"InstanceName", std::string(60, 'n')}, {"InstanceCount", 2}}),
                    "InvalidInstanceName.TooLong");
    }
  }

  TEST_CASE("RunInstances: an instance type that is not FAMILY.SIZE gives InvalidInstanceType.Malformed and creates nothing") {
    TestApi api;
    SUBCASE("no dot") { ExpectRefused(api, RunParams({{"InstanceType", "S1SMALL1"}}), "InvalidInstanceType.Malformed"); }
    SUBCASE("lower case") { ExpectRefused(api, RunParams({{"InstanceType", "s1.small1"}}), "InvalidInstanceType.Malformed"); }
    SUBCASE("a CDH type shape that is wrong") {
      ExpectRefused(api,
                    RunParams({{"InstanceChargeType", "CDHPAID"},
                               {"InstanceType", "CDH_1CPU"},
                               {"Placement", {{"Zone", kZone}, {"HostIds", {"host-abcd1234"}}}}}),
                    "InvalidInstanceType.Malformed");
    }
  }

  TEST_CASE("RunInstances: a private IP that is not an IPv4 address gives InvalidParameter.InvalidIpFormat and creates nothing") {
    TestApi api;
    ExpectRefused(api,
                  RunParams({{"VirtualPrivateCloud", Vpc("vpc-abcd1234", "subnet-abcd1234", {"10.0.0.256"})}}),
                  "InvalidParameter.InvalidIpFormat");
    ExpectRefused(api,
                  RunParams({{"VirtualPrivateCloud", Vpc("vpc-abcd1234", "subnet-abcd1234", {"10.0.0"})}}),
                  "InvalidParameter.InvalidIpFormat");
  }

  TEST_CASE("RunInstances: conflicting parameters give InvalidParameterCombination and create nothing") {
    TestApi api;
    SUBCASE("two private IPs for one instance (D-16)") {
      ExpectRefused(api,
                    RunParams({{"VirtualPrivateCloud",
                                Vpc("vpc-abcd1234", "subnet-abcd1234", {"10.0.0.10", "10.0.0.11"})}}),
                    "InvalidParameterCombination");
    }
    SUBCASE("one private IP for three instances (D-16)") {
      ExpectRefused(api,
                    RunParams({{"InstanceCount", 3},
                               {"VirtualPrivateCloud", Vpc("vpc-abcd1234", "subnet-abcd1234", {"10.0.0.10"})}}),
                    "InvalidParameterCombination");
    }
    SUBCASE("a password and a key (D-16)") {
      ExpectRefused(api,
                    RunParams({{"LoginSettings", {{"Password", "Passw0rd!x"}, {"KeyIds", {"skey-abcd1234"}}}}}),
                    "InvalidParameterCombination");
    }
    SUBCASE("KeepImageLogin with a password (D-16)") {
      ExpectRefused(api,
                    RunParams({{"LoginSettings", {{"Password", "Passw0rd!x"}, {"KeepImageLogin", "TRUE"}}}}),
                    "InvalidParameterCombination");
    }
    SUBCASE("KeepImageLogin with a public image (the document's KeepImageLogin row)") {
      ExpectRefused(api, RunParams({{"LoginSettings", {{"KeepImageLogin", "TRUE"}}}}),
                    "InvalidParameterCombination");
    }
    SUBCASE("a public IP without bandwidth (D-16)") {
      ExpectRefused(api, RunParams({{"InternetAccessible", {{"PublicIpAssigned", true}}}}),
                    "InvalidParameterCombination");
    }
    SUBCASE("InstanceChargePrepaid for a postpaid instance") {
      ExpectRefused(api, RunParams({{"InstanceChargePrepaid", {{"Period", 1}}}}), "InvalidParameterCombination");
    }
    SUBCASE("BANDWIDTH_PREPAID bandwidth on a postpaid instance") {
      ExpectRefused(api,
                    RunParams({{"InternetAccessible",
                                {{"InternetChargeType", "BANDWIDTH_PREPAID"}, {"InternetMaxBandwidthOut", 1}}}}),
                    "InvalidParameterCombination");
    }
    SUBCASE("InstanceMarketOptions for a non-spot instance") {
      ExpectRefused(api,
                    RunParams({{"InstanceMarketOptions",
                                {{"MarketType", "spot"}, {"SpotOptions", {{"MaxPrice", "0.5"}}}}}}),
                    "InvalidParameterCombination");
    }
    SUBCASE("HostIds for a non-CDH instance") {
      ExpectRefused(api, RunParams({{"Placement", {{"Zone", kZone}, {"HostIds", {"host-abcd1234"}}}}}),
                    "InvalidParameterCombination");
    }
    SUBCASE("AsVpcGateway without a public IP (D-16)") {
      json vpc = Vpc("vpc-abcd1234", "subnet-abcd1234");
      vpc["AsVpcGateway"] = true;
      ExpectRefused(api, RunParams({{"VirtualPrivateCloud", vpc}}), "InvalidParameterCombination");
    }
  }

  TEST_CASE("RunInstances: invalid values give InvalidParameterValue and create nothing") {
    TestApi api;
    SUBCASE("an instance type that does not exist") {
      ExpectRefused(api, RunParams({{"InstanceType", "S1.HUGE999"}}), "InvalidParameterValue");
    }
    SUBCASE("an instance type the zone does not sell") {
      // ap-guangzhou-open-1 sells only the new generation (CATALOG.md).
      ExpectRefused(api,
                    RunParams({{"Placement", {{"Zone", "ap-guangzhou-open-1"}}}, {"InstanceType", "S1.SMALL1"}}),
                    "InvalidParameterValue", "ap-guangzhou-open");
    }
    SUBCASE("a Linux host name with a leading hyphen (the document's HostName row)") {
      ExpectRefused(api, RunParams({{"HostName", "-web"}}), "InvalidParameterValue");
    }
    SUBCASE("a Windows host name of 16 characters (the document's HostName row)") {
      ExpectRefused(api, RunParams({{"ImageId", kWindowsImage}, {"HostName", std::string(16, 'w')}}),
                    "InvalidParameterValue");
    }
    SUBCASE("a system disk ID (D-16)") {
      ExpectRefused(api, RunParams({{"SystemDisk", {{"DiskId", "disk-abcd1234"}}}}), "InvalidParameterValue");
    }
    SUBCASE("a data disk size off the 10 GB step (the document's DataDisk structure)") {
      ExpectRefused(api, RunParams({{"DataDisks", json::parse(R"([{"DiskType":"CLOUD_BASIC","DiskSize":55}])")}}),
                    "InvalidParameterValue.Range");  // like the system disk's step
    }
    SUBCASE("a negative project") {
      ExpectRefused(api, RunParams({{"Placement", {{"Zone", kZone}, {"ProjectId", -1}}}}), "InvalidParameterValue");
    }
    SUBCASE("a zone that does not exist at all (D-51: unknown or foreign zone)") {
      ExpectRefused(api, RunParams({{"Placement", {{"Zone", "guangzhou"}}}}), "InvalidZone.MismatchRegion");
      ExpectRefused(api, RunParams({{"Placement", {{"Zone", "ap-guangzhou-9"}}}}), "InvalidZone.MismatchRegion");
    }
    SUBCASE("an unknown charge type") {
      ExpectRefused(api, RunParams({{"InstanceChargeType", "FREE"}}), "InvalidParameterValue");
    }
    SUBCASE("an ActionTime only 5 minutes ahead (D-14)") {
      ExpectRefused(api,
                    RunParams({{"ActionTimer", {{"TimerAction", "TerminateInstances"},
                                                {"ActionTime", BeijingTime(api.NowSeconds() + 300)}}}}),
                    "InvalidParameterValue");
    }
    SUBCASE("an ActionTime that is not a date-time") {
      ExpectRefused(api, RunParams({{"ActionTimer", {{"ActionTime", "tomorrow"}}}}), "InvalidParameterValue");
    }
    SUBCASE("the same tag key twice") {
      ExpectRefused(api,
                    RunParams({{"TagSpecification", json::parse(R"([{"ResourceType":"instance",
                       "Tags":[{"Key":"k","Value":"1"},{"Key":"k","Value":"2"}]}])")}}),
                    "InvalidParameterValue");
    }
    SUBCASE("UserData that is not base64 (D-145)") {
      ExpectRefused(api, RunParams({{"UserData", "not base64!"}}), "InvalidParameterValue");
    }
    SUBCASE("a subnet already met in another VPC") {
      Launch(api, {{"VirtualPrivateCloud", Vpc("vpc-aaaa1111", "subnet-abcd1234")}});
      ExpectRefused(api, RunParams({{"VirtualPrivateCloud", Vpc("vpc-bbbb2222", "subnet-abcd1234")}}),
                    "InvalidParameterValue");
    }
    SUBCASE("two local data disks (the document's DataDisks row)") {
      ExpectRefused(api, RunParams({{"DataDisks", json::parse(R"([{"DiskType":"LOCAL_BASIC","DiskSize":100},
                                                                 {"DiskType":"LOCAL_BASIC","DiskSize":100}])")}}),
                    "InvalidParameterValue");
    }
    SUBCASE("eleven cloud data disks (the document's DataDisks row)") {
      json disks = json::array();
      for (int i = 0; i < 11; ++i) disks.push_back({{"DiskType", "CLOUD_BASIC"}, {"DiskSize", 10}});
      ExpectRefused(api, RunParams({{"DataDisks", disks}}), "InvalidParameterValue");
    }
    SUBCASE("a local disk type the instance type does not have") {
      ExpectRefused(api, RunParams({{"DataDisks", json::parse(R"([{"DiskType":"LOCAL_SSD","DiskSize":100}])")}}),
                    "InvalidParameterValue");
    }
    SUBCASE("the UNAVAILABLE zone sells nothing") {
      ExpectRefused(api, RunParams({}, "ap-guangzhou-1"), "InvalidParameterValue");
    }
    SUBCASE("two key pairs at purchase (the document's LoginSettings KeyIds row)") {
      ExpectRefused(api, RunParams({{"LoginSettings", {{"KeyIds", {"skey-abcd1234", "skey-efgh5678"}}}}}),
                    "InvalidParameterValue");
    }
  }

  TEST_CASE("RunInstances: out-of-range numbers give InvalidParameterValue.Range and create nothing") {
    TestApi api;
    SUBCASE("InstanceCount 0") { ExpectRefused(api, RunParams({{"InstanceCount", 0}}), "InvalidParameterValue.Range"); }
    SUBCASE("InstanceCount 101") { ExpectRefused(api, RunParams({{"InstanceCount", 101}}), "InvalidParameterValue.Range"); }
    SUBCASE("more bandwidth than S1.SMALL1 allows") {
      ExpectRefused(api, RunParams({{"InternetAccessible", {{"InternetMaxBandwidthOut", 101}}}}),
                    "InvalidParameterValue.Range");
    }
    SUBCASE("a 40 GB cloud system disk") {
      ExpectRefused(api, RunParams({{"SystemDisk", {{"DiskType", "CLOUD_BASIC"}, {"DiskSize", 40}}}}),
                    "InvalidParameterValue.Range");
    }
    SUBCASE("a 50 GB CLOUD_SSD data disk") {
      ExpectRefused(api, RunParams({{"DataDisks", json::parse(R"([{"DiskType":"CLOUD_SSD","DiskSize":50}])")}}),
                    "InvalidParameterValue.Range");
    }
  }

  TEST_CASE("RunInstances: a password that breaks the complexity rules gives InvalidPassword and creates nothing") {
    TestApi api;
    SUBCASE("Linux, 7 characters") {
      ExpectRefused(api, RunParams({{"LoginSettings", {{"Password", "Abc123!"}}}}), "InvalidPassword");
    }
    SUBCASE("Linux, letters only") {
      ExpectRefused(api, RunParams({{"LoginSettings", {{"Password", "abcdefghij"}}}}), "InvalidPassword");
    }
    SUBCASE("Linux, 17 characters") {
      ExpectRefused(api, RunParams({{"LoginSettings", {{"Password", "Abcdefgh123456789"}}}}), "InvalidPassword");
    }
    SUBCASE("Windows, 11 characters") {
      ExpectRefused(api, RunParams({{"ImageId", kWindowsImage}, {"LoginSettings", {{"Password", "Abcdef123!x"}}}}),
                    "InvalidPassword");
    }
    SUBCASE("Windows, only two classes") {
      ExpectRefused(api, RunParams({{"ImageId", kWindowsImage}, {"LoginSettings", {{"Password", "abcdefgh12345"}}}}),
                    "InvalidPassword");
    }
    SUBCASE("a valid Linux password is accepted") {
      CHECK(Launch(api, {{"LoginSettings", {{"Password", "abcd1234"}}}}).size() == 1);
    }
  }

  TEST_CASE("RunInstances: a prepaid period outside 1-12, 24, 36 gives InvalidPeriod and creates nothing") {
    TestApi api;
    for (int period : {0, 13, 18, 48}) {
      CAPTURE(period);
      ExpectRefused(api, RunParams({{"InstanceChargeType", "PREPAID"}, {"InstanceChargePrepaid", {{"Period", period}}}}),
                    "InvalidPeriod");
    }
    CHECK(Launch(api, {{"InstanceChargeType", "PREPAID"}, {"InstanceChargePrepaid", {{"Period", 36}}}}).size() == 1);
  }

  TEST_CASE("RunInstances: a zone of another region gives InvalidZone.MismatchRegion and creates nothing") {
    TestApi api;
    ExpectRefused(api, RunParams({}, "ap-beijing-1"), "InvalidZone.MismatchRegion");
    ExpectRefused(api, RunParams({}, "ap-guangzhou-9"), "InvalidZone.MismatchRegion");
    CHECK(TotalCount(api, "ap-beijing") == 0);
  }

  TEST_CASE("RunInstances: a missing required parameter gives MissingParameter and creates nothing") {
    TestApi api;
    SUBCASE("no Placement") { ExpectRefused(api, {{"ImageId", kImage}}, "MissingParameter"); }
    SUBCASE("no ImageId") { ExpectRefused(api, {{"Placement", {{"Zone", kZone}}}}, "MissingParameter"); }
    SUBCASE("no Placement.Zone") {
      ExpectRefused(api, {{"Placement", {{"ProjectId", 0}}}, {"ImageId", kImage}}, "MissingParameter");
    }
    SUBCASE("PREPAID without InstanceChargePrepaid (D-16)") {
      ExpectRefused(api, RunParams({{"InstanceChargeType", "PREPAID"}}), "MissingParameter");
    }
    SUBCASE("SPOTPAID without InstanceMarketOptions (D-16)") {
      ExpectRefused(api, RunParams({{"InstanceChargeType", "SPOTPAID"}}), "MissingParameter");
    }
    SUBCASE("CDHPAID without HostIds") {
      ExpectRefused(api, RunParams({{"InstanceChargeType", "CDHPAID"}, {"InstanceType", "CDH_1C1G"}}),
                    "MissingParameter");
    }
    SUBCASE("an ActionTimer without ActionTime (docs D-14)") {
      ExpectRefused(api, RunParams({{"ActionTimer", {{"TimerAction", "TerminateInstances"}}}}), "MissingParameter");
    }
    SUBCASE("a VPC without a subnet") {
      ExpectRefused(api, RunParams({{"VirtualPrivateCloud", {{"VpcId", "vpc-abcd1234"}}}}), "MissingParameter");
    }
  }

  TEST_CASE("RunInstances: a private IP outside the subnet gives VpcAddrNotInSubNet and creates nothing") {
    TestApi api;
    // The subnet is the /24 of the first address placed in it.
    Launch(api, {{"VirtualPrivateCloud", Vpc("vpc-abcd1234", "subnet-abcd1234", {"10.0.5.10"})}});
    ExpectRefused(api, RunParams({{"VirtualPrivateCloud", Vpc("vpc-abcd1234", "subnet-abcd1234", {"10.0.6.10"})}}),
                  "VpcAddrNotInSubNet");
    // Two addresses of one request in different /24s.
    ExpectRefused(api,
                  RunParams({{"InstanceCount", 2},
                             {"VirtualPrivateCloud", Vpc("vpc-abcd1234", "subnet-ffff0000", {"10.0.7.10", "10.0.8.10"})}}),
                  "VpcAddrNotInSubNet");
    // A public address is never inside a subnet.
    ExpectRefused(api, RunParams({{"VirtualPrivateCloud", Vpc("vpc-abcd1234", "subnet-eeee0000", {"8.8.8.8"})}}),
                  "VpcAddrNotInSubNet");
  }

  TEST_CASE("RunInstances: a private IP already in use gives VpcIpsUsed and creates nothing") {
    TestApi api;
    Launch(api, {{"VirtualPrivateCloud", Vpc("vpc-abcd1234", "subnet-abcd1234", {"10.0.5.10"})}});
    ExpectRefused(api, RunParams({{"VirtualPrivateCloud", Vpc("vpc-abcd1234", "subnet-abcd1234", {"10.0.5.10"})}}),
                  "VpcIpsUsed");
    SUBCASE("the same address twice in one request") {
      ExpectRefused(api,
                    RunParams({{"InstanceCount", 2},
                               {"VirtualPrivateCloud", Vpc("vpc-abcd1234", "subnet-abcd1234", {"10.0.5.20", "10.0.5.20"})}}),
                    "VpcIpsUsed");
    }
    SUBCASE("the address stays used while the holder is TERMINATING and is free once it is gone") {
      json r = api.Call("DescribeInstances", {{"Filters", {{{"Name", "private-ip-address"}, {"Values", {"10.0.5.10"}}}}}});
      REQUIRE(r["InstanceSet"].size() == 1);
      std::string holder = r["InstanceSet"][0]["InstanceId"];
      api.Advance(kPending);
      Ok(api, "TerminateInstances", {{"InstanceIds", {holder}}});
      ExpectRefused(api, RunParams({{"VirtualPrivateCloud", Vpc("vpc-abcd1234", "subnet-abcd1234", {"10.0.5.10"})}}),
                    "VpcIpsUsed");
      api.Advance(kTerminating);
      CHECK(Launch(api, {{"VirtualPrivateCloud", Vpc("vpc-abcd1234", "subnet-abcd1234", {"10.0.5.10"})}}).size() == 1);
    }
    SUBCASE("another account may use the same address in its own VPC") {
      json r = api.Call("RunInstances",
                        RunParams({{"VirtualPrivateCloud", Vpc("vpc-abcd1234", "subnet-abcd1234", {"10.0.5.10"})}}),
                        kRegion, kSecretB);
      CHECK(CodeOf(r) == "");
    }
  }

  // ---------------------------------------------------------------------
  // Codes of docs/decisions.md

  TEST_CASE("RunInstances: a well-formed image that does not exist gives InvalidImageId.NotFound and creates nothing") {
    TestApi api;
    ExpectRefused(api, RunParams({{"ImageId", "img-abcd1234"}}), "InvalidImageId.NotFound");
  }

  TEST_CASE("RunInstances: a malformed image ID gives InvalidImageId.Malformed and creates nothing") {
    TestApi api;
    ExpectRefused(api, RunParams({{"ImageId", "img-1122"}}), "InvalidImageId.Malformed");
  }

  TEST_CASE("RunInstances: an unknown parameter gives UnknownParameter and creates nothing") {
    TestApi api;
    ExpectRefused(api, RunParams({{"InstanceNames", "x"}}), "UnknownParameter");
    ExpectRefused(api, RunParams({{"Placement", {{"Zone", kZone}, {"Region", kRegion}}}}), "UnknownParameter");
  }

  TEST_CASE("RunInstances: a key pair with a Windows image gives UnsupportedOperation.KeyPairUnsupportedWindows and creates nothing") {
    TestApi api;
    ExpectRefused(api, RunParams({{"ImageId", kWindowsImage}, {"LoginSettings", {{"KeyIds", {"skey-abcd1234"}}}}}),
                  "UnsupportedOperation.KeyPairUnsupportedWindows");
  }

  TEST_CASE("RunInstances: twelve data disks give InvalidParameterValue.LimitExceeded and create nothing") {
    TestApi api;
    json disks = json::array();
    for (int i = 0; i < 12; ++i) disks.push_back({{"DiskType", "CLOUD_BASIC"}, {"DiskSize", 10}});
    ExpectRefused(api, RunParams({{"DataDisks", disks}}), "InvalidParameterValue.LimitExceeded");
  }

  TEST_CASE("RunInstances: a placement group that does not exist gives ResourceNotFound.InvalidPlacementSet and creates nothing") {
    TestApi api;
    ExpectRefused(api, RunParams({{"DisasterRecoverGroupIds", {"ps-abcd1234"}}}), "ResourceNotFound.InvalidPlacementSet");
    ExpectRefused(api, RunParams({{"DisasterRecoverGroupIds", {"ps-abcd1234", "ps-efgh5678"}}}),
                  "InvalidParameterValue.LimitExceeded");
  }

  // ---------------------------------------------------------------------
  // What a launch creates

  TEST_CASE("RunInstances: a new instance is PENDING and becomes RUNNING after the pending duration") {
    TestApi api;
    json r = api.Call("RunInstances", RunParams());
    REQUIRE(CodeOf(r) == "");
    REQUIRE(r["InstanceIdSet"].size() == 1);
    std::string id = r["InstanceIdSet"][0];
    CHECK(id.rfind("ins-", 0) == 0);
    CHECK(id.size() == 12);
    CHECK(StateOf(api, id) == "PENDING");
    CHECK(Describe(api, id)["InstanceState"] == "PENDING");
    api.Advance(kPending - 1);
    CHECK(StateOf(api, id) == "PENDING");
    api.Advance(1);
    CHECK(StateOf(api, id) == "RUNNING");
    CHECK(Describe(api, id)["InstanceState"] == "RUNNING");
  }

  TEST_CASE("RunInstances: with a launch failure rate of 1 the instance ends LAUNCH_FAILED and can only be terminated") {
    TestApi api;
    api.Control("/_emulator/faults", {{"launch_failure_probability", 1.0}});
    std::string id = LaunchOne(api);
    CHECK(StateOf(api, id) == "PENDING");
    api.Advance(kPending);
    CHECK(StateOf(api, id) == "LAUNCH_FAILED");
    json r = api.Call("StartInstances", {{"InstanceIds", {id}}});
    CHECK(CodeOf(r) == "UnsupportedOperation.InstanceStateLaunchFailed");
    Ok(api, "TerminateInstances", {{"InstanceIds", {id}}});
    CHECK(StateOf(api, id) == "TERMINATING");
  }

  TEST_CASE("RunInstances: every field DescribeInstances shows matches the request (postpaid, VPC, disks, tags)") {
    TestApi api;
    json params = RunParams(json::parse(R"({
      "Placement": {"Zone": "ap-guangzhou-3", "ProjectId": 7},
      "InstanceType": "S2.MEDIUM4",
      "SystemDisk": {"DiskType": "CLOUD_PREMIUM", "DiskSize": 60},
      "DataDisks": [{"DiskType": "CLOUD_SSD", "DiskSize": 200, "DeleteWithInstance": false},
                    {"DiskType": "LOCAL_BASIC", "DiskSize": 100}],
      "VirtualPrivateCloud": {"VpcId": "vpc-abcd1234", "SubnetId": "subnet-abcd1234",
                              "PrivateIpAddresses": ["10.1.2.10", "10.1.2.11"]},
      "InternetAccessible": {"InternetChargeType": "TRAFFIC_POSTPAID_BY_HOUR", "InternetMaxBandwidthOut": 10},
      "InstanceCount": 2,
      "InstanceName": "app{R:1}",
      "SecurityGroupIds": ["sg-abcd1234", "sg-efgh5678"],
      "HostName": "app-host",
      "TagSpecification": [{"ResourceType": "instance",
                            "Tags": [{"Key": "env", "Value": "prod"}, {"Key": "team", "Value": "core"}]}]
    })"));
    json key = api.Call("CreateKeyPair", {{"KeyName", "app_key"}, {"ProjectId", 0}});
    REQUIRE_MESSAGE(CodeOf(key) == "", key.dump());
    std::string key_id = key["KeyPair"]["KeyId"];
    params["LoginSettings"] = {{"KeyIds", {key_id}}};
    json r = api.Call("RunInstances", params);
    REQUIRE_MESSAGE(CodeOf(r) == "", r.dump());
    std::vector<std::string> ids = IdsOf(r);
    REQUIRE(ids.size() == 2);
    CHECK(ids[0] != ids[1]);
    std::string created = cvm::state::FormatIso8601(api.NowSeconds());
    std::set<std::string> public_ips, disk_ids;
    for (size_t i = 0; i < ids.size(); ++i) {
      CAPTURE(i);
      json in = Describe(api, ids[i]);
      REQUIRE(in.is_object());
      CHECK(in["InstanceId"] == ids[i]);
      CHECK(in["Placement"]["Zone"] == kZone);
      CHECK(in["Placement"]["ProjectId"] == 7);
      CHECK(in["InstanceType"] == "S2.MEDIUM4");
      CHECK(in["CPU"] == 2);
      CHECK(in["Memory"] == 4);
      CHECK(in["InstanceName"] == "app" + std::to_string(i + 1));
      CHECK(in["InstanceChargeType"] == "POSTPAID_BY_HOUR");
      CHECK(in["RestrictState"] == "NORMAL");
      CHECK(in["InstanceState"] == "PENDING");
      CHECK(in["ImageId"] == kImage);
      CHECK(in["OsName"] == kImageOs);
      CHECK(in["CreatedTime"] == created);
      CHECK(in["ExpiredTime"].is_null());
      CHECK(in["RenewFlag"].is_null());
      // Disks: cloud disks get IDs, local ones do not.
      CHECK(in["SystemDisk"]["DiskType"] == "CLOUD_PREMIUM");
      CHECK(in["SystemDisk"]["DiskSize"] == 60);
      REQUIRE(in["SystemDisk"]["DiskId"].is_string());
      std::string system_disk = in["SystemDisk"]["DiskId"];
      CHECK(system_disk.rfind("disk-", 0) == 0);
      disk_ids.insert(system_disk);
      REQUIRE(in["DataDisks"].size() == 2);
      CHECK(in["DataDisks"][0]["DiskType"] == "CLOUD_SSD");
      CHECK(in["DataDisks"][0]["DiskSize"] == 200);
      CHECK(in["DataDisks"][0]["DeleteWithInstance"] == false);
      REQUIRE(in["DataDisks"][0]["DiskId"].is_string());
      disk_ids.insert(in["DataDisks"][0]["DiskId"].get<std::string>());
      CHECK(in["DataDisks"][1]["DiskType"] == "LOCAL_BASIC");
      CHECK(in["DataDisks"][1]["DiskSize"] == 100);
      CHECK(in["DataDisks"][1]["DeleteWithInstance"] == true);
      CHECK(in["DataDisks"][1]["DiskId"].is_null());
      // Network: each instance gets one of the given addresses, in order.
      std::string ip = "10.1.2." + std::to_string(10 + i);
      CHECK(in["PrivateIpAddresses"] == json::array({ip}));
      CHECK(in["VirtualPrivateCloud"]["VpcId"] == "vpc-abcd1234");
      CHECK(in["VirtualPrivateCloud"]["SubnetId"] == "subnet-abcd1234");
      CHECK(in["VirtualPrivateCloud"]["AsVpcGateway"] == false);
      CHECK(in["VirtualPrivateCloud"]["PrivateIpAddresses"] == json::array({ip}));
      REQUIRE(in["PublicIpAddresses"].size() == 1);
      public_ips.insert(in["PublicIpAddresses"][0].get<std::string>());
      CHECK(in["InternetAccessible"]["InternetChargeType"] == "TRAFFIC_POSTPAID_BY_HOUR");
      CHECK(in["InternetAccessible"]["InternetMaxBandwidthOut"] == 10);
      CHECK(in["InternetAccessible"]["PublicIpAssigned"] == true);
      CHECK(in["SecurityGroupIds"] == json::array({"sg-abcd1234", "sg-efgh5678"}));
      CHECK(in["LoginSettings"]["KeyIds"] == json::array({key_id}));
      CHECK(in["LoginSettings"]["Password"].is_null());
      CHECK(in["Tags"] == json::parse(R"([{"Key":"env","Value":"prod"},{"Key":"team","Value":"core"}])"));
    }
    CHECK(public_ips.size() == 2);  // never shared
    CHECK(disk_ids.size() == 4);    // never shared
  }

  TEST_CASE("RunInstances: the defaults are S1.SMALL1, a 50 GB CLOUD_BASIC system disk, project 0, no public IP and 未命名") {
    TestApi api;
    std::string id = LaunchOne(api);
    json in = Describe(api, id);
    CHECK(in["InstanceType"] == "S1.SMALL1");
    CHECK(in["CPU"] == 1);
    CHECK(in["Memory"] == 1);
    CHECK(in["InstanceChargeType"] == "POSTPAID_BY_HOUR");
    CHECK(in["Placement"]["ProjectId"] == 0);
    CHECK(in["SystemDisk"]["DiskType"] == "CLOUD_BASIC");
    CHECK(in["SystemDisk"]["DiskSize"] == 50);
    CHECK(in["DataDisks"] == json::array());
    CHECK(in["PublicIpAddresses"] == json::array());
    CHECK(in["InternetAccessible"]["InternetMaxBandwidthOut"] == 0);
    CHECK(in["InternetAccessible"]["PublicIpAssigned"] == false);
    CHECK(in["VirtualPrivateCloud"].is_null());  // the basic network
    REQUIRE(in["PrivateIpAddresses"].size() == 1);
    CHECK(in["PrivateIpAddresses"][0].get<std::string>().rfind("10.", 0) == 0);
    CHECK(in["InstanceName"] == "未命名");
    CHECK(in["SecurityGroupIds"] == json::array());
    CHECK(in["Tags"] == json::array());
    CHECK(in["LoginSettings"]["KeyIds"] == json::array());
  }

  TEST_CASE("RunInstances: a zero-size data disk means no data disk (the document's DataDisk structure)") {
    TestApi api;
    std::string id = LaunchOne(api, {{"DataDisks", json::parse(R"([{"DiskSize":0}])")}});
    CHECK(Describe(api, id)["DataDisks"] == json::array());
  }

  TEST_CASE("RunInstances: a public IP only when the bandwidth is above 0, unless PublicIpAssigned is false") {
    TestApi api;
    std::string with = LaunchOne(api, {{"InternetAccessible", {{"InternetMaxBandwidthOut", 5}}}});
    std::string without = LaunchOne(api, {{"InternetAccessible", {{"InternetMaxBandwidthOut", 5}, {"PublicIpAssigned", false}}}});
    std::string none = LaunchOne(api);
    json a = Describe(api, with), b = Describe(api, without), c = Describe(api, none);
    REQUIRE(a["PublicIpAddresses"].size() == 1);
    CHECK(a["PublicIpAddresses"][0].get<std::string>().rfind("43.", 0) == 0);
    CHECK(a["InternetAccessible"]["PublicIpAssigned"] == true);
    CHECK(b["PublicIpAddresses"] == json::array());
    CHECK(b["InternetAccessible"]["PublicIpAssigned"] == false);
    CHECK(b["InternetAccessible"]["InternetMaxBandwidthOut"] == 5);
    CHECK(c["PublicIpAddresses"] == json::array());
  }

  TEST_CASE("RunInstances: AsVpcGateway with a public IP is shown in VirtualPrivateCloud") {
    TestApi api;
    json vpc = Vpc("vpc-abcd1234", "subnet-abcd1234");
    vpc["AsVpcGateway"] = true;
    std::string id = LaunchOne(api, {{"VirtualPrivateCloud", vpc}, {"InternetAccessible", {{"InternetMaxBandwidthOut", 1}}}});
    CHECK(Describe(api, id)["VirtualPrivateCloud"]["AsVpcGateway"] == true);
  }

  TEST_CASE("RunInstances: addresses in a VPC without PrivateIpAddresses are allocated, distinct, in one /24") {
    TestApi api;
    std::vector<std::string> ids = Launch(api, {{"InstanceCount", 3}, {"VirtualPrivateCloud", Vpc("vpc-abcd1234", "subnet-abcd1234")}});
    std::vector<std::string> more = Launch(api, {{"VirtualPrivateCloud", Vpc("vpc-abcd1234", "subnet-abcd1234")}});
    ids.insert(ids.end(), more.begin(), more.end());
    std::set<std::string> ips, prefixes;
    for (const std::string& id : ids) {
      json in = Describe(api, id);
      std::string ip = in["PrivateIpAddresses"][0];
      ips.insert(ip);
      prefixes.insert(ip.substr(0, ip.rfind('.')));
      CHECK(in["VirtualPrivateCloud"]["PrivateIpAddresses"] == json::array({ip}));
    }
    CHECK(ips.size() == 4);
    CHECK(prefixes.size() == 1);
  }

  TEST_CASE("RunInstances: a PREPAID instance expires Period months after creation and keeps its RenewFlag") {
    TestApi api;
    REQUIRE(api.NowSeconds() == 1'700'000'000);  // 2023-11-14T22:13:20Z
    std::string id = LaunchOne(api, {{"InstanceChargeType", "PREPAID"},
                                     {"InstanceChargePrepaid", {{"Period", 3}, {"RenewFlag", "NOTIFY_AND_AUTO_RENEW"}}},
                                     {"InternetAccessible", {{"InternetMaxBandwidthOut", 2}}}});
    json in = Describe(api, id);
    CHECK(in["InstanceChargeType"] == "PREPAID");
    CHECK(in["CreatedTime"] == "2023-11-14T22:13:20Z");
    CHECK(in["ExpiredTime"] == "2024-02-14T22:13:20Z");
    CHECK(in["RenewFlag"] == "NOTIFY_AND_AUTO_RENEW");
    // Prepaid instances default to prepaid bandwidth (the document's InternetChargeType row).
    CHECK(in["InternetAccessible"]["InternetChargeType"] == "BANDWIDTH_PREPAID");

    SUBCASE("RenewFlag defaults to NOTIFY_AND_MANUAL_RENEW; 12 months is a year") {
      std::string other = LaunchOne(api, {{"InstanceChargeType", "PREPAID"}, {"InstanceChargePrepaid", {{"Period", 12}}}});
      json o = Describe(api, other);
      CHECK(o["RenewFlag"] == "NOTIFY_AND_MANUAL_RENEW");
      CHECK(o["ExpiredTime"] == "2024-11-14T22:13:20Z");
    }
    SUBCASE("one month after January 31 is the last day of February") {
      api.emulator().clock().Set(1'706'695'200'000);  // 2024-01-31T10:00:00Z
      std::string other = LaunchOne(api, {{"InstanceChargeType", "PREPAID"}, {"InstanceChargePrepaid", {{"Period", 1}}}});
      json o = Describe(api, other);
      CHECK(o["CreatedTime"] == "2024-01-31T10:00:00Z");
      CHECK(o["ExpiredTime"] == "2024-02-29T10:00:00Z");
    }
  }

  TEST_CASE("RunInstances: past ExpiredTime a PREPAID instance is EXPIRED, unless it renews itself a month at a time") {
    TestApi api;
    api.emulator().clock().Set(1'706'695'200'000);  // 2024-01-31T10:00:00Z
    std::string manual = LaunchOne(api, {{"InstanceChargeType", "PREPAID"}, {"InstanceChargePrepaid", {{"Period", 1}}}});
    std::string automatic = LaunchOne(api, {{"InstanceChargeType", "PREPAID"},
                                            {"InstanceChargePrepaid", {{"Period", 1}, {"RenewFlag", "NOTIFY_AND_AUTO_RENEW"}}}});
    std::string hourly = LaunchOne(api, {});
    for (const std::string& id : {manual, automatic, hourly}) CHECK(Describe(api, id)["RestrictState"] == "NORMAL");
    api.Advance(29 * 86400.0 - 1);  // 2024-02-29T09:59:59Z: the last second before expiry
    CHECK(Describe(api, manual)["RestrictState"] == "NORMAL");
    api.Advance(1);
    json m = Describe(api, manual), a = Describe(api, automatic);
    CHECK(m["RestrictState"] == "EXPIRED");
    CHECK(m["ExpiredTime"] == "2024-02-29T10:00:00Z");
    CHECK(a["RestrictState"] == "NORMAL");
    CHECK(a["ExpiredTime"] == "2024-03-29T10:00:00Z");  // a month after the expiry it renewed at
    CHECK(Describe(api, hourly)["RestrictState"] == "NORMAL");
    CHECK(Describe(api, hourly)["ExpiredTime"].is_null());
    api.Advance(400 * 86400.0);  // 2025-04-04
    CHECK(Describe(api, automatic)["ExpiredTime"] == "2025-04-29T10:00:00Z");
    CHECK(Describe(api, manual)["RestrictState"] == "EXPIRED");
  }

  TEST_CASE("RunInstances: a SPOTPAID instance is created with InstanceMarketOptions") {
    TestApi api;
    std::string id = LaunchOne(api, {{"InstanceChargeType", "SPOTPAID"},
                                     {"InstanceMarketOptions", {{"MarketType", "spot"}, {"SpotOptions", {{"MaxPrice", "0.5"}}}}}});
    CHECK(Describe(api, id)["InstanceChargeType"] == "SPOTPAID");
  }

  TEST_CASE("RunInstances: CreatedTime is the emulator clock in ISO 8601") {
    TestApi api;
    api.Advance(3600.5);
    std::string id = LaunchOne(api);
    CHECK(Describe(api, id)["CreatedTime"] == cvm::state::FormatIso8601(api.NowSeconds()));
    CHECK(Describe(api, id)["CreatedTime"] == "2023-11-14T23:13:20Z");
  }

  TEST_CASE("RunInstances: {R:x} patterns count up from x; without a pattern a batch gets suffixes 1..n (the document's InstanceName row)") {
    TestApi api;
    SUBCASE("one pattern") {
      CHECK(Names(api, Launch(api, {{"InstanceName", "web{R:5}"}, {"InstanceCount", 3}})) ==
            std::vector<std::string>{"web5", "web6", "web7"});
    }
    SUBCASE("several patterns expand together") {
      CHECK(Names(api, Launch(api, {{"InstanceName", "a{R:1}-b{R:10}"}, {"InstanceCount", 3}})) ==
            std::vector<std::string>{"a1-b10", "a2-b11", "a3-b12"});
    }
    SUBCASE("no pattern: suffixes") {
      CHECK(Names(api, Launch(api, {{"InstanceName", "server_"}, {"InstanceCount", 3}})) ==
            std::vector<std::string>{"server_1", "server_2", "server_3"});
    }
    SUBCASE("one instance: the pattern expands and no suffix is added") {
      CHECK(Names(api, Launch(api, {{"InstanceName", "server_{R:3}"}})) == std::vector<std::string>{"server_3"});
      CHECK(Names(api, Launch(api, {{"InstanceName", "plain"}})) == std::vector<std::string>{"plain"});
    }
    SUBCASE("no name: every instance is 未命名") {
      CHECK(Names(api, Launch(api, {{"InstanceCount", 2}})) == std::vector<std::string>{"未命名", "未命名"});
    }
    SUBCASE("a broken pattern is InvalidParameterValue") {
      ExpectRefused(api, RunParams({{"InstanceName", "web{R:x}"}, {"InstanceCount", 3}}), "InvalidParameterValue");
    }
  }

  // ---------------------------------------------------------------------
  // ClientToken (D-102)

  TEST_CASE("RunInstances: the same ClientToken with the same parameters returns the same IDs and creates nothing") {
    TestApi api;
    json params = RunParams({{"ClientToken", "token-1"}, {"InstanceCount", 2}});
    json first = api.Call("RunInstances", params);
    REQUIRE(CodeOf(first) == "");
    api.Advance(60);
    json again = api.Call("RunInstances", params);
    REQUIRE(CodeOf(again) == "");
    CHECK(again["InstanceIdSet"] == first["InstanceIdSet"]);
    CHECK(again["RequestId"] != first["RequestId"]);
    CHECK(TotalCount(api) == 2);
  }

  TEST_CASE("RunInstances: an empty ClientToken is no token: every call creates, none is refused") {
    TestApi api;
    std::vector<std::string> first = Launch(api, {{"ClientToken", ""}});
    std::vector<std::string> again = Launch(api, {{"ClientToken", ""}});
    std::vector<std::string> other = Launch(api, {{"ClientToken", ""}, {"InstanceName", "other"}});
    REQUIRE(first.size() == 1);
    REQUIRE(again.size() == 1);
    REQUIRE(other.size() == 1);
    CHECK(first != again);
    CHECK(TotalCount(api) == 3);
  }

  TEST_CASE("RunInstances: a ClientToken replay is answered even when the quota is used up") {
    TestApi api;
    api.Control("/_emulator/quotas", {{"instances", 1}});
    json params = RunParams({{"ClientToken", "at-quota"}});
    std::vector<std::string> first = Launch(api, params);
    json again = api.Call("RunInstances", params);
    CHECK_MESSAGE(CodeOf(again) == "", again.dump());
    CHECK(IdsOf(again) == first);
    ExpectRefused(api, RunParams({{"ClientToken", "another"}}), "InstancesQuotaLimitExceeded");
  }

  TEST_CASE("RunInstances: the same ClientToken with other parameters gives InvalidParameterValue and creates nothing") {
    TestApi api;
    Launch(api, {{"ClientToken", "token-1"}});
    ExpectRefused(api, RunParams({{"ClientToken", "token-1"}, {"InstanceName", "other"}}), "InvalidParameterValue");
    CHECK(TotalCount(api) == 1);
  }

  TEST_CASE("RunInstances: a ClientToken replayed in the other wire form returns the same IDs") {
    TestApi api;
    std::vector<std::string> first =
        Launch(api, {{"ClientToken", "both-forms"}, {"InstanceCount", 2}, {"DataDisks", json::parse(R"([{"DiskSize":10,"DiskType":"CLOUD_BASIC"}])")}});
    json again = api.CallFlat("RunInstances", {{"Placement.Zone", kZone},
                                               {"ImageId", kImage},
                                               {"InstanceCount", "2"},
                                               {"DataDisks.0.DiskSize", "10"},
                                               {"DataDisks.0.DiskType", "CLOUD_BASIC"},
                                               {"ClientToken", "both-forms"}});
    CHECK_MESSAGE(CodeOf(again) == "", again.dump());
    CHECK(IdsOf(again) == first);
    CHECK(TotalCount(api) == 2);
  }

  TEST_CASE("RunInstances: a ClientToken is per account and region") {
    TestApi api;
    std::vector<std::string> a = Launch(api, {{"ClientToken", "shared"}});
    std::vector<std::string> b = Launch(api, {{"ClientToken", "shared"}}, kRegion, kSecretB);
    CHECK(a != b);
    CHECK(TotalCount(api, kRegion, kSecretB) == 1);
    std::vector<std::string> beijing = Launch(api, {{"ClientToken", "shared"}}, "ap-beijing");
    CHECK(beijing != a);
    CHECK(TotalCount(api, "ap-beijing") == 1);
    CHECK(TotalCount(api) == 1);
  }

  TEST_CASE("RunInstances: a ClientToken is forgotten after 24 hours of emulator time") {
    TestApi api;
    json params = RunParams({{"ClientToken", "token-1"}});
    std::vector<std::string> first = Launch(api, params);
    api.Advance(86399);
    CHECK(IdsOf(api.Call("RunInstances", params)) == first);
    CHECK(TotalCount(api) == 1);
    api.Advance(2);  // 86401 s after the first call
    std::vector<std::string> later = Launch(api, params);
    CHECK(later != first);
    CHECK(TotalCount(api) == 2);
  }

  TEST_CASE("RunInstances: a refused launch does not use up its ClientToken") {
    TestApi api;
    ExpectRefused(api, RunParams({{"ClientToken", "token-1"}, {"ImageId", "img-abcd1234"}}), "InvalidImageId.NotFound");
    CHECK(Launch(api, {{"ClientToken", "token-1"}}).size() == 1);
  }

  TEST_CASE("RunInstances: replaying a ClientToken whose request had an ActionTimer returns the first result") {
    // D-102: same token + same parameters → the first call's result,
    // even once "ActionTime > now + 5 min" no longer holds.
    TestApi api;
    json params = RunParams({{"ClientToken", "timer-token"},
                             {"ActionTimer", {{"TimerAction", "TerminateInstances"},
                                              {"ActionTime", BeijingTime(api.NowSeconds() + 400)}}}});
    std::vector<std::string> first = Launch(api, params);
    api.Advance(200);
    json again = api.Call("RunInstances", params);
    CHECK_MESSAGE(CodeOf(again) == "", again.dump());
    CHECK(IdsOf(again) == first);
    CHECK(TotalCount(api) == 1);
  }

  // ---------------------------------------------------------------------
  // Wire forms, scheduled termination

  TEST_CASE("RunInstances: the flattened v1 form launches the same instances as the JSON form") {
    TestApi api;
    json r = api.CallFlat("RunInstances", {{"Placement.Zone", kZone},
                                           {"Placement.ProjectId", "3"},
                                           {"ImageId", kImage},
                                           {"InstanceCount", "2"},
                                           {"InstanceName", "flat{R:1}"},
                                           {"DataDisks.0.DiskType", "CLOUD_BASIC"},
                                           {"DataDisks.0.DiskSize", "20"},
                                           {"DataDisks.0.DeleteWithInstance", "FALSE"},
                                           {"InternetAccessible.InternetMaxBandwidthOut", "1"},
                                           {"SecurityGroupIds.0", "sg-abcd1234"},
                                           {"TagSpecification.0.ResourceType", "instance"},
                                           {"TagSpecification.0.Tags.0.Key", "k"},
                                           {"TagSpecification.0.Tags.0.Value", "v"}});
    REQUIRE_MESSAGE(CodeOf(r) == "", r.dump());
    std::vector<std::string> ids = IdsOf(r);
    REQUIRE(ids.size() == 2);
    for (size_t i = 0; i < ids.size(); ++i) {
      json in = Describe(api, ids[i]);
      CHECK(in["InstanceName"] == "flat" + std::to_string(i + 1));
      CHECK(in["Placement"]["ProjectId"] == 3);
      REQUIRE(in["DataDisks"].size() == 1);
      CHECK(in["DataDisks"][0]["DiskSize"] == 20);
      CHECK(in["DataDisks"][0]["DeleteWithInstance"] == false);
      CHECK(in["PublicIpAddresses"].size() == 1);
      CHECK(in["SecurityGroupIds"] == json::array({"sg-abcd1234"}));
      CHECK(in["Tags"] == json::parse(R"([{"Key":"k","Value":"v"}])"));
    }
    // A flat request's error codes are the same as the JSON form's.
    json bad = api.CallFlat("RunInstances", {{"Placement.Zone", kZone}, {"ImageId", kImage}, {"InstanceCount", "0"}});
    CHECK(CodeOf(bad) == "InvalidParameterValue.Range");
    CHECK(TotalCount(api) == 2);
  }

  TEST_CASE("RunInstances: an ActionTimer terminates the instance at ActionTime (Beijing time) and it disappears") {
    TestApi api;
    int64_t at = api.NowSeconds() + 600;
    std::string id = LaunchOne(api, {{"ActionTimer", {{"TimerAction", "TerminateInstances"},
                                                      {"ActionTime", BeijingTime(at)}}}});
    api.Advance(kPending);
    CHECK(StateOf(api, id) == "RUNNING");
    api.Advance(static_cast<double>(at - api.NowSeconds()) - 1);
    CHECK(StateOf(api, id) == "RUNNING");
    api.Advance(1);
    CHECK(StateOf(api, id) == "TERMINATING");
    CHECK(Describe(api, id)["InstanceState"] == "TERMINATING");
    api.Advance(kTerminating);
    CHECK(StateOf(api, id) == "");
    CHECK(Describe(api, id).is_null());
    CHECK(TotalCount(api) == 0);
  }

  TEST_CASE("RunInstances: an ActionTimer shuts a PREPAID instance down at ActionTime; it stays listed until terminated (D-53, D-108)") {
    TestApi api;
    int64_t at = api.NowSeconds() + 600;
    std::string id = LaunchOne(api, {{"InstanceChargeType", "PREPAID"},
                                     {"InstanceChargePrepaid", {{"Period", 1}}},
                                     {"ActionTimer", {{"TimerAction", "TerminateInstances"},
                                                      {"ActionTime", BeijingTime(at)}}}});
    api.Advance(static_cast<double>(at - api.NowSeconds()) - 1);
    CHECK(StateOf(api, id) == "RUNNING");
    api.Advance(1);
    CHECK(StateOf(api, id) == "SHUTDOWN");
    api.Advance(30 * 86400.0);
    CHECK(StateOf(api, id) == "SHUTDOWN");
    CHECK(TotalCount(api) == 1);
    json refused = api.Call("StartInstances", {{"InstanceIds", {id}}});
    CHECK(CodeOf(refused) == "UnsupportedOperation.InstanceStateShutdown");
    // The second termination ends it, as for a PREPAID instance terminated by hand.
    CHECK(CodeOf(api.Call("TerminateInstances", {{"InstanceIds", {id}}})) == "");
    CHECK(StateOf(api, id) == "TERMINATING");
    api.Advance(kTerminating);
    CHECK(TotalCount(api) == 0);
  }

  TEST_CASE("RunInstances: an ActionTime just over 5 minutes ahead is accepted; the ActionTime is Beijing time, not UTC") {
    TestApi api;
    CHECK(Launch(api, {{"ActionTimer", {{"ActionTime", BeijingTime(api.NowSeconds() + 301)}}}}).size() == 1);
    // Externals is optional (D-120) but accepted.
    CHECK(Launch(api, {{"ActionTimer", {{"ActionTime", BeijingTime(api.NowSeconds() + 3600)},
                                        {"Externals", {{"ReleaseAddress", true}}}}}}).size() == 1);
    // The same wall-clock digits read as UTC would be 8 hours in the past.
    std::string utc_digits = BeijingTime(api.NowSeconds() + 3600 - 8 * 3600);
    ExpectRefused(api, RunParams({{"ActionTimer", {{"ActionTime", utc_digits}}}}), "InvalidParameterValue");
  }

  TEST_CASE("RunInstances: a key pair that is not the caller's in the region gives InvalidKeyPairId.NotFound and creates nothing") {
    TestApi api;
    ExpectRefused(api, RunParams({{"LoginSettings", {{"KeyIds", {"skey-abcd1234"}}}}}), "InvalidKeyPairId.NotFound");
    json b = api.Call("CreateKeyPair", {{"KeyName", "b_key"}, {"ProjectId", 0}}, "ap-guangzhou", cvm::testing::kSecretB);
    REQUIRE(CodeOf(b) == "");
    std::string b_key = b["KeyPair"]["KeyId"];
    ExpectRefused(api, RunParams({{"LoginSettings", {{"KeyIds", {b_key}}}}}), "InvalidKeyPairId.NotFound");
    json a = api.Call("CreateKeyPair", {{"KeyName", "a_key"}, {"ProjectId", 0}}, "ap-shanghai");
    REQUIRE(CodeOf(a) == "");
    ExpectRefused(api, RunParams({{"LoginSettings", {{"KeyIds", {a["KeyPair"]["KeyId"]}}}}}),
                  "InvalidKeyPairId.NotFound");
  }
}
