// Malformed requests never crash the decoder or the validator and always get
// a clean code: InvalidParameter for a malformed shape (docs/decisions.md D-02),
// InvalidParameterValue (or the member's own code) for a malformed value.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "tests/schema/request_helpers.h"

namespace {

using cvm::schema::FlatParams;
using cvm::schema::testing::Both;
using cvm::schema::testing::CheckErrorTable;
using cvm::schema::testing::ExpectError;
using cvm::schema::testing::FlatOnly;
using cvm::schema::testing::JsonOnly;
using cvm::schema::testing::RunFlat;
using cvm::schema::testing::RunJson;
using nlohmann::json;

const FlatParams kRunBase = {{"Placement.Zone", "ap-guangzhou-3"}, {"ImageId", "img-12345678"}};

FlatParams RunFlatWith(FlatParams extra) {
  FlatParams params = kRunBase;
  params.insert(params.end(), extra.begin(), extra.end());
  return params;
}

std::string RunBodyWith(const std::string& members) {
  return R"({"Placement":{"Zone":"ap-guangzhou-3"},"ImageId":"img-12345678",)" + members + "}";
}

TEST_SUITE("schema") {
  TEST_CASE(
      "Malformed JSON: deep nesting, duplicates, non-objects and non-JSON are InvalidParameter") {
    const std::string deep_arrays =
        "{\"Placement\":" + std::string(10000, '[') + std::string(10000, ']') + "}";
    std::string deep_objects;
    for (int i = 0; i < 10000; ++i) deep_objects += "{\"a\":";
    deep_objects += "1" + std::string(10000, '}');
    const std::string unclosed = std::string(10000, '[');
    static const char kNul[] =
        "{\"InstanceIds\":[\"ins-1234\0"
        "5678\"]}";
    const std::string kNulInString(kNul, sizeof(kNul) - 1);
    CheckErrorTable({
        JsonOnly("arrays nested 10,000 levels deep", "RunInstances", deep_arrays,
                 "InvalidParameter", {}),
        JsonOnly("objects nested 10,000 levels deep", "RunInstances", deep_objects,
                 "InvalidParameter", {}),
        JsonOnly("10,000 unclosed brackets", "RunInstances", unclosed, "InvalidParameter", {}),
        JsonOnly("a duplicate top-level member", "StartInstances",
                 R"({"InstanceIds":["ins-12345678"],"InstanceIds":["ins-abcdefgh"]})",
                 "InvalidParameter", {"InstanceIds"}),
        JsonOnly("a duplicate member with a null first", "StartInstances",
                 R"({"InstanceIds":null,"InstanceIds":["ins-abcdefgh"]})", "InvalidParameter",
                 {"InstanceIds"}),
        JsonOnly("not JSON", "StartInstances", "InstanceIds.0=ins-12345678", "InvalidParameter",
                 {}),
        JsonOnly("an empty body", "StartInstances", "", "InvalidParameter", {}),
        JsonOnly("trailing text after the object", "StartInstances",
                 R"({"InstanceIds":["ins-12345678"]} x)", "InvalidParameter", {}),
        JsonOnly("two objects", "StartInstances", R"({}{})", "InvalidParameter", {}),
        JsonOnly("a top-level array", "StartInstances", R"([{"InstanceIds":["ins-12345678"]}])",
                 "InvalidParameter", {}),
        JsonOnly("a top-level string", "StartInstances", R"("InstanceIds")", "InvalidParameter",
                 {}),
        JsonOnly("a top-level null", "StartInstances", "null", "InvalidParameter", {}),
        JsonOnly("a raw NUL byte inside a string", "StartInstances", kNulInString,
                 "InvalidParameter", {}),
        JsonOnly("a lone high surrogate escape", "RunInstances",
                 RunBodyWith(R"("InstanceName":"\ud83d")"), "InvalidParameter", {}),
        JsonOnly("a lone low surrogate escape", "RunInstances",
                 RunBodyWith(R"("InstanceName":"\ude00x")"), "InvalidParameter", {}),
        JsonOnly("a comment", "StartInstances", R"({/* c */"InstanceIds":["ins-12345678"]})",
                 "InvalidParameter", {}),
    });
  }

  TEST_CASE("Malformed JSON: nesting up to the limit is fine, one level more is refused") {
    // Externals.StorageBlockAttr is the deepest input: 3 objects below the top.
    auto ok =
        RunJson("RunInstances",
                RunBodyWith(R"("ActionTimer":{"Externals":{"StorageBlockAttr":{"MinSize":1}}})"));
    CHECK_MESSAGE(ok.ok(), (ok.ok() ? "" : ok.error().message()));
    // An unknown member nested kMaxJsonDepth levels is an unknown member, not a
    // nesting error; one level more is a nesting error.
    std::string at_limit = "{\"x\":" + std::string(cvm::schema::kMaxJsonDepth - 1, '[') +
                           std::string(cvm::schema::kMaxJsonDepth - 1, ']') + "}";
    ExpectError(RunJson("StartInstances", at_limit), "UnknownParameter", {"x"});
    std::string over = "{\"x\":" + std::string(cvm::schema::kMaxJsonDepth, '[') +
                       std::string(cvm::schema::kMaxJsonDepth, ']') + "}";
    ExpectError(RunJson("StartInstances", over), "InvalidParameter", {});
  }

  // D-02: a repeated member name gets a message naming the parameter; every
  // other message of the validator names its full path.
  TEST_CASE("Malformed JSON: a duplicate nested member is named by its full path") {
    CheckErrorTable({
        JsonOnly(
            "a duplicate member inside Placement", "RunInstances",
            R"({"Placement":{"Zone":"ap-guangzhou-3","Zone":"ap-guangzhou-4"},"ImageId":"img-12345678"})",
            "InvalidParameter", {"Placement.Zone"}),
        JsonOnly("a duplicate member inside a list element", "RunInstances",
                 RunBodyWith(R"("DataDisks":[{"DiskSize":10},{"DiskSize":10,"DiskSize":20}])"),
                 "InvalidParameter", {"DataDisks.1.DiskSize"}),
    });
  }

  TEST_CASE("Malformed JSON: a duplicate nested member is InvalidParameter") {
    auto result = RunJson(
        "RunInstances",
        R"({"Placement":{"Zone":"ap-guangzhou-3","Zone":"ap-guangzhou-4"},"ImageId":"img-12345678"})");
    REQUIRE_FALSE(result.ok());
    CHECK(result.error().code() == "InvalidParameter");
    CHECK(result.error().message().find("Zone") != std::string::npos);
  }

  TEST_CASE("Wrong JSON shapes: an array for a structure and an object for a list") {
    CheckErrorTable({
        JsonOnly("an array where Placement (an object) is expected", "RunInstances",
                 R"({"Placement":[{"Zone":"ap-guangzhou-3"}],"ImageId":"img-12345678"})",
                 "InvalidParameterValue", {"Placement"}),
        JsonOnly("a string where a structure is expected", "RunInstances",
                 RunBodyWith(R"("SystemDisk":"CLOUD_SSD")"), "InvalidParameterValue",
                 {"SystemDisk"}),
        JsonOnly("an object where DataDisks (a list) is expected", "RunInstances",
                 RunBodyWith(R"("DataDisks":{"DiskSize":100})"), "InvalidParameterValue",
                 {"DataDisks"}),
        JsonOnly("an object where InstanceIds (a list) is expected", "StartInstances",
                 R"({"InstanceIds":{"0":"ins-12345678"}})", "InvalidParameterValue",
                 {"InstanceIds"}),
        JsonOnly("a string where a list is expected", "StartInstances",
                 R"({"InstanceIds":"ins-12345678"})", "InvalidParameterValue", {"InstanceIds"}),
        JsonOnly("an array element that is not an object", "RunInstances",
                 RunBodyWith(R"("DataDisks":[{"DiskSize":100},[]])"), "InvalidParameterValue",
                 {"DataDisks.1"}),
        JsonOnly("a null list element", "StartInstances",
                 R"({"InstanceIds":["ins-12345678",null]})", "InvalidParameterValue",
                 {"InstanceIds.1"}),
        JsonOnly("a list where a string is expected", "RunInstances",
                 RunBodyWith(R"("InstanceName":["a"])"), "InvalidParameterValue", {"InstanceName"}),
        JsonOnly("an object where an integer is expected", "RunInstances",
                 RunBodyWith(R"("InstanceCount":{"n":1})"), "InvalidParameterValue",
                 {"InstanceCount"}),
        JsonOnly("filters that are not a list", "DescribeInstances",
                 R"({"Filters":{"Name":"zone"}})", "InvalidParameterValue", {"Filters"}),
        JsonOnly("filter values that are not strings", "DescribeInstances",
                 R"({"Filters":[{"Name":"project-id","Values":[0]}]})", "InvalidParameterValue",
                 {"Filters.0.Values.0"}),
    });
  }

  TEST_CASE("Huge strings: a 5 MB value is a length error where a maximum exists, else accepted") {
    const std::string huge(5 * 1024 * 1024, 'a');
    CheckErrorTable({
        Both("a 5 MB ClientToken", "RunInstances",
             {{"Placement", {{"Zone", "ap-guangzhou-3"}}},
              {"ImageId", "img-12345678"},
              {"ClientToken", huge}},
             "InvalidClientToken.TooLong", {"ClientToken"}),
        Both("a 5 MB InstanceName", "RunInstances",
             {{"Placement", {{"Zone", "ap-guangzhou-3"}}},
              {"ImageId", "img-12345678"},
              {"InstanceName", huge}},
             "InvalidInstanceName.TooLong", {"InstanceName"}),
        Both("a 5 MB ImageId is malformed", "RunInstances",
             {{"Placement", {{"Zone", "ap-guangzhou-3"}}}, {"ImageId", huge}},
             "InvalidImageId.Malformed", {"ImageId"}),
    });
    // Password has no documented maximum: the schema lets it through whole.
    auto flat =
        RunFlat("ResetInstancesPassword", {{"InstanceIds.0", "ins-12345678"}, {"Password", huge}});
    auto body = RunJson("ResetInstancesPassword",
                        json{{"InstanceIds", {"ins-12345678"}}, {"Password", huge}}.dump());
    REQUIRE(flat.ok());
    REQUIRE(body.ok());
    CHECK(flat->params["Password"].get_ref<const std::string&>().size() == huge.size());
    CHECK(body->params["Password"] == flat->params["Password"]);
    // A 5 MB unknown name is still only an unknown name.
    ExpectError(RunFlat("StartInstances", {{huge, "x"}}), "UnknownParameter", {});
    ExpectError(RunJson("StartInstances", json{{huge, "x"}}.dump()), "UnknownParameter", {});
  }

  TEST_CASE("Invalid UTF-8: the JSON parser refuses it, the flat form names the parameter") {
    for (const char* bytes :
         {"\xFF", "\xC0\xAF", "\xED\xA0\x80", "\xE4\xB8", "\xF4\x90\x80\x80", "a\x80"}) {
      INFO(
          "bytes " << json(std::string(bytes)).dump(-1, ' ', true, json::error_handler_t::replace));
      ExpectError(
          RunJson("RunInstances", RunBodyWith(std::string(R"("InstanceName":")") + bytes + "\"")),
          "InvalidParameter", {});
      ExpectError(RunFlat("RunInstances", RunFlatWith({{"InstanceName", bytes}})),
                  "InvalidParameterValue", {"InstanceName"});
      ExpectError(RunFlat("DescribeInstances", {{"Filters.0.Name", "instance-name"},
                                                {"Filters.0.Values.0", "ok"},
                                                {"Filters.0.Values.1", bytes}}),
                  "InvalidParameterValue", {"Filters.0.Values.1"});
    }
  }

  TEST_CASE("Flat form: list indexes are 0..9999 without leading zeros and without gaps") {
    CheckErrorTable({
        FlatOnly("DataDisks.0 and DataDisks.5", "RunInstances",
                 RunFlatWith({{"DataDisks.0.DiskSize", "10"}, {"DataDisks.5.DiskSize", "10"}}),
                 "InvalidParameter", {"DataDisks.1"}),
        FlatOnly("DataDisks.1 without DataDisks.0", "RunInstances",
                 RunFlatWith({{"DataDisks.1.DiskSize", "10"}}), "InvalidParameter",
                 {"DataDisks.0"}),
        FlatOnly("InstanceIds.0 and InstanceIds.2", "StartInstances",
                 {{"InstanceIds.0", "ins-12345678"}, {"InstanceIds.2", "ins-12345678"}},
                 "InvalidParameter", {"InstanceIds.1"}),
        FlatOnly("a gap in a nested list", "RunInstances",
                 RunFlatWith({{"TagSpecification.0.ResourceType", "instance"},
                              {"TagSpecification.0.Tags.0.Key", "a"},
                              {"TagSpecification.0.Tags.0.Value", "b"},
                              {"TagSpecification.0.Tags.2.Key", "c"},
                              {"TagSpecification.0.Tags.2.Value", "d"}}),
                 "InvalidParameter", {"TagSpecification.0.Tags.1"}),
        FlatOnly("DataDisks.-1", "RunInstances", RunFlatWith({{"DataDisks.-1.DiskSize", "10"}}),
                 "InvalidParameter", {"DataDisks.-1"}),
        FlatOnly("DataDisks.99999999999", "RunInstances",
                 RunFlatWith({{"DataDisks.99999999999.DiskSize", "10"}}), "InvalidParameter",
                 {"DataDisks.99999999999"}),
        FlatOnly("DataDisks.01", "RunInstances", RunFlatWith({{"DataDisks.01.DiskSize", "10"}}),
                 "InvalidParameter", {"DataDisks.01"}),
        FlatOnly("DataDisks.00", "RunInstances", RunFlatWith({{"DataDisks.00.DiskSize", "10"}}),
                 "InvalidParameter", {"DataDisks.00"}),
        FlatOnly("DataDisks.10000", "RunInstances",
                 RunFlatWith({{"DataDisks.10000.DiskSize", "10"}}), "InvalidParameter",
                 {"DataDisks.10000"}),
        FlatOnly("DataDisks.+1", "RunInstances", RunFlatWith({{"DataDisks.+1.DiskSize", "10"}}),
                 "InvalidParameter", {"DataDisks.+1"}),
        FlatOnly("DataDisks.x", "RunInstances", RunFlatWith({{"DataDisks.x.DiskSize", "10"}}),
                 "InvalidParameter", {"DataDisks.x"}),
        FlatOnly("an empty index", "RunInstances", RunFlatWith({{"DataDisks..DiskSize", "10"}}),
                 "InvalidParameter", {}),
        FlatOnly("a list given without an index", "StartInstances",
                 {{"InstanceIds", "ins-12345678"}}, "InvalidParameter", {"InstanceIds"}),
        FlatOnly("a list element that is a structure, given a value", "RunInstances",
                 RunFlatWith({{"DataDisks.0", "10"}}), "InvalidParameter", {"DataDisks.0"}),
    });
  }

  // D-02: a gap is InvalidParameter naming the first missing index; the list's
  // size is only counted from the elements actually given.
  TEST_CASE(
      "Flat form: a gap is reported as a gap even when the last index exceeds the list limit") {
    CheckErrorTable({
        FlatOnly("DataDisks.0 and DataDisks.50 (limit 11)", "RunInstances",
                 RunFlatWith({{"DataDisks.0.DiskSize", "10"}, {"DataDisks.50.DiskSize", "10"}}),
                 "InvalidParameter", {"DataDisks.1"}),
        FlatOnly("InstanceIds.0 and InstanceIds.100 (limit 100)", "StartInstances",
                 {{"InstanceIds.0", "ins-12345678"}, {"InstanceIds.100", "ins-12345678"}},
                 "InvalidParameter", {"InstanceIds.1"}),
        FlatOnly("InstanceIds.9999 alone (the largest index)", "StartInstances",
                 {{"InstanceIds.9999", "ins-12345678"}}, "InvalidParameter", {"InstanceIds.0"}),
    });
  }

  TEST_CASE(
      "Flat form: a name given twice, or as both a value and a structure, is InvalidParameter") {
    CheckErrorTable({
        FlatOnly("InstanceName twice", "RunInstances",
                 RunFlatWith({{"InstanceName", "a"}, {"InstanceName", "b"}}), "InvalidParameter",
                 {"InstanceName"}),
        FlatOnly("the same value twice", "RunInstances",
                 RunFlatWith({{"InstanceName", "a"}, {"InstanceName", "a"}}), "InvalidParameter",
                 {"InstanceName"}),
        FlatOnly("Placement.Zone twice", "RunInstances",
                 {{"Placement.Zone", "ap-guangzhou-3"},
                  {"ImageId", "img-12345678"},
                  {"Placement.Zone", "ap-guangzhou-4"}},
                 "InvalidParameter", {"Placement.Zone"}),
        FlatOnly("DataDisks.0.DiskSize twice", "RunInstances",
                 RunFlatWith({{"DataDisks.0.DiskSize", "10"}, {"DataDisks.0.DiskSize", "20"}}),
                 "InvalidParameter", {"DataDisks.0.DiskSize"}),
        FlatOnly("InstanceIds.0 twice", "StartInstances",
                 {{"InstanceIds.0", "ins-12345678"}, {"InstanceIds.0", "ins-abcdefgh"}},
                 "InvalidParameter", {"InstanceIds.0"}),
        FlatOnly(
            "Placement=x&Placement.Zone=y", "RunInstances",
            {{"Placement", "x"}, {"Placement.Zone", "ap-guangzhou-3"}, {"ImageId", "img-12345678"}},
            "InvalidParameter", {"Placement"}),
        FlatOnly(
            "Placement.Zone=y&Placement=x", "RunInstances",
            {{"Placement.Zone", "ap-guangzhou-3"}, {"Placement", "x"}, {"ImageId", "img-12345678"}},
            "InvalidParameter", {"Placement"}),
        // A String has no members: Placement.Zone.Name is a name the action
        // does not have (unknown names are found before shapes).
        FlatOnly("a value given a member", "RunInstances",
                 RunFlatWith({{"Placement.Zone.Name", "x"}}), "UnknownParameter",
                 {"Placement.Zone.Name"}),
        // A String has no members: the longer name is one the action does not have.
        FlatOnly("a list element given a member", "StartInstances",
                 {{"InstanceIds.0", "ins-12345678"}, {"InstanceIds.0.Id", "x"}}, "UnknownParameter",
                 {"InstanceIds.0.Id"}),
    });
  }

  // The flat form is a set of names: the same parameters in another order must
  // give the same code (the JSON form has no order to depend on).
  TEST_CASE("Flat form: the code does not depend on the order of the parameters") {
    const std::vector<FlatParams> requests = {
        {{"Placement", "x"}, {"Placement.Zone", "ap-guangzhou-3"}, {"ImageId", "img-12345678"}},
        {{"Placement.Zone", "ap-guangzhou-3"},
         {"ImageId", "img-12345678"},
         {"Placement.Zone.Name", "x"}},
        {{"Placement.Zone", "ap-guangzhou-3"},
         {"ImageId", "img-12345678"},
         {"InstanceName", "a"},
         {"InstanceName", "b"},
         {"Colour", "x"}},
        {{"Placement.Zone", "ap-guangzhou-3"},
         {"ImageId", "img-12345678"},
         {"DataDisks.01.DiskSize", "1"},
         {"Colour", "x"}},
    };
    for (const FlatParams& forward : requests) {
      FlatParams backward(forward.rbegin(), forward.rend());
      auto a = RunFlat("RunInstances", forward);
      auto b = RunFlat("RunInstances", backward);
      REQUIRE_FALSE(a.ok());
      REQUIRE_FALSE(b.ok());
      INFO("forward: " << a.error().code() << ": " << a.error().message());
      INFO("backward: " << b.error().code() << ": " << b.error().message());
      CHECK(a.error().code() == b.error().code());
    }
  }

  TEST_CASE("Flat form: odd names are unknown parameters, not crashes") {
    for (const char* name : {"", ".", "..", "Placement.", ".Placement", "Placement..Zone",
                             "ImageId.", "ImageId.x", "InstanceIds.0.", "\xFF"}) {
      INFO("name `" << name << "`");
      auto result = RunFlat("RunInstances", RunFlatWith({{name, "x"}}));
      REQUIRE_FALSE(result.ok());
      CHECK((result.error().code() == "UnknownParameter" ||
             result.error().code() == "InvalidParameter"));
    }
  }

  TEST_CASE("Integers out of the int64 range are InvalidParameterValue in both forms") {
    CheckErrorTable({
        JsonOnly("2^63 in JSON", "RunInstances",
                 RunBodyWith(R"("InstanceCount":9223372036854775808)"), "InvalidParameterValue",
                 {"InstanceCount"}),
        JsonOnly("2^64 in JSON", "RunInstances",
                 RunBodyWith(R"("InstanceCount":18446744073709551616)"), "InvalidParameterValue",
                 {"InstanceCount"}),
        JsonOnly("-2^63-1 in JSON", "RunInstances",
                 RunBodyWith(R"("InstanceCount":-9223372036854775809)"), "InvalidParameterValue",
                 {"InstanceCount"}),
        JsonOnly("1e30 in JSON", "RunInstances", RunBodyWith(R"("InstanceCount":1e30)"),
                 "InvalidParameterValue", {"InstanceCount"}),
        // nlohmann's parser refuses a number that overflows a double: the body is not JSON it can
        // read.
        JsonOnly("1e400 in JSON", "RunInstances", RunBodyWith(R"("InstanceCount":1e400)"),
                 "InvalidParameter", {}),
        JsonOnly("2^63 for a member without a range", "ModifyInstancesProject",
                 R"({"InstanceIds":["ins-12345678"],"ProjectId":9223372036854775808})",
                 "InvalidParameterValue", {"ProjectId"}),
        FlatOnly("2^63 in the flat form", "RunInstances",
                 RunFlatWith({{"InstanceCount", "9223372036854775808"}}), "InvalidParameterValue",
                 {"InstanceCount"}),
        FlatOnly("-2^63-1 in the flat form", "ModifyInstancesProject",
                 {{"InstanceIds.0", "ins-12345678"}, {"ProjectId", "-9223372036854775809"}},
                 "InvalidParameterValue", {"ProjectId"}),
        FlatOnly("1e30 in the flat form", "RunInstances", RunFlatWith({{"InstanceCount", "1e30"}}),
                 "InvalidParameterValue", {"InstanceCount"}),
        FlatOnly("99999999999999999999999 in the flat form", "ModifyInstancesProject",
                 {{"InstanceIds.0", "ins-12345678"}, {"ProjectId", "99999999999999999999999"}},
                 "InvalidParameterValue", {"ProjectId"}),
        FlatOnly("a leading plus in the flat form", "RunInstances",
                 RunFlatWith({{"InstanceCount", "+2"}}), "InvalidParameterValue",
                 {"InstanceCount"}),
        FlatOnly("spaces in the flat form", "RunInstances", RunFlatWith({{"InstanceCount", " 2"}}),
                 "InvalidParameterValue", {"InstanceCount"}),
        FlatOnly("hex in the flat form", "RunInstances", RunFlatWith({{"InstanceCount", "0x2"}}),
                 "InvalidParameterValue", {"InstanceCount"}),
    });
  }

}  // TEST_SUITE

}  // namespace
