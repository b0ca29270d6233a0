// The exact code and parameter path of every kind of validation failure, in
// both wire forms where the failure can be spelt in both (schema/FORMAT.md,
// docs/decisions.md "Requests and parameters", D-02 and D-04).
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "tests/schema/request_helpers.h"

namespace {

using cvm::schema::FlatParams;
using cvm::schema::testing::Both;
using cvm::schema::testing::CheckErrorTable;
using cvm::schema::testing::ErrorCase;
using cvm::schema::testing::ExpectAcceptedInBothForms;
using cvm::schema::testing::ExpectError;
using cvm::schema::testing::FlatOnly;
using cvm::schema::testing::JsonOnly;
using cvm::schema::testing::NamesPath;
using cvm::schema::testing::RunFlat;
using cvm::schema::testing::RunJson;
using nlohmann::json;

// The smallest valid RunInstances, to which each row adds one thing.
json Run(json extra = json::object()) {
  json request = {{"Placement", {{"Zone", "ap-guangzhou-3"}}}, {"ImageId", "img-12345678"}};
  request.update(extra);
  return request;
}

json InstanceIds(int count) {
  json ids = json::array();
  for (int i = 0; i < count; ++i) {
    std::string n = std::to_string(i);
    ids.push_back("ins-" + std::string(8 - n.size(), '0') + n);
  }
  return ids;
}

json Filter(const std::string& name, int values) {
  json list = json::array();
  for (int i = 0; i < values; ++i) list.push_back("ap-guangzhou-" + std::to_string(i + 1));
  return {{"Name", name}, {"Values", list}};
}

// n copies of 中 (3 bytes each in UTF-8).
std::string Chinese(int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += "\xE4\xB8\xAD";
  return out;
}

TEST_SUITE("schema") {
  TEST_CASE("NamesPath: a path is matched whole, never as part of a longer path") {
    CHECK(NamesPath("The request is missing the required parameter Placement.Zone.",
                    "Placement.Zone"));
    CHECK_FALSE(NamesPath("The request is missing the required parameter Placement.Zone.", "Zone"));
    CHECK_FALSE(NamesPath("no element DataDisks.10", "DataDisks.1"));
    CHECK_FALSE(NamesPath("missing DataDisks.1.DiskSize", "DataDisks.1"));
    CHECK(NamesPath("the filter `nope` (Filters.0.Name) is", "Filters.0.Name"));
    CHECK(NamesPath("Did you mean InstanceIds.0?", "InstanceIds.0"));
  }

  TEST_CASE("MissingParameter names the full path of the absent required member") {
    CheckErrorTable({
        Both("Placement without Zone", "RunInstances",
             {{"Placement", {{"ProjectId", 0}}}, {"ImageId", "img-12345678"}}, "MissingParameter",
             {"Placement.Zone"}),
        Both("no ImageId", "RunInstances", {{"Placement", {{"Zone", "ap-guangzhou-3"}}}},
             "MissingParameter", {"ImageId"}),
        Both("no Placement", "RunInstances", {{"ImageId", "img-12345678"}}, "MissingParameter",
             {"Placement"}),
        Both("the second data disk has no size", "RunInstances",
             Run({{"DataDisks", {{{"DiskSize", 100}}, {{"DiskType", "CLOUD_SSD"}}}}}),
             "MissingParameter", {"DataDisks.1.DiskSize"}),
        Both("a filter without a name", "DescribeInstances",
             {{"Filters", {{{"Values", {"ap-guangzhou-3"}}}}}}, "MissingParameter",
             {"Filters.0.Name"}),
        Both("a filter without values", "DescribeInstances", {{"Filters", {{{"Name", "zone"}}}}},
             "MissingParameter", {"Filters.0.Values"}),
        Both("a tag without a value, two levels of lists down", "RunInstances",
             Run({{"TagSpecification",
                   {{{"ResourceType", "instance"},
                     {"Tags", {{{"Key", "a"}, {"Value", "b"}}, {{"Key", "c"}}}}}}}}),
             "MissingParameter", {"TagSpecification.0.Tags.1.Value"}),
        Both("no InstanceIds", "StartInstances", json::object(), "MissingParameter",
             {"InstanceIds"}),
        Both("a VPC without a subnet", "ModifyInstancesVpcAttribute",
             {{"InstanceIds", {"ins-12345678"}},
              {"VirtualPrivateCloud", {{"VpcId", "vpc-12345678"}}}},
             "MissingParameter", {"VirtualPrivateCloud.SubnetId"}),
        Both(
            "spot options without a price", "RunInstances",
            Run({{"InstanceMarketOptions", {{"SpotOptions", {{"SpotInstanceType", "one-time"}}}}}}),
            "MissingParameter", {"InstanceMarketOptions.SpotOptions.MaxPrice"}),
    });
  }

  TEST_CASE("InvalidParameterValue: a value of the wrong type names the parameter") {
    CheckErrorTable({
        JsonOnly("a JSON string where an Integer is expected", "RunInstances",
                 Run({{"InstanceCount", "2"}}).dump(), "InvalidParameterValue", {"InstanceCount"}),
        JsonOnly("a JSON number where a String is expected", "RunInstances",
                 Run({{"ImageId", 12345678}}).dump(), "InvalidParameterValue", {"ImageId"}),
        JsonOnly("a JSON number where a String is expected, nested", "RunInstances",
                 Run({{"Placement", {{"Zone", 3}}}}).dump(), "InvalidParameterValue",
                 {"Placement.Zone"}),
        JsonOnly("a JSON string where a Boolean is expected", "RunInstances",
                 Run({{"DataDisks", {{{"DiskSize", 10}, {"DeleteWithInstance", "true"}}}}}).dump(),
                 "InvalidParameterValue", {"DataDisks.0.DeleteWithInstance"}),
        JsonOnly("a JSON number where a Boolean is expected", "StopInstances",
                 R"({"InstanceIds":["ins-12345678"],"ForceStop":1})", "InvalidParameterValue",
                 {"ForceStop"}),
        JsonOnly("a fraction where an Integer is expected", "RunInstances",
                 Run({{"InstanceCount", 1.5}}).dump(), "InvalidParameterValue", {"InstanceCount"}),
        JsonOnly("a JSON boolean where an Integer is expected", "RunInstances",
                 Run({{"InstanceCount", true}}).dump(), "InvalidParameterValue", {"InstanceCount"}),
        JsonOnly("a number inside a string list", "StartInstances", R"({"InstanceIds":[12345678]})",
                 "InvalidParameterValue", {"InstanceIds.0"}),
        FlatOnly("abc for an Integer", "RunInstances",
                 {{"Placement.Zone", "ap-guangzhou-3"},
                  {"ImageId", "img-12345678"},
                  {"InstanceCount", "abc"}},
                 "InvalidParameterValue", {"InstanceCount"}),
        FlatOnly("an empty value for an Integer", "RunInstances",
                 {{"Placement.Zone", "ap-guangzhou-3"},
                  {"ImageId", "img-12345678"},
                  {"InstanceCount", ""}},
                 "InvalidParameterValue", {"InstanceCount"}),
        FlatOnly("2.0 for an Integer", "RunInstances",
                 {{"Placement.Zone", "ap-guangzhou-3"},
                  {"ImageId", "img-12345678"},
                  {"InstanceCount", "2.0"}},
                 "InvalidParameterValue", {"InstanceCount"}),
        FlatOnly("yes for a Boolean", "RunInstances",
                 {{"Placement.Zone", "ap-guangzhou-3"},
                  {"ImageId", "img-12345678"},
                  {"DataDisks.0.DiskSize", "10"},
                  {"DataDisks.0.DeleteWithInstance", "yes"}},
                 "InvalidParameterValue", {"DataDisks.0.DeleteWithInstance"}),
        FlatOnly("1 for a Boolean", "StopInstances",
                 {{"InstanceIds.0", "ins-12345678"}, {"ForceStop", "1"}}, "InvalidParameterValue",
                 {"ForceStop"}),
        FlatOnly("abc for an Integer nested in a structure", "RunInstances",
                 {{"Placement.Zone", "ap-guangzhou-3"},
                  {"Placement.ProjectId", "abc"},
                  {"ImageId", "img-12345678"}},
                 "InvalidParameterValue", {"Placement.ProjectId"}),
    });
  }

  TEST_CASE("Enums: a value outside the list gets the member's enum code") {
    CheckErrorTable({
        Both("InstanceChargeType MONTHLY", "RunInstances", Run({{"InstanceChargeType", "MONTHLY"}}),
             "InvalidParameterValue", {"InstanceChargeType"}),
        Both("enums are case-sensitive", "RunInstances", Run({{"InstanceChargeType", "prepaid"}}),
             "InvalidParameterValue", {"InstanceChargeType"}),
        Both("StopType NICE", "StopInstances",
             {{"InstanceIds", {"ins-12345678"}}, {"StopType", "NICE"}}, "InvalidParameterValue",
             {"StopType"}),
        Both("a disk type inside the second data disk", "RunInstances",
             Run({{"DataDisks", {{{"DiskSize", 10}}, {{"DiskSize", 10}, {"DiskType", "FLOPPY"}}}}}),
             "InvalidParameterValue", {"DataDisks.1.DiskType"}),
        Both("a tag specification for a disk", "RunInstances",
             Run({{"TagSpecification",
                   {{{"ResourceType", "disk"}, {"Tags", {{{"Key", "a"}, {"Value", "b"}}}}}}}}),
             "InvalidParameterValue", {"TagSpecification.0.ResourceType"}),
        Both("a placement group type with its own code", "CreateDisasterRecoverGroup",
             {{"Name", "g"}, {"Type", "ZONE"}}, "InvalidParameterValue.Range", {"Type"}),
        Both("Period 13 (an Integer enum with its own code)", "RunInstances",
             Run({{"InstanceChargeType", "PREPAID"}, {"InstanceChargePrepaid", {{"Period", 13}}}}),
             "InvalidPeriod", {"InstanceChargePrepaid.Period"}),
        Both("Period 0", "RenewInstances",
             {{"InstanceIds", {"ins-12345678"}}, {"InstanceChargePrepaid", {{"Period", 0}}}},
             "InvalidPeriod", {"InstanceChargePrepaid.Period"}),
        Both("a host's Period 13 (ChargePrepaid)", "AllocateHosts",
             {{"Placement", {{"Zone", "ap-guangzhou-3"}}}, {"HostChargePrepaid", {{"Period", 13}}}},
             "InvalidPeriod", {"HostChargePrepaid.Period"}),
    });
  }

  TEST_CASE("Enums: the boundary values are accepted") {
    for (int period : {1, 12, 24, 36}) {
      ExpectAcceptedInBothForms("RunInstances",
                                Run({{"InstanceChargeType", "PREPAID"},
                                     {"InstanceChargePrepaid", {{"Period", period}}}}));
    }
  }

  TEST_CASE("Formats: malformed IDs get their kind's code wherever they appear") {
    CheckErrorTable({
        Both("ImageId img-1", "RunInstances", Run({{"ImageId", "img-1"}}),
             "InvalidImageId.Malformed", {"ImageId"}),
        Both("ImageId with upper case", "RunInstances", Run({{"ImageId", "img-ABCDEFGH"}}),
             "InvalidImageId.Malformed", {"ImageId"}),
        Both("InstanceIds.0 ins-1122", "StartInstances", {{"InstanceIds", {"ins-1122"}}},
             "InvalidInstanceId.Malformed", {"InstanceIds.0"}),
        Both("the second of two instance IDs", "TerminateInstances",
             {{"InstanceIds", {"ins-12345678", "ins-1122"}}}, "InvalidInstanceId.Malformed",
             {"InstanceIds.1"}),
        Both("InstanceId of ResetInstance", "ResetInstance", {{"InstanceId", "i-12345678"}},
             "InvalidInstanceId.Malformed", {"InstanceId"}),
        Both("KeyIds of DeleteKeyPairs", "DeleteKeyPairs", {{"KeyIds", {"skey-1"}}},
             "InvalidKeyPairId.Malformed", {"KeyIds.0"}),
        Both("KeyIds of AssociateInstancesKeyPairs", "AssociateInstancesKeyPairs",
             {{"InstanceIds", {"ins-12345678"}}, {"KeyIds", {"skey-12345678", "key-12345678"}}},
             "InvalidKeyPairId.Malformed", {"KeyIds.1"}),
        Both("LoginSettings.KeyIds of RunInstances", "RunInstances",
             Run({{"LoginSettings", {{"KeyIds", {"skey-1"}}}}}), "InvalidKeyPairId.Malformed",
             {"LoginSettings.KeyIds.0"}),
        Both("ModifyKeyPairAttribute.KeyId has its own code", "ModifyKeyPairAttribute",
             {{"KeyId", "skey-1"}}, "InvalidKeyId.Malformed", {"KeyId"}),
        Both("HostIds of ModifyHostsAttribute", "ModifyHostsAttribute",
             {{"HostIds", {"host-1"}}, {"HostName", "h"}}, "InvalidHostId.Malformed",
             {"HostIds.0"}),
        Both("HostIds of RenewHosts", "RenewHosts",
             {{"HostIds", {"host-12345678", "hst-12345678"}},
              {"HostChargePrepaid", {{"Period", 1}}}},
             "InvalidHostId.Malformed", {"HostIds.1"}),
        Both("Placement.HostIds of RunInstances", "RunInstances",
             Run({{"Placement", {{"Zone", "ap-guangzhou-3"}, {"HostIds", {"host-1"}}}}}),
             "InvalidHostId.Malformed", {"Placement.HostIds.0"}),
        Both("an instance-id filter value", "DescribeInstances",
             {{"Filters", {{{"Name", "instance-id"}, {"Values", {"ins-12345678", "ins-1"}}}}}},
             "InvalidInstanceId.Malformed", {"Filters.0.Values.1"}),
        Both("an image-id filter value", "DescribeImages",
             {{"Filters", {{{"Name", "image-id"}, {"Values", {"img-1"}}}}}},
             "InvalidImageId.Malformed", {"Filters.0.Values.0"}),
        Both("a placement group ID", "DeleteDisasterRecoverGroups",
             {{"DisasterRecoverGroupIds", {"pg-12345678"}}}, "InvalidParameterValue",
             {"DisasterRecoverGroupIds.0"}),
        Both("a zone that is not zone-shaped", "RunInstances",
             Run({{"Placement", {{"Zone", "guangzhou"}}}}), "InvalidZone.MismatchRegion",
             {"Placement.Zone"}),
        Both("a private IP with its structure's own code", "RunInstances",
             Run({{"VirtualPrivateCloud",
                   {{"VpcId", "vpc-12345678"},
                    {"SubnetId", "subnet-12345678"},
                    {"PrivateIpAddresses", {"10.0.0.256"}}}}}),
             "InvalidParameter.InvalidIpFormat", {"VirtualPrivateCloud.PrivateIpAddresses.0"}),
        Both("a destination region that is not region-shaped", "SyncImages",
             {{"ImageIds", {"img-12345678"}}, {"DestinationRegions", {"Mars"}}},
             "InvalidRegion.NotFound", {"DestinationRegions.0"}),
        Both("an image URL that is not http(s)", "ImportImage",
             {{"Architecture", "x86_64"},
              {"OsType", "CentOS"},
              {"OsVersion", "7"},
              {"ImageUrl", "ftp://example.com/a.qcow2"},
              {"ImageName", "a"}},
             "InvalidParameter.InvalidParameterUrlError", {"ImageUrl"}),
        Both("a bool-string flag", "CreateImage",
             {{"InstanceId", "ins-12345678"}, {"ImageName", "a"}, {"ForcePoweroff", "YES"}},
             "InvalidParameterValue", {"ForcePoweroff"}),
        Both("a project-id filter value that is not an integer", "DescribeInstances",
             {{"Filters", {{{"Name", "project-id"}, {"Values", {"abc"}}}}}},
             "InvalidParameterValue", {"Filters.0.Values.0"}),
    });
  }

  TEST_CASE("Ranges and list sizes get the member's own code") {
    CheckErrorTable({
        Both("InstanceCount 0", "RunInstances", Run({{"InstanceCount", 0}}),
             "InvalidParameterValue.Range", {"InstanceCount"}),
        Both("InstanceCount 101", "RunInstances", Run({{"InstanceCount", 101}}),
             "InvalidParameterValue.Range", {"InstanceCount"}),
        Both("InstanceCount -1", "RunInstances", Run({{"InstanceCount", -1}}),
             "InvalidParameterValue.Range", {"InstanceCount"}),
        Both("InstanceCount 2^63-1", "RunInstances", Run({{"InstanceCount", INT64_MAX}}),
             "InvalidParameterValue.Range", {"InstanceCount"}),
        Both("a negative bandwidth", "RunInstances",
             Run({{"InternetAccessible", {{"InternetMaxBandwidthOut", -1}}}}),
             "InvalidParameterValue.Range", {"InternetAccessible.InternetMaxBandwidthOut"}),
        Both("101 instance IDs", "StartInstances", {{"InstanceIds", InstanceIds(101)}},
             "InvalidParameterValue.LimitExceeded", {"InstanceIds"}),
        Both("2 instance IDs where 1 is allowed", "ResetInstancesType",
             {{"InstanceIds", InstanceIds(2)}, {"InstanceType", "S1.SMALL1"}},
             "InvalidParameterValue.LimitExceeded", {"InstanceIds"}),
        Both("12 data disks", "RunInstances",
             Run({{"DataDisks", json::array({{{"DiskSize", 10}},
                                             {{"DiskSize", 10}},
                                             {{"DiskSize", 10}},
                                             {{"DiskSize", 10}},
                                             {{"DiskSize", 10}},
                                             {{"DiskSize", 10}},
                                             {{"DiskSize", 10}},
                                             {{"DiskSize", 10}},
                                             {{"DiskSize", 10}},
                                             {{"DiskSize", 10}},
                                             {{"DiskSize", 10}},
                                             {{"DiskSize", 10}}})}}),
             "InvalidParameterValue.LimitExceeded", {"DataDisks"}),
        Both("DescribeImages Limit 101 has its listed code", "DescribeImages", {{"Limit", 101}},
             "InvalidParameterValue.InvalidParameterValueLimit", {"Limit"}),
        Both("DescribeKeyPairs Offset -1 has its listed code", "DescribeKeyPairs", {{"Offset", -1}},
             "InvalidParameterValueOffset", {"Offset"}),
        Both("DescribeKeyPairs Limit 0 has its listed code", "DescribeKeyPairs", {{"Limit", 0}},
             "InvalidParameterValueLimit", {"Limit"}),
        Both("DescribeInstances Limit 101", "DescribeInstances", {{"Limit", 101}},
             "InvalidParameterValue", {"Limit"}),
    });
  }

  TEST_CASE("Ranges and list sizes: the limits themselves are accepted") {
    ExpectAcceptedInBothForms("RunInstances", Run({{"InstanceCount", 1}}));
    ExpectAcceptedInBothForms("RunInstances", Run({{"InstanceCount", 100}}));
    ExpectAcceptedInBothForms("StartInstances", {{"InstanceIds", InstanceIds(100)}});
    ExpectAcceptedInBothForms("DescribeInstances", {{"Limit", 100}, {"Offset", 0}});
  }

  TEST_CASE("Filters: unknown names, too many filters or values, and IDs given with filters") {
    json eleven = json::array();
    for (int i = 0; i < 11; ++i) eleven.push_back(Filter("zone", 1));
    json ten = eleven;
    ten.erase(ten.size() - 1);
    CheckErrorTable({
        Both("Filters.0.Name nope", "DescribeInstances", {{"Filters", {Filter("nope", 1)}}},
             "InvalidFilter", {"Filters.0.Name"}),
        Both("the second filter's name", "DescribeInstances",
             {{"Filters", {Filter("zone", 1), Filter("Zone", 1)}}}, "InvalidFilter",
             {"Filters.1.Name"}),
        Both("a bare tag: prefix is not a tag filter", "DescribeInstances",
             {{"Filters", {Filter("tag:", 1)}}}, "InvalidFilter", {"Filters.0.Name"}),
        Both("6 values in one filter", "DescribeInstances", {{"Filters", {Filter("zone", 6)}}},
             "InvalidFilterValue.LimitExceeded", {"Filters.0.Values"}),
        Both("11 filters", "DescribeInstances", {{"Filters", eleven}},
             "InvalidFilterValue.LimitExceeded", {"Filters"}),
        Both("2 values where DescribeInstanceTypeConfigs allows 1", "DescribeInstanceTypeConfigs",
             {{"Filters", {Filter("zone", 2)}}}, "InvalidFilterValue.LimitExceeded",
             {"Filters.0.Values"}),
        Both("6 values where the action's code is InvalidParameterValue.LimitExceeded",
             "DescribeHosts", {{"Filters", {Filter("zone", 6)}}},
             "InvalidParameterValue.LimitExceeded", {"Filters.0.Values"}),
        Both("InstanceIds and Filters", "DescribeInstances",
             {{"InstanceIds", {"ins-12345678"}}, {"Filters", {Filter("zone", 1)}}},
             "InvalidParameterCombination", {"InstanceIds", "Filters"}),
        Both("KeyIds and Filters", "DescribeKeyPairs",
             {{"KeyIds", {"skey-12345678"}},
              {"Filters", {{{"Name", "key-name"}, {"Values", {"k"}}}}}},
             "InvalidParameterCombination", {"KeyIds", "Filters"}),
        Both("ImageIds and Filters", "DescribeImages",
             {{"ImageIds", {"img-12345678"}},
              {"Filters", {{{"Name", "image-type"}, {"Values", {"PRIVATE_IMAGE"}}}}}},
             "InvalidParameter.InvalidParameterCoexistImageIdsFilters", {"ImageIds", "Filters"}),
        Both("HostName and RenewFlag", "ModifyHostsAttribute",
             {{"HostIds", {"host-12345678"}},
              {"HostName", "h"},
              {"RenewFlag", "NOTIFY_AND_AUTO_RENEW"}},
             "InvalidParameterCombination", {"HostName", "RenewFlag"}),
    });
    ExpectAcceptedInBothForms("DescribeInstances", {{"Filters", ten}});
    ExpectAcceptedInBothForms("DescribeInstances", {{"Filters", {Filter("zone", 5)}}});
    ExpectAcceptedInBothForms("DescribeInstances", {{"Filters", {Filter("tag:env", 1)}}});
  }

  TEST_CASE("Lengths: InstanceName and ClientToken are counted in bytes; too short is not TooLong") {
    CheckErrorTable({
        Both("InstanceName of 61 bytes", "RunInstances",
             Run({{"InstanceName", std::string(61, 'a')}}), "InvalidInstanceName.TooLong",
             {"InstanceName"}),
        Both("InstanceName of 21 Chinese characters (63 bytes)", "RunInstances",
             Run({{"InstanceName", Chinese(21)}}), "InvalidInstanceName.TooLong", {"InstanceName"}),
        Both("InstanceName of 61 bytes on ModifyInstancesAttribute", "ModifyInstancesAttribute",
             {{"InstanceIds", {"ins-12345678"}}, {"InstanceName", std::string(61, 'a')}},
             "InvalidInstanceName.TooLong", {"InstanceName"}),
        Both("ClientToken of 65 characters", "RunInstances",
             Run({{"ClientToken", std::string(65, 't')}}), "InvalidClientToken.TooLong",
             {"ClientToken"}),
        Both("a key pair name of 26 characters", "CreateKeyPair",
             {{"KeyName", std::string(26, 'k')}, {"ProjectId", 0}}, "InvalidKeyPairName.TooLong",
             {"KeyName"}),
        Both("an image name of 21 characters", "CreateImage",
             {{"InstanceId", "ins-12345678"}, {"ImageName", std::string(21, 'i')}},
             "InvalidParameter.ValueTooLarge", {"ImageName"}),
        Both("an empty placement group name", "CreateDisasterRecoverGroup",
             {{"Name", ""}, {"Type", "HOST"}}, "InvalidParameterValue", {"Name"}),
        Both("a placement group name of 61 characters", "CreateDisasterRecoverGroup",
             {{"Name", std::string(61, 'g')}, {"Type", "HOST"}}, "InvalidParameterValue.TooLong", {"Name"}),
        Both("a ClientToken that is not ASCII (D-52)", "RunInstances",
             Run({{"ClientToken", Chinese(2)}}), "InvalidParameterValue", {"ClientToken"}),
        Both("a HostName of 1 character", "RunInstances", Run({{"HostName", "h"}}),
             "InvalidParameterValue", {"HostName"}),
    });
    ExpectAcceptedInBothForms("RunInstances", Run({{"InstanceName", std::string(60, 'a')}}));
    ExpectAcceptedInBothForms("RunInstances", Run({{"InstanceName", Chinese(20)}}));
    ExpectAcceptedInBothForms("RunInstances", Run({{"ClientToken", std::string(64, 't')}}));
    ExpectAcceptedInBothForms("RunInstances", Run({{"ClientToken", "Az09 -_.:/+=~!@#$%^&*()[]{}"}}));
  }

  TEST_CASE("UnknownParameter names the parameter and suggests the right one") {
    CheckErrorTable({
        FlatOnly("InstanceId.0 for InstanceIds.0", "StartInstances",
                 {{"InstanceId.0", "ins-12345678"}}, "UnknownParameter", {"InstanceId.0"}),
        FlatOnly("a bare InstanceId", "StartInstances", {{"InstanceId", "ins-12345678"}},
                 "UnknownParameter", {"InstanceId"}),
        JsonOnly("InstanceId for InstanceIds", "StartInstances",
                 R"({"InstanceId":["ins-12345678"]})", "UnknownParameter", {"InstanceId"}),
        Both("a misspelt nested member", "RunInstances",
             {{"Placement", {{"Zone", "ap-guangzhou-3"}, {"Zonee", "x"}}},
              {"ImageId", "img-12345678"}},
             "UnknownParameter", {"Placement.Zonee", "Placement.Zone"}),
        Both("a member of the wrong case", "RunInstances", Run({{"instanceCount", 1}}),
             "UnknownParameter", {"instanceCount", "InstanceCount"}),
        Both("a misspelt member of a list element", "RunInstances",
             Run({{"DataDisks", {{{"DiskSize", 10}}, {{"DiskSize", 10}, {"DiskSiz", 10}}}}}),
             "UnknownParameter", {"DataDisks.1.DiskSiz", "DataDisks.1.DiskSize"}),
        Both("a name nothing resembles", "StartInstances",
             {{"InstanceIds", {"ins-12345678"}}, {"Colour", "blue"}}, "UnknownParameter",
             {"Colour"}),
    });
    // The hint itself.
    auto flat = RunFlat("StartInstances", {{"InstanceId.0", "ins-12345678"}});
    REQUIRE_FALSE(flat.ok());
    CHECK(flat.error().message().find("Did you mean InstanceIds") != std::string::npos);
    auto bare = RunFlat("StartInstances", {{"InstanceId", "ins-12345678"}});
    REQUIRE_FALSE(bare.ok());
    CHECK(bare.error().message().find("Did you mean InstanceIds") != std::string::npos);
    auto body = RunJson("StartInstances", R"({"InstanceId":["ins-12345678"]})");
    REQUIRE_FALSE(body.ok());
    CHECK(body.error().message().find("Did you mean InstanceIds") != std::string::npos);
    auto none = RunFlat("StartInstances", {{"InstanceIds.0", "ins-12345678"}, {"Colour", "blue"}});
    REQUIRE_FALSE(none.ok());
    CHECK(none.error().message().find("Did you mean") == std::string::npos);
  }

  // docs/decisions.md D-04: "`InstanceId.0` → "Did you mean InstanceIds.0?"".
  TEST_CASE("UnknownParameter: the flat InstanceId.0 is told InstanceIds.0, keeping its index") {
    auto flat = RunFlat("StartInstances", {{"InstanceId.0", "ins-12345678"}});
    REQUIRE_FALSE(flat.ok());
    CHECK(flat.error().code() == "UnknownParameter");
    CHECK_MESSAGE(flat.error().message().find("Did you mean InstanceIds.0?") != std::string::npos,
                  flat.error().message());
  }

  // D-04: a member is close when it differs by case, a missing or extra s, or
  // an edit distance of at most 2, whatever the name's length.
  TEST_CASE("UnknownParameter: a short misspelt name within edit distance 2 gets a suggestion") {
    CheckErrorTable({
        Both("Zon for Zone", "RunInstances",
             {{"Placement", {{"Zone", "ap-guangzhou-3"}, {"Zon", "x"}}},
              {"ImageId", "img-12345678"}},
             "UnknownParameter", {"Placement.Zon", "Placement.Zone"}),
    });
  }

  TEST_CASE(
      "UnknownParameter: with ignore_unknown the same requests pass and list what was dropped") {
    struct Row {
      const char* what;
      const char* action;
      FlatParams flat;
      std::string body;
      std::vector<std::string> ignored_flat;
      std::vector<std::string> ignored_json;
    };
    const std::vector<Row> rows = {
        {"InstanceId.0 beside InstanceIds.0",
         "StartInstances",
         {{"InstanceIds.0", "ins-12345678"}, {"InstanceId.0", "ins-abcdefgh"}},
         R"({"InstanceIds":["ins-12345678"],"InstanceId":["ins-abcdefgh"]})",
         {"InstanceId.0"},
         {"InstanceId"}},
        {"a bare InstanceId",
         "StartInstances",
         {{"InstanceIds.0", "ins-12345678"}, {"InstanceId", "ins-abcdefgh"}},
         R"({"InstanceIds":["ins-12345678"],"InstanceId":"ins-abcdefgh"})",
         {"InstanceId"},
         {"InstanceId"}},
        {"unknown members at two depths",
         "RunInstances",
         {{"Placement.Zone", "ap-guangzhou-3"},
          {"Placement.Colour", "blue"},
          {"ImageId", "img-12345678"},
          {"DataDisks.0.DiskSize", "10"},
          {"DataDisks.0.Speed", "fast"},
          {"NewField", "1"}},
         R"({"Placement":{"Zone":"ap-guangzhou-3","Colour":"blue"},"ImageId":"img-12345678",
           "DataDisks":[{"DiskSize":10,"Speed":"fast"}],"NewField":1})",
         {"Placement.Colour", "DataDisks.0.Speed", "NewField"},
         {"Placement.Colour", "DataDisks.0.Speed", "NewField"}},
    };
    for (const Row& row : rows) {
      INFO(row.what);
      auto names_one_of = [](const auto& result, const std::vector<std::string>& names) {
        REQUIRE_FALSE(result.ok());
        CHECK(result.error().code() == "UnknownParameter");
        CHECK_MESSAGE(std::any_of(names.begin(), names.end(),
                                  [&](const std::string& n) {
                                    return NamesPath(result.error().message(), n);
                                  }),
                      result.error().message());
      };
      names_one_of(RunFlat(row.action, row.flat), row.ignored_flat);
      names_one_of(RunJson(row.action, row.body), row.ignored_json);
      auto flat = RunFlat(row.action, row.flat, /*ignore_unknown=*/true);
      auto body = RunJson(row.action, row.body, /*ignore_unknown=*/true);
      REQUIRE_MESSAGE(flat.ok(), flat.error().message());
      REQUIRE_MESSAGE(body.ok(), body.error().message());
      auto sorted = [](std::vector<std::string> v) {
        std::sort(v.begin(), v.end());
        return v;
      };
      CHECK(sorted(flat->ignored) == sorted(row.ignored_flat));
      CHECK(sorted(body->ignored) == sorted(row.ignored_json));
      CHECK(flat->params == body->params);
    }
  }

  TEST_CASE(
      "Order: an unknown parameter wins over a missing one, a missing one over a wrong type") {
    CheckErrorTable({
        FlatOnly("unknown and missing", "StartInstances", {{"InstanceId.0", "ins-12345678"}},
                 "UnknownParameter", {"InstanceId.0"}),
        JsonOnly("unknown and missing", "StartInstances", R"({"InstanceId":["ins-12345678"]})",
                 "UnknownParameter", {"InstanceId"}),
        FlatOnly("missing after unknown in the list", "RunInstances",
                 {{"InstanceCount", "abc"}, {"Colour", "x"}}, "UnknownParameter", {"Colour"}),
        JsonOnly("unknown, missing and a wrong type", "RunInstances",
                 R"({"InstanceCount":"abc","Colour":"x"})", "UnknownParameter", {"Colour"}),
        FlatOnly("missing and a wrong type", "RunInstances",
                 {{"ImageId", "img-12345678"}, {"InstanceCount", "abc"}}, "MissingParameter",
                 {"Placement"}),
        JsonOnly("missing and a wrong type", "RunInstances",
                 R"({"ImageId":"img-12345678","InstanceCount":"2"})", "MissingParameter",
                 {"Placement"}),
        Both("a nested missing member and a malformed ID before it", "RunInstances",
             {{"ImageId", "img-1"}, {"Placement", {{"ProjectId", 0}}}}, "MissingParameter",
             {"Placement.Zone"}),
        Both("a wrong value and an exclusive pair", "DescribeInstances",
             {{"InstanceIds", {"ins-1"}}, {"Filters", {Filter("zone", 1)}}},
             "InvalidInstanceId.Malformed", {"InstanceIds.0"}),
    });
  }

  TEST_CASE(
      "Names: a control character in any name is refused, naming the parameter, in both forms") {
    struct NameMember {
      std::string action;
      json request;      // valid without the name
      std::string name;  // the member that holds a name
      std::string code;
    };
    const std::vector<NameMember> members = {
        {"RunInstances", Run(), "InstanceName", "InvalidParameterValue"},
        {"RunInstances", Run(), "HostName", "InvalidParameterValue"},
        {"InquiryPriceRunInstances", Run(), "InstanceName", "InvalidParameterValue"},
        {"InquiryPriceRunInstances", Run(), "HostName", "InvalidParameterValue"},
        {"ModifyInstancesAttribute",
         {{"InstanceIds", InstanceIds(1)}},
         "InstanceName",
         "InvalidParameterValue"},
        {"CreateImage", {{"InstanceId", "ins-12345678"}}, "ImageName", "InvalidParameterValue"},
        {"ModifyImageAttribute",
         {{"ImageId", "img-12345678"}},
         "ImageName",
         "InvalidParameterValue"},
        {"ImportImage",
         {{"Architecture", "x86_64"},
          {"OsType", "CentOS"},
          {"OsVersion", "7"},
          {"ImageUrl", "https://example.com/a.qcow2"}},
         "ImageName",
         "InvalidParameterValue"},
        {"CreateKeyPair", {{"ProjectId", 0}}, "KeyName", "InvalidKeyPairName.IncludeIllegalChar"},
        {"ImportKeyPair",
         {{"ProjectId", 0}, {"PublicKey", "ssh-ed25519 AAAA"}},
         "KeyName",
         "InvalidKeyPairName.IncludeIllegalChar"},
        {"ModifyKeyPairAttribute",
         {{"KeyId", "skey-12345678"}},
         "KeyName",
         "InvalidParameterValue"},
        {"CreateDisasterRecoverGroup", {{"Type", "HOST"}}, "Name", "InvalidParameterValue"},
        {"ModifyDisasterRecoverGroupAttribute",
         {{"DisasterRecoverGroupId", "ps-12345678"}},
         "Name",
         "InvalidParameterValue"},
        {"ModifyHostsAttribute",
         {{"HostIds", {"host-12345678"}}},
         "HostName",
         "InvalidParameterValue"},
    };
    for (const NameMember& m : members) {
      for (const std::string& bad :
           {std::string("web\0one", 7), std::string("web\none"), std::string("tab\there"),
            std::string("del\x7f"), std::string("c1\xC2\x85"), std::string("\x1b[31m")}) {
        json request = m.request;
        request[m.name] = bad;
        CheckErrorTable({Both(m.action + " " + m.name + " with a control character", m.action,
                              request, m.code, {m.name})});
      }
      // Letters, digits, spaces, punctuation and CJK stay names.
      json fine = m.request;
      fine[m.name] = m.name == "KeyName"    ? "web_one"
                     : m.name == "HostName" ? "web-1"
                                            : "web 1 (中)";
      auto accepted = RunJson(m.action, fine.dump());
      CHECK_MESSAGE(accepted.ok(), m.action << " " << m.name << ": "
                                            << (accepted.ok() ? "" : accepted.error().message()));
    }
  }

  TEST_CASE("Names: the message says which control character was found") {
    auto r = RunJson(
        "ModifyInstancesAttribute",
        json{{"InstanceIds", InstanceIds(1)}, {"InstanceName", std::string("a\0b", 3)}}.dump());
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code() == "InvalidParameterValue");
    CHECK(r.error().message().find("U+0000") != std::string::npos);
  }

}  // TEST_SUITE

}  // namespace
