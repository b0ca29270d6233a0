// Codes of the image actions' error tables that the emulator cannot produce,
// each injected once through the fault path (Settings::AddFault, the
// /_emulator/faults endpoint) to show it is in the error table, comes back
// as documented, changes nothing, and that the next call succeeds.
//
//   CreateImage
//     InvalidInstance.NotSupported   No kind of instance refuses imaging here:
//                                    the wrong states have their own codes
//                                    (D-105/D-114:
//                                    UnsupportedOperation.InstanceState<S>),
//                                    and every instance has a system disk
//                                    that can be captured.
//   DescribeImageSharePermission
//     InvalidAccountId.NotFound      Its table is copied from
//     InvalidAccountIs.YourSelf      ModifyImageSharePermission;
//     OverQuota                      it takes no account IDs and adds no
//                                    share, so no account can be unknown or
//                                    the caller, and no limit can be passed.
//
// Every other code of the ten tables is produced by real state in
// images_create_test.cpp, images_describe_test.cpp and
// images_share_sync_test.cpp. DescribeImportImageOs and DescribeImageQuota
// have empty tables.
#include <doctest/doctest.h>

#include <string>

#include "tests/handlers/image_test_support.h"

namespace {

using namespace cvm::testing;
using namespace cvm::testing::images;
using nlohmann::json;

}  // namespace

TEST_SUITE("handlers") {
  TEST_CASE("CreateImage: InvalidInstance.NotSupported (injected) comes back once and creates nothing") {
    TestApi api;
    std::string ins = Stopped(api);
    ExpectInjectedOnce(api, "CreateImage", "InvalidInstance.NotSupported", [&] {
      json r = api.Call("CreateImage", {{"InstanceId", ins}, {"ImageName", "after-fault"}});
      if (CodeOf(r) != "") {
        CHECK(CustomImages(api).empty());
        CHECK(StateOf(api, ins) == "STOPPED");
      }
      return r;
    });
    CHECK(CustomImages(api).size() == 1);
  }

  TEST_CASE("DescribeImageSharePermission: InvalidAccountId.NotFound, InvalidAccountIs.YourSelf and OverQuota "
            "(injected) come back once each") {
    TestApi api;
    std::string id = NormalImage(api, "shared");
    SetSharing(api, id, {kUinB});
    for (const char* code : {"InvalidAccountId.NotFound", "InvalidAccountIs.YourSelf", "OverQuota"}) {
      CAPTURE(code);
      json images_before = CustomImages(api, kRegion, kSecretB);
      ExpectInjectedOnce(api, "DescribeImageSharePermission", code, [&] {
        json r = api.Call("DescribeImageSharePermission", {{"ImageId", id}});
        if (CodeOf(r) == "") {
          REQUIRE(r["SharePermissionSet"].size() == 1);
          CHECK(r["SharePermissionSet"][0]["AccountId"] == kUinB);
        }
        return r;
      });
      CHECK(CustomImages(api, kRegion, kSecretB) == images_before);
    }
  }
}
