// InquiryPriceRunInstances through the in-process API: it is RunInstances'
// plan plus the price engine (D-134, D-160). Every refusal RunInstances' plan
// can give comes back from the inquiry with the same code and message, and
// neither call changes the database; the inquiry's own documented rules
// (HostName 2-30, private IPs for one instance) win over RunInstances';
// prices match the document's examples, DescribeZoneInstanceConfigInfos, and
// scale with InstanceCount.
#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <vector>

#include "tests/handlers/image_test_support.h"
#include "tests/handlers/instance_test_support.h"
#include "tests/handlers/price_test_support.h"
#include "tests/support/db_snapshot.h"

namespace {

using namespace cvm::testing;
using namespace cvm::testing::instances;
using namespace cvm::testing::prices;
using nlohmann::json;

constexpr const char* kInquiry = "InquiryPriceRunInstances";

json Vpc(const std::string& vpc, const std::string& subnet, const json& ips = nullptr) {
  json v = {{"VpcId", vpc}, {"SubnetId", subnet}};
  if (!ips.is_null()) v["PrivateIpAddresses"] = ips;
  return v;
}

json Prepaid(int period, const json& extra = json::object()) {
  json p = RunParams(
      {{"InstanceChargeType", "PREPAID"}, {"InstanceChargePrepaid", {{"Period", period}}}});
  if (!extra.is_null()) p.update(extra);
  return p;
}

// The Price of an inquiry that must succeed.
json TwelveDisks() {
  json disks = json::array();
  for (int i = 0; i < 12; ++i) disks.push_back({{"DiskType", "CLOUD_BASIC"}, {"DiskSize", 10}});
  return disks;
}

// A request both actions refuse, and the code.
struct Refusal {
  std::string why;
  json params;
  std::string code;
};

// An account prepared so that every refusal of RunInstances' plan can be
// reached: a VPC subnet with 10.0.5.10 taken, a subnet with no free address,
// an image still IMPORTING, and room for two more instances under the quota.
struct World {
  TestApi api;
  std::string importing_image;

