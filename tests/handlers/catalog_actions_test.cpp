// The catalog actions through the in-process API: DescribeInstanceFamilyConfigs,
// DescribeInstanceTypeConfigs, DescribeZoneInstanceConfigInfos and
// DescribeInternetChargeTypeConfigs. The documented examples come back as
// documented (field names per the structure tables), every filter narrows,
// every error code the actions can produce is produced, and what
// DescribeZoneInstanceConfigInfos shows as SELL is exactly what RunInstances
// accepts.
#include <doctest/doctest.h>

#include <map>
#include <set>
#include <string>
#include <vector>

#include "server/http_message.h"
#include "state/catalog.h"
#include "tests/handlers/instance_test_support.h"

namespace {

using namespace cvm::testing;
using namespace cvm::testing::instances;
using nlohmann::json;

json NamedFilter(const std::string& name, const std::vector<std::string>& values) {
  return {{"Name", name}, {"Values", values}};
}

json Call(TestApi& api, const std::string& action, const json& params = json::object(),
          const std::string& region = kRegion) {
  json r = api.Call(action, params, region);
  REQUIRE_MESSAGE(CodeOf(r) == "", action << " " << r.dump());
  return r;
}

json Quotas(TestApi& api, const std::vector<json>& filters, const std::string& region = kRegion) {
  return Call(api, "DescribeZoneInstanceConfigInfos", {{"Filters", filters}}, region)["InstanceTypeQuotaSet"];
}

json TypeConfigs(TestApi& api, const std::vector<json>& filters, const std::string& region = kRegion) {
  json params = filters.empty() ? json::object() : json{{"Filters", filters}};
  return Call(api, "DescribeInstanceTypeConfigs", params, region)["InstanceTypeConfigSet"];
}

std::set<std::string> Field(const json& items, const char* name) {
  std::set<std::string> out;
  for (const json& i : items) out.insert(i[name].get<std::string>());
  return out;
}

// The raw body of a TC3 call, as the client receives it.
std::string RawBody(TestApi& api, const std::string& action, const json& params) {
  cvm::server::HttpRequest req;
  req.method = "POST";
  req.target = "/";
  req.headers = {{"host", "127.0.0.1"},
                 {"content-type", "application/json"},
                 {"authorization", std::string("TC3-HMAC-SHA256 Credential=") + kSecretA +
                                       "/2023-11-14/cvm/tc3_request, SignedHeaders=content-type;host, "
                                       "Signature=00"},
                 {"x-tc-action", action},
                 {"x-tc-version", "2017-03-12"},
                 {"x-tc-timestamp", "1700000000"},
                 {"x-tc-region", kRegion}};
  req.body = params.dump();
  return api.emulator().Handle(req).body;
}

const std::vector<std::string> kDocumentFamilies = {
    "S1", "N1", "I1", "M1", "S2", "SN2", "I2", "M2", "C2", "CN2",
    "S3", "C3", "FX2", "GN2", "GA2", "GN8", "CDH", "SHARED", "SPECIAL", "OTHER"};

}  // namespace

