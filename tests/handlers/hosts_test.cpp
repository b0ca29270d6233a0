// The four dedicated host actions through the in-process API (AllocateHosts,
// DescribeHosts, ModifyHostsAttribute, RenewHosts) and CDHPAID instances on
// hosts (docs/decisions.md D-121, D-126..D-128, D-190..D-193). Every code of
// their tables the emulator can produce is produced here, each refusal read
// back to show nothing changed.
//
// Codes of their tables the emulator cannot produce, and why (each is
// injected once through the fault path at the end of this file):
//
//   ModifyHostsAttribute, RenewHosts
//     InvalidHost.NotSupported   A host of a kind the action does not
//                                support: every host is PREPAID (D-126,
//                                D-128), the only kind either action takes.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "state/clock.h"
#include "tests/handlers/instance_test_support.h"

// A namespace of its own: this file compiles in one unit with others
// (tests/CMakeLists.txt), whose file-local names may be the same.
namespace hosts_test {

namespace {

using namespace cvm::testing;
using namespace cvm::testing::instances;
using nlohmann::json;

constexpr double kHostPending = 10;  // Durations::host_pending, seconds
constexpr const char* kOtherZone = "ap-guangzhou-2";
constexpr const char* kUnknownHost = "host-zzzzzzzz";  // well formed, never issued

json AllocParams(const json& extra = json::object()) {
  json p = {{"Placement", {{"Zone", kZone}}}, {"HostChargePrepaid", {{"Period", 1}}}};
  if (!extra.is_null()) p.update(extra);
  return p;
}

std::vector<std::string> Allocate(TestApi& api, const json& extra = json::object(),
                                  const std::string& secret = kSecretA) {
  json r = api.Call("AllocateHosts", AllocParams(extra), kRegion, secret);
  REQUIRE_MESSAGE(CodeOf(r) == "", r.dump());
  std::vector<std::string> ids;
  for (const json& id : r["HostIdSet"]) ids.push_back(id.get<std::string>());
  return ids;
}

// A RUNNING host.
std::string RunningHost(TestApi& api, const json& extra = json::object()) {
  std::string id = Allocate(api, extra).front();
  api.Advance(kHostPending);
  return id;
}

json Hosts(TestApi& api, const json& params = json::object(),
           const std::string& secret = kSecretA) {
  json r = api.Call("DescribeHosts", params, kRegion, secret);
  REQUIRE_MESSAGE(CodeOf(r) == "", r.dump());
  return r;
}

// The host as DescribeHosts shows it.
json Host(TestApi& api, const std::string& id) {
  json r = Hosts(api, {{"Filters", {{{"Name", "host-id"}, {"Values", {id}}}}}});
  REQUIRE(r["HostSet"].size() == 1);
  return r["HostSet"][0];
}

int64_t HostCount(TestApi& api) { return Hosts(api)["TotalCount"].get<int64_t>(); }

json CdhParams(const std::vector<std::string>& hosts, const std::string& type, int count,
               const json& extra = json::object()) {
  json p = RunParams(
      {{"InstanceChargeType", "CDHPAID"}, {"InstanceType", type}, {"InstanceCount", count}});
  p["Placement"]["HostIds"] = hosts;
  if (!extra.is_null()) p.update(extra);
  return p;
}

}  // namespace

TEST_SUITE("handlers") {
  // ---------------------------------------------------------------------
  // AllocateHosts and what DescribeHosts shows of a new host

  TEST_CASE(
      "AllocateHosts: a new HS1 host is PENDING, then RUNNING, with the documented defaults") {
    TestApi api;
    int64_t now = api.NowSeconds();
    std::vector<std::string> ids = Allocate(api);
    REQUIRE(ids.size() == 1);
    CHECK(ids[0].rfind("host-", 0) == 0);
    CHECK(ids[0].size() == 13);
    json h = Host(api, ids[0]);
    CHECK(h["HostState"] == "PENDING");
    CHECK(h["HostType"] == "HS1");
    CHECK(h["HostChargeType"] == "PREPAID");
    CHECK(h["RenewFlag"] == "NOTIFY_AND_AUTO_RENEW");
    CHECK(h["HostName"] == "未命名");
    CHECK(h["Placement"]["Zone"] == kZone);
    CHECK(h["Placement"]["ProjectId"] == 0);
    CHECK(h["CreatedTime"] == cvm::state::FormatIso8601(now));
    CHECK(h["ExpiredTime"] == cvm::state::FormatIso8601(now + 30 * 86400));  // Nov 14 + 1 month
    CHECK(h["InstanceIds"] == json::array());
    CHECK(h["HostResource"] == json{{"CpuTotal", 24},
                                    {"CpuAvailable", 24},
                                    {"MemTotal", 56.0},
                                    {"MemAvailable", 56.0},
                                    {"DiskTotal", 1200},
                                    {"DiskAvailable", 1200}});
    api.Advance(kHostPending - 1);
    CHECK(Host(api, ids[0])["HostState"] == "PENDING");
    api.Advance(1);
    CHECK(Host(api, ids[0])["HostState"] == "RUNNING");
  }

  TEST_CASE("AllocateHosts: HostCount hosts, in one project, with the renewal flag asked for") {
    TestApi api;
    std::vector<std::string> ids = Allocate(
        api, {{"HostCount", 3},
              {"Placement", {{"Zone", kZone}, {"ProjectId", 7}}},
              {"HostChargePrepaid", {{"Period", 2}, {"RenewFlag", "NOTIFY_AND_MANUAL_RENEW"}}}});
    REQUIRE(ids.size() == 3);
    CHECK(ids[0] != ids[1]);
    CHECK(HostCount(api) == 3);
    json h = Host(api, ids[2]);
    CHECK(h["Placement"]["ProjectId"] == 7);
    CHECK(h["RenewFlag"] == "NOTIFY_AND_MANUAL_RENEW");
  }

  TEST_CASE("AllocateHosts: each refusal names its code and creates nothing") {
    TestApi api;
    auto refused = [&](const json& params, const std::string& code) {
      json r = api.Call("AllocateHosts", params);
      CHECK_MESSAGE(CodeOf(r) == code, r.dump());
      CHECK(HostCount(api) == 0);
    };
    refused(AllocParams({{"Placement", {{"Zone", "ap-shanghai-1"}}}}),
            "InvalidZone.MismatchRegion");
    refused(AllocParams({{"Placement", {{"Zone", kZone}, {"ProjectId", -1}}}}),
            "InvalidProjectId.NotFound");
    refused(AllocParams({{"HostChargePrepaid", {{"Period", 13}}}}), "InvalidPeriod");
    json no_prepaid = AllocParams();
    no_prepaid.erase("HostChargePrepaid");
    refused(no_prepaid, "MissingParameter");
    refused(AllocParams({{"HostType", "HS2"}}), "InvalidParameterValue");
    refused(AllocParams({{"HostCount", 101}}), "InvalidParameterValue");
    refused(AllocParams({{"HostCount", 0}}), "InvalidParameterValue");
    refused(AllocParams({{"HostChargeType", "POSTPAID_BY_HOUR"}}), "InvalidParameterValue");
    json r = api.Call("AllocateHosts", AllocParams(), "ap-nowhere");
    CHECK(CodeOf(r) == "InvalidRegion.NotFound");
  }

  TEST_CASE(
      "AllocateHosts: a ClientToken buys once; the same token with other parameters is refused") {
    TestApi api;
    std::vector<std::string> first = Allocate(api, {{"ClientToken", "buy-1"}, {"HostCount", 2}});
    std::vector<std::string> again = Allocate(api, {{"ClientToken", "buy-1"}, {"HostCount", 2}});
    CHECK(first == again);
    CHECK(HostCount(api) == 2);
    json r = api.Call("AllocateHosts", AllocParams({{"ClientToken", "buy-1"}, {"HostCount", 3}}));
    CHECK(CodeOf(r) == "InvalidParameterValue");
    CHECK(HostCount(api) == 2);
    // Another account's token space is its own.
    CHECK(Allocate(api, {{"ClientToken", "buy-1"}, {"HostCount", 2}}, kSecretB) != first);
  }

  TEST_CASE("AllocateHosts: with a launch-failure probability of 1 the host ends LAUNCH_FAILURE") {
    TestApi api;
    api.Control("/_emulator/faults", {{"host_launch_failure_probability", 1.0}});
    std::string id = Allocate(api).front();
    api.Control("/_emulator/faults", {{"host_launch_failure_probability", 0}});
    CHECK(Host(api, id)["HostState"] == "LAUNCH_FAILURE");
    api.Advance(kHostPending);
    CHECK(Host(api, id)["HostState"] == "LAUNCH_FAILURE");
    json r = api.Call("RunInstances", CdhParams({id}, "CDH_1C2G", 1));
    CHECK(CodeOf(r) == "InvalidParameterValue");
    CHECK(r["Error"]["Message"].get<std::string>().find("LAUNCH_FAILURE") != std::string::npos);
  }

  // ---------------------------------------------------------------------
  // Expiry on the clock

  TEST_CASE("DescribeHosts: a host that does not renew itself is EXPIRED from its ExpiredTime on") {
    TestApi api;
    std::string id = RunningHost(
        api, {{"HostChargePrepaid", {{"Period", 1}, {"RenewFlag", "NOTIFY_AND_MANUAL_RENEW"}}}});
    json h = Host(api, id);
    CHECK(h["HostState"] == "RUNNING");
    api.Advance(30 * 86400 - kHostPending - 1);
    CHECK(Host(api, id)["HostState"] == "RUNNING");
    api.Advance(1);
    CHECK(Host(api, id)["HostState"] == "EXPIRED");
    CHECK(Host(api, id)["ExpiredTime"] == h["ExpiredTime"]);
  }

  TEST_CASE(
      "DescribeHosts: an auto-renewing host stays RUNNING and its ExpiredTime moves a month at a "
      "time") {
    TestApi api;
    int64_t now = api.NowSeconds();
    std::string id = RunningHost(api);
    api.Advance(30 * 86400);  // past the first month (Nov 14 → Dec 14)
    json h = Host(api, id);
    CHECK(h["HostState"] == "RUNNING");
    CHECK(h["ExpiredTime"] == cvm::state::FormatIso8601(now + (30 + 31) * 86400));
  }

  // ---------------------------------------------------------------------
  // DescribeHosts: filters and pages

  TEST_CASE("DescribeHosts: every documented filter, ANDed, values ORed") {
    TestApi api;
    std::string a = RunningHost(api);
    std::string b =
        Allocate(api, {{"Placement", {{"Zone", kOtherZone}, {"ProjectId", 3}}}}).front();
    Ok(api, "ModifyHostsAttribute", {{"HostIds", {a}}, {"HostName", "web"}});
    auto ids = [&](const json& filters) {
      std::vector<std::string> out;
      json r = Hosts(api, {{"Filters", filters}});
      for (const json& h : r["HostSet"]) out.push_back(h["HostId"].get<std::string>());
      return out;
    };
    using V = std::vector<std::string>;
    CHECK(ids({{{"Name", "zone"}, {"Values", {kZone}}}}) == V{a});
    CHECK(ids({{{"Name", "zone"}, {"Values", {kZone, kOtherZone}}}}) == V{a, b});
    CHECK(ids({{{"Name", "project-id"}, {"Values", {"003"}}}}) == V{b});
    CHECK(ids({{{"Name", "host-id"}, {"Values", {b, kUnknownHost}}}}) == V{b});
    CHECK(ids({{{"Name", "host-name"}, {"Values", {"web"}}}}) == V{a});
    CHECK(ids({{{"Name", "host-name"}, {"Values", {"we"}}}}).empty());  // exact (D-119)
    CHECK(ids({{{"Name", "host-state"}, {"Values", {"RUNNING"}}}}) == V{a});
    CHECK(ids({{{"Name", "host-state"}, {"Values", {"PENDING"}}}}) == V{b});
    CHECK(ids({{{"Name", "host-state"}, {"Values", {"PENDING", "RUNNING"}}}}) == V{a, b});
    CHECK(ids({{{"Name", "host-state"}, {"Values", {"EXPIRED", "LAUNCH_FAILURE"}}}}).empty());
    CHECK(ids({{{"Name", "zone"}, {"Values", {kZone}}},
               {{"Name", "host-state"}, {"Values", {"PENDING"}}}})
              .empty());
  }

  TEST_CASE("DescribeHosts: host-state EXPIRED and LAUNCH_FAILURE follow the clock and the fault") {
    TestApi api;
    std::string manual = RunningHost(
        api, {{"HostChargePrepaid", {{"Period", 1}, {"RenewFlag", "NOTIFY_AND_MANUAL_RENEW"}}}});
    std::string automatic = RunningHost(api);
    api.Control("/_emulator/faults", {{"host_launch_failure_probability", 1.0}});
    std::string failed = Allocate(api).front();
    api.Control("/_emulator/faults", {{"host_launch_failure_probability", 0}});
    api.Advance(40 * 86400);
    auto state = [&](const std::string& s) {
      json r = Hosts(api, {{"Filters", {{{"Name", "host-state"}, {"Values", {s}}}}}});
      std::vector<std::string> out;
      for (const json& h : r["HostSet"]) out.push_back(h["HostId"].get<std::string>());
      return out;
    };
    CHECK(state("EXPIRED") == std::vector<std::string>{manual});
    CHECK(state("RUNNING") == std::vector<std::string>{automatic});
    CHECK(state("LAUNCH_FAILURE") == std::vector<std::string>{failed});
    CHECK(state("PENDING").empty());
  }

  TEST_CASE("DescribeHosts: bad filter values are refused with their codes") {
    TestApi api;
    auto code = [&](const json& filters) {
      return CodeOf(api.Call("DescribeHosts", {{"Filters", filters}}));
    };
    CHECK(code({{{"Name", "host-id"}, {"Values", {"host-1122"}}}}) == "InvalidHostId.Malformed");
    CHECK(code({{{"Name", "zone"}, {"Values", {"ap-shanghai-1"}}}}) ==
          "InvalidZone.MismatchRegion");
    CHECK(code({{{"Name", "host-state"}, {"Values", {"STOPPED"}}}}) == "InvalidParameterValue");
    CHECK(code({{{"Name", "project-id"}, {"Values", {"x"}}}}) == "InvalidParameterValue");
    CHECK(code({{{"Name", "host-type"}, {"Values", {"HS1"}}}}) == "InvalidFilter");
    CHECK(CodeOf(api.Call("DescribeHosts", {{"Limit", 101}})) == "InvalidParameterValue");
    CHECK(CodeOf(api.Call("DescribeHosts", {{"Offset", -1}})) == "InvalidParameterValue");
  }

  TEST_CASE(
      "DescribeHosts: pages, oldest first, TotalCount of all; other accounts and regions apart") {
    TestApi api;
    std::vector<std::string> ids = Allocate(api, {{"HostCount", 5}});
    json page = Hosts(api, {{"Offset", 1}, {"Limit", 2}});
    CHECK(page["TotalCount"] == 5);
    REQUIRE(page["HostSet"].size() == 2);
    CHECK(page["HostSet"][0]["HostId"] == ids[1]);
    CHECK(page["HostSet"][1]["HostId"] == ids[2]);
    CHECK(Hosts(api, {{"Offset", 5}})["HostSet"].empty());
    CHECK(Hosts(api, json::object(), kSecretB)["TotalCount"] == 0);
    json other = api.Call("DescribeHosts", json::object(), "ap-shanghai");
    CHECK(other["TotalCount"] == 0);
  }

  // ---------------------------------------------------------------------
  // ModifyHostsAttribute

  TEST_CASE("ModifyHostsAttribute: renames hosts, or changes how they renew") {
    TestApi api;
    std::vector<std::string> ids = Allocate(api, {{"HostCount", 2}});
    Ok(api, "ModifyHostsAttribute", {{"HostIds", ids}, {"HostName", "web server"}});
    CHECK(Host(api, ids[0])["HostName"] == "web server");
    CHECK(Host(api, ids[1])["HostName"] == "web server");
    Ok(api, "ModifyHostsAttribute",
       {{"HostIds", {ids[1]}}, {"RenewFlag", "DISABLE_NOTIFY_AND_MANUAL_RENEW"}});
    CHECK(Host(api, ids[1])["RenewFlag"] == "DISABLE_NOTIFY_AND_MANUAL_RENEW");
    CHECK(Host(api, ids[0])["RenewFlag"] == "NOTIFY_AND_AUTO_RENEW");
  }

  TEST_CASE("ModifyHostsAttribute: turning auto-renewal off keeps the ExpiredTime reached so far") {
    TestApi api;
    std::string id = RunningHost(api);
    api.Advance(40 * 86400);
    json before = Host(api, id);
    Ok(api, "ModifyHostsAttribute", {{"HostIds", {id}}, {"RenewFlag", "NOTIFY_AND_MANUAL_RENEW"}});
    json after = Host(api, id);
    CHECK(after["ExpiredTime"] == before["ExpiredTime"]);
    CHECK(after["HostState"] == "RUNNING");
  }

  TEST_CASE("ModifyHostsAttribute: each refusal names its code and changes nothing") {
    TestApi api;
    std::string id = Allocate(api).front();
    json before = Host(api, id);
    auto refused = [&](const json& params, const std::string& code) {
      json r = api.Call("ModifyHostsAttribute", params);
      CHECK_MESSAGE(CodeOf(r) == code, r.dump());
      CHECK(Host(api, id) == before);
    };
    refused({{"HostIds", {id}}}, "MissingParameter.AtLeastOne");
    refused({{"HostIds", {id}}, {"HostName", "a"}, {"RenewFlag", "NOTIFY_AND_AUTO_RENEW"}},
            "InvalidParameterCombination");
    refused({{"HostIds", {id, "host-1122"}}, {"HostName", "a"}}, "InvalidHostId.Malformed");
    refused({{"HostIds", {id, kUnknownHost}}, {"HostName", "a"}}, "InvalidHostId.NotFound");
    refused({{"HostIds", {id}}, {"HostName", std::string(61, 'a')}}, "InvalidParameterValue");
    refused({{"HostIds", {id}}, {"HostName", ""}}, "InvalidParameterValue");
    refused({{"HostIds", {id}}, {"RenewFlag", "SOMETIMES"}}, "InvalidParameterValue");
    // Another account's host is unknown here.
    json r =
        api.Call("ModifyHostsAttribute", {{"HostIds", {id}}, {"HostName", "a"}}, kRegion, kSecretB);
    CHECK(CodeOf(r) == "InvalidHostId.NotFound");
  }

  // ---------------------------------------------------------------------
  // RenewHosts

  TEST_CASE("RenewHosts: ExpiredTime moves on by Period months; an EXPIRED host runs again") {
    TestApi api;
    int64_t now = api.NowSeconds();
    std::string id = RunningHost(
        api, {{"HostChargePrepaid", {{"Period", 1}, {"RenewFlag", "NOTIFY_AND_MANUAL_RENEW"}}}});
    Ok(api, "RenewHosts", {{"HostIds", {id}}, {"HostChargePrepaid", {{"Period", 2}}}});
    // Nov 14 + 1 month = Dec 14, + 2 months = Feb 14.
    CHECK(Host(api, id)["ExpiredTime"] == cvm::state::FormatIso8601(now + (30 + 31 + 31) * 86400));
    CHECK(Host(api, id)["RenewFlag"] == "NOTIFY_AND_MANUAL_RENEW");  // D-193
    api.Advance(100 * 86400);
    CHECK(Host(api, id)["HostState"] == "EXPIRED");
    Ok(api, "RenewHosts", {{"HostIds", {id}}, {"HostChargePrepaid", {{"Period", 12}}}});
    CHECK(Host(api, id)["HostState"] == "RUNNING");
  }

  TEST_CASE("RenewHosts: each refusal names its code and changes nothing") {
    TestApi api;
    std::string id = Allocate(api).front();
    json before = Host(api, id);
    auto refused = [&](const json& params, const std::string& code) {
      json r = api.Call("RenewHosts", params);
      CHECK_MESSAGE(CodeOf(r) == code, r.dump());
      CHECK(Host(api, id) == before);
    };
    refused({{"HostIds", {id}}, {"HostChargePrepaid", {{"Period", 13}}}}, "InvalidPeriod");
    refused({{"HostIds", {id}}}, "MissingParameter");
    refused({{"HostIds", {id, "host-1"}}, {"HostChargePrepaid", {{"Period", 1}}}},
            "InvalidHostId.Malformed");
    refused({{"HostIds", {id, kUnknownHost}}, {"HostChargePrepaid", {{"Period", 1}}}},
            "InvalidHostId.NotFound");
  }

  // ---------------------------------------------------------------------
  // CDHPAID instances on hosts (D-127, D-192)

  TEST_CASE("RunInstances: CDHPAID instances take their CPU, memory and local disk from the host") {
    TestApi api;
    std::string host = RunningHost(api);
    std::vector<std::string> ids =
        Launch(api, CdhParams({host}, "CDH_2C4G", 3,
                              {{"SystemDisk", {{"DiskType", "LOCAL_BASIC"}, {"DiskSize", 100}}}}));
    REQUIRE(ids.size() == 3);
    json h = Host(api, host);
    CHECK(h["HostResource"]["CpuAvailable"] == 18);
    CHECK(h["HostResource"]["MemAvailable"] == 44.0);
    CHECK(h["HostResource"]["DiskAvailable"] == 900);
    CHECK(h["InstanceIds"] == ids);
    json in = Describe(api, ids[0]);
    CHECK(in["InstanceType"] == "CDH_2C4G");
    CHECK(in["InstanceChargeType"] == "CDHPAID");
    CHECK(in["CPU"] == 2);
    CHECK(in["Memory"] == 4);
    CHECK(in["Placement"]["HostIds"] == json::array({host}));
    // The host-id filter of DescribeInstances.
    json r =
        api.Call("DescribeInstances", {{"Filters", {{{"Name", "host-id"}, {"Values", {host}}}}}});
    CHECK(r["TotalCount"] == 3);
  }

  TEST_CASE("RunInstances: a host takes exactly as many instances as fit; the rest are refused") {
    TestApi api;
    std::string host = RunningHost(api);
    int created = 0, refused = 0;
    for (int i = 0; i < 30; ++i) {
      json r = api.Call("RunInstances", CdhParams({host}, "CDH_1C2G", 1));
      if (CodeOf(r) == "") {
        ++created;
      } else {
        CHECK(CodeOf(r) == "InvalidParameterValue");
        ++refused;
      }
    }
    CHECK(created == 24);
    CHECK(refused == 6);
    CHECK(Host(api, host)["HostResource"]["CpuAvailable"] == 0);
    CHECK(TotalCount(api) == 24);
  }

  TEST_CASE(
      "RunInstances: InstanceCount beyond a host's room creates nothing, naming what is short") {
    TestApi api;
    std::string host = RunningHost(api);
    Launch(api, CdhParams({host}, "CDH_8C16G", 2));
    json r = api.Call("RunInstances", CdhParams({host}, "CDH_4C8G", 3));
    CHECK(CodeOf(r) == "InvalidParameterValue");
    std::string message = r["Error"]["Message"];
    CHECK(message.find(host) != std::string::npos);
    CHECK(message.find("vCPU") != std::string::npos);
    CHECK(TotalCount(api) == 2);
    // Memory short rather than CPU.
    json m = api.Call("RunInstances", CdhParams({host}, "CDH_1C40G", 1));
    CHECK(CodeOf(m) == "InvalidParameterValue");
    CHECK(m["Error"]["Message"].get<std::string>().find("memory") != std::string::npos);
    CHECK(TotalCount(api) == 2);
  }

  TEST_CASE(
      "RunInstances: with several hosts, each instance goes to the first listed host with room") {
    TestApi api;
    std::string a = RunningHost(api), b = RunningHost(api);
    std::vector<std::string> ids = Launch(api, CdhParams({a, b}, "CDH_10C8G", 3));
    CHECK(Host(api, a)["InstanceIds"] == json::array({ids[0], ids[1]}));
    CHECK(Host(api, b)["InstanceIds"] == json::array({ids[2]}));
    // 2 + 1 more fit (a: 4 vCPU free, b: 14); 4 do not: none is created.
    CHECK(CodeOf(api.Call("RunInstances", CdhParams({a, b}, "CDH_10C8G", 2))) ==
          "InvalidParameterValue");
    CHECK(TotalCount(api) == 3);
  }

  TEST_CASE("RunInstances: the hosts must be the caller's, RUNNING and in the zone") {
    TestApi api;
    std::string pending = Allocate(api).front();
    std::string other_zone = Allocate(api, {{"Placement", {{"Zone", kOtherZone}}}}).front();
    std::string theirs = Allocate(api, json::object(), kSecretB).front();
    api.Advance(kHostPending);
    std::string fresh = Allocate(api).front();  // PENDING
    auto code = [&](const json& params) { return CodeOf(api.Call("RunInstances", params)); };
    CHECK(code(CdhParams({fresh}, "CDH_1C2G", 1)) == "InvalidParameterValue");
    CHECK(code(CdhParams({other_zone}, "CDH_1C2G", 1)) == "InvalidParameterValue");
    CHECK(code(CdhParams({theirs}, "CDH_1C2G", 1)) == "InvalidHostId.NotFound");
    CHECK(code(CdhParams({kUnknownHost}, "CDH_1C2G", 1)) == "InvalidHostId.NotFound");
    CHECK(code(CdhParams({"host-12"}, "CDH_1C2G", 1)) == "InvalidHostId.Malformed");
    CHECK(code(CdhParams({pending}, "S1.SMALL1", 1)) == "InvalidInstanceType.Malformed");
    json no_hosts = RunParams({{"InstanceChargeType", "CDHPAID"}, {"InstanceType", "CDH_1C2G"}});
    CHECK(code(no_hosts) == "MissingParameter");
    CHECK(TotalCount(api) == 0);
    CHECK(code(CdhParams({pending}, "CDH_1C2G", 1)) == "");
  }

  TEST_CASE("RunInstances: a host's resources come back when its instance is gone, not before") {
    TestApi api;
    std::string host = RunningHost(api);
    std::string id = LaunchOne(api, CdhParams({host}, "CDH_24C56G", 1));
    CHECK(CodeOf(api.Call("RunInstances", CdhParams({host}, "CDH_1C1G", 1))) ==
          "InvalidParameterValue");
    api.Advance(kPending);
    Ok(api, "TerminateInstances", {{"InstanceIds", {id}}});
    // TERMINATING still holds the host.
    CHECK(Host(api, host)["HostResource"]["CpuAvailable"] == 0);
    CHECK(CodeOf(api.Call("RunInstances", CdhParams({host}, "CDH_1C1G", 1))) ==
          "InvalidParameterValue");
    api.Advance(kTerminating);
    json h = Host(api, host);
    CHECK(h["HostResource"]["CpuAvailable"] == 24);
    CHECK(h["InstanceIds"] == json::array());
    CHECK(CodeOf(api.Call("RunInstances", CdhParams({host}, "CDH_24C56G", 1))) == "");
  }

  TEST_CASE("RunInstances: CDHPAID instances count toward the instance quota (D-192)") {
    TestApi api;
    api.Control("/_emulator/quotas", {{"instances", 2}});
    std::string host = RunningHost(api);
    Launch(api, CdhParams({host}, "CDH_1C2G", 2));
    CHECK(CodeOf(api.Call("RunInstances", CdhParams({host}, "CDH_1C2G", 1))) ==
          "InstancesQuotaLimitExceeded");
  }

  TEST_CASE("Billing actions refuse a CDHPAID instance: it is paid for with its host (D-192)") {
    TestApi api;
    std::string host = RunningHost(api);
    std::string id = LaunchOne(api, CdhParams({host}, "CDH_2C4G", 1));
    api.Advance(kPending);
    json before = Describe(api, id);
    auto code = [&](const std::string& action, const json& params) { return CodeOf(api.Call(action, params)); };
    CHECK(code("RenewInstances", {{"InstanceIds", {id}}, {"InstanceChargePrepaid", {{"Period", 1}}}}) ==
          "InvalidInstance.NotSupported");
    CHECK(code("ModifyInstancesRenewFlag", {{"InstanceIds", {id}}, {"RenewFlag", "NOTIFY_AND_AUTO_RENEW"}}) ==
          "InvalidInstance.NotSupported");
    CHECK(code("ModifyInstancesChargeType", {{"InstanceIds", {id}},
                                             {"InstanceChargeType", "PREPAID"},
                                             {"InstanceChargePrepaid", {{"Period", 1}}}}) == "InvalidInstance.NotSupported");
    CHECK(Describe(api, id) == before);
  }

  // ---------------------------------------------------------------------
  // Codes that cannot be produced (see the top of this file)

  TEST_CASE(
      "ModifyHostsAttribute: an injected InvalidHost.NotSupported comes back once and changes "
      "nothing") {
    TestApi api;
    std::string id = Allocate(api).front();
    ExpectInjectedOnce(api, "ModifyHostsAttribute", "InvalidHost.NotSupported", [&] {
      json r = api.Call("ModifyHostsAttribute", {{"HostIds", {id}}, {"HostName", "renamed"}});
      if (CodeOf(r) != "") CHECK(Host(api, id)["HostName"] == "未命名");
      return r;
    });
    CHECK(Host(api, id)["HostName"] == "renamed");
  }

  TEST_CASE(
      "RenewHosts: an injected InvalidHost.NotSupported comes back once and changes nothing") {
    TestApi api;
    std::string id = Allocate(api).front();
    json before = Host(api, id);
    ExpectInjectedOnce(api, "RenewHosts", "InvalidHost.NotSupported", [&] {
      json r = api.Call("RenewHosts", {{"HostIds", {id}}, {"HostChargePrepaid", {{"Period", 1}}}});
      if (CodeOf(r) != "") CHECK(Host(api, id) == before);
      return r;
    });
    CHECK(Host(api, id)["ExpiredTime"] != before["ExpiredTime"]);
  }
}

}  // namespace hosts_test
