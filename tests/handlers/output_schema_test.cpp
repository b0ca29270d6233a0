// Every implemented action's success response, checked against the output
// schema: every documented field present (null for no value), nothing
// undocumented, types, enums and formats right. A handler added later must
// add its sample here, or the coverage check below fails.
#include <doctest/doctest.h>

#include <map>
#include <set>
#include <string>

#include "handlers/registry.h"
#include "schema/output_check.h"
#include "schema/spec.h"
#include "tests/support/test_api.h"

using cvm::testing::CodeOf;
using cvm::testing::TestApi;
using nlohmann::json;

namespace {

// Calls `action`, requires success and a response that matches the schema.
json Checked(TestApi& api, std::set<std::string>& seen, const std::string& action,
             const json& params = json::object(), const std::string& region = "ap-guangzhou") {
  json r = api.Call(action, params, region);
  REQUIRE_MESSAGE(CodeOf(r) == "", action << " " << r.dump());
  json fields = r;
  fields.erase("RequestId");
  const auto* spec = cvm::schema::Schema::Builtin().FindAction(action);
  REQUIRE(spec);
  auto problems = cvm::schema::CheckOutput(*spec, fields);
  CHECK_MESSAGE(problems.empty(), action << ": " << (problems.empty() ? "" : problems.front()));
  seen.insert(action);
  return r;
}

}  // namespace

