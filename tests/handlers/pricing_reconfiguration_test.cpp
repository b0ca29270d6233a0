// InquiryPriceResetInstancesType and InquiryPriceResizeInstanceDisks through
// the in-process API: each is its action's plan plus the price engine
// (D-134). Every refusal of the action comes back from its twin with the same
// code and message, neither changes anything, and the quote is what the change
// adds to the instance's price (D-170).
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "tests/handlers/instance_test_support.h"
#include "tests/handlers/price_test_support.h"
#include "tests/support/db_snapshot.h"

namespace {

using namespace cvm::testing;
using namespace cvm::testing::instances;
using namespace cvm::testing::prices;
using nlohmann::json;

struct Refusal {
  std::string why;
  json params;
  std::string code;
};

// Walks `action` and `inquiry` through every refusal: the same code and
// message from both, and nothing changed by either.
void ExpectSameRefusals(TestApi& api, const std::string& action, const std::string& inquiry,
                        const std::vector<Refusal>& refusals) {
  for (const Refusal& r : refusals) {
    CAPTURE(r.why);
    DbSnapshot before = LockAndSnapshot(api.emulator().db());
    json a = api.Call(action, r.params);
    json q = api.Call(inquiry, r.params);
    CHECK_MESSAGE(CodeOf(a) == r.code, a.dump());
    CHECK_MESSAGE(CodeOf(q) == r.code, q.dump());
    if (CodeOf(a) == r.code && CodeOf(q) == r.code)
      CHECK(q["Error"]["Message"] == a["Error"]["Message"]);
    CHECK(LockAndSnapshot(api.emulator().db()) == before);
  }
}

json WithDataDisk(int64_t size) {
  return {{"DataDisks", {{{"DiskType", "CLOUD_BASIC"}, {"DiskSize", size}}}}};
}

}  // namespace

