// InquiryPriceResetInstance through the in-process API: ResetInstance's plan
// plus the price engine (D-134, D-161). Every refusal ResetInstance's plan can
// give comes back from the inquiry with the same code and message, and
// neither call changes the database; the price is what the reinstall adds to
// the instance's price (D-170).
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "tests/handlers/image_test_support.h"
#include "tests/handlers/instance_test_support.h"
#include "tests/handlers/price_test_support.h"
#include "tests/support/db_snapshot.h"

// A namespace of its own: this file compiles in one unit with others
// (tests/CMakeLists.txt), whose file-local names may be the same.
namespace pricing_reset_instance_test {

namespace {

using namespace cvm::testing;
using namespace cvm::testing::instances;
using namespace cvm::testing::prices;
using nlohmann::json;

constexpr const char* kInquiry = "InquiryPriceResetInstance";
constexpr const char* kOverseas = "na-siliconvalley";

struct Refusal {
  std::string why;
  json params;
  std::string code;
  std::string region = kRegion;
};

// Instances for every refusal: RUNNING ones with a cloud and a local system
// disk, one overseas, one PENDING, one whose image is being taken, and an
// image still IMPORTING.
struct World {
  TestApi api;
  std::string running, local_disk, overseas, pending, imaging, importing_image;

  World() {
    running = Running(api);
    local_disk = Running(api, {{"SystemDisk", {{"DiskType", "LOCAL_BASIC"}, {"DiskSize", 50}}}});
    overseas = LaunchOne(api, {}, kOverseas);
    imaging = Stopped(api);
    cvm::testing::images::CreateImageOk(api, imaging, "capturing");
    importing_image = cvm::testing::images::ImportOk(api, "importing");
    api.Advance(kPending);
    pending = LaunchOne(api);
  }
};

// Every code ResetInstance's plan gives (state/instance_service.cpp,
// PlanResetInstance, in its order of checks).
std::vector<Refusal> Refusals(const World& w) {
  auto on = [](const std::string& id, json extra = json::object()) {
    extra["InstanceId"] = id;
    return extra;
  };
  return {
      {"no InstanceId", json::object(), "MissingParameter"},
      {"a malformed instance ID", on("ins-1122"), "InvalidInstanceId.Malformed"},
      {"an unknown instance", on(kUnknownId), "InvalidInstanceId.NotFound"},
      {"an image that does not exist", on(w.running, {{"ImageId", "img-abcd1234"}}),
       "InvalidImageId.NotFound"},
      {"a malformed image ID", on(w.running, {{"ImageId", "img-1122"}}),
       "InvalidImageId.Malformed"},
      {"an image still IMPORTING", on(w.running, {{"ImageId", w.importing_image}}),
       "InvalidImageId.IncorrectState"},
      {"a password and a key",
       on(w.running,
          {{"LoginSettings", {{"Password", "Passw0rd!x"}, {"KeyIds", {"skey-abcd1234"}}}}}),
       "InvalidParameterCombination"},
      {"a short password", on(w.running, {{"LoginSettings", {{"Password", "short"}}}}),
       "InvalidPassword"},
      {"a key pair with a Windows image",
       on(w.running,
          {{"ImageId", kWindowsImage}, {"LoginSettings", {{"KeyIds", {"skey-abcd1234"}}}}}),
       "UnsupportedOperation.KeyPairUnsupportedWindows"},
      {"two key pairs",
       on(w.running, {{"LoginSettings", {{"KeyIds", {"skey-abcd1234", "skey-efgh5678"}}}}}),
       "InvalidParameterValue"},
      {"a key pair that is not the caller's",
       on(w.running, {{"LoginSettings", {{"KeyIds", {"skey-abcd1234"}}}}}),
       "InvalidKeyPairId.NotFound"},
      {"KeepImageLogin with a public image",
       on(w.running, {{"LoginSettings", {{"KeepImageLogin", "TRUE"}}}}),
       "InvalidParameterCombination"},
      {"a Linux-Windows switch on a local system disk",
       on(w.local_disk, {{"ImageId", kWindowsImage}}), "InvalidInstance.NotSupported"},
      {"a Linux-Windows switch overseas", on(w.overseas, {{"ImageId", kWindowsImage}}),
       "InvalidInstance.NotSupported", kOverseas},
      {"another system disk type", on(w.running, {{"SystemDisk", {{"DiskType", "CLOUD_SSD"}}}}),
       "InvalidParameterValue"},
      {"a smaller system disk", on(w.running, {{"SystemDisk", {{"DiskSize", 40}}}}),
       "InvalidParameterValue"},
      {"a system disk over 500 GB", on(w.running, {{"SystemDisk", {{"DiskSize", 510}}}}),
       "InvalidParameterValue.Range"},
      {"an image being taken from the instance", on(w.imaging), "MutexOperation.TaskRunning"},
      {"a PENDING instance", on(w.pending), "UnsupportedOperation.InstanceStatePending"},
  };
}

}  // namespace

TEST_SUITE("handlers") {
  TEST_CASE(
      "InquiryPriceResetInstance: every refusal of ResetInstance's plan comes back with the same "
      "code and message, and neither call changes anything") {
    World w;
    for (const Refusal& r : Refusals(w)) {
      CAPTURE(r.why);
      DbSnapshot before = LockAndSnapshot(w.api.emulator().db());
      json action = w.api.Call("ResetInstance", r.params, r.region);
      json inquiry = w.api.Call(kInquiry, r.params, r.region);
      CHECK_MESSAGE(CodeOf(action) == r.code, action.dump());
      CHECK_MESSAGE(CodeOf(inquiry) == r.code, inquiry.dump());
      if (CodeOf(action) == r.code && CodeOf(inquiry) == r.code) {
        CHECK(inquiry["Error"]["Message"] == action["Error"]["Message"]);
      }
      CHECK(LockAndSnapshot(w.api.emulator().db()) == before);
    }
  }

  TEST_CASE(
      "InquiryPriceResetInstance: a reinstall keeping the system disk adds nothing; a larger disk "
      "adds its GB") {
    TestApi api;
    std::string id = Running(api);
    DbSnapshot before = LockAndSnapshot(api.emulator().db());
    json same = PriceOf(api, kInquiry, {{"InstanceId", id}});
    CHECK(same == json{{"InstancePrice", HourlyPrice(0.00)}, {"BandwidthPrice", nullptr}});
    // A Windows image replaces the disk but not its size.
    CHECK(
        PriceOf(api, kInquiry, {{"InstanceId", id}, {"ImageId", kWindowsImage}})["InstancePrice"] ==
        HourlyPrice(0.00));
    // 50 more GB of CLOUD_BASIC: 50 × 0.0004 an hour.
    CHECK(PriceOf(api, kInquiry,
                  {{"InstanceId", id}, {"SystemDisk", {{"DiskSize", 100}}}})["InstancePrice"] ==
          HourlyPrice(0.02));
    CHECK(LockAndSnapshot(api.emulator().db()) == before);
    CHECK(StateOf(api, id) == "RUNNING");
    CHECK(Describe(api, id)["SystemDisk"]["DiskSize"] == 50);
  }

  TEST_CASE(
      "InquiryPriceResetInstance: a PREPAID instance pays a larger disk for every month left of "
      "its subscription") {
    TestApi api;
    std::string id = Running(
        api, {{"InstanceChargeType", "PREPAID"}, {"InstanceChargePrepaid", {{"Period", 12}}}});
    json bigger = {{"InstanceId", id}, {"SystemDisk", {{"DiskSize", 100}}}};
    // 50 GB × 0.28 = 14.00 a month; 12 months 168.00, at 83%:
    // 12 × 59.00 × 0.83 - 12 × 45.00 × 0.83 = 587.64 - 448.20.
    CHECK(PriceOf(api, kInquiry, bigger)["InstancePrice"] == UpfrontPrice(168.00, 139.44));
    // 150 days later 8 months remain (7.07, rounded up), without discount.
    api.Advance(150 * 86400);
    CHECK(PriceOf(api, kInquiry, bigger)["InstancePrice"] == UpfrontPrice(112.00, 112.00));
  }
}

}  // namespace pricing_reset_instance_test