TEST_CASE("Output schema: every implemented action answers exactly the documented fields") {
  TestApi api;
  std::set<std::string> seen;
  Checked(api, seen, "DescribeRegions", json::object(), "");
  Checked(api, seen, "DescribeZones");

  // Instances.
  json run = Checked(api, seen, "RunInstances",
                     {{"Placement", {{"Zone", "ap-guangzhou-3"}}},
                      {"ImageId", "img-eb30mz89"},
                      {"InstanceCount", 2},
                      {"InternetAccessible", {{"InternetMaxBandwidthOut", 5}}},
                      {"VirtualPrivateCloud", {{"VpcId", "vpc-abcd1234"}, {"SubnetId", "subnet-abcd1234"}}},
                      {"DataDisks", json::array({{{"DiskType", "CLOUD_SSD"}, {"DiskSize", 100}}})},
                      {"TagSpecification", json::array({{{"ResourceType", "instance"},
                                                         {"Tags", json::array({{{"Key", "k"}, {"Value", "v"}}})}}})}});
  std::string id = run["InstanceIdSet"][0], other = run["InstanceIdSet"][1];
  Checked(api, seen, "DescribeInstances");
  Checked(api, seen, "DescribeInstancesStatus");
  api.Advance(10);
  Checked(api, seen, "DescribeInstanceVncUrl", {{"InstanceId", id}});
  Checked(api, seen, "RebootInstances", {{"InstanceIds", {id}}});
  api.Advance(5);
  Checked(api, seen, "StopInstances", {{"InstanceIds", {id}}});
  api.Advance(5);
  Checked(api, seen, "StartInstances", {{"InstanceIds", {id}}});
  api.Advance(5);
  Checked(api, seen, "ResetInstance", {{"InstanceId", id}});
  api.Advance(15);
  Checked(api, seen, "ResetInstancesPassword",
          {{"InstanceIds", {id}}, {"Password", "Passw0rd!x"}, {"ForceStop", true}});
  api.Advance(10);
  Checked(api, seen, "ModifyInstancesAttribute", {{"InstanceIds", {id}}, {"InstanceName", "renamed"}});
  Checked(api, seen, "ModifyInstancesProject", {{"InstanceIds", {id}}, {"ProjectId", 3}});

  // Key pairs.
  json key = Checked(api, seen, "CreateKeyPair", {{"KeyName", "k1"}, {"ProjectId", 0}});
  std::string key_id = key["KeyPair"]["KeyId"];
  std::string public_key = key["KeyPair"]["PublicKey"];
  Checked(api, seen, "ImportKeyPair", {{"KeyName", "k2"}, {"ProjectId", 0}, {"PublicKey", public_key}},
          "ap-shanghai");
  Checked(api, seen, "ModifyKeyPairAttribute", {{"KeyId", key_id}, {"Description", "d"}});
  Checked(api, seen, "StopInstances", {{"InstanceIds", {id}}});
  api.Advance(5);
  Checked(api, seen, "AssociateInstancesKeyPairs", {{"InstanceIds", {id}}, {"KeyIds", {key_id}}});
  Checked(api, seen, "DescribeKeyPairs");
  Checked(api, seen, "DisassociateInstancesKeyPairs", {{"InstanceIds", {id}}, {"KeyIds", {key_id}}});
  Checked(api, seen, "DeleteKeyPairs", {{"KeyIds", {key_id}}});

  // Images.
  Checked(api, seen, "CreateImage", {{"InstanceId", id}, {"ImageName", "golden"}});
  json images = Checked(api, seen, "DescribeImages",
                        {{"Filters", json::array({{{"Name", "image-type"}, {"Values", {"PRIVATE_IMAGE"}}}})}});
  std::string image = images["ImageSet"][0]["ImageId"];
  api.Advance(30);
  Checked(api, seen, "ModifyImageAttribute", {{"ImageId", image}, {"ImageDescription", "base"}});
  Checked(api, seen, "ModifyImageSharePermission",
          {{"ImageId", image}, {"AccountIds", {cvm::testing::kUinB}}, {"Permission", "SHARE"}});
  Checked(api, seen, "DescribeImageSharePermission", {{"ImageId", image}});
  Checked(api, seen, "ModifyImageSharePermission",
          {{"ImageId", image}, {"AccountIds", {cvm::testing::kUinB}}, {"Permission", "CANCEL"}});
  Checked(api, seen, "SyncImages", {{"ImageIds", {image}}, {"DestinationRegions", {"ap-shanghai"}}});
  Checked(api, seen, "DescribeImages");
  api.Advance(60);
  Checked(api, seen, "DeleteImages", {{"ImageIds", {image}}});
  Checked(api, seen, "ImportImage",
          {{"Architecture", "x86_64"}, {"OsType", "CentOS"}, {"OsVersion", "7"},
           {"ImageUrl", "https://bucket.cos.ap-guangzhou.myqcloud.com/centos.qcow2"},
           {"ImageName", "imported"}});
  Checked(api, seen, "DescribeImportImageOs");
  Checked(api, seen, "DescribeImageQuota");

  // The catalog, and a prepaid instance's bandwidth.
  Checked(api, seen, "DescribeInstanceFamilyConfigs");
  Checked(api, seen, "DescribeInstanceTypeConfigs");
  Checked(api, seen, "DescribeZoneInstanceConfigInfos");
  Checked(api, seen, "DescribeInternetChargeTypeConfigs");
  json prepaid = Checked(api, seen, "RunInstances",
                         {{"Placement", {{"Zone", "ap-guangzhou-3"}}},
                          {"ImageId", "img-eb30mz89"},
                          {"InstanceChargeType", "PREPAID"},
                          {"InstanceChargePrepaid", {{"Period", 1}}},
                          {"InternetAccessible", {{"InternetChargeType", "BANDWIDTH_PREPAID"},
                                                  {"InternetMaxBandwidthOut", 10}}}});
  std::string prepaid_id = prepaid["InstanceIdSet"][0];
  Checked(api, seen, "DescribeInstanceInternetBandwidthConfigs", {{"InstanceId", prepaid_id}});

  // Billing and bandwidth, and their price inquiries.
  json renew = {{"InstanceIds", {prepaid_id}}, {"InstanceChargePrepaid", {{"Period", 1}}}};
  Checked(api, seen, "InquiryPriceRenewInstances", renew);
  Checked(api, seen, "RenewInstances", renew);
  Checked(api, seen, "ModifyInstancesRenewFlag",
          {{"InstanceIds", {prepaid_id}}, {"RenewFlag", "NOTIFY_AND_AUTO_RENEW"}});
  json bandwidth = {{"InstanceIds", {prepaid_id}},
                    {"InternetAccessible", {{"InternetMaxBandwidthOut", 20}}},
                    {"StartTime", "2023-11-20"},
                    {"EndTime", "2023-11-21"}};
  Checked(api, seen, "InquiryPriceResetInstancesInternetMaxBandwidth", bandwidth);
  Checked(api, seen, "ResetInstancesInternetMaxBandwidth", bandwidth);
  json convert = {{"InstanceIds", {other}},
                  {"InstanceChargeType", "PREPAID"},
                  {"InstanceChargePrepaid", {{"Period", 1}}}};
  Checked(api, seen, "InquiryPriceModifyInstancesChargeType", convert);
  Checked(api, seen, "ModifyInstancesChargeType", convert);

  // Dedicated hosts, with instances on them, and placement groups with
  // instances in them.
  json hosts = Checked(api, seen, "AllocateHosts",
                       {{"Placement", {{"Zone", "ap-guangzhou-3"}}}, {"HostChargePrepaid", {{"Period", 1}}}});
  std::string host = hosts["HostIdSet"][0];
  api.Advance(10);
  json group = Checked(api, seen, "CreateDisasterRecoverGroup", {{"Name", "g"}, {"Type", "SW"}});
  std::string group_id = group["DisasterRecoverGroupId"];
  Checked(api, seen, "RunInstances",
          {{"Placement", {{"Zone", "ap-guangzhou-3"}, {"HostIds", {host}}}},
           {"ImageId", "img-eb30mz89"},
           {"InstanceChargeType", "CDHPAID"},
           {"InstanceType", "CDH_2C4G"},
           {"DisasterRecoverGroupIds", {group_id}}});
  Checked(api, seen, "DescribeHosts");
  Checked(api, seen, "ModifyHostsAttribute", {{"HostIds", {host}}, {"HostName", "h"}});
  Checked(api, seen, "RenewHosts", {{"HostIds", {host}}, {"HostChargePrepaid", {{"Period", 1}}}});
  Checked(api, seen, "DescribeDisasterRecoverGroups");
  Checked(api, seen, "ModifyDisasterRecoverGroupAttribute", {{"DisasterRecoverGroupId", group_id}, {"Name", "h"}});
  Checked(api, seen, "DescribeDisasterRecoverGroupQuota");
  json spare = Checked(api, seen, "CreateDisasterRecoverGroup", {{"Name", "spare"}, {"Type", "RACK"}});
  Checked(api, seen, "DeleteDisasterRecoverGroups", {{"DisasterRecoverGroupIds", {spare["DisasterRecoverGroupId"]}}});
  // Prices.
  Checked(api, seen, "InquiryPriceRunInstances",
          {{"Placement", {{"Zone", "ap-guangzhou-3"}}},
           {"ImageId", "img-eb30mz89"},
           {"InstanceCount", 2},
           {"InternetAccessible", {{"InternetMaxBandwidthOut", 5}}}});
  Checked(api, seen, "InquiryPriceResetInstance",
          {{"InstanceId", other}, {"SystemDisk", {{"DiskSize", 60}}}});

  // Reconfiguration, with ForceStop on a RUNNING instance.
  json changed = Checked(api, seen, "RunInstances",
                         {{"Placement", {{"Zone", "ap-guangzhou-3"}}},
                          {"ImageId", "img-eb30mz89"},
                          {"DataDisks", {{{"DiskType", "CLOUD_BASIC"}, {"DiskSize", 100}}}}});
  std::string changed_id = changed["InstanceIdSet"][0];
  api.Advance(10);
  json new_type = {{"InstanceIds", {changed_id}}, {"InstanceType", "S1.SMALL2"}, {"ForceStop", true}};
  Checked(api, seen, "InquiryPriceResetInstancesType", new_type);
  Checked(api, seen, "ResetInstancesType", new_type);
  api.Advance(10);
  json grow = {{"InstanceId", changed_id}, {"DataDisks", {{{"DiskSize", 200}}}}, {"ForceStop", true}};
  Checked(api, seen, "InquiryPriceResizeInstanceDisks", grow);
  Checked(api, seen, "ResizeInstanceDisks", grow);
  api.Advance(10);
  Checked(api, seen, "ModifyInstancesVpcAttribute",
          {{"InstanceIds", {changed_id}},
           {"VirtualPrivateCloud", {{"VpcId", "vpc-abcd1234"}, {"SubnetId", "subnet-abcd1234"}}}});
  api.Advance(10);

  Checked(api, seen, "TerminateInstances", {{"InstanceIds", {id, other, changed_id}}});

  std::vector<std::string> implemented = cvm::handlers::Registry::Builtin().Names();
  CHECK(seen == std::set<std::string>(implemented.begin(), implemented.end()));
}
