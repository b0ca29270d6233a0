// What both wire forms decode to: nested lists of structures, typed values,
// defaults, \u escapes and big integers (schema/decoder.h, validator.h).
#include <doctest/doctest.h>

#include <cstdint>
#include <string>

#include "tests/schema/request_helpers.h"

namespace {

using cvm::schema::FlatParams;
using cvm::schema::testing::ExpectAcceptedInBothForms;
using cvm::schema::testing::RunFlat;
using cvm::schema::testing::RunJson;
using nlohmann::json;

json Accepted(const cvm::Result<cvm::schema::ValidatedParams>& result) {
  if (!result.ok()) {
    FAIL_CHECK(result.error().code() << ": " << result.error().message());
    return json();
  }
  return result->params;
}

TEST_SUITE("schema") {
  TEST_CASE("Flat form: lists of structures inside lists of structures unflatten by index") {
    json params =
        Accepted(RunFlat("RunInstances", {
                                             {"Placement.Zone", "ap-guangzhou-3"},
                                             {"ImageId", "img-12345678"},
                                             {"TagSpecification.0.ResourceType", "instance"},
                                             {"TagSpecification.0.Tags.0.Key", "env"},
                                             {"TagSpecification.0.Tags.0.Value", "prod"},
                                             {"TagSpecification.0.Tags.1.Key", "team"},
                                             {"TagSpecification.0.Tags.1.Value", "core"},
                                             {"DataDisks.1.DiskSize", "200"},
                                             {"DataDisks.0.DiskSize", "100"},
                                         }));
    REQUIRE(params.is_object());
    CHECK(params["TagSpecification"][0]["Tags"][1]["Key"] == "team");
    CHECK(params["TagSpecification"][0]["Tags"][1]["Value"] == "core");
    CHECK(params["TagSpecification"][0]["Tags"][0]["Key"] == "env");
    REQUIRE(params["DataDisks"].size() == 2);
    CHECK(params["DataDisks"][0]["DiskSize"] == 100);
    CHECK(params["DataDisks"][1]["DiskSize"] == 200);
    // Typed: an int64, not the wire string.
    CHECK(params["DataDisks"][1]["DiskSize"].is_number_integer());
    CHECK(params["DataDisks"][1]["DiskSize"].get<int64_t>() == 200);
    // Defaults apply inside each element given.
    CHECK(params["DataDisks"][1]["DiskType"] == "LOCAL_BASIC");
    CHECK(params["DataDisks"][1]["DeleteWithInstance"] == true);
    CHECK(params["Placement"]["ProjectId"] == 0);
    CHECK(params["InstanceCount"] == 1);
    CHECK(params["InstanceChargeType"] == "POSTPAID_BY_HOUR");
  }

  TEST_CASE("Flat form: Filters.1.Values.2 lands in the second filter's third value") {
    json params =
        Accepted(RunFlat("DescribeInstances", {
                                                  {"Filters.0.Name", "zone"},
                                                  {"Filters.0.Values.0", "ap-guangzhou-3"},
                                                  {"Filters.1.Name", "instance-name"},
                                                  {"Filters.1.Values.0", "a"},
                                                  {"Filters.1.Values.1", "b"},
                                                  {"Filters.1.Values.2", "c"},
                                              }));
    REQUIRE(params.is_object());
    CHECK(params["Filters"][1]["Name"] == "instance-name");
    CHECK(params["Filters"][1]["Values"] == json{"a", "b", "c"});
    CHECK(params["Filters"][1]["Values"][2] == "c");
    CHECK(params["Limit"] == 20);
    CHECK(params["Offset"] == 0);
  }

  TEST_CASE("Both forms: the same nested request gives the same typed parameters") {
    json request = {
        {"Placement", {{"Zone", "ap-guangzhou-3"}, {"ProjectId", 7}}},
        {"ImageId", "img-12345678"},
        {"DataDisks", {{{"DiskSize", 100}}, {{"DiskSize", 200}, {"DeleteWithInstance", false}}}},
        {"TagSpecification",
         {{{"ResourceType", "instance"},
           {"Tags", {{{"Key", "a"}, {"Value", "1"}}, {{"Key", "b"}, {"Value", "2"}}}}}}},
        {"InstanceCount", 3},
    };
    json params = ExpectAcceptedInBothForms("RunInstances", request);
    CHECK(params["TagSpecification"][0]["Tags"][1]["Key"] == "b");
    CHECK(params["DataDisks"][1]["DiskSize"] == 200);
    CHECK(params["DataDisks"][1]["DeleteWithInstance"] == false);
    CHECK(params["DataDisks"][0]["DeleteWithInstance"] == true);
    CHECK(params["InstanceCount"].get<int64_t>() == 3);
    CHECK(params["Placement"]["ProjectId"].get<int64_t>() == 7);
  }

  TEST_CASE("Booleans: true/TRUE/false/False in the flat form, true/false in JSON") {
    struct Row {
      const char* wire;
      bool value;
    };
    for (Row row : {Row{"true", true}, Row{"TRUE", true}, Row{"True", true}, Row{"false", false},
                    Row{"FALSE", false}, Row{"False", false}}) {
      INFO(row.wire);
      json params = Accepted(
          RunFlat("StopInstances", {{"InstanceIds.0", "ins-12345678"}, {"ForceStop", row.wire}}));
      CHECK(params["ForceStop"].is_boolean());
      CHECK(params["ForceStop"] == row.value);
    }
    CHECK(Accepted(RunJson("StopInstances",
                           R"({"InstanceIds":["ins-12345678"],"ForceStop":true})"))["ForceStop"] ==
          true);
    CHECK(Accepted(RunJson("StopInstances",
                           R"({"InstanceIds":["ins-12345678"],"ForceStop":false})"))["ForceStop"] ==
          false);
    CHECK(Accepted(RunJson("StopInstances", R"({"InstanceIds":["ins-12345678"]})"))["ForceStop"] ==
          false);
    // Nested Booleans.
    json nested =
        Accepted(RunFlat("RunInstances", {{"Placement.Zone", "ap-guangzhou-3"},
                                          {"ImageId", "img-12345678"},
                                          {"EnhancedService.SecurityService.Enabled", "FALSE"},
                                          {"DataDisks.0.DiskSize", "10"},
                                          {"DataDisks.0.DeleteWithInstance", "false"}}));
    CHECK(nested["EnhancedService"]["SecurityService"]["Enabled"] == false);
    CHECK(nested["DataDisks"][0]["DeleteWithInstance"] == false);
  }

  TEST_CASE("String flags (bool-string) keep their spelling; any case is accepted") {
    for (const char* flag : {"TRUE", "true", "False", "FALSE"}) {
      INFO(flag);
      json params = ExpectAcceptedInBothForms(
          "CreateImage",
          {{"InstanceId", "ins-12345678"}, {"ImageName", "a"}, {"ForcePoweroff", flag}});
      CHECK(params["ForcePoweroff"] == flag);
    }
  }

  TEST_CASE("Strings: \\u escapes, a surrogate pair and raw UTF-8 decode to the same text") {
    const std::string raw = "\xE4\xB8\xAD\xE6\x96\x87-\xC3\xA9-\xF0\x9F\x98\x80";  // 中文-é-😀
    json escaped = Accepted(RunJson(
        "RunInstances",
        R"({"Placement":{"Zone":"ap-guangzhou-3"},"ImageId":"img-12345678","InstanceName":"\u4e2d\u6587-\u00e9-\ud83d\ude00"})"));
    json upper = Accepted(RunJson(
        "RunInstances",
        R"({"Placement":{"Zone":"ap-guangzhou-3"},"ImageId":"img-12345678","InstanceName":"\u4E2D\u6587-\u00E9-\uD83D\uDE00"})"));
    json unescaped = Accepted(RunJson(
        "RunInstances",
        R"({"Placement":{"Zone":"ap-guangzhou-3"},"ImageId":"img-12345678","InstanceName":")" +
            raw + R"("})"));
    json flat = Accepted(RunFlat("RunInstances", {{"Placement.Zone", "ap-guangzhou-3"},
                                                  {"ImageId", "img-12345678"},
                                                  {"InstanceName", raw}}));
    CHECK(escaped["InstanceName"] == raw);
    CHECK(upper["InstanceName"] == raw);
    CHECK(unescaped["InstanceName"] == raw);
    CHECK(flat["InstanceName"] == raw);
    // Other escapes.
    json controls =
        Accepted(RunJson("ResetInstancesPassword",
                         R"({"InstanceIds":["ins-12345678"],"Password":"a\"b\\c\/d\n\t\u0000e"})"));
    CHECK(controls["Password"] == std::string("a\"b\\c/d\n\t\0e", 11));
  }

