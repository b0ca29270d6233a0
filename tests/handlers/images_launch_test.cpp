// RunInstances and ResetInstance with custom images (state/image_lookup.h:
// public, own and shared images of the request's region, only once NORMAL;
// KeepImageLogin needs a custom, shared or imported image, as its row of the
// document's LoginSettings structure says).
#include <doctest/doctest.h>

#include <string>

#include "tests/handlers/image_test_support.h"

namespace {

using namespace cvm::testing;
using namespace cvm::testing::images;
using nlohmann::json;

constexpr const char* kUbuntu = "img-pi0ii46r";
constexpr const char* kUbuntuOs = "Ubuntu Server 18.04.1 LTS 64位";

// A NORMAL image captured from a stopped Ubuntu instance of A.
std::string UbuntuImage(TestApi& api, const std::string& name = "ubuntu-custom") {
  std::string ins = LaunchOne(api, {{"ImageId", kUbuntu}});
  api.Advance(kPending);
  Ok(api, "StopInstances", {{"InstanceIds", {ins}}});
  api.Advance(kStopping);
  std::string id = CreateImageOk(api, ins, name);
  api.Advance(kImageCreating);
  REQUIRE(StateOfImage(api, id) == "NORMAL");
  return id;
}

}  // namespace

TEST_SUITE("handlers") {
  TEST_CASE("RunInstances: an own NORMAL private image launches an instance with the image's OsName") {
    TestApi api;
    std::string id = UbuntuImage(api);
    std::string ins = LaunchOne(api, {{"ImageId", id}});
    json in = Describe(api, ins);
    CHECK(in["ImageId"] == id);
    CHECK(in["OsName"] == kUbuntuOs);
    api.Advance(kPending);
    CHECK(StateOf(api, ins) == "RUNNING");
    // An instance launched from a custom image can be imaged in turn.
    Ok(api, "StopInstances", {{"InstanceIds", {ins}}});
    api.Advance(kStopping);
    std::string again = CreateImageOk(api, ins, "second-generation");
    json m = ImageOf(api, again);
    CHECK(m["OsName"] == kUbuntuOs);
    CHECK(m["Platform"] == "Ubuntu");
    CHECK(m["ImageSize"] == 20);
  }

  TEST_CASE("RunInstances: an imported image launches once NORMAL") {
    TestApi api;
    std::string id = ImportOk(api, "imported", kRegion, kSecretA, "Debian", "9");
    json r = api.Call("RunInstances", RunParams({{"ImageId", id}}));
    CHECK_MESSAGE(CodeOf(r) == "InvalidImageId.IncorrectState", r.dump());
    api.Advance(kImageCreating);
    std::string ins = LaunchOne(api, {{"ImageId", id}});
    CHECK(Describe(api, ins)["OsName"] == "Debian 9");
  }

  TEST_CASE("RunInstances and ResetInstance: a CREATING image gives InvalidImageId.IncorrectState") {
    TestApi api;
    std::string stopped = Stopped(api);
    std::string running = Running(api);
    std::string id = CreateImageOk(api, stopped, "creating");
    json r = api.Call("RunInstances", RunParams({{"ImageId", id}}));
    CHECK_MESSAGE(CodeOf(r) == "InvalidImageId.IncorrectState", r.dump());
    CHECK(TotalCount(api) == 2);
    json before = Describe(api, running);
    r = api.Call("ResetInstance", {{"InstanceId", running}, {"ImageId", id}});
    CHECK_MESSAGE(CodeOf(r) == "InvalidImageId.IncorrectState", r.dump());
    CHECK(Describe(api, running) == before);
    CHECK(StateOf(api, running) == "RUNNING");
  }

  TEST_CASE("RunInstances: another account's unshared image, or one of another region, gives InvalidImageId.NotFound") {
    TestApi api;
    std::string id = UbuntuImage(api);
    json r = api.Call("RunInstances", RunParams({{"ImageId", id}}), kRegion, kSecretB);
    CHECK_MESSAGE(CodeOf(r) == "InvalidImageId.NotFound", r.dump());
    CHECK(TotalCount(api, kRegion, kSecretB) == 0);
    r = api.Call("RunInstances", RunParams({{"ImageId", id}}, "ap-shanghai-2"), kOtherRegion);
    CHECK_MESSAGE(CodeOf(r) == "InvalidImageId.NotFound", r.dump());
    CHECK(TotalCount(api, kOtherRegion) == 0);
    // A deleted image is gone.
    r = api.Call("DeleteImages", {{"ImageIds", {id}}});
    REQUIRE(CodeOf(r) == "");
    r = api.Call("RunInstances", RunParams({{"ImageId", id}}));
    CHECK_MESSAGE(CodeOf(r) == "InvalidImageId.NotFound", r.dump());
  }

  TEST_CASE("RunInstances: KeepImageLogin TRUE works with a custom or shared image and is refused with a public one") {
    TestApi api;
    std::string id = UbuntuImage(api);
    std::string ins = LaunchOne(api, {{"ImageId", id}, {"LoginSettings", {{"KeepImageLogin", "TRUE"}}}});
    CHECK(Describe(api, ins)["LoginSettings"]["KeepImageLogin"] == "TRUE");
    SetSharing(api, id, {kUinB});
    std::string b_ins =
        LaunchOne(api, {{"ImageId", id}, {"LoginSettings", {{"KeepImageLogin", "true"}}}}, kRegion, kSecretB);
    CHECK(Describe(api, b_ins, kRegion, kSecretB)["LoginSettings"]["KeepImageLogin"] == "TRUE");

    int64_t count = TotalCount(api);
    json r = api.Call("RunInstances", RunParams({{"ImageId", kImage}, {"LoginSettings", {{"KeepImageLogin", "TRUE"}}}}));
    CHECK_MESSAGE(CodeOf(r) == "InvalidParameterCombination", r.dump());
    // KeepImageLogin with a password is refused whatever the image.
    r = api.Call("RunInstances",
                 RunParams({{"ImageId", id}, {"LoginSettings", {{"KeepImageLogin", "TRUE"}, {"Password", "abcd1234!"}}}}));
    CHECK_MESSAGE(CodeOf(r) == "InvalidParameterCombination", r.dump());
    CHECK(TotalCount(api) == count);
    // FALSE is always allowed.
    LaunchOne(api, {{"ImageId", kImage}, {"LoginSettings", {{"KeepImageLogin", "FALSE"}}}});
  }

  TEST_CASE("ResetInstance: reinstalls from an own or shared custom image; KeepImageLogin needs a custom image") {
    TestApi api;
    std::string id = UbuntuImage(api);
    std::string ins = Running(api);  // CentOS 7.5
    Ok(api, "ResetInstance", {{"InstanceId", ins}, {"ImageId", id}, {"LoginSettings", {{"KeepImageLogin", "TRUE"}}}});
    api.Advance(kResetting);
    CHECK(StateOf(api, ins) == "RUNNING");
    json in = Describe(api, ins);
    CHECK(in["ImageId"] == id);
    CHECK(in["OsName"] == kUbuntuOs);
    CHECK(in["LoginSettings"]["KeepImageLogin"] == "TRUE");

    // Back to a public image with KeepImageLogin: refused, nothing changes.
    json before = Describe(api, ins);
    json r = api.Call("ResetInstance",
                      {{"InstanceId", ins}, {"ImageId", kImage}, {"LoginSettings", {{"KeepImageLogin", "TRUE"}}}});
    CHECK_MESSAGE(CodeOf(r) == "InvalidParameterCombination", r.dump());
    CHECK(Describe(api, ins) == before);

    // B reinstalls from A's image only while it is shared.
    std::string b_ins = LaunchOne(api, json::object(), kRegion, kSecretB);
    api.Advance(kPending);
    r = api.Call("ResetInstance", {{"InstanceId", b_ins}, {"ImageId", id}}, kRegion, kSecretB);
    CHECK_MESSAGE(CodeOf(r) == "InvalidImageId.NotFound", r.dump());
    SetSharing(api, id, {kUinB});
    r = api.Call("ResetInstance", {{"InstanceId", b_ins}, {"ImageId", id}}, kRegion, kSecretB);
    REQUIRE_MESSAGE(CodeOf(r) == "", r.dump());
    api.Advance(kResetting);
    CHECK(Describe(api, b_ins, kRegion, kSecretB)["OsName"] == kUbuntuOs);
  }
}
