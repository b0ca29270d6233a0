// ModifyImageSharePermission, DescribeImageSharePermission and SyncImages
// through the in-process API (their sections of the document and the limits
// they state; D-27, D-28, D-135, D-141; docs/decisions.md D-10: account IDs are
// Uins). Every code of their tables the emulator can produce is produced
// here, each refusal read back to show nothing changed. The three codes of
// DescribeImageSharePermission's table cannot be produced (it takes no
// accounts); images_faults_test.cpp injects them.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <string>
#include <unistd.h>
#include <vector>

#include "state/clock.h"
#include "tests/handlers/image_test_support.h"

namespace {

using namespace cvm::testing;
using namespace cvm::testing::images;
using nlohmann::json;

// ---------------------------------------------------------------------------
// 52 accounts (A, B and 50 others) for the 50-share limit. TestApi takes a
// plain function pointer, so the file lives at a fixed path; it is written
// under a private name and renamed into place, so a concurrent run of the
// tests never reads half a file.

constexpr const char* kManyAccountsFile = "/tmp/cvm-images-share-test-accounts.json";
constexpr int kOthers = 50;

std::string OtherUin(int i) {
  std::string digits = std::to_string(i);
  return "2000000000" + std::string(2 - digits.size(), '0') + digits;
}

std::string OtherSecret(int i) {
  std::string digits = std::to_string(i);
  return "AKIDother" + std::string(27 - digits.size(), '0') + digits;
}

void WriteManyAccounts() {
  json accounts = json::array();
  accounts.push_back({{"AppId", kAppA},
                      {"Uin", kUinA},
                      {"Name", "a"},
                      {"Keys", {{{"SecretId", kSecretA}, {"SecretKey", "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE"}}}}});
  accounts.push_back({{"AppId", kAppB},
                      {"Uin", kUinB},
                      {"Name", "b"},
                      {"Keys", {{{"SecretId", kSecretB}, {"SecretKey", std::string(32, 'b')}}}}});
  for (int i = 0; i < kOthers; ++i) {
    std::string digits = std::to_string(i);
    accounts.push_back({{"AppId", 1250001000 + i},
                        {"Uin", OtherUin(i)},
                        {"Name", "other-" + digits},
                        {"Keys",
                         {{{"SecretId", OtherSecret(i)},
                           {"SecretKey", std::string(32, 'o')}}}}});
  }
  std::string temporary = std::string(kManyAccountsFile) + "." + std::to_string(::getpid());
  {
    std::ofstream out(temporary);
    out << json{{"accounts", accounts}}.dump();
  }
  REQUIRE(std::rename(temporary.c_str(), kManyAccountsFile) == 0);
}

void UseManyAccounts(cvm::server::EmulatorOptions& options) { options.accounts_file = kManyAccountsFile; }

// ---------------------------------------------------------------------------

json ShareParams(const std::string& image_id, const json& accounts, const std::string& permission = "SHARE") {
  return {{"ImageId", image_id}, {"AccountIds", accounts}, {"Permission", permission}};
}

json SyncParams(const std::string& image_id, const json& regions) {
  return {{"ImageIds", {image_id}}, {"DestinationRegions", regions}};
}

void SyncOk(TestApi& api, const std::string& image_id, const json& regions, const std::string& region = kRegion) {
  json r = api.Call("SyncImages", SyncParams(image_id, regions), region);
  REQUIRE_MESSAGE(CodeOf(r) == "", r.dump());
  CHECK(r.size() == 1);
}

std::vector<std::string> AccountsOf(const json& shares) {
  std::vector<std::string> out;
  for (const json& s : shares) out.push_back(s["AccountId"].get<std::string>());
  return out;
}

// A stopped instance in `region` (A's).
std::string StoppedIn(TestApi& api, const std::string& region) {
  std::string id = LaunchOne(api, json::object(), region);
  api.Advance(kPending);
  json r = api.Call("StopInstances", {{"InstanceIds", {id}}}, region);
  REQUIRE_MESSAGE(CodeOf(r) == "", r.dump());
  api.Advance(kStopping);
  REQUIRE(StateOf(api, id, region) == "STOPPED");
  return id;
}

}  // namespace

