// CreateImage, DeleteImages, ModifyImageAttribute and DescribeImageQuota
// through the in-process API (their sections of the document; D-111, D-114,
// D-116, D-135, D-136, D-141). Every code
// of their error tables is produced here, each refusal read back to show that
// nothing changed. CreateImage's InvalidInstance.NotSupported cannot be
// produced (see images_faults_test.cpp, where it is injected).
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "state/clock.h"
#include "tests/handlers/image_test_support.h"

namespace {

using namespace cvm::testing;
using namespace cvm::testing::images;
using nlohmann::json;

json CreateParams(const std::string& instance_id, const std::string& name, const json& extra = json::object()) {
  json p = {{"InstanceId", instance_id}, {"ImageName", name}};
  if (!extra.is_null()) p.update(extra);
  return p;
}

}  // namespace

TEST_SUITE("handlers") {
  // ---------------------------------------------------------------------
  // CreateImage

  TEST_CASE("CreateImage: a STOPPED instance gives a CREATING private image that is NORMAL 30 s later") {
    TestApi api;
    std::string ins = Stopped(api);
    int64_t created = api.NowSeconds();
    std::string id = CreateImageOk(api, ins, "web-base", {{"ImageDescription", "nginx on CentOS"}});
    CHECK(id.starts_with("img-"));
    CHECK(id.size() == 12);
    json m = ImageOf(api, id);
    REQUIRE(!m.is_null());
    CHECK(m["ImageState"] == "CREATING");
    CHECK(m["ImageType"] == "PRIVATE_IMAGE");
    CHECK(m["ImageName"] == "web-base");
    CHECK(m["ImageDescription"] == "nginx on CentOS");
    // The operating system is the instance's, i.e. that of the image it runs.
    CHECK(m["OsName"] == kImageOs);
    CHECK(m["Platform"] == "CentOS");
    CHECK(m["Architecture"] == "x86_64");
    CHECK(m["ImageSize"] == 20);
    CHECK(m["IsSupportCloudinit"] == true);
    CHECK(m["ImageCreator"] == kUinA);
    CHECK(m["ImageSource"] == "CREATE_IMAGE");
    CHECK(m["CreatedTime"] == cvm::state::FormatIso8601(created));
    CHECK(m["SyncPercent"] == 100);
    CHECK(StateOf(api, ins) == "STOPPED");

    api.Advance(kImageCreating - 1);
    CHECK(StateOfImage(api, id) == "CREATING");
    CHECK(StateOf(api, ins) == "STOPPED");
    api.Advance(1);
    json ready = ImageOf(api, id);
    CHECK(ready["ImageState"] == "NORMAL");
    m["ImageState"] = "NORMAL";
    CHECK(ready == m);  // nothing else changes
    CHECK(StateOf(api, ins) == "STOPPED");
  }

  TEST_CASE("CreateImage: a RUNNING instance with ForcePoweroff TRUE stops, stays STOPPED while the image is CREATING, "
            "then starts again once it is NORMAL") {
    TestApi api;
    std::string ins = Running(api);
    std::string id = CreateImageOk(api, ins, "forced", {{"ForcePoweroff", "TRUE"}});
    CHECK(StateOf(api, ins) == "STOPPING");
    CHECK(StateOfImage(api, id) == "CREATING");
    api.Advance(kStopping);
    CHECK(StateOf(api, ins) == "STOPPED");
    CHECK(StateOfImage(api, id) == "CREATING");
    api.Advance(kImageCreating - 1);
    CHECK(StateOf(api, ins) == "STOPPED");
    CHECK(StateOfImage(api, id) == "CREATING");
    api.Advance(1);
    CHECK(StateOfImage(api, id) == "NORMAL");
    CHECK(StateOf(api, ins) == "STARTING");
    api.Advance(kStarting);
    CHECK(StateOf(api, ins) == "RUNNING");
    CHECK(ImageOf(api, id)["OsName"] == kImageOs);
  }

  TEST_CASE("CreateImage: a RUNNING instance with Reboot true (lower case) is stopped, imaged and started again") {
    TestApi api;
    std::string ins = Running(api);
    std::string id = CreateImageOk(api, ins, "rebooted", {{"Reboot", "true"}});
    CHECK(StateOf(api, ins) == "STOPPING");
    api.Advance(kStopping);
    CHECK(StateOf(api, ins) == "STOPPED");
    CHECK(StateOfImage(api, id) == "CREATING");
    api.Advance(kImageCreating);
    CHECK(StateOfImage(api, id) == "NORMAL");
    CHECK(StateOf(api, ins) == "STARTING");
    api.Advance(kStarting);
    CHECK(StateOf(api, ins) == "RUNNING");
  }

  TEST_CASE("CreateImage: a RUNNING instance without ForcePoweroff or Reboot gives "
            "UnsupportedOperation.InstanceStateRunning and creates nothing") {
    TestApi api;
    std::string ins = Running(api);
    ExpectRefused(api, "CreateImage", CreateParams(ins, "img"), "UnsupportedOperation.InstanceStateRunning",
                  kRegion, kSecretA, {}, {ins});
    ExpectRefused(api, "CreateImage", CreateParams(ins, "img", {{"ForcePoweroff", "FALSE"}, {"Reboot", "false"}}),
                  "UnsupportedOperation.InstanceStateRunning", kRegion, kSecretA, {}, {ins});
    // Sysprep is not a permission to shut the instance down.
    ExpectRefused(api, "CreateImage", CreateParams(ins, "img", {{"Sysprep", "TRUE"}}),
                  "UnsupportedOperation.InstanceStateRunning", kRegion, kSecretA, {}, {ins});
    CHECK(CustomImages(api).empty());
    CHECK(StateOf(api, ins) == "RUNNING");
  }

  TEST_CASE("CreateImage: transitional states are refused with their own code, even with ForcePoweroff") {
    TestApi api;
    std::string pending = LaunchOne(api);
    ExpectRefused(api, "CreateImage", CreateParams(pending, "img", {{"ForcePoweroff", "TRUE"}}),
                  "UnsupportedOperation.InstanceStatePending", kRegion, kSecretA, {}, {pending});
    api.Advance(kPending);
    Ok(api, "StopInstances", {{"InstanceIds", {pending}}});
    ExpectRefused(api, "CreateImage", CreateParams(pending, "img", {{"ForcePoweroff", "TRUE"}}),
                  "UnsupportedOperation.InstanceStateStopping", kRegion, kSecretA, {}, {pending});
    CHECK(CustomImages(api).empty());
  }

  TEST_CASE("CreateImage: a second CreateImage from the same instance while the first is CREATING gives "
            "MutexOperation.TaskRunning") {
    TestApi api;
    std::string ins = Stopped(api);
    std::string first = CreateImageOk(api, ins, "first");
    ExpectRefused(api, "CreateImage", CreateParams(ins, "second"), "MutexOperation.TaskRunning", kRegion, kSecretA,
                  {}, {ins});
    api.Advance(kImageCreating - 1);
    ExpectRefused(api, "CreateImage", CreateParams(ins, "second"), "MutexOperation.TaskRunning", kRegion, kSecretA,
                  {}, {ins});
    // Another instance is not held up.
    std::string other = Stopped(api);
    CreateImageOk(api, other, "other");
    // Once the first is NORMAL, the instance can be imaged again.
    REQUIRE(StateOfImage(api, first) == "NORMAL");
    CreateImageOk(api, ins, "second");
  }

  TEST_CASE("CreateImage: a second CreateImage while the first is still stopping the RUNNING instance gives "
            "MutexOperation.TaskRunning, not the STOPPING state") {
    TestApi api;
    std::string ins = Running(api);
    CreateImageOk(api, ins, "first", {{"ForcePoweroff", "TRUE"}});
    REQUIRE(StateOf(api, ins) == "STOPPING");
    ExpectRefused(api, "CreateImage", CreateParams(ins, "second", {{"ForcePoweroff", "TRUE"}}),
                  "MutexOperation.TaskRunning", kRegion, kSecretA, {}, {ins});
  }

  TEST_CASE("CreateImage: the 11th custom image in a region gives ImageQuotaLimitExceeded with the default quota 10") {
    TestApi api;
    json quota = api.Call("DescribeImageQuota");
    REQUIRE(CodeOf(quota) == "");
    CHECK(quota["ImageNumQuota"] == 10);
    std::string ins = Stopped(api);
    std::vector<std::string> ids;
    for (int i = 0; i < 9; ++i) ids.push_back(ImportOk(api, "imported-" + std::to_string(i)));
    ids.push_back(CreateImageOk(api, ins, "tenth"));  // CREATING images count
    api.Advance(kImageCreating);
    ExpectRefused(api, "CreateImage", CreateParams(ins, "eleventh"), "ImageQuotaLimitExceeded", kRegion, kSecretA,
                  {}, {ins});
    CHECK(CustomImages(api).size() == 10);
    // Images shared with A do not count against A's quota; B's quota is B's own.
    std::string b_image = NormalImage(api, "from-b", kRegion, kSecretB);
    SetSharing(api, b_image, {kUinA}, "SHARE", kRegion, kSecretB);
    ExpectRefused(api, "CreateImage", CreateParams(ins, "eleventh"), "ImageQuotaLimitExceeded", kRegion, kSecretA,
                  {}, {ins});
    // Deleting one frees room again (the document's DeleteImages).
    json r = api.Call("DeleteImages", {{"ImageIds", {ids.front()}}});
    REQUIRE_MESSAGE(CodeOf(r) == "", r.dump());
    CreateImageOk(api, ins, "eleventh");
  }

  TEST_CASE("CreateImage: a name the account already uses in the region gives InvalidImageName.Duplicate") {
    TestApi api;
    std::string ins = Stopped(api);
    std::string first = CreateImageOk(api, ins, "golden");
    api.Advance(kImageCreating);
    ExpectRefused(api, "CreateImage", CreateParams(ins, "golden"), "InvalidImageName.Duplicate", kRegion, kSecretA,
                  {}, {ins});
    // An imported image's name is taken too.
    ImportOk(api, "imported");
    api.Advance(kImageCreating);
    ExpectRefused(api, "CreateImage", CreateParams(ins, "imported"), "InvalidImageName.Duplicate", kRegion,
                  kSecretA, {}, {ins});
    // Names are per account and region, and case-sensitive.
    ImportOk(api, "golden", kOtherRegion);
    ImportOk(api, "golden", kRegion, kSecretB);
    CreateImageOk(api, ins, "Golden");
  }

  TEST_CASE("CreateImage: an ImageName longer than 20 characters gives InvalidParameter.ValueTooLarge") {
    TestApi api;
    std::string ins = Stopped(api);
    ExpectRefused(api, "CreateImage", CreateParams(ins, std::string(21, 'n')), "InvalidParameter.ValueTooLarge",
                  kRegion, kSecretA, {}, {ins});
    // A description longer than 60 characters likewise (the document's
    // ModifyImageAttribute input table).
    ExpectRefused(api, "CreateImage",
                  CreateParams(ins, "ok", {{"ImageDescription", std::string(61, 'd')}}),
                  "InvalidParameter.ValueTooLarge", kRegion, kSecretA, {}, {ins});
    // Characters, not bytes: 20 Chinese characters fit.
    std::string chinese;
    for (int i = 0; i < 10; ++i) chinese += "镜像";
    std::string id = CreateImageOk(api, ins, chinese, {{"ImageDescription", std::string(60, 'd')}});
    CHECK(ImageOf(api, id)["ImageName"] == chinese);
    api.Advance(kImageCreating);
    CreateImageOk(api, ins, std::string(20, 'n'));
  }

  TEST_CASE("CreateImage: an unknown instance, another account's or another region's, gives InvalidInstanceId.NotFound") {
    TestApi api;
    std::string ins = Stopped(api);
    ExpectRefused(api, "CreateImage", CreateParams(kUnknownId, "img"), "InvalidInstanceId.NotFound");
    ExpectRefused(api, "CreateImage", CreateParams(ins, "img"), "InvalidInstanceId.NotFound", kRegion, kSecretB,
                  {}, {ins});
    ExpectRefused(api, "CreateImage", CreateParams(ins, "img"), "InvalidInstanceId.NotFound", kOtherRegion,
                  kSecretA, {}, {ins});
  }

  TEST_CASE("CreateImage: a malformed InstanceId gives InvalidInstanceId.Malformed") {
    TestApi api;
    ExpectRefused(api, "CreateImage", CreateParams("ins-1122", "img"), "InvalidInstanceId.Malformed");
    ExpectRefused(api, "CreateImage", CreateParams("img-eb30mz89", "img"), "InvalidInstanceId.Malformed");
  }

  TEST_CASE("CreateImage: missing or mistyped parameters are refused before anything else") {
    TestApi api;
    std::string ins = Running(api);
    ExpectRefused(api, "CreateImage", {{"InstanceId", ins}}, "MissingParameter", kRegion, kSecretA, {}, {ins});
    ExpectRefused(api, "CreateImage", {{"ImageName", "img"}}, "MissingParameter");
    // The String flags accept TRUE/FALSE in any case and nothing else (D-123).
    ExpectRefused(api, "CreateImage", CreateParams(ins, "img", {{"ForcePoweroff", "yes"}}), "InvalidParameterValue",
                  kRegion, kSecretA, {}, {ins});
    ExpectRefused(api, "CreateImage", CreateParams(ins, "img", {{"Reboot", true}}), "InvalidParameterValue", kRegion,
                  kSecretA, {}, {ins});
  }

  // The document's CreateImage makes ImageName required; an empty one names nothing (compare
  // D-31's InvalidKeyPairName.Empty). D-02: a value out of range is
  // InvalidParameterValue.
  TEST_CASE("CreateImage, ImportImage and ModifyImageAttribute: an empty ImageName gives InvalidParameterValue") {
    TestApi api;
    std::string ins = Stopped(api);
    std::string id = NormalImage(api, "named");
    ExpectRefused(api, "CreateImage", CreateParams(ins, ""), "InvalidParameterValue", kRegion, kSecretA, {}, {ins});
    ExpectRefused(api, "ImportImage",
                  {{"Architecture", "x86_64"}, {"OsType", "CentOS"}, {"OsVersion", "7"},
                   {"ImageUrl", "https://b.cos.ap-guangzhou.myqcloud.com/x.qcow2"}, {"ImageName", ""}},
                  "InvalidParameterValue");
    ExpectRefused(api, "ModifyImageAttribute", {{"ImageId", id}, {"ImageName", ""}}, "InvalidParameterValue");
  }

  // The new image's Platform, ImageSize and IsSupportCloudinit come from what
  // the instance was launched with, even once that image is gone (deleted, or
  // a share cancelled): the same disk always gives the same image.
  TEST_CASE("CreateImage: the image carries the instance's OS even after the image it was launched from is deleted") {
    TestApi api;
    std::string ubuntu = LaunchOne(api, {{"ImageId", "img-pi0ii46r"}});
    api.Advance(kPending);
    Ok(api, "StopInstances", {{"InstanceIds", {ubuntu}}});
    api.Advance(kStopping);
    std::string first = CreateImageOk(api, ubuntu, "first");
    api.Advance(kImageCreating);
    json expected = ImageOf(api, first);
    REQUIRE(expected["Platform"] == "Ubuntu");
    REQUIRE(expected["ImageSize"] == 20);

    std::string ins = LaunchOne(api, {{"ImageId", first}});
    api.Advance(kPending);
    Ok(api, "StopInstances", {{"InstanceIds", {ins}}});
    api.Advance(kStopping);
    json r = api.Call("DeleteImages", {{"ImageIds", {first}}});
    REQUIRE_MESSAGE(CodeOf(r) == "", r.dump());
    std::string second = CreateImageOk(api, ins, "second");
    json m = ImageOf(api, second);
    CHECK(m["OsName"] == expected["OsName"]);
    CHECK(m["Platform"] == "Ubuntu");
    CHECK(m["Architecture"] == "x86_64");
    CHECK(m["ImageSize"] == 20);
    CHECK(m["IsSupportCloudinit"] == true);
  }

  // D-114: the instance stops, the image is taken, the instance starts again;
  // a concurrent task on the instance → MutexOperation.TaskRunning, listed in
  // the document's CreateImage error table (docs/decisions.md D-24).
  TEST_CASE("CreateImage: while the image is CREATING the instance cannot be started or reinstalled") {
    TestApi api;
    std::string ins = Stopped(api);
    std::string reinstalled = Stopped(api);
    std::string id = CreateImageOk(api, ins, "capturing");
    CreateImageOk(api, reinstalled, "reinstalling");
    ExpectRefused(api, "StartInstances", {{"InstanceIds", {ins}}}, "MutexOperation.TaskRunning", kRegion, kSecretA,
                  {}, {ins});
    ExpectRefused(api, "ResetInstance", {{"InstanceId", reinstalled}}, "MutexOperation.TaskRunning", kRegion,
                  kSecretA, {}, {reinstalled});
    // With ForcePoweroff: STOPPED while imaged, then started by the emulator.
    std::string running = Running(api);
    CreateImageOk(api, running, "forced", {{"ForcePoweroff", "TRUE"}});
    api.Advance(kStopping);
    REQUIRE(StateOf(api, running) == "STOPPED");
    ExpectRefused(api, "StartInstances", {{"InstanceIds", {running}}}, "MutexOperation.TaskRunning", kRegion,
                  kSecretA, {}, {running});
    api.Advance(kImageCreating);
    CHECK(StateOfImage(api, id) == "NORMAL");
    Ok(api, "StartInstances", {{"InstanceIds", {ins}}});
  }

  // ---------------------------------------------------------------------
  // DeleteImages

  TEST_CASE("DeleteImages: deletes the batch; the images are gone from DescribeImages and their names are free") {
    TestApi api;
    std::string a = NormalImage(api, "a");
    std::string b = NormalImage(api, "b");
    std::string c = NormalImage(api, "c");
    json r = api.Call("DeleteImages", {{"ImageIds", {a, c, a}}});  // a repeated ID is deleted once
    REQUIRE_MESSAGE(CodeOf(r) == "", r.dump());
    CHECK(r.size() == 1);
    CHECK(ImageIdsOf(DescribeImagesOk(api, {{"ImageIds", {a, b, c}}})) == std::vector<std::string>{b});
    CHECK(CustomImages(api).size() == 1);
    ImportOk(api, "a");
  }

  TEST_CASE("DeleteImages: an image shared with another account gives InvalidImageId.InShared and deletes nothing") {
    TestApi api;
    std::string shared = NormalImage(api, "shared");
    std::string plain = NormalImage(api, "plain");
    SetSharing(api, shared, {kUinB});
    ExpectRefused(api, "DeleteImages", {{"ImageIds", {shared}}}, "InvalidImageId.InShared", kRegion, kSecretA,
                  {shared});
    ExpectRefused(api, "DeleteImages", {{"ImageIds", {plain, shared}}}, "InvalidImageId.InShared", kRegion, kSecretA,
                  {shared});
    CHECK(!ImageOf(api, plain).is_null());
    CHECK(!ImageOf(api, shared, kRegion, kSecretB).is_null());
    // Until the share is cancelled.
    SetSharing(api, shared, {kUinB}, "CANCEL");
    json r = api.Call("DeleteImages", {{"ImageIds", {plain, shared}}});
    REQUIRE_MESSAGE(CodeOf(r) == "", r.dump());
    CHECK(CustomImages(api).empty());
  }

  TEST_CASE("DeleteImages: a CREATING image, a source being synced, a public or a shared-with-me image gives "
            "InvalidImageId.IncorrectState") {
    TestApi api;
    std::string ins = Stopped(api);
    std::string creating = CreateImageOk(api, ins, "creating");
    ExpectRefused(api, "DeleteImages", {{"ImageIds", {creating}}}, "InvalidImageId.IncorrectState");
    std::string importing = ImportOk(api, "importing");
    ExpectRefused(api, "DeleteImages", {{"ImageIds", {importing}}}, "InvalidImageId.IncorrectState");
    api.Advance(kImageCreating);

    // The source of a running SyncImages, and the copy still SYNCING.
    std::string source = NormalImage(api, "source");
    json r = api.Call("SyncImages", {{"ImageIds", {source}}, {"DestinationRegions", {kOtherRegion}}});
    REQUIRE_MESSAGE(CodeOf(r) == "", r.dump());
    std::string copy = IdByName(api, "source", kOtherRegion);
    ExpectRefused(api, "DeleteImages", {{"ImageIds", {source}}}, "InvalidImageId.IncorrectState");
    ExpectRefused(api, "DeleteImages", {{"ImageIds", {copy}}}, "InvalidImageId.IncorrectState", kOtherRegion);

    // Public images cannot be deleted; nor can an image someone shares with you.
    ExpectRefused(api, "DeleteImages", {{"ImageIds", {kImage}}}, "InvalidImageId.IncorrectState");
    std::string b_image = NormalImage(api, "b-image", kRegion, kSecretB);
    SetSharing(api, b_image, {kUinA}, "SHARE", kRegion, kSecretB);
    ExpectRefused(api, "DeleteImages", {{"ImageIds", {b_image}}}, "InvalidImageId.IncorrectState");
    // One such image refuses the whole batch.
    ExpectRefused(api, "DeleteImages", {{"ImageIds", {creating, kImage}}}, "InvalidImageId.IncorrectState");

    api.Advance(kImageSyncing);
    r = api.Call("DeleteImages", {{"ImageIds", {source, creating, importing}}});
    REQUIRE_MESSAGE(CodeOf(r) == "", r.dump());
    r = api.Call("DeleteImages", {{"ImageIds", {copy}}}, kOtherRegion);
    REQUIRE_MESSAGE(CodeOf(r) == "", r.dump());
    CHECK(CustomImages(api).size() == 1);  // only B's shared image is left
  }

  TEST_CASE("DeleteImages: a malformed ID gives InvalidImageId.Malformed and deletes nothing") {
    TestApi api;
    std::string id = NormalImage(api, "kept");
    ExpectRefused(api, "DeleteImages", {{"ImageIds", {id, kMalformedImage}}}, "InvalidImageId.Malformed");
    ExpectRefused(api, "DeleteImages", {{"ImageIds", {"ins-abcd1234"}}}, "InvalidImageId.Malformed");
    ExpectRefused(api, "DeleteImages", {{"ImageIds", {"IMG-ABCD1234"}}}, "InvalidImageId.Malformed");
    CHECK(!ImageOf(api, id).is_null());
  }

  TEST_CASE("DeleteImages: an unknown image, another account's or another region's, gives InvalidImageId.NotFound") {
    TestApi api;
    std::string mine = NormalImage(api, "mine");
    std::string theirs = NormalImage(api, "theirs", kRegion, kSecretB);
    std::string elsewhere = NormalImage(api, "elsewhere", kOtherRegion);
    ExpectRefused(api, "DeleteImages", {{"ImageIds", {mine, kUnknownImage}}}, "InvalidImageId.NotFound");
    ExpectRefused(api, "DeleteImages", {{"ImageIds", {theirs}}}, "InvalidImageId.NotFound");
    ExpectRefused(api, "DeleteImages", {{"ImageIds", {elsewhere}}}, "InvalidImageId.NotFound");
    CHECK(!ImageOf(api, mine).is_null());
    CHECK(!ImageOf(api, theirs, kRegion, kSecretB).is_null());
    CHECK(!ImageOf(api, elsewhere, kOtherRegion).is_null());
  }

  TEST_CASE("DeleteImages: a missing ImageIds is MissingParameter") {
    TestApi api;
    NormalImage(api, "kept");
    ExpectRefused(api, "DeleteImages", json::object(), "MissingParameter");
  }

  // ---------------------------------------------------------------------
  // ModifyImageAttribute

  TEST_CASE("ModifyImageAttribute: renames an image and rewrites its description; nothing else changes") {
    TestApi api;
    std::string id = NormalImage(api, "old-name");
    json before = ImageOf(api, id);
    CHECK(before["ImageDescription"].is_null());
    json r = api.Call("ModifyImageAttribute", {{"ImageId", id}, {"ImageName", "new-name"}});
    REQUIRE_MESSAGE(CodeOf(r) == "", r.dump());
    CHECK(r.size() == 1);
    json after = ImageOf(api, id);
    CHECK(after["ImageName"] == "new-name");
    CHECK(after["ImageDescription"].is_null());
    r = api.Call("ModifyImageAttribute", {{"ImageId", id}, {"ImageDescription", "described"}});
    REQUIRE_MESSAGE(CodeOf(r) == "", r.dump());
    after = ImageOf(api, id);
    CHECK(after["ImageName"] == "new-name");
    CHECK(after["ImageDescription"] == "described");
    // Both at once; renaming to its own name is no conflict.
    r = api.Call("ModifyImageAttribute", {{"ImageId", id}, {"ImageName", "new-name"}, {"ImageDescription", ""}});
    REQUIRE_MESSAGE(CodeOf(r) == "", r.dump());
    after = ImageOf(api, id);
    CHECK(after["ImageDescription"] == "");
    json expected = before;
    expected["ImageName"] = "new-name";
    expected["ImageDescription"] = "";
    CHECK(after == expected);
    // The old name is free again.
    ImportOk(api, "old-name");
  }

  TEST_CASE("ModifyImageAttribute: a public image or one shared with the caller gives InvalidImageId.IncorrectState") {
    TestApi api;
    ExpectRefused(api, "ModifyImageAttribute", {{"ImageId", kImage}, {"ImageName", "mine-now"}},
                  "InvalidImageId.IncorrectState");
    CHECK(ImageOf(api, kImage)["ImageName"] == kImageOs);
    std::string shared = NormalImage(api, "shared");
    SetSharing(api, shared, {kUinB});
    ExpectRefused(api, "ModifyImageAttribute", {{"ImageId", shared}, {"ImageName", "renamed"}},
                  "InvalidImageId.IncorrectState", kRegion, kSecretB, {shared});
    ExpectRefused(api, "ModifyImageAttribute", {{"ImageId", shared}, {"ImageDescription", "d"}},
                  "InvalidImageId.IncorrectState", kRegion, kSecretB, {shared});
    // The owner still may.
    json r = api.Call("ModifyImageAttribute", {{"ImageId", shared}, {"ImageName", "renamed"}});
    REQUIRE_MESSAGE(CodeOf(r) == "", r.dump());
    CHECK(ImageOf(api, shared, kRegion, kSecretB)["ImageName"] == "renamed");
  }

  TEST_CASE("ModifyImageAttribute: a malformed ImageId gives InvalidImageId.Malformed") {
    TestApi api;
    NormalImage(api, "kept");
    ExpectRefused(api, "ModifyImageAttribute", {{"ImageId", kMalformedImage}, {"ImageName", "x"}},
                  "InvalidImageId.Malformed");
    ExpectRefused(api, "ModifyImageAttribute", {{"ImageId", "img-ABCD1234"}, {"ImageName", "x"}},
                  "InvalidImageId.Malformed");
  }

  TEST_CASE("ModifyImageAttribute: an unknown image, another account's or another region's, gives "
            "InvalidImageId.NotFound") {
    TestApi api;
    std::string theirs = NormalImage(api, "theirs", kRegion, kSecretB);
    std::string elsewhere = NormalImage(api, "elsewhere", kOtherRegion);
    ExpectRefused(api, "ModifyImageAttribute", {{"ImageId", kUnknownImage}, {"ImageName", "x"}},
                  "InvalidImageId.NotFound");
    ExpectRefused(api, "ModifyImageAttribute", {{"ImageId", theirs}, {"ImageName", "x"}}, "InvalidImageId.NotFound");
    ExpectRefused(api, "ModifyImageAttribute", {{"ImageId", elsewhere}, {"ImageName", "x"}},
                  "InvalidImageId.NotFound");
  }

  TEST_CASE("ModifyImageAttribute: a name another image of the account has gives InvalidImageName.Duplicate") {
    TestApi api;
    std::string first = NormalImage(api, "first");
    NormalImage(api, "second");
    ExpectRefused(api, "ModifyImageAttribute", {{"ImageId", first}, {"ImageName", "second"}},
                  "InvalidImageName.Duplicate");
    ExpectRefused(api, "ModifyImageAttribute",
                  {{"ImageId", first}, {"ImageName", "second"}, {"ImageDescription", "not applied"}},
                  "InvalidImageName.Duplicate");
    // Another account's or another region's names do not count.
    NormalImage(api, "b-name", kRegion, kSecretB);
    NormalImage(api, "sh-name", kOtherRegion);
    json r = api.Call("ModifyImageAttribute", {{"ImageId", first}, {"ImageName", "b-name"}});
    REQUIRE_MESSAGE(CodeOf(r) == "", r.dump());
    r = api.Call("ModifyImageAttribute", {{"ImageId", first}, {"ImageName", "sh-name"}});
    REQUIRE_MESSAGE(CodeOf(r) == "", r.dump());
  }

  TEST_CASE("ModifyImageAttribute: a name over 20 or a description over 60 characters gives "
            "InvalidParameter.ValueTooLarge") {
    TestApi api;
    std::string id = NormalImage(api, "kept");
    ExpectRefused(api, "ModifyImageAttribute", {{"ImageId", id}, {"ImageName", std::string(21, 'n')}},
                  "InvalidParameter.ValueTooLarge");
    ExpectRefused(api, "ModifyImageAttribute", {{"ImageId", id}, {"ImageDescription", std::string(61, 'd')}},
                  "InvalidParameter.ValueTooLarge");
    json r = api.Call("ModifyImageAttribute", {{"ImageId", id},
                                               {"ImageName", std::string(20, 'n')},
                                               {"ImageDescription", std::string(60, 'd')}});
    REQUIRE_MESSAGE(CodeOf(r) == "", r.dump());
  }

  TEST_CASE("ModifyImageAttribute: neither ImageName nor ImageDescription gives MissingParameter.AtLeastOne") {
    TestApi api;
    std::string id = NormalImage(api, "kept");
    ExpectRefused(api, "ModifyImageAttribute", {{"ImageId", id}}, "MissingParameter.AtLeastOne");
    ExpectRefused(api, "ModifyImageAttribute", {{"ImageName", "x"}}, "MissingParameter");
  }

  // ---------------------------------------------------------------------
  // DescribeImageQuota

  TEST_CASE("DescribeImageQuota: reports the default 10, then the configured default and per-account values") {
    TestApi api;
    json r = api.Call("DescribeImageQuota");
    REQUIRE_MESSAGE(CodeOf(r) == "", r.dump());
    CHECK(r["ImageNumQuota"] == 10);
    CHECK(r.size() == 2);  // ImageNumQuota and RequestId
    SetImageQuota(api, 3);
    CHECK(api.Call("DescribeImageQuota")["ImageNumQuota"] == 3);
    CHECK(api.Call("DescribeImageQuota", json::object(), kOtherRegion, kSecretB)["ImageNumQuota"] == 3);
    api.Control("/_emulator/quotas", {{"app_id", kAppB}, {"images", 7}});
    CHECK(api.Call("DescribeImageQuota", json::object(), kRegion, kSecretB)["ImageNumQuota"] == 7);
    CHECK(api.Call("DescribeImageQuota")["ImageNumQuota"] == 3);
    // The reported quota is the one enforced.
    for (int i = 0; i < 3; ++i) ImportOk(api, "i" + std::to_string(i));
    ExpectRefused(api, "ImportImage",
                  {{"Architecture", "x86_64"}, {"OsType", "CentOS"}, {"OsVersion", "7"},
                   {"ImageUrl", "https://b.cos.ap-guangzhou.myqcloud.com/x.qcow2"}, {"ImageName", "fourth"}},
                  "ImageQuotaLimitExceeded");
  }

  TEST_CASE("DescribeImageQuota: takes no parameters") {
    TestApi api;
    json r = api.Call("DescribeImageQuota", {{"ImageIds", {kImage}}});
    CHECK(CodeOf(r) == "UnknownParameter");
  }
}