TEST_SUITE("handlers") {
  // -------------------------------------------------------------------------
  // DescribeInstanceFamilyConfigs, DescribeInternetChargeTypeConfigs

  TEST_CASE("DescribeInstanceFamilyConfigs: the document's 20 families in its order, then S5 and SN3ne, in every region") {
    TestApi api;
    json set = Call(api, "DescribeInstanceFamilyConfigs")["InstanceFamilyConfigSet"];
    REQUIRE(set.size() == 22);
    for (size_t i = 0; i < kDocumentFamilies.size(); ++i) CHECK(set[i]["InstanceFamily"] == kDocumentFamilies[i]);
    CHECK(set[0] == json{{"InstanceFamilyName", "标准型S1"}, {"InstanceFamily", "S1"}});
    CHECK(set[16] == json{{"InstanceFamilyName", "独享型"}, {"InstanceFamily", "CDH"}});
    CHECK(set[20]["InstanceFamily"] == "S5");
    CHECK(set[21]["InstanceFamily"] == "SN3ne");
    CHECK(Call(api, "DescribeInstanceFamilyConfigs", json::object(), "ap-shanghai-fsi")["InstanceFamilyConfigSet"] == set);
  }

  TEST_CASE("DescribeInstanceFamilyConfigs: an unknown region is InvalidRegion.NotFound, as its table lists") {
    TestApi api;
    CHECK(CodeOf(api.Call("DescribeInstanceFamilyConfigs", json::object(), "ap-nowhere")) ==
          "InvalidRegion.NotFound");
    CHECK(CodeOf(api.Call("DescribeInstanceFamilyConfigs", json::object(), "")) == "MissingParameter");
  }

  TEST_CASE("DescribeInternetChargeTypeConfigs: the document's five charge types, in its order") {
    TestApi api;
    json set = Call(api, "DescribeInternetChargeTypeConfigs")["InternetChargeTypeConfigSet"];
    CHECK(set == json::array({
                     {{"InternetChargeType", "BANDWIDTH_POSTPAID_BY_MONTH"}, {"Description", "按月后计费"}},
                     {{"InternetChargeType", "BANDWIDTH_PREPAID"}, {"Description", "按带宽计费"}},
                     {{"InternetChargeType", "TRAFFIC_POSTPAID_BY_HOUR"}, {"Description", "按流量计费"}},
                     {{"InternetChargeType", "BANDWIDTH_POSTPAID_BY_HOUR"}, {"Description", "按带宽使用时长计费"}},
                     {{"InternetChargeType", "BANDWIDTH_PACKAGE"}, {"Description", "带宽包计费"}},
                 }));
    CHECK(CodeOf(api.Call("DescribeInternetChargeTypeConfigs", json::object(), "ap-nowhere")) ==
          "UnsupportedRegion");
  }

  // -------------------------------------------------------------------------
  // DescribeInstanceTypeConfigs

  TEST_CASE("DescribeInstanceTypeConfigs: the document's example (zone ap-guangzhou-2, family I1) gives its four types") {
    TestApi api;
    json set = TypeConfigs(api, {NamedFilter("zone", {"ap-guangzhou-2"}), NamedFilter("instance-family", {"I1"})});
    auto item = [](const char* type, int cpu, int memory) {
      return json{{"Zone", "ap-guangzhou-2"}, {"InstanceType", type},  {"InstanceFamily", "I1"},
                  {"GPU", 0},                 {"CPU", cpu},            {"Memory", memory},
                  {"CbsSupport", "TRUE"},     {"InstanceTypeState", "AVAILABLE"}};
    };
    CHECK(set == json::array({item("I1.MEDIUM4", 2, 4), item("I1.MEDIUM8", 2, 8),
                              item("I1.MEDIUM16", 2, 16), item("I1.LARGE8", 4, 8)}));
  }

  TEST_CASE("DescribeInstanceTypeConfigs: without filters every zone's types of the region; each filter narrows") {
    TestApi api;
    size_t types = cvm::state::Catalog::Builtin().instance_types().size();
    json all = TypeConfigs(api, {});
    CHECK(all.size() == 3 * types);  // ap-guangzhou-1 offers nothing
    CHECK(Field(all, "Zone") == std::set<std::string>{"ap-guangzhou-2", "ap-guangzhou-3", "ap-guangzhou-4"});
    CHECK(TypeConfigs(api, {NamedFilter("zone", {"ap-guangzhou-3"})}).size() == types);
    json s5 = TypeConfigs(api, {NamedFilter("instance-family", {"S5"})});
    CHECK(s5.size() == 3 * 11);
    CHECK(Field(s5, "InstanceFamily") == std::set<std::string>{"S5"});
    // Filters AND: two different zones leave nothing; an unknown family too.
    CHECK(TypeConfigs(api, {NamedFilter("zone", {"ap-guangzhou-2"}), NamedFilter("zone", {"ap-guangzhou-3"})}).empty());
    CHECK(TypeConfigs(api, {NamedFilter("instance-family", {"ZZ9"})}).empty());
    // A family listed without types (N1) has nothing to list.
    CHECK(TypeConfigs(api, {NamedFilter("instance-family", {"N1"})}).empty());
    // ap-guangzhou-open sells only the new generation.
    json open = TypeConfigs(api, {}, "ap-guangzhou-open");
    CHECK(open.size() == 2 * 37);
    CHECK(Field(open, "InstanceFamily") == std::set<std::string>{"S3", "S5", "SN3ne", "M2", "C3"});
  }

  TEST_CASE("DescribeInstanceTypeConfigs: a type SOLD_OUT in a zone is listed UNAVAILABLE there") {
    TestApi api;
    json gz4 = TypeConfigs(api, {NamedFilter("zone", {"ap-guangzhou-4"}), NamedFilter("instance-family", {"GN8"})});
    REQUIRE(gz4.size() == 2);
    for (const json& t : gz4) CHECK(t["InstanceTypeState"] == "UNAVAILABLE");
    json gz3 = TypeConfigs(api, {NamedFilter("zone", {"ap-guangzhou-3"}), NamedFilter("instance-family", {"GN8"})});
    for (const json& t : gz3) CHECK(t["InstanceTypeState"] == "AVAILABLE");
  }

  TEST_CASE("DescribeInstanceTypeConfigs: every family it lists is one DescribeInstanceFamilyConfigs lists, in every region") {
    TestApi api;
    std::set<std::string> families =
        Field(Call(api, "DescribeInstanceFamilyConfigs")["InstanceFamilyConfigSet"], "InstanceFamily");
    for (const auto& region : cvm::state::Catalog::Builtin().regions()) {
      INFO(region.region);
      for (const std::string& f : Field(TypeConfigs(api, {}, region.region), "InstanceFamily")) {
        CHECK(families.count(f) == 1);
      }
    }
  }

  TEST_CASE("DescribeInstanceTypeConfigs: a zone not of the region is InvalidZone.MismatchRegion") {
    TestApi api;
    for (const char* zone : {"ap-shanghai-1", "ap-guangzhou-9", "not-a-zone"}) {
      INFO(zone);
      json r = api.Call("DescribeInstanceTypeConfigs", {{"Filters", {NamedFilter("zone", {zone})}}});
      CHECK(CodeOf(r) == "InvalidZone.MismatchRegion");
    }
  }

  TEST_CASE("DescribeInstanceTypeConfigs: two values in a filter or 11 filters are InvalidFilterValue.LimitExceeded; an undocumented filter is InvalidFilter; a number for a value InvalidParameterValue") {
    TestApi api;
    CHECK(CodeOf(api.Call("DescribeInstanceTypeConfigs",
                          {{"Filters", {NamedFilter("zone", {"ap-guangzhou-2", "ap-guangzhou-3"})}}})) ==
          "InvalidFilterValue.LimitExceeded");
    std::vector<json> eleven(11, NamedFilter("instance-family", {"S1"}));
    CHECK(CodeOf(api.Call("DescribeInstanceTypeConfigs", {{"Filters", eleven}})) ==
          "InvalidFilterValue.LimitExceeded");
    std::vector<json> ten(10, NamedFilter("instance-family", {"S1"}));
    CHECK(CodeOf(api.Call("DescribeInstanceTypeConfigs", {{"Filters", ten}})) == "");
    CHECK(CodeOf(api.Call("DescribeInstanceTypeConfigs",
                          {{"Filters", {NamedFilter("instance-type", {"S1.SMALL1"})}}})) == "InvalidFilter");
    CHECK(CodeOf(api.Call("DescribeInstanceTypeConfigs", json::object(), "ap-nowhere")) ==
          "UnsupportedRegion");
    // A value of the wrong JSON type is the validator's InvalidParameterValue.
    CHECK(CodeOf(api.Call("DescribeInstanceTypeConfigs",
                          {{"Filters", {{{"Name", "instance-family"}, {"Values", {1}}}}}})) ==
          "InvalidParameterValue");
  }

  // -------------------------------------------------------------------------
  // DescribeZoneInstanceConfigInfos

  TEST_CASE("DescribeZoneInstanceConfigInfos: the document's example (ap-guangzhou-2, POSTPAID_BY_HOUR) has S2.MEDIUM4 as documented") {
    TestApi api;
    json set = Quotas(api, {NamedFilter("zone", {"ap-guangzhou-2"}), NamedFilter("instance-charge-type", {"POSTPAID_BY_HOUR"})});
    CHECK(set.size() == cvm::state::Catalog::Builtin().instance_types().size());
    json s2;
    for (const json& i : set) {
      if (i["InstanceType"] == "S2.MEDIUM4") s2 = i;
    }
    CHECK(s2 == json{{"Zone", "ap-guangzhou-2"},
                     {"InstanceType", "S2.MEDIUM4"},
                     {"InstanceChargeType", "POSTPAID_BY_HOUR"},
                     {"NetworkCard", 0},
                     {"Externals", {{"ReleaseAddress", nullptr}, {"UnsupportNetworks", nullptr}, {"StorageBlockAttr", nullptr}}},
                     {"Cpu", 2},
                     {"Memory", 4},
                     {"InstanceFamily", "S2"},
                     {"TypeName", "标准型S2"},
                     {"LocalDiskTypeList",
                      {{{"Type", "LOCAL_BASIC"}, {"PartitionType", "ROOT"}, {"MinSize", 50}, {"MaxSize", 50}},
                       {{"Type", "LOCAL_BASIC"}, {"PartitionType", "DATA"}, {"MinSize", 0}, {"MaxSize", 500}}}},
                     {"Status", "SELL"},
                     {"Price", {{"UnitPrice", 0.64}, {"ChargeUnit", "HOUR"}, {"OriginalPrice", nullptr}, {"DiscountPrice", nullptr}}}});
  }

  TEST_CASE("DescribeZoneInstanceConfigInfos: S1.SMALL1 costs 0.34 an hour and 45.00 a month, written with two decimals") {
    TestApi api;
    json set = Quotas(api, {NamedFilter("zone", {"ap-guangzhou-2"}), NamedFilter("instance-type", {"S1.SMALL1"})});
    REQUIRE(set.size() == 2);
    CHECK(set[0]["InstanceChargeType"] == "PREPAID");
    CHECK(set[0]["Price"] == json{{"UnitPrice", nullptr}, {"ChargeUnit", nullptr}, {"OriginalPrice", 45.0}, {"DiscountPrice", 45.0}});
    CHECK(set[1]["InstanceChargeType"] == "POSTPAID_BY_HOUR");
    CHECK(set[1]["Price"] == json{{"UnitPrice", 0.34}, {"ChargeUnit", "HOUR"}, {"OriginalPrice", nullptr}, {"DiscountPrice", nullptr}});
    std::string body = RawBody(api, "DescribeZoneInstanceConfigInfos",
                               {{"Filters", {NamedFilter("zone", {"ap-guangzhou-2"}), NamedFilter("instance-type", {"S1.SMALL1"})}}});
    CHECK(body.find(R"("Price":{"UnitPrice":null,"ChargeUnit":null,"OriginalPrice":45.00,"DiscountPrice":45.00})") != std::string::npos);
    CHECK(body.find(R"("Price":{"UnitPrice":0.34,"ChargeUnit":"HOUR","OriginalPrice":null,"DiscountPrice":null})") != std::string::npos);
  }

  TEST_CASE("DescribeZoneInstanceConfigInfos: each filter narrows; values OR within a filter, filters AND") {
    TestApi api;
    size_t types = cvm::state::Catalog::Builtin().instance_types().size();
    json all = Call(api, "DescribeZoneInstanceConfigInfos")["InstanceTypeQuotaSet"];
    CHECK(all.size() == 3 * types * 2);
    CHECK(Field(all, "InstanceChargeType") == std::set<std::string>{"PREPAID", "POSTPAID_BY_HOUR"});

    json zones = Quotas(api, {NamedFilter("zone", {"ap-guangzhou-3", "ap-guangzhou-4"})});
    CHECK(zones.size() == 2 * types * 2);
    json family = Quotas(api, {NamedFilter("instance-family", {"S5", "C3"})});
    CHECK(Field(family, "InstanceFamily") == std::set<std::string>{"S5", "C3"});
    CHECK(family.size() == 3 * (11 + 4) * 2);
    json type = Quotas(api, {NamedFilter("instance-type", {"S5.MEDIUM2", "C3.LARGE8"})});
    CHECK(type.size() == 3 * 2 * 2);
    json prepaid = Quotas(api, {NamedFilter("instance-charge-type", {"PREPAID"})});
    CHECK(prepaid.size() == 3 * types);
    for (const json& i : prepaid) {
      CHECK(i["Price"]["ChargeUnit"].is_null());
      CHECK(i["Price"]["OriginalPrice"].get<double>() >= i["Price"]["DiscountPrice"].get<double>());
    }
    // All four together.
    json one = Quotas(api, {NamedFilter("zone", {"ap-guangzhou-3"}), NamedFilter("instance-family", {"S5"}),
                            NamedFilter("instance-type", {"S5.MEDIUM2", "S1.SMALL1"}),
                            NamedFilter("instance-charge-type", {"POSTPAID_BY_HOUR"})});
    REQUIRE(one.size() == 1);
    CHECK(one[0]["InstanceType"] == "S5.MEDIUM2");
    // CDHPAID is a documented value, but no CDH type is offered; an unknown
    // family, type or charge type matches nothing.
    CHECK(Quotas(api, {NamedFilter("instance-charge-type", {"CDHPAID"})}).empty());
    CHECK(Quotas(api, {NamedFilter("instance-charge-type", {"SPOTPAID"})}).empty());
    CHECK(Quotas(api, {NamedFilter("instance-family", {"ZZ9"})}).empty());
    CHECK(Quotas(api, {NamedFilter("instance-type", {"S9.HUGE"})}).empty());
    CHECK(Quotas(api, {NamedFilter("instance-type", {"CDH_1C1G"})}).empty());
    CHECK(Quotas(api, {NamedFilter("zone", {"ap-guangzhou-1"})}).empty());
    CHECK(Quotas(api, {NamedFilter("zone", {"ap-guangzhou-2"}), NamedFilter("zone", {"ap-guangzhou-3"})}).empty());
  }

  TEST_CASE("DescribeZoneInstanceConfigInfos: SOLD_OUT offers are listed with that status") {
    TestApi api;
    json gz4 = Quotas(api, {NamedFilter("zone", {"ap-guangzhou-4"}), NamedFilter("instance-family", {"GN8", "GN2"})});
    REQUIRE(gz4.size() == 4 * 2);
    for (const json& i : gz4) {
      INFO(i["InstanceType"]);
      CHECK(i["Status"] == (i["InstanceFamily"] == "GN8" ? "SOLD_OUT" : "SELL"));
    }
  }

  TEST_CASE("DescribeZoneInstanceConfigInfos: errors: InvalidZone.MismatchRegion, InvalidInstanceType.Malformed, InvalidRegion.NotFound, InvalidFilter, InvalidParameterValue.LimitExceeded") {
    TestApi api;
    auto code = [&](const std::vector<json>& filters, const std::string& region = kRegion) {
      return CodeOf(api.Call("DescribeZoneInstanceConfigInfos", {{"Filters", filters}}, region));
    };
    CHECK(code({NamedFilter("zone", {"ap-guangzhou-3", "ap-shanghai-1"})}) == "InvalidZone.MismatchRegion");
    CHECK(code({NamedFilter("zone", {"ap-guangzhou-9"})}) == "InvalidZone.MismatchRegion");
    CHECK(code({NamedFilter("zone", {"nowhere"})}) == "InvalidZone.MismatchRegion");
    for (const char* bad : {"s1.small1", "S1", "S1.", ".SMALL1", "S1.SMALL-1"}) {
      INFO(bad);
      CHECK(code({NamedFilter("instance-type", {"S1.SMALL1", bad})}) == "InvalidInstanceType.Malformed");
    }
    CHECK(code({NamedFilter("zone", {"ap-guangzhou-3"})}, "ap-nowhere") == "InvalidRegion.NotFound");
    CHECK(code({NamedFilter("instance-name", {"x"})}) == "InvalidFilter");
    CHECK(code({NamedFilter("instance-type", {"S1.SMALL1", "S1.SMALL2", "S1.SMALL4", "S2.SMALL1", "S2.SMALL2", "S2.SMALL4"})}) ==
          "InvalidParameterValue.LimitExceeded");
    std::vector<json> eleven(11, NamedFilter("instance-family", {"S1"}));
    CHECK(code(eleven) == "InvalidParameterValue.LimitExceeded");
  }

  // -------------------------------------------------------------------------
  // One source of truth

  TEST_CASE("DescribeZoneInstanceConfigInfos and RunInstances agree: SELL in a zone ⇔ RunInstances accepts the type there") {
    TestApi api;
    api.Control("/_emulator/quotas", {{"instances", 100000}});
    size_t accepted = 0, refused = 0;
    for (const char* region : {"ap-guangzhou", "ap-guangzhou-open"}) {
      for (const auto* zone : cvm::state::Catalog::Builtin().ZonesOf(region)) {
        std::map<std::string, std::string> status;
        for (const json& i : Quotas(api, {NamedFilter("zone", {zone->zone}), NamedFilter("instance-charge-type", {"POSTPAID_BY_HOUR"})}, region)) {
          status[i["InstanceType"]] = i["Status"];
        }
        for (const auto& type : cvm::state::Catalog::Builtin().instance_types()) {
          INFO(zone->zone << " " << type.type);
          json r = api.Call("RunInstances", RunParams({{"InstanceType", type.type}}, zone->zone), region);
          bool sells = status.count(type.type) && status[type.type] == "SELL";
          CHECK(CodeOf(r) == (sells ? "" : "InvalidParameterValue"));
          (sells ? accepted : refused) += 1;
        }
      }
    }
    CHECK(accepted == 3 * 80 - 2 + 2 * 37);
    CHECK(refused == 80 + 2 + 2 * (80 - 37));  // ap-guangzhou-1, gz4's GN8, the open zones' old types
  }
}