  TEST_CASE("Integers: values up to 2^63-1 and down to -2^63 are exact in both forms") {
    struct Row {
      const char* text;
      int64_t value;
    };
    for (Row row : {Row{"9223372036854775807", INT64_MAX}, Row{"-9223372036854775808", INT64_MIN},
                    Row{"9007199254740993", 9007199254740993LL}, Row{"0", 0}, Row{"-1", -1}}) {
      INFO(row.text);
      json flat = Accepted(RunFlat("ModifyInstancesProject",
                                   {{"InstanceIds.0", "ins-12345678"}, {"ProjectId", row.text}}));
      json body = Accepted(
          RunJson("ModifyInstancesProject",
                  std::string(R"({"InstanceIds":["ins-12345678"],"ProjectId":)") + row.text + "}"));
      REQUIRE(flat.is_object());
      REQUIRE(body.is_object());
      CHECK(flat["ProjectId"].get<int64_t>() == row.value);
      CHECK(body["ProjectId"].get<int64_t>() == row.value);
      CHECK(flat["ProjectId"] == body["ProjectId"]);
      // Nested as well.
      json nested = Accepted(RunJson(
          "RunInstances",
          std::string(
              R"({"ImageId":"img-12345678","Placement":{"Zone":"ap-guangzhou-3","ProjectId":)") +
              row.text + "}}"));
      REQUIRE(nested.is_object());
      CHECK(nested["Placement"]["ProjectId"].get<int64_t>() == row.value);
    }
  }