TEST_SUITE("handlers") {
  // ---------------------------------------------------------------------
  // ModifyImageSharePermission / DescribeImageSharePermission

  TEST_CASE("ModifyImageSharePermission: SHARE lists the account with its time; CANCEL takes it back") {
    TestApi api;
    std::string id = NormalImage(api, "shared");
    CHECK(SharesOf(api, id) == json::array());
    int64_t shared_at = api.NowSeconds();
    json r = api.Call("ModifyImageSharePermission", ShareParams(id, {kUinB}));
    REQUIRE_MESSAGE(CodeOf(r) == "", r.dump());
    CHECK(r.size() == 1);
    json shares = SharesOf(api, id);
    REQUIRE(shares.size() == 1);
    CHECK(shares[0]["AccountId"] == kUinB);
    CHECK(shares[0]["CreatedTime"] == cvm::state::FormatIso8601(shared_at));
    CHECK(shares[0].size() == 2);
    // Sharing again, or naming the account twice, lists it once.
    api.Advance(10);
    SetSharing(api, id, {kUinB, kUinB});
    CHECK(AccountsOf(SharesOf(api, id)) == std::vector<std::string>{kUinB});
    CHECK(ImageOf(api, id, kRegion, kSecretB)["ImageType"] == "SHARED_IMAGE");

    SetSharing(api, id, {kUinB}, "CANCEL");
    CHECK(SharesOf(api, id) == json::array());
    CHECK(ImageOf(api, id, kRegion, kSecretB).is_null());
    // Cancelling a share that does not exist changes nothing.
    SetSharing(api, id, {kUinB}, "CANCEL");
    CHECK(SharesOf(api, id) == json::array());
  }

  TEST_CASE("DescribeImageSharePermission: lists AccountId (the Uin) and CreatedTime, oldest share first") {
    WriteManyAccounts();
    TestApi api(UseManyAccounts);
    std::string id = NormalImage(api, "shared");
    SetSharing(api, id, {OtherUin(7)});
    api.Advance(5);
    SetSharing(api, id, {kUinB, OtherUin(3)});
    json shares = SharesOf(api, id);
    REQUIRE(shares.size() == 3);
    CHECK(shares[0]["AccountId"] == OtherUin(7));
    CHECK(shares[0]["CreatedTime"] == cvm::state::FormatIso8601(api.NowSeconds() - 5));
    for (int i = 1; i < 3; ++i) CHECK(shares[i]["CreatedTime"] == cvm::state::FormatIso8601(api.NowSeconds()));
    std::vector<std::string> later = {shares[1]["AccountId"].get<std::string>(),
                                      shares[2]["AccountId"].get<std::string>()};
    std::sort(later.begin(), later.end());
    CHECK(later == std::vector<std::string>{kUinB, OtherUin(3)});
    // Every receiver sees it; a receiver cannot read the list (only the owner).
    CHECK(ImageOf(api, id, kRegion, OtherSecret(7))["ImageType"] == "SHARED_IMAGE");
    ExpectRefused(api, "DescribeImageSharePermission", {{"ImageId", id}}, "InvalidImageId.IncorrectState", kRegion,
                  kSecretB, {id});
  }

  TEST_CASE("DescribeImageSharePermission: an unknown, malformed or public image gives its InvalidImageId code") {
    TestApi api;
    std::string theirs = NormalImage(api, "theirs", kRegion, kSecretB);
    ExpectRefused(api, "DescribeImageSharePermission", {{"ImageId", kUnknownImage}}, "InvalidImageId.NotFound");
    ExpectRefused(api, "DescribeImageSharePermission", {{"ImageId", theirs}}, "InvalidImageId.NotFound");
    ExpectRefused(api, "DescribeImageSharePermission", {{"ImageId", kMalformedImage}}, "InvalidImageId.Malformed");
    ExpectRefused(api, "DescribeImageSharePermission", {{"ImageId", kImage}}, "InvalidImageId.IncorrectState");
    ExpectRefused(api, "DescribeImageSharePermission", json::object(), "MissingParameter");
  }

  TEST_CASE("ModifyImageSharePermission: an unknown account gives InvalidAccountId.NotFound and shares with no one") {
    TestApi api;
    std::string id = NormalImage(api, "img");
    ExpectRefused(api, "ModifyImageSharePermission", ShareParams(id, {"100000000999"}), "InvalidAccountId.NotFound",
                  kRegion, kSecretA, {id});
    ExpectRefused(api, "ModifyImageSharePermission", ShareParams(id, {kUinB, "100000000999"}),
                  "InvalidAccountId.NotFound", kRegion, kSecretA, {id});
    CHECK(ImageOf(api, id, kRegion, kSecretB).is_null());
    SetSharing(api, id, {kUinB});
    ExpectRefused(api, "ModifyImageSharePermission", ShareParams(id, {kUinB, "100000000999"}, "CANCEL"),
                  "InvalidAccountId.NotFound", kRegion, kSecretA, {id});
    CHECK(AccountsOf(SharesOf(api, id)) == std::vector<std::string>{kUinB});
    // Account IDs are numeric (D-10): anything else is a malformed value.
    ExpectRefused(api, "ModifyImageSharePermission", ShareParams(id, {"account-b"}), "InvalidParameterValue",
                  kRegion, kSecretA, {id});
    ExpectRefused(api, "ModifyImageSharePermission", ShareParams(id, {kUinB}, "READ"), "InvalidParameterValue",
                  kRegion, kSecretA, {id});
  }

  TEST_CASE("ModifyImageSharePermission: sharing with yourself gives InvalidAccountIs.YourSelf and shares with no one") {
    TestApi api;
    std::string id = NormalImage(api, "img");
    ExpectRefused(api, "ModifyImageSharePermission", ShareParams(id, {kUinA}), "InvalidAccountIs.YourSelf", kRegion,
                  kSecretA, {id});
    ExpectRefused(api, "ModifyImageSharePermission", ShareParams(id, {kUinB, kUinA}), "InvalidAccountIs.YourSelf",
                  kRegion, kSecretA, {id});
    CHECK(SharesOf(api, id) == json::array());
  }

  TEST_CASE("ModifyImageSharePermission: more than 50 accounts gives OverQuota") {
    WriteManyAccounts();
    TestApi api(UseManyAccounts);
    std::string id = NormalImage(api, "popular");
    json fifty_one = {kUinB};
    for (int i = 0; i < kOthers; ++i) fifty_one.push_back(OtherUin(i));
    REQUIRE(fifty_one.size() == 51);
    ExpectRefused(api, "ModifyImageSharePermission", ShareParams(id, fifty_one), "OverQuota", kRegion, kSecretA,
                  {id});
    CHECK(SharesOf(api, id).empty());

    json fifty = fifty_one;
    fifty.erase(fifty.size() - 1);
    SetSharing(api, id, fifty);
    CHECK(SharesOf(api, id).size() == 50);
    ExpectRefused(api, "ModifyImageSharePermission", ShareParams(id, {OtherUin(kOthers - 1)}), "OverQuota", kRegion,
                  kSecretA, {id});
    // Accounts already shared with do not count twice.
    SetSharing(api, id, {kUinB, OtherUin(0)});
    CHECK(SharesOf(api, id).size() == 50);
    // Cancelling one makes room.
    SetSharing(api, id, {kUinB}, "CANCEL");
    SetSharing(api, id, {OtherUin(kOthers - 1)});
    CHECK(SharesOf(api, id).size() == 50);
    // The limit is per image.
    std::string other = NormalImage(api, "other");
    SetSharing(api, other, fifty);
  }

  TEST_CASE("ModifyImageSharePermission: a CREATING, public or shared-with-me image gives InvalidImageId.IncorrectState") {
    TestApi api;
    std::string ins = Stopped(api);
    std::string creating = CreateImageOk(api, ins, "creating");
    ExpectRefused(api, "ModifyImageSharePermission", ShareParams(creating, {kUinB}), "InvalidImageId.IncorrectState");
    CHECK(ImageOf(api, creating, kRegion, kSecretB).is_null());
    std::string importing = ImportOk(api, "importing");
    ExpectRefused(api, "ModifyImageSharePermission", ShareParams(importing, {kUinB}),
                  "InvalidImageId.IncorrectState");
    ExpectRefused(api, "ModifyImageSharePermission", ShareParams(kImage, {kUinB}), "InvalidImageId.IncorrectState");
    api.Advance(kImageCreating);
    SetSharing(api, creating, {kUinB});
    // The receiver cannot pass the image on, nor take its own access back.
    ExpectRefused(api, "ModifyImageSharePermission", ShareParams(creating, {kUinA}), "InvalidImageId.IncorrectState",
                  kRegion, kSecretB, {creating});
    ExpectRefused(api, "ModifyImageSharePermission", ShareParams(creating, {kUinA}, "CANCEL"),
                  "InvalidImageId.IncorrectState", kRegion, kSecretB, {creating});
  }

  TEST_CASE("ModifyImageSharePermission: an unknown or malformed image gives InvalidImageId.NotFound / .Malformed") {
    TestApi api;
    std::string theirs = NormalImage(api, "theirs", kRegion, kSecretB);
    std::string elsewhere = NormalImage(api, "elsewhere", kOtherRegion);
    ExpectRefused(api, "ModifyImageSharePermission", ShareParams(kUnknownImage, {kUinB}), "InvalidImageId.NotFound");
    ExpectRefused(api, "ModifyImageSharePermission", ShareParams(theirs, {kUinB}), "InvalidImageId.NotFound");
    ExpectRefused(api, "ModifyImageSharePermission", ShareParams(elsewhere, {kUinB}), "InvalidImageId.NotFound");
    ExpectRefused(api, "ModifyImageSharePermission", ShareParams(kMalformedImage, {kUinB}),
                  "InvalidImageId.Malformed");
  }

  TEST_CASE("Shared images: the receiver can launch from one in its region but cannot delete, modify, share or "
            "sync it") {
    TestApi api;
    std::string ins = LaunchOne(api, {{"ImageId", "img-pi0ii46r"}});  // Ubuntu 18.04
    api.Advance(kPending);
    Ok(api, "StopInstances", {{"InstanceIds", {ins}}});
    api.Advance(kStopping);
    std::string id = CreateImageOk(api, ins, "ubuntu-web");
    api.Advance(kImageCreating);
    SetSharing(api, id, {kUinB});

    std::string b_ins = LaunchOne(api, {{"ImageId", id}}, kRegion, kSecretB);
    json in = Describe(api, b_ins, kRegion, kSecretB);
    CHECK(in["ImageId"] == id);
    CHECK(in["OsName"] == "Ubuntu Server 18.04.1 LTS 64位");

    ExpectRefused(api, "DeleteImages", {{"ImageIds", {id}}}, "InvalidImageId.IncorrectState", kRegion, kSecretB, {id});
    ExpectRefused(api, "ModifyImageAttribute", {{"ImageId", id}, {"ImageName", "mine"}},
                  "InvalidImageId.IncorrectState", kRegion, kSecretB, {id});
    ExpectRefused(api, "ModifyImageSharePermission", ShareParams(id, {kUinA}), "InvalidImageId.IncorrectState",
                  kRegion, kSecretB, {id});
    ExpectRefused(api, "SyncImages", SyncParams(id, {kOtherRegion}), "InvalidImageId.IncorrectState", kRegion,
                  kSecretB, {id});
    // Sharing reaches only the image's region (D-22).
    CHECK(ImageOf(api, id, kOtherRegion, kSecretB).is_null());
    json r = api.Call("RunInstances", RunParams({{"ImageId", id}}, "ap-shanghai-2"), kOtherRegion, kSecretB);
    CHECK_MESSAGE(CodeOf(r) == "InvalidImageId.NotFound", r.dump());

    // The owner cannot delete it while shared; after CANCEL the receiver
    // loses it (its instance stays), and the owner may delete it.
    ExpectRefused(api, "DeleteImages", {{"ImageIds", {id}}}, "InvalidImageId.InShared", kRegion, kSecretA, {id});
    SetSharing(api, id, {kUinB}, "CANCEL");
    r = api.Call("RunInstances", RunParams({{"ImageId", id}}), kRegion, kSecretB);
    CHECK_MESSAGE(CodeOf(r) == "InvalidImageId.NotFound", r.dump());
    CHECK(Describe(api, b_ins, kRegion, kSecretB)["ImageId"] == id);
    r = api.Call("DeleteImages", {{"ImageIds", {id}}});
    CHECK_MESSAGE(CodeOf(r) == "", r.dump());
  }

  // ---------------------------------------------------------------------
  // SyncImages

  TEST_CASE("SyncImages: the copy is SYNCING with the source's progress, NORMAL after 60 s, and only then launchable") {
    TestApi api;
    std::string source = NormalImage(api, "golden");
    json original = ImageOf(api, source);
    int64_t synced_at = api.NowSeconds();
    SyncOk(api, source, {kOtherRegion});

    std::string copy = IdByName(api, "golden", kOtherRegion);
    CHECK(copy != source);
    json c = ImageOf(api, copy, kOtherRegion);
    CHECK(c["ImageState"] == "SYNCING");
    CHECK(c["SyncPercent"] == 0);
    CHECK(c["ImageType"] == "PRIVATE_IMAGE");
    CHECK(c["CreatedTime"] == cvm::state::FormatIso8601(synced_at));
    for (const char* same : {"ImageName", "ImageDescription", "OsName", "Platform", "Architecture", "ImageSize",
                             "ImageCreator", "ImageSource", "IsSupportCloudinit"}) {
      CAPTURE(same);
      CHECK(c[same] == original[same]);
    }
    json s = ImageOf(api, source);
    CHECK(s["ImageState"] == "NORMAL");
    CHECK(s["SyncPercent"] == 0);
    // Each image only in its own region.
    CHECK(ImageOf(api, copy).is_null());
    CHECK(ImageOf(api, source, kOtherRegion).is_null());

    api.Advance(kImageSyncing / 2);
    CHECK(ImageOf(api, source)["SyncPercent"] == 50);
    CHECK(ImageOf(api, copy, kOtherRegion)["SyncPercent"] == 50);
    // The source cannot be deleted while the copy runs.
    ExpectRefused(api, "DeleteImages", {{"ImageIds", {source}}}, "InvalidImageId.IncorrectState");
    api.Advance(kImageSyncing / 2 - 1);
    CHECK(StateOfImage(api, copy, kOtherRegion) == "SYNCING");
    json r = api.Call("RunInstances", RunParams({{"ImageId", copy}}, "ap-shanghai-2"), kOtherRegion);
    CHECK_MESSAGE(CodeOf(r) == "InvalidImageId.IncorrectState", r.dump());
    CHECK(TotalCount(api, kOtherRegion) == 0);
    // The source itself stays usable in its region meanwhile.
    LaunchOne(api, {{"ImageId", source}});

    api.Advance(1);
    json done = ImageOf(api, copy, kOtherRegion);
    CHECK(done["ImageState"] == "NORMAL");
    CHECK(done["SyncPercent"] == 100);
    CHECK(ImageOf(api, source)["SyncPercent"] == 100);
    std::string launched = LaunchOne(api, {{"ImageId", copy}}, kOtherRegion);
    CHECK(Describe(api, launched, kOtherRegion)["ImageId"] == copy);
    CHECK(Describe(api, launched, kOtherRegion)["OsName"] == original["OsName"]);
    // Both can now be deleted independently.
    r = api.Call("DeleteImages", {{"ImageIds", {source}}});
    CHECK_MESSAGE(CodeOf(r) == "", r.dump());
    CHECK(ImageOf(api, copy, kOtherRegion)["ImageState"] == "NORMAL");
  }

  TEST_CASE("SyncImages: several destinations get a copy each; the copies count against each region's quota") {
    TestApi api;
    std::string source = NormalImage(api, "multi");
    SyncOk(api, source, {kOtherRegion, "ap-beijing", kOtherRegion});
    CHECK(CustomImages(api, kOtherRegion).size() == 1);
    CHECK(CustomImages(api, "ap-beijing").size() == 1);
    SetImageQuota(api, 1);
    api.Advance(kImageSyncing);
    json r = api.Call("ImportImage", {{"Architecture", "x86_64"}, {"OsType", "CentOS"}, {"OsVersion", "7"},
                                      {"ImageUrl", "https://b.cos.ap-beijing.myqcloud.com/x.qcow2"},
                                      {"ImageName", "second"}},
                      "ap-beijing");
    CHECK(CodeOf(r) == "ImageQuotaLimitExceeded");
  }

  TEST_CASE("SyncImages: two ImageIds give InvalidParameterValue.LimitExceeded") {
    TestApi api;
    std::string one = NormalImage(api, "one");
    std::string two = NormalImage(api, "two");
    ExpectRefused(api, "SyncImages", {{"ImageIds", {one, two}}, {"DestinationRegions", {kOtherRegion}}},
                  "InvalidParameterValue.LimitExceeded");
    ExpectRefused(api, "SyncImages", {{"ImageIds", {one, one}}, {"DestinationRegions", {kOtherRegion}}},
                  "InvalidParameterValue.LimitExceeded");
    ExpectRefused(api, "SyncImages", {{"DestinationRegions", {kOtherRegion}}}, "MissingParameter");
    ExpectRefused(api, "SyncImages", {{"ImageIds", {one}}}, "MissingParameter");
  }

  TEST_CASE("SyncImages: an unknown destination region gives InvalidRegion.NotFound and copies nowhere") {
    TestApi api;
    std::string source = NormalImage(api, "src");
    ExpectRefused(api, "SyncImages", SyncParams(source, {"ap-nowhere"}), "InvalidRegion.NotFound");
    ExpectRefused(api, "SyncImages", SyncParams(source, {kOtherRegion, "ap-nowhere"}), "InvalidRegion.NotFound");
    ExpectRefused(api, "SyncImages", SyncParams(source, {"Shanghai"}), "InvalidRegion.NotFound");
    ExpectRefused(api, "SyncImages", SyncParams(source, {"ap-shanghai-1"}), "InvalidRegion.NotFound");
    CHECK(CustomImages(api, kOtherRegion).empty());
    CHECK(ImageOf(api, source)["SyncPercent"] == 100);
  }

  TEST_CASE("SyncImages: the image's own region, or across the finance boundary, gives InvalidRegion.Unavailable") {
    TestApi api;
    std::string source = NormalImage(api, "src");
    ExpectRefused(api, "SyncImages", SyncParams(source, {kRegion}), "InvalidRegion.Unavailable");
    ExpectRefused(api, "SyncImages", SyncParams(source, {kOtherRegion, kRegion}), "InvalidRegion.Unavailable");
    ExpectRefused(api, "SyncImages", SyncParams(source, {kFinanceRegion}), "InvalidRegion.Unavailable");
    ExpectRefused(api, "SyncImages", SyncParams(source, {kOtherRegion, "ap-shenzhen-fsi"}),
                  "InvalidRegion.Unavailable");
    CHECK(CustomImages(api, kOtherRegion).empty());
    CHECK(CustomImages(api, kFinanceRegion).empty());

    // From a finance region: only to the other finance region.
    std::string ins = StoppedIn(api, kFinanceRegion);
    std::string fsi = CreateImageOk(api, ins, "fsi-image", json::object(), kFinanceRegion);
    api.Advance(kImageCreating);
    json r = api.Call("SyncImages", SyncParams(fsi, {kOtherRegion}), kFinanceRegion);
    CHECK_MESSAGE(CodeOf(r) == "InvalidRegion.Unavailable", r.dump());
    CHECK(CustomImages(api, kOtherRegion).empty());
    SyncOk(api, fsi, {"ap-shenzhen-fsi"}, kFinanceRegion);
    CHECK(CustomImages(api, "ap-shenzhen-fsi").size() == 1);
  }

  TEST_CASE("SyncImages: an image of 50 GB or more (Windows) gives InvalidImageId.TooLarge") {
    TestApi api;
    std::string imported = ImportOk(api, "win", kRegion, kSecretA, "Windows Server 2016", "-");
    api.Advance(kImageCreating);
    REQUIRE(ImageOf(api, imported)["ImageSize"] == 50);
    ExpectRefused(api, "SyncImages", SyncParams(imported, {kOtherRegion}), "InvalidImageId.TooLarge");
    // Captured from a Windows instance: its image's 50 GB.
    std::string ins = LaunchOne(api, {{"ImageId", kWindowsImage}});
    api.Advance(kPending);
    Ok(api, "StopInstances", {{"InstanceIds", {ins}}});
    api.Advance(kStopping);
    std::string captured = CreateImageOk(api, ins, "win-captured");
    api.Advance(kImageCreating);
    json m = ImageOf(api, captured);
    CHECK(m["ImageSize"] == 50);
    CHECK(m["Platform"] == "Windows");
    ExpectRefused(api, "SyncImages", SyncParams(captured, {kOtherRegion}), "InvalidImageId.TooLarge");
    CHECK(CustomImages(api, kOtherRegion).empty());
  }

  TEST_CASE("SyncImages: a CREATING, IMPORTING, SYNCING or public image gives InvalidImageId.IncorrectState") {
    TestApi api;
    std::string ins = Stopped(api);
    std::string creating = CreateImageOk(api, ins, "creating");
    ExpectRefused(api, "SyncImages", SyncParams(creating, {kOtherRegion}), "InvalidImageId.IncorrectState");
    std::string importing = ImportOk(api, "importing");
    ExpectRefused(api, "SyncImages", SyncParams(importing, {kOtherRegion}), "InvalidImageId.IncorrectState");
    ExpectRefused(api, "SyncImages", SyncParams(kImage, {kOtherRegion}), "InvalidImageId.IncorrectState");
    api.Advance(kImageCreating);
    SyncOk(api, creating, {kOtherRegion});
    std::string copy = IdByName(api, "creating", kOtherRegion);
    ExpectRefused(api, "SyncImages", SyncParams(copy, {"ap-beijing"}), "InvalidImageId.IncorrectState",
                  kOtherRegion);
    api.Advance(kImageSyncing);
    SyncOk(api, copy, {"ap-beijing"}, kOtherRegion);
    CHECK(CustomImages(api, "ap-beijing").size() == 1);
  }

  TEST_CASE("SyncImages: an unknown image, another account's or another region's, gives InvalidImageId.NotFound") {
    TestApi api;
    std::string theirs = NormalImage(api, "theirs", kRegion, kSecretB);
    std::string elsewhere = NormalImage(api, "elsewhere", "ap-beijing");
    ExpectRefused(api, "SyncImages", SyncParams(kUnknownImage, {kOtherRegion}), "InvalidImageId.NotFound");
    ExpectRefused(api, "SyncImages", SyncParams(theirs, {kOtherRegion}), "InvalidImageId.NotFound");
    ExpectRefused(api, "SyncImages", SyncParams(elsewhere, {kOtherRegion}), "InvalidImageId.NotFound");
  }

  TEST_CASE("SyncImages: a malformed image ID gives InvalidImageId.Malformed") {
    TestApi api;
    ExpectRefused(api, "SyncImages", SyncParams(kMalformedImage, {kOtherRegion}), "InvalidImageId.Malformed");
  }

  TEST_CASE("SyncImages: a full destination gives ImageQuotaLimitExceeded and copies nowhere") {
    TestApi api;
    SetImageQuota(api, 2);
    std::string source = NormalImage(api, "src");
    NormalImage(api, "sh-1", kOtherRegion);
    NormalImage(api, "sh-2", kOtherRegion);
    ExpectRefused(api, "SyncImages", SyncParams(source, {kOtherRegion}), "ImageQuotaLimitExceeded");
    ExpectRefused(api, "SyncImages", SyncParams(source, {"ap-beijing", kOtherRegion}), "ImageQuotaLimitExceeded");
    CHECK(CustomImages(api, "ap-beijing").empty());
    CHECK(ImageOf(api, source)["SyncPercent"] == 100);
    // A full source region does not matter.
    NormalImage(api, "src-2");
    SyncOk(api, source, {"ap-beijing"});
  }

  TEST_CASE("SyncImages: a name the account already uses at the destination gives InvalidImageName.Duplicate") {
    TestApi api;
    std::string source = NormalImage(api, "same");
    NormalImage(api, "same", kOtherRegion);
    ExpectRefused(api, "SyncImages", SyncParams(source, {kOtherRegion}), "InvalidImageName.Duplicate");
    ExpectRefused(api, "SyncImages", SyncParams(source, {"ap-beijing", kOtherRegion}), "InvalidImageName.Duplicate");
    CHECK(CustomImages(api, "ap-beijing").empty());
    // Syncing twice to the same region: the first copy holds the name.
    SyncOk(api, source, {"ap-beijing"});
    api.Advance(kImageSyncing);
    ExpectRefused(api, "SyncImages", SyncParams(source, {"ap-beijing"}), "InvalidImageName.Duplicate");
    // B's names are B's.
    NormalImage(api, "b-same", kRegion, kSecretB);
    json r = api.Call("ModifyImageAttribute", {{"ImageId", source}, {"ImageName", "b-same"}});
    REQUIRE(CodeOf(r) == "");
    NormalImage(api, "b-same", "ap-chengdu", kSecretB);
    SyncOk(api, source, {"ap-chengdu"});
  }
}