TEST_SUITE("handlers") {
  TEST_CASE(
      "InquiryPriceResetInstancesType: every refusal of "
      "ResetInstancesType comes back with the same code and message") {
    TestApi api;
    std::string running = Running(api);
    std::string stopped = Stopped(api);
    std::string local =
        Stopped(api, {{"SystemDisk", {{"DiskType", "LOCAL_BASIC"}, {"DiskSize", 50}}}});
    std::string changing = Running(api);
    Ok(api, "ResetInstancesType",
       {{"InstanceIds", {changing}}, {"InstanceType", "S1.SMALL2"}, {"ForceStop", true}});
    std::string pending = LaunchOne(api);
    auto on = [](const json& ids, const std::string& type, bool force = false) {
      return json{{"InstanceIds", ids}, {"InstanceType", type}, {"ForceStop", force}};
    };
    ExpectSameRefusals(
        api, "ResetInstancesType", "InquiryPriceResetInstancesType",
        {
            {"no InstanceType", {{"InstanceIds", {stopped}}}, "MissingParameter"},
            {"two instances", on({stopped, running}, "S1.SMALL2"),
             "InvalidParameterValue.LimitExceeded"},
            {"a malformed ID", on({"ins-1122"}, "S1.SMALL2"), "InvalidInstanceId.Malformed"},
            {"an unknown instance", on({kUnknownId}, "S1.SMALL2"), "InvalidInstanceId.NotFound"},
            {"a type not shaped FAMILY.SIZE", on({stopped}, "small"), "InvalidParameterValue"},
            {"a type not in the catalog", on({stopped}, "S1.HUGE1"), "InvalidParameterValue"},
            {"another family", on({stopped}, "S2.SMALL2"), "InvalidParameterValue"},
            {"the instance's own type", on({stopped}, "S1.SMALL1"), "InvalidParameterValue"},
            {"a local system disk", on({local}, "S1.SMALL2"), "InvalidInstance.NotSupported"},
            {"another change in progress", on({changing}, "S1.SMALL4", true),
             "MutexOperation.TaskRunning"},
            {"RUNNING without ForceStop", on({running}, "S1.SMALL2"),
             "UnsupportedOperation.InstanceStateRunning"},
            {"PENDING", on({pending}, "S1.SMALL2", true),
             "UnsupportedOperation.InstanceStatePending"},
        });
  }

  TEST_CASE(
      "InquiryPriceResizeInstanceDisks: every refusal of "
      "ResizeInstanceDisks comes back with the same code and message") {
    TestApi api;
    std::string id = Stopped(api, WithDataDisk(100));
    std::string running = Running(api, WithDataDisk(100));
    std::string none = Stopped(api);
    std::string changing = Running(api, WithDataDisk(100));
    Ok(api, "ResizeInstanceDisks",
       {{"InstanceId", changing}, {"DataDisks", {{{"DiskSize", 200}}}}, {"ForceStop", true}});
    auto grow = [](const std::string& instance, json disk, bool force = false) {
      return json{{"InstanceId", instance}, {"DataDisks", {disk}}, {"ForceStop", force}};
    };
    ExpectSameRefusals(
        api, "ResizeInstanceDisks", "InquiryPriceResizeInstanceDisks",
        {
            {"no DataDisks", {{"InstanceId", id}}, "MissingParameter"},
            {"a malformed ID", grow("ins-1122", {{"DiskSize", 200}}),
             "InvalidInstanceId.Malformed"},
            {"an unknown instance", grow(kUnknownId, {{"DiskSize", 200}}),
             "InvalidInstanceId.NotFound"},
            {"two disks",
             {{"InstanceId", id}, {"DataDisks", {{{"DiskSize", 200}}, {{"DiskSize", 300}}}}},
             "InvalidParameterValue.LimitExceeded"},
            {"no data disk to grow", grow(none, {{"DiskSize", 200}}), "InvalidParameterValue"},
            {"an unknown DiskId", grow(id, {{"DiskId", "disk-zzzzzzzz"}, {"DiskSize", 200}}),
             "InvalidParameterValue"},
            {"the same size", grow(id, {{"DiskSize", 100}}), "InvalidParameterValue.Range"},
            {"a smaller size", grow(id, {{"DiskSize", 50}}), "InvalidParameterValue.Range"},
            {"not a step of 10 GB", grow(id, {{"DiskSize", 205}}), "InvalidParameterValue.Range"},
            {"over 16000 GB", grow(id, {{"DiskSize", 16010}}), "InvalidParameterValue.Range"},
            {"another change in progress", grow(changing, {{"DiskSize", 300}}, true),
             "MutexOperation.TaskRunning"},
            {"RUNNING without ForceStop", grow(running, {{"DiskSize", 200}}),
             "UnsupportedOperation.InstanceStateRunning"},
        });
  }

  TEST_CASE(
      "InquiryPriceResetInstancesType: the hourly difference of the two "
      "types; a cheaper type costs 0.00") {
    TestApi api;
    std::string id = Running(api);
    DbSnapshot before = LockAndSnapshot(api.emulator().db());
    // S1.SMALL2 0.54 - S1.SMALL1 0.34, with ForceStop or not: a quote needs no
    // stop.
    json up = {{"InstanceIds", {id}}, {"InstanceType", "S1.SMALL2"}, {"ForceStop", true}};
    CHECK(PriceOf(api, "InquiryPriceResetInstancesType", up) ==
          json{{"InstancePrice", HourlyPrice(0.20)}, {"BandwidthPrice", nullptr}});
    CHECK(LockAndSnapshot(api.emulator().db()) == before);
    CHECK(StateOf(api, id) == "RUNNING");
    CHECK(Describe(api, id)["InstanceType"] == "S1.SMALL1");
    Ok(api, "ResetInstancesType", up);
    api.Advance(kStopping + kStarting);
    json down = {{"InstanceIds", {id}}, {"InstanceType", "S1.SMALL1"}, {"ForceStop", true}};
    CHECK(PriceOf(api, "InquiryPriceResetInstancesType", down)["InstancePrice"] ==
          HourlyPrice(0.00));
  }

  TEST_CASE(
      "InquiryPriceResetInstancesType: a PREPAID instance pays the "
      "difference for the months left (D-170)") {
    TestApi api;
    std::string id = Stopped(
        api, {{"InstanceChargeType", "PREPAID"}, {"InstanceChargePrepaid", {{"Period", 1}}}});
    // S1.SMALL2 65.00 - S1.SMALL1 45.00 a month, one month left.
    CHECK(PriceOf(api, "InquiryPriceResetInstancesType",
                  {{"InstanceIds", {id}}, {"InstanceType", "S1.SMALL2"}}) ==
          json{{"InstancePrice", UpfrontPrice(20.00, 20.00)}, {"BandwidthPrice", nullptr}});
  }

  TEST_CASE(
      "InquiryPriceResizeInstanceDisks: the added GB at the disk type's "
      "hourly rate") {
    TestApi api;
    std::string id = Stopped(api, WithDataDisk(100));
    DbSnapshot before = LockAndSnapshot(api.emulator().db());
    // 100 more GB of CLOUD_BASIC at 0.0004 an hour.
    CHECK(PriceOf(api, "InquiryPriceResizeInstanceDisks",
                  {{"InstanceId", id}, {"DataDisks", {{{"DiskSize", 200}}}}}) ==
          json{{"InstancePrice", HourlyPrice(0.04)}, {"BandwidthPrice", nullptr}});
    CHECK(LockAndSnapshot(api.emulator().db()) == before);
    CHECK(Describe(api, id)["DataDisks"][0]["DiskSize"] == 100);
  }
}