  TEST_CASE("JSON null members are treated as absent: defaults apply, required ones are missing") {
    json params = Accepted(RunJson(
        "RunInstances",
        R"({"Placement":{"Zone":"ap-guangzhou-3","ProjectId":null,"HostIds":null},"ImageId":"img-12345678",
          "InstanceName":null,"InstanceCount":null,"DataDisks":null,"LoginSettings":null})"));
    REQUIRE(params.is_object());
    CHECK_FALSE(params.contains("InstanceName"));
    CHECK_FALSE(params.contains("DataDisks"));
    CHECK_FALSE(params.contains("LoginSettings"));
    CHECK_FALSE(params["Placement"].contains("HostIds"));
    CHECK(params["InstanceCount"] == 1);
    CHECK(params["Placement"]["ProjectId"] == 0);
    auto no_image =
        RunJson("RunInstances", R"({"Placement":{"Zone":"ap-guangzhou-3"},"ImageId":null})");
    REQUIRE_FALSE(no_image.ok());
    CHECK(no_image.error().code() == "MissingParameter");
    CHECK(cvm::schema::testing::NamesPath(no_image.error().message(), "ImageId"));
    auto no_zone =
        RunJson("RunInstances", R"({"Placement":{"Zone":null},"ImageId":"img-12345678"})");
    REQUIRE_FALSE(no_zone.ok());
    CHECK(no_zone.error().code() == "MissingParameter");
    CHECK(cvm::schema::testing::NamesPath(no_zone.error().message(), "Placement.Zone"));
    auto no_placement = RunJson("RunInstances", R"({"Placement":null,"ImageId":"img-12345678"})");
    REQUIRE_FALSE(no_placement.ok());
    CHECK(no_placement.error().code() == "MissingParameter");
    CHECK(cvm::schema::testing::NamesPath(no_placement.error().message(), "Placement"));
  }

  TEST_CASE("JSON empty lists mean what the flat form's nothing means: absent, at any depth") {
    // The SDKs' v1 flattening sends nothing for [] (docs/wire.md §3); TC3 sends [].
    struct Row {
      const char* action;
      const char* body;
      const char* missing;  // the path MissingParameter must name, both forms
    };
    const Row rows[] = {
        {"StopInstances", R"({"InstanceIds":[]})", "InstanceIds"},
        {"SyncImages", R"({"ImageIds":[],"DestinationRegions":["ap-beijing"]})", "ImageIds"},
        {"SyncImages", R"({"ImageIds":["img-12345678"],"DestinationRegions":[]})", "DestinationRegions"},
        {"AssociateInstancesKeyPairs", R"({"InstanceIds":["ins-12345678"],"KeyIds":[]})", "KeyIds"},
        {"DescribeInstances", R"({"Filters":[{"Name":"zone","Values":[]}]})", "Filters.0.Values"},
        {"RunInstances",
         R"({"Placement":{"Zone":"ap-guangzhou-3"},"ImageId":"img-12345678",
            "TagSpecification":[{"ResourceType":"instance","Tags":[]}]})",
         "TagSpecification.0.Tags"},
    };
    for (const Row& row : rows) {
      CAPTURE(row.body);
      auto from_json = RunJson(row.action, row.body);
      REQUIRE_FALSE(from_json.ok());
      CHECK(from_json.error().code() == "MissingParameter");
      CHECK(cvm::schema::testing::NamesPath(from_json.error().message(), row.missing));
      auto from_flat = RunFlat(row.action, cvm::schema::testing::Flatten(json::parse(row.body)));
      REQUIRE_FALSE(from_flat.ok());
      CHECK(from_flat.error().code() == from_json.error().code());
      CHECK(from_flat.error().message() == from_json.error().message());
    }
    // Optional lists: [] is the same as leaving the member out.
    json params = Accepted(RunJson("DescribeInstances", R"({"InstanceIds":[],"Filters":[]})"));
    REQUIRE(params.is_object());
    CHECK_FALSE(params.contains("InstanceIds"));
    CHECK_FALSE(params.contains("Filters"));
    json run = Accepted(RunJson(
        "RunInstances",
        R"({"Placement":{"Zone":"ap-guangzhou-3","HostIds":[]},"ImageId":"img-12345678","DataDisks":[],
          "SecurityGroupIds":[]})"));
    REQUIRE(run.is_object());
    CHECK_FALSE(run.contains("DataDisks"));
    CHECK_FALSE(run.contains("SecurityGroupIds"));
    CHECK_FALSE(run["Placement"].contains("HostIds"));
  }

}  // TEST_SUITE

}  // namespace