  World() {
    api.Control("/_emulator/quotas", {{"instances", 300}});
    Launch(api, {{"VirtualPrivateCloud", Vpc("vpc-abcd1234", "subnet-abcd1234", {"10.0.5.10"})}});
    // subnet-full0000: its /24 holds 253 hosts (.2 to .254); take them all.
    for (int count : {100, 100, 53}) {
      Launch(api, {{"InstanceCount", count},
                   {"VirtualPrivateCloud", Vpc("vpc-abcd1234", "subnet-full0000")}});
    }
    // 254 used: two more fit, three do not.
    api.Control("/_emulator/quotas", {{"instances", 256}});
    importing_image = cvm::testing::images::ImportOk(api, "importing");
  }
};

// Every code RunInstances' plan gives for input the inquiry also takes
// (state/launch_service.cpp, in its order of checks); each request is refused
// for that one reason.
std::vector<Refusal> Refusals(const World& w) {
  const json disks_ssd50 = json::parse(R"([{"DiskType":"CLOUD_SSD","DiskSize":50}])");
  return {
      // ClientToken (RunInstances used "used-token" with RunParams()).
      {"a ClientToken RunInstances used with other parameters",
       RunParams({{"ClientToken", "used-token"}, {"InstanceName", "other"}}),
       "InvalidParameterValue"},
      // Placement and billing.
      {"a zone of another region", RunParams({}, "ap-beijing-1"), "InvalidZone.MismatchRegion"},
      {"a negative project", RunParams({{"Placement", {{"Zone", kZone}, {"ProjectId", -1}}}}),
       "InvalidParameterValue"},
      {"PREPAID without InstanceChargePrepaid", RunParams({{"InstanceChargeType", "PREPAID"}}),
       "MissingParameter"},
      {"InstanceChargePrepaid for a postpaid instance",
       RunParams({{"InstanceChargePrepaid", {{"Period", 1}}}}), "InvalidParameterCombination"},
      {"InstanceMarketOptions for a non-spot instance",
       RunParams({{"InstanceMarketOptions",
                   {{"MarketType", "spot"}, {"SpotOptions", {{"MaxPrice", "0.5"}}}}}}),
       "InvalidParameterCombination"},
      {"HostIds for a non-CDH instance",
       RunParams({{"Placement", {{"Zone", kZone}, {"HostIds", {"host-abcd1234"}}}}}),
       "InvalidParameterCombination"},
      {"a period outside 1-12, 24, 36", Prepaid(13), "InvalidPeriod"},
      // The type.
      {"a type not shaped FAMILY.SIZE", RunParams({{"InstanceType", "small"}}),
       "InvalidInstanceType.Malformed"},
      {"a type the catalog lacks", RunParams({{"InstanceType", "S1.HUGE999"}}),
       "InvalidParameterValue"},
      {"a zone that sells nothing (UNAVAILABLE)", RunParams({}, "ap-guangzhou-1"),
       "InvalidParameterValue"},
      {"a SOLD_OUT offer", RunParams({{"InstanceType", "GN8.LARGE56"}}, "ap-guangzhou-4"),
       "InvalidParameterValue"},
      // The image.
      {"an image that does not exist", RunParams({{"ImageId", "img-abcd1234"}}),
       "InvalidImageId.NotFound"},
      {"a malformed image ID", RunParams({{"ImageId", "img-1122"}}), "InvalidImageId.Malformed"},
      {"an image still IMPORTING", RunParams({{"ImageId", w.importing_image}}),
       "InvalidImageId.IncorrectState"},
      // Disks.
      {"a system disk ID", RunParams({{"SystemDisk", {{"DiskId", "disk-abcd1234"}}}}),
       "InvalidParameterValue"},
      {"a 40 GB cloud system disk",
       RunParams({{"SystemDisk", {{"DiskType", "CLOUD_BASIC"}, {"DiskSize", 40}}}}),
       "InvalidParameterValue.Range"},
      {"a LOCAL_SSD system disk S1 does not have",
       RunParams({{"SystemDisk", {{"DiskType", "LOCAL_SSD"}}}}), "InvalidParameterValue"},
      {"a data disk ID",
       RunParams({{"DataDisks",
                   json::parse(
                       R"([{"DiskType":"CLOUD_BASIC","DiskSize":10,"DiskId":"disk-abcd1234"}])")}}),
       "InvalidParameterValue"},
      {"a 50 GB CLOUD_SSD data disk", RunParams({{"DataDisks", disks_ssd50}}),
       "InvalidParameterValue.Range"},
      {"two local data disks",
       RunParams({{"DataDisks", json::parse(R"([{"DiskType":"LOCAL_BASIC","DiskSize":100},
                                                {"DiskType":"LOCAL_BASIC","DiskSize":100}])")}}),
       "InvalidParameterValue"},
      {"twelve data disks", RunParams({{"DataDisks", TwelveDisks()}}),
       "InvalidParameterValue.LimitExceeded"},
      // Network.
      {"two private IPs for one instance",
       RunParams({{"VirtualPrivateCloud",
                   Vpc("vpc-abcd1234", "subnet-abcd1234", {"10.0.5.11", "10.0.5.12"})}}),
       "InvalidParameterCombination"},
      {"a private IP that is not IPv4",
       RunParams({{"VirtualPrivateCloud", Vpc("vpc-abcd1234", "subnet-abcd1234", {"10.0.5"})}}),
       "InvalidParameter.InvalidIpFormat"},
      {"more bandwidth than the type allows",
       RunParams({{"InternetAccessible", {{"InternetMaxBandwidthOut", 101}}}}),
       "InvalidParameterValue.Range"},
      {"a public IP without bandwidth",
       RunParams({{"InternetAccessible", {{"PublicIpAssigned", true}}}}),
       "InvalidParameterCombination"},
      {"BANDWIDTH_PREPAID on a postpaid instance",
       RunParams({{"InternetAccessible",
                   {{"InternetChargeType", "BANDWIDTH_PREPAID"}, {"InternetMaxBandwidthOut", 1}}}}),
       "InvalidParameterCombination"},
      {"AsVpcGateway without a public IP",
       RunParams({{"VirtualPrivateCloud",
                   {{"VpcId", "vpc-abcd1234"},
                    {"SubnetId", "subnet-abcd1234"},
                    {"AsVpcGateway", true}}}}),
       "InvalidParameterCombination"},
      // Names and login.
      {"a name over 60 bytes", RunParams({{"InstanceName", std::string(61, 'n')}}),
       "InvalidInstanceName.TooLong"},
      {"a name that grows over 60 bytes with its suffix",
       RunParams({{"InstanceName", std::string(60, 'n')}, {"InstanceCount", 2}}),
       "InvalidInstanceName.TooLong"},
      {"a malformed {R:x} pattern", RunParams({{"InstanceName", "web-{R:x}"}}),
       "InvalidParameterValue"},
      {"a host name with a leading hyphen", RunParams({{"HostName", "-web"}}),
       "InvalidParameterValue"},
      {"a Windows host name of 16 characters",
       RunParams({{"ImageId", kWindowsImage}, {"HostName", std::string(16, 'w')}}),
       "InvalidParameterValue"},
      {"a password and a key",
       RunParams({{"LoginSettings", {{"Password", "Passw0rd!x"}, {"KeyIds", {"skey-abcd1234"}}}}}),
       "InvalidParameterCombination"},
      {"a password of 7 characters", RunParams({{"LoginSettings", {{"Password", "Abc123!"}}}}),
       "InvalidPassword"},
      {"a key pair with a Windows image",
       RunParams({{"ImageId", kWindowsImage}, {"LoginSettings", {{"KeyIds", {"skey-abcd1234"}}}}}),
       "UnsupportedOperation.KeyPairUnsupportedWindows"},
      {"two key pairs",
       RunParams({{"LoginSettings", {{"KeyIds", {"skey-abcd1234", "skey-efgh5678"}}}}}),
       "InvalidParameterValue"},
      {"a key pair that is not the caller's",
       RunParams({{"LoginSettings", {{"KeyIds", {"skey-abcd1234"}}}}}),
       "InvalidKeyPairId.NotFound"},
      {"KeepImageLogin with a public image",
       RunParams({{"LoginSettings", {{"KeepImageLogin", "TRUE"}}}}), "InvalidParameterCombination"},
      {"the same tag key twice",
       RunParams({{"TagSpecification", json::parse(R"([{"ResourceType":"instance",
                     "Tags":[{"Key":"k","Value":"1"},{"Key":"k","Value":"2"}]}])")}}),
       "InvalidParameterValue"},
      // Capacity: the quota, then the addresses.
      {"more instances than the quota leaves", RunParams({{"InstanceCount", 3}}),
       "InstancesQuotaLimitExceeded"},
      {"a private IP outside the subnet",
       RunParams({{"VirtualPrivateCloud", Vpc("vpc-abcd1234", "subnet-abcd1234", {"10.0.6.10"})}}),
       "VpcAddrNotInSubNet"},
      {"a private IP in use",
       RunParams({{"VirtualPrivateCloud", Vpc("vpc-abcd1234", "subnet-abcd1234", {"10.0.5.10"})}}),
       "VpcIpsUsed"},
      {"a subnet met before in another VPC",
       RunParams({{"VirtualPrivateCloud", Vpc("vpc-ffff9999", "subnet-abcd1234")}}),
       "InvalidParameterValue"},
      {"a subnet with no free address",
       RunParams({{"VirtualPrivateCloud", Vpc("vpc-abcd1234", "subnet-full0000")}}),
       "ResourceInsufficient"},
  };
}

}  // namespace

TEST_SUITE("handlers") {
  TEST_CASE(
      "InquiryPriceRunInstances: every refusal of RunInstances' plan comes back with the same code "
      "and message, and neither call changes anything") {
    World w;
    REQUIRE(CodeOf(w.api.Call("RunInstances", RunParams({{"ClientToken", "used-token"}}))) == "");
    for (const Refusal& r : Refusals(w)) {
      CAPTURE(r.why);
      DbSnapshot before = LockAndSnapshot(w.api.emulator().db());
      json action = w.api.Call("RunInstances", r.params);
      json inquiry = w.api.Call(kInquiry, r.params);
      CHECK_MESSAGE(CodeOf(action) == r.code, action.dump());
      CHECK_MESSAGE(CodeOf(inquiry) == r.code, inquiry.dump());
      if (CodeOf(action) == r.code && CodeOf(inquiry) == r.code) {
        CHECK(inquiry["Error"]["Message"] == action["Error"]["Message"]);
      }
      CHECK(LockAndSnapshot(w.api.emulator().db()) == before);
    }
  }

  TEST_CASE(
      "InquiryPriceRunInstances: RunInstances' inputs the inquiry does not have are refused by the "
      "inquiry's own schema") {
    // ActionTimer, DisasterRecoverGroupIds and UserData are not inquiry
    // inputs, and its InstanceChargeType is PREPAID or POSTPAID_BY_HOUR: so
    // the refusals RunInstances' plan gives for those (ActionTime,
    // placement groups, CDHPAID's InvalidHostId.NotFound, SPOTPAID without
    // InstanceMarketOptions) cannot be asked of the inquiry.
    TestApi api;
    CHECK(CodeOf(api.Call(kInquiry,
                          RunParams({{"ActionTimer", {{"ActionTime", "2030-1-1 00:00:00"}}}}))) ==
          "UnknownParameter");
    CHECK(CodeOf(api.Call(kInquiry, RunParams({{"DisasterRecoverGroupIds", {"ps-abcd1234"}}}))) ==
          "UnknownParameter");
    CHECK(CodeOf(api.Call(kInquiry, RunParams({{"UserData", "aGk="}}))) == "UnknownParameter");
    CHECK(CodeOf(api.Call(kInquiry, RunParams({{"InstanceChargeType", "CDHPAID"}}))) ==
          "InvalidParameterValue");
    CHECK(CodeOf(api.Call(kInquiry, RunParams({{"InstanceChargeType", "SPOTPAID"}}))) ==
          "InvalidParameterValue");
    CHECK(TotalCount(api) == 0);
  }

  TEST_CASE(
      "InquiryPriceRunInstances: its own HostName rule, 2 to 30 characters for Linux, wins over "
      "RunInstances' 2 to 60") {
    TestApi api;
    json thirty = RunParams({{"HostName", std::string(30, 'h')}});
    json thirty_one = RunParams({{"HostName", std::string(31, 'h')}});
    CHECK(CodeOf(api.Call(kInquiry, thirty)) == "");
    json refused = api.Call(kInquiry, thirty_one);
    CHECK(CodeOf(refused) == "InvalidParameterValue");
    CHECK(refused["Error"]["Message"].get<std::string>().find("HostName") != std::string::npos);
    CHECK(CodeOf(api.Call("RunInstances", thirty_one)) == "");
    CHECK(CodeOf(api.Call(kInquiry, RunParams({{"HostName", "h"}}))) == "InvalidParameterValue");
  }

  TEST_CASE(
      "InquiryPriceRunInstances: its own rule, private IPs only with InstanceCount 1, wins over "
      "RunInstances' one IP per instance") {
    TestApi api;
    json two = RunParams({{"InstanceCount", 2},
                          {"VirtualPrivateCloud",
                           Vpc("vpc-abcd1234", "subnet-abcd1234", {"10.0.5.10", "10.0.5.11"})}});
    json refused = api.Call(kInquiry, two);
    CHECK(CodeOf(refused) == "InvalidParameterCombination");
    CHECK(refused["Error"]["Message"].get<std::string>().find("PrivateIpAddresses") !=
          std::string::npos);
    CHECK(CodeOf(api.Call("RunInstances", two)) == "");
    json one =
        RunParams({{"VirtualPrivateCloud", Vpc("vpc-abcd1234", "subnet-abcd1234", {"10.0.5.12"})}});
    CHECK(PriceOf(api, kInquiry, one)["InstancePrice"] == HourlyPrice(0.34));
    // Its address checks are RunInstances': 10.0.5.10 is now taken.
    json taken =
        RunParams({{"VirtualPrivateCloud", Vpc("vpc-abcd1234", "subnet-abcd1234", {"10.0.5.10"})}});
    CHECK(CodeOf(api.Call(kInquiry, taken)) == "VpcIpsUsed");
  }

  TEST_CASE(
      "InquiryPriceRunInstances: the document's first example is 0.34 an hour, every member of "
      "Price present") {
    TestApi api;
    json r = api.Call(kInquiry,
                      {{"Placement", {{"Zone", "ap-guangzhou-2"}}}, {"ImageId", "img-pmqg1cw8"}});
    REQUIRE_MESSAGE(CodeOf(r) == "", r.dump());
    CHECK(r["Price"] == json{{"InstancePrice", HourlyPrice(0.34)}, {"BandwidthPrice", nullptr}});
  }

  TEST_CASE(
      "InquiryPriceRunInstances: the document's prepaid example is 45.00 a month and 0.80 per GB "
      "of traffic") {
    // As the example, but with a password our rules accept: the example's
    // "Qcloud@TestApi123++" has 19 characters, over Linux's 16, so
    // RunInstances (and the inquiry) refuse it.
    TestApi api;
    json example = {
        {"Placement", {{"Zone", "ap-guangzhou-2"}}},
        {"InstanceChargeType", "PREPAID"},
        {"InstanceChargePrepaid", {{"Period", 1}, {"RenewFlag", "NOTIFY_AND_AUTO_RENEW"}}},
        {"ImageId", "img-pmqg1cw7"},
        {"InstanceType", "S1.SMALL1"},
        {"SystemDisk", {{"DiskType", "LOCAL_BASIC"}, {"DiskSize", 50}}},
        {"DataDisks", json::parse(R"([{"DiskType":"LOCAL_BASIC","DiskSize":100}])")},
        {"InternetAccessible",
         {{"InternetChargeType", "TRAFFIC_POSTPAID_BY_HOUR"},
          {"InternetMaxBandwidthOut", 10},
          {"PublicIpAssigned", true}}},
        {"InstanceName", "QCLOUD-TEST"},
        {"LoginSettings", {{"Password", "Qcloud@TestApi123++"}}},
        {"EnhancedService",
         {{"SecurityService", {{"Enabled", true}}}, {"MonitorService", {{"Enabled", true}}}}},
        {"InstanceCount", 1}};
    CHECK(CodeOf(api.Call(kInquiry, example)) == "InvalidPassword");
    example["LoginSettings"]["Password"] = "Qcloud@Test123+";
    json price = PriceOf(api, kInquiry, example);
    CHECK(price["InstancePrice"] == UpfrontPrice(45.00, 45.00));
    CHECK(price["BandwidthPrice"] == HourlyPrice(0.80, "GB"));
  }

  TEST_CASE(
      "InquiryPriceRunInstances: a type's price equals DescribeZoneInstanceConfigInfos' for the "
      "same zone and charge type") {
    TestApi api;
    for (const char* zone : {"ap-guangzhou-3", "ap-guangzhou-4"}) {
      json infos = api.Call("DescribeZoneInstanceConfigInfos",
                            {{"Filters", {{{"Name", "zone"}, {"Values", {zone}}}}}});
      REQUIRE(CodeOf(infos) == "");
      REQUIRE(infos["InstanceTypeQuotaSet"].size() > 10);
      for (const json& item : infos["InstanceTypeQuotaSet"]) {
        std::string type = item["InstanceType"], charge = item["InstanceChargeType"];
        CAPTURE(type);
        CAPTURE(charge);
        json params = charge == "PREPAID" ? Prepaid(1) : RunParams();
        params["Placement"]["Zone"] = zone;
        params["InstanceType"] = type;
        json r = api.Call(kInquiry, params);
        if (item["Status"] == "SELL") {
          REQUIRE_MESSAGE(CodeOf(r) == "", r.dump());
          CHECK(r["Price"]["InstancePrice"] == item["Price"]);
        } else {
          CHECK(CodeOf(r) == "InvalidParameterValue");  // SOLD_OUT is not for sale
        }
      }
    }
  }

  TEST_CASE(
      "InquiryPriceRunInstances: every price scales linearly with InstanceCount, traffic per GB "
      "included; DiscountPrice ≤ OriginalPrice") {
    TestApi api;
    json hourly = RunParams({{"SystemDisk", {{"DiskType", "CLOUD_PREMIUM"}, {"DiskSize", 100}}},
                             {"InternetAccessible",
                              {{"InternetChargeType", "BANDWIDTH_POSTPAID_BY_HOUR"},
                               {"InternetMaxBandwidthOut", 10}}}});
    json traffic = RunParams({{"InternetAccessible", {{"InternetMaxBandwidthOut", 1}}}});
    json yearly = Prepaid(
        12, {{"DataDisks", json::parse(R"([{"DiskType":"CLOUD_BASIC","DiskSize":10}])")},
             {"InternetAccessible",
              {{"InternetChargeType", "BANDWIDTH_PREPAID"}, {"InternetMaxBandwidthOut", 7}}}});
    json one_hourly = PriceOf(api, kInquiry, hourly), one_traffic = PriceOf(api, kInquiry, traffic),
         one_yearly = PriceOf(api, kInquiry, yearly);
    CHECK(one_traffic["BandwidthPrice"] == HourlyPrice(0.80, "GB"));
    auto times = [](const json& amount, int n) {
      return std::round(amount.get<double>() * 100) * n / 100;
    };
    for (int n : {2, 3, 7, 50, 100}) {
      CAPTURE(n);
      hourly["InstanceCount"] = traffic["InstanceCount"] = yearly["InstanceCount"] = n;
      json h = PriceOf(api, kInquiry, hourly), t = PriceOf(api, kInquiry, traffic),
           y = PriceOf(api, kInquiry, yearly);
      CHECK(h["InstancePrice"]["UnitPrice"] == times(one_hourly["InstancePrice"]["UnitPrice"], n));
      CHECK(h["BandwidthPrice"]["UnitPrice"] ==
            times(one_hourly["BandwidthPrice"]["UnitPrice"], n));
      CHECK(t["BandwidthPrice"]["UnitPrice"] ==
            times(one_traffic["BandwidthPrice"]["UnitPrice"], n));
      for (const char* item : {"InstancePrice", "BandwidthPrice"}) {
        CHECK(y[item]["OriginalPrice"] == times(one_yearly[item]["OriginalPrice"], n));
        CHECK(y[item]["DiscountPrice"] == times(one_yearly[item]["DiscountPrice"], n));
        CHECK(y[item]["DiscountPrice"].get<double>() <= y[item]["OriginalPrice"].get<double>());
      }
    }
    // A year of S1.SMALL1 with 10 GB of CLOUD_BASIC: 573.60, at 83% 476.09.
    yearly["InstanceCount"] = 1;
    CHECK(PriceOf(api, kInquiry, yearly)["InstancePrice"] == UpfrontPrice(573.60, 476.09));
  }

  TEST_CASE(
      "InquiryPriceRunInstances: a priced request creates nothing and uses up no ClientToken") {
    TestApi api;
    DbSnapshot before = LockAndSnapshot(api.emulator().db());
    json params = RunParams({{"InstanceCount", 3},
                             {"ClientToken", "asked-first"},
                             {"VirtualPrivateCloud", Vpc("vpc-abcd1234", "subnet-abcd1234")}});
    PriceOf(api, kInquiry, params);
    PriceOf(api, kInquiry, params);
    CHECK(LockAndSnapshot(api.emulator().db()) == before);
    // The token is RunInstances' to use: the launch creates.
    json launched = api.Call("RunInstances", params);
    REQUIRE_MESSAGE(CodeOf(launched) == "", launched.dump());
    CHECK(launched["InstanceIdSet"].size() == 3);
    CHECK(TotalCount(api) == 3);
  }

  TEST_CASE(
      "InquiryPriceRunInstances: a ClientToken RunInstances used is checked as RunInstances checks "
      "it (D-160)") {
    TestApi api;
    json params = RunParams({{"ClientToken", "launched"}, {"InstanceType", "S1.SMALL2"}});
    REQUIRE(CodeOf(api.Call("RunInstances", params)) == "");
    // The same parameters: priced as the purchase the token stands for.
    CHECK(PriceOf(api, kInquiry, params)["InstancePrice"] == HourlyPrice(0.54));
    // Other parameters: the refusal RunInstances would give.
    params["InstanceType"] = "S1.SMALL4";
    json refused = api.Call(kInquiry, params);
    CHECK(CodeOf(refused) == "InvalidParameterValue");
    CHECK(refused["Error"]["Message"].get<std::string>().find("ClientToken") != std::string::npos);
    CHECK(TotalCount(api) == 1);
  }
}
