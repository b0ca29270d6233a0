// DescribeImages, ImportImage and DescribeImportImageOs through the
// in-process API (their sections of the document with their Filters and
// Offset/Limit rows; D-110, D-115, D-136, D-143). Every code of their error tables
// is produced here; refusals are read back to show nothing changed.
#include <doctest/doctest.h>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "state/clock.h"
#include "tests/handlers/image_test_support.h"

namespace {

using namespace cvm::testing;
using namespace cvm::testing::images;
using nlohmann::json;

json ImportParams(const std::string& name, const json& extra = json::object()) {
  json p = {{"Architecture", "x86_64"},
            {"OsType", "CentOS"},
            {"OsVersion", "7"},
            {"ImageUrl", "https://images-1250000000.cos.ap-guangzhou.myqcloud.com/centos7.qcow2"},
            {"ImageName", name}};
  if (!extra.is_null()) p.update(extra);
  return p;
}

json Filter(const std::string& name, const json& values) { return {{"Name", name}, {"Values", values}}; }

std::vector<std::string> Types(const json& describe) {
  std::vector<std::string> out;
  for (const json& m : describe["ImageSet"]) out.push_back(m["ImageType"].get<std::string>());
  return out;
}

}  // namespace

TEST_SUITE("handlers") {
  // ---------------------------------------------------------------------
  // DescribeImages

  TEST_CASE("DescribeImages: public images are visible to every account; a private image only to its owner, "
            "in its region") {
    TestApi api;
    json a = DescribeImagesOk(api, {{"Limit", 100}});
    CHECK(a["TotalCount"] == kPublicImages);
    for (const json& m : a["ImageSet"]) {
      CHECK(m["ImageType"] == "PUBLIC_IMAGE");
      CHECK(m["ImageState"] == "NORMAL");
    }
    CHECK(DescribeImagesOk(api, {{"Limit", 100}}, kRegion, kSecretB)["ImageSet"] == a["ImageSet"]);
    json centos = ImageOf(api, kImage);
    REQUIRE(!centos.is_null());
    CHECK(centos["OsName"] == kImageOs);
    CHECK(centos["ImageSize"] == 20);
    CHECK(ImageOf(api, kImage, kOtherRegion, kSecretB)["OsName"] == kImageOs);

    std::string id = NormalImage(api, "private");
    CHECK(DescribeImagesOk(api)["TotalCount"] == kPublicImages + 1);
    CHECK(ImageOf(api, id)["ImageType"] == "PRIVATE_IMAGE");
    // Not to B, not in another region, by ID or in the full list.
    CHECK(ImageOf(api, id, kRegion, kSecretB).is_null());
    CHECK(ImageOf(api, id, kOtherRegion).is_null());
    CHECK(DescribeImagesOk(api, {}, kRegion, kSecretB)["TotalCount"] == kPublicImages);
    CHECK(DescribeImagesOk(api, {}, kOtherRegion)["TotalCount"] == kPublicImages);
  }

  TEST_CASE("DescribeImages: a shared image is a SHARED_IMAGE for the receiver until the share is cancelled") {
    TestApi api;
    std::string id = NormalImage(api, "to-share");
    SetSharing(api, id, {kUinB});
    json seen = ImageOf(api, id, kRegion, kSecretB);
    REQUIRE(!seen.is_null());
    CHECK(seen["ImageType"] == "SHARED_IMAGE");
    CHECK(seen["ImageCreator"] == kUinA);
    json own = ImageOf(api, id);
    CHECK(own["ImageType"] == "PRIVATE_IMAGE");
    own["ImageType"] = "SHARED_IMAGE";
    CHECK(seen == own);
    CHECK(ImageIdsOf(DescribeImagesOk(api, {{"Filters", {Filter("image-type", {"SHARED_IMAGE"})}}}, kRegion,
                                      kSecretB)) == std::vector<std::string>{id});
    CHECK(DescribeImagesOk(api, {{"Filters", {Filter("image-type", {"SHARED_IMAGE"})}}})["TotalCount"] == 0);
    // Not in the receiver's other regions (D-22).
    CHECK(ImageOf(api, id, kOtherRegion, kSecretB).is_null());
    SetSharing(api, id, {kUinB}, "CANCEL");
    CHECK(ImageOf(api, id, kRegion, kSecretB).is_null());
    CHECK(DescribeImagesOk(api, {}, kRegion, kSecretB)["TotalCount"] == kPublicImages);
  }

  TEST_CASE("DescribeImages: filters image-id, image-type and image-state; filters ANDed, values ORed") {
    TestApi api;
    std::string normal = NormalImage(api, "normal");
    std::string ins = Stopped(api);
    std::string creating = CreateImageOk(api, ins, "creating");
    std::string importing = ImportOk(api, "importing");

    auto ids = [&](const std::vector<json>& filters) {
      json r = DescribeImagesOk(api, {{"Filters", json(filters)}, {"Limit", 100}});
      CHECK(r["TotalCount"] == r["ImageSet"].size());
      return ImageIdsOf(r);
    };
    CHECK(ids({Filter("image-id", {normal, kImage, kUnknownImage})}) == std::vector<std::string>{kImage, normal});
    CHECK(ids({Filter("image-type", {"PRIVATE_IMAGE"})}) == std::vector<std::string>{normal, creating, importing});
    CHECK(ids({Filter("image-type", {"PUBLIC_IMAGE"})}).size() == kPublicImages);
    CHECK(ids({Filter("image-state", {"CREATING"})}) == std::vector<std::string>{creating});
    CHECK(ids({Filter("image-state", {"IMPORTING"})}) == std::vector<std::string>{importing});
    CHECK(ids({Filter("image-state", {"CREATING", "IMPORTING"})}) == std::vector<std::string>{creating, importing});
    CHECK(ids({Filter("image-state", {"NORMAL"})}).size() == kPublicImages + 1);
    CHECK(ids({Filter("image-state", {"NORMAL"}), Filter("image-type", {"PRIVATE_IMAGE"})}) ==
          std::vector<std::string>{normal});
    CHECK(ids({Filter("image-id", {normal, creating}), Filter("image-state", {"CREATING"})}) ==
          std::vector<std::string>{creating});
    CHECK(ids({Filter("image-type", {"SHARED_IMAGE"})}).empty());
    CHECK(ids({Filter("image-state", {"creating"})}).empty());  // values match exactly

    api.Advance(kImageCreating);
    CHECK(ids({Filter("image-state", {"CREATING", "IMPORTING"})}).empty());
    CHECK(ids({Filter("image-state", {"NORMAL"}), Filter("image-type", {"PRIVATE_IMAGE"})}) ==
          std::vector<std::string>{normal, creating, importing});
  }

  TEST_CASE("DescribeImages: ImageIds picks images; unknown IDs are just absent; malformed ones are "
            "InvalidImageId.Malformed") {
    TestApi api;
    std::string id = NormalImage(api, "mine");
    json r = DescribeImagesOk(api, {{"ImageIds", {id, kUnknownImage, kImage}}});
    CHECK(r["TotalCount"] == 2);
    std::set<std::string> got;
    for (const std::string& i : ImageIdsOf(r)) got.insert(i);
    CHECK(got == std::set<std::string>{id, kImage});
    ExpectRefused(api, "DescribeImages", {{"ImageIds", {id, kMalformedImage}}}, "InvalidImageId.Malformed");
    ExpectRefused(api, "DescribeImages", {{"Filters", {Filter("image-id", {kMalformedImage})}}},
                  "InvalidImageId.Malformed");
  }

  TEST_CASE("DescribeImages: ImageIds with Filters gives InvalidParameter.InvalidParameterCoexistImageIdsFilters") {
    TestApi api;
    std::string id = NormalImage(api, "mine");
    ExpectRefused(api, "DescribeImages",
                  {{"ImageIds", {id}}, {"Filters", {Filter("image-type", {"PRIVATE_IMAGE"})}}},
                  "InvalidParameter.InvalidParameterCoexistImageIdsFilters");
  }

  TEST_CASE("DescribeImages: an undocumented filter name gives InvalidFilter") {
    TestApi api;
    ExpectRefused(api, "DescribeImages", {{"Filters", {Filter("image-name", {"x"})}}}, "InvalidFilter");
    ExpectRefused(api, "DescribeImages", {{"Filters", {Filter("Image-Id", {kImage})}}}, "InvalidFilter");
    ExpectRefused(api, "DescribeImages",
                  {{"Filters", {Filter("image-type", {"PUBLIC_IMAGE"}), Filter("platform", {"CentOS"})}}},
                  "InvalidFilter");
  }

  TEST_CASE("DescribeImages: at most 10 filters and 5 values each (D-115), else InvalidParameterValue.LimitExceeded") {
    TestApi api;
    json eleven = json::array(), ten = json::array();
    for (int i = 0; i < 11; ++i) eleven.push_back(Filter("image-type", {"PUBLIC_IMAGE"}));
    for (int i = 0; i < 10; ++i) ten.push_back(Filter("image-type", {"PUBLIC_IMAGE"}));
    ExpectRefused(api, "DescribeImages", {{"Filters", eleven}}, "InvalidParameterValue.LimitExceeded");
    CHECK(DescribeImagesOk(api, {{"Filters", ten}})["TotalCount"] == kPublicImages);
    ExpectRefused(api, "DescribeImages",
                  {{"Filters", {Filter("image-state", {"A", "B", "C", "D", "E", "NORMAL"})}}},
                  "InvalidParameterValue.LimitExceeded");
    CHECK(DescribeImagesOk(api, {{"Filters", {Filter("image-state", {"A", "B", "C", "D", "NORMAL"})}}})
              ["TotalCount"] == kPublicImages);
  }

  TEST_CASE("DescribeImages: Offset and Limit page through every match; TotalCount counts them all") {
    TestApi api;
    std::vector<std::string> own;
    for (int i = 0; i < 3; ++i) own.push_back(NormalImage(api, "own-" + std::to_string(i)));
    json first = DescribeImagesOk(api);
    CHECK(first["TotalCount"] == kPublicImages + 3);
    CHECK(first["ImageSet"].size() == 20);  // the default Limit
    std::vector<std::string> all;
    for (int offset = 0; offset < static_cast<int>(kPublicImages) + 3; offset += 7) {
      json page = DescribeImagesOk(api, {{"Offset", offset}, {"Limit", 7}});
      CHECK(page["TotalCount"] == kPublicImages + 3);
      for (const std::string& id : ImageIdsOf(page)) all.push_back(id);
    }
    CHECK(all.size() == kPublicImages + 3);
    CHECK(std::set<std::string>(all.begin(), all.end()).size() == all.size());  // no repeats
    CHECK(std::vector<std::string>(all.end() - 3, all.end()) == own);  // custom images after the public ones
    json past = DescribeImagesOk(api, {{"Offset", 1000}});
    CHECK(past["ImageSet"].empty());
    CHECK(past["TotalCount"] == kPublicImages + 3);
    json filtered = DescribeImagesOk(
        api, {{"Filters", {Filter("image-type", {"PRIVATE_IMAGE"})}}, {"Offset", 1}, {"Limit", 1}});
    CHECK(ImageIdsOf(filtered) == std::vector<std::string>{own[1]});
    CHECK(filtered["TotalCount"] == 3);
    CHECK(DescribeImagesOk(api, {{"Limit", 100}})["ImageSet"].size() == kPublicImages + 3);
  }

  TEST_CASE("DescribeImages: Limit outside 1..100 gives InvalidParameterValue.InvalidParameterValueLimit") {
    TestApi api;
    ExpectRefused(api, "DescribeImages", {{"Limit", 101}}, "InvalidParameterValue.InvalidParameterValueLimit");
    ExpectRefused(api, "DescribeImages", {{"Limit", 0}}, "InvalidParameterValue.InvalidParameterValueLimit");
    ExpectRefused(api, "DescribeImages", {{"Limit", -1}}, "InvalidParameterValue.InvalidParameterValueLimit");
    // A negative Offset is the generic code (D-137).
    ExpectRefused(api, "DescribeImages", {{"Offset", -1}}, "InvalidParameterValue");
    ExpectRefused(api, "DescribeImages", {{"Limit", "ten"}}, "InvalidParameterValue");
  }

  TEST_CASE("DescribeImages: the image types in order: public, then own and shared, oldest first") {
    TestApi api;
    std::string b_image = NormalImage(api, "from-b", kRegion, kSecretB);
    std::string own = NormalImage(api, "own");
    SetSharing(api, b_image, {kUinA}, "SHARE", kRegion, kSecretB);
    json r = DescribeImagesOk(api, {{"Limit", 100}});
    std::vector<std::string> types = Types(r);
    REQUIRE(types.size() == kPublicImages + 2);
    CHECK(static_cast<size_t>(std::count(types.begin(), types.end(), "PUBLIC_IMAGE")) == kPublicImages);
    CHECK(std::vector<std::string>(types.end() - 2, types.end()) ==
          std::vector<std::string>{"SHARED_IMAGE", "PRIVATE_IMAGE"});
    std::vector<std::string> ids = ImageIdsOf(r);
    CHECK(std::vector<std::string>(ids.end() - 2, ids.end()) == std::vector<std::string>{b_image, own});
  }

  // ---------------------------------------------------------------------
  // ImportImage

  TEST_CASE("ImportImage: the image is IMPORTING, then NORMAL 30 s later, with the system and architecture given") {
    TestApi api;
    int64_t created = api.NowSeconds();
    json r = api.Call("ImportImage", ImportParams("centos-i386", {{"Architecture", "i386"},
                                                                  {"ImageDescription", "from COS"}}));
    REQUIRE_MESSAGE(CodeOf(r) == "", r.dump());
    CHECK(r.size() == 1);
    std::string id = IdByName(api, "centos-i386");
    json m = ImageOf(api, id);
    CHECK(m["ImageState"] == "IMPORTING");
    CHECK(m["ImageType"] == "PRIVATE_IMAGE");
    CHECK(m["ImageSource"] == "EXTERNAL_IMPORT");
    CHECK(m["ImageCreator"] == kUinA);
    CHECK(m["Architecture"] == "i386");
    CHECK(m["Platform"] == "CentOS");
    CHECK(m["OsName"] == "CentOS 7");
    CHECK(m["ImageDescription"] == "from COS");
    CHECK(m["ImageSize"] == 20);
    CHECK(m["CreatedTime"] == cvm::state::FormatIso8601(created));
    api.Advance(kImageCreating - 1);
    CHECK(StateOfImage(api, id) == "IMPORTING");
    api.Advance(1);
    CHECK(StateOfImage(api, id) == "NORMAL");

    // A Windows image, any version of the placeholder lists ("_", "-").
    std::string win = ImportOk(api, "win2016", kRegion, kSecretA, "Windows Server 2016", "-");
    json w = ImageOf(api, win);
    CHECK(w["Platform"] == "Windows Server 2016");
    CHECK(w["ImageSize"] == 50);
    ImportOk(api, "win2008", kRegion, kSecretA, "Windows Server 2008", "R2");
    CHECK(ImageOf(api, IdByName(api, "win2008"))["OsName"] == "Windows Server 2008 R2");
    // An empty version of a placeholder list adds nothing to the name.
    std::string bare = ImportOk(api, "win2008-bare", kRegion, kSecretA, "Windows Server 2008", "");
    CHECK(ImageOf(api, bare)["OsName"] == "Windows Server 2008");
  }

  TEST_CASE("ImportImage: every system and version DescribeImportImageOs lists can be imported") {
    TestApi api;
    SetImageQuota(api, 100);
    json os = api.Call("DescribeImportImageOs");
    REQUIRE_MESSAGE(CodeOf(os) == "", os.dump());
    int n = 0;
    for (const char* group : {"Windows", "Linux"}) {
      for (const json& name : os["ImportImageOsListSupported"][group]) {
        bool listed = false;
        for (const json& v : os["ImportImageOsVersionSet"]) {
          if (v["OsName"] != name) continue;
          listed = true;
          for (const json& version : v["OsVersions"]) {
            for (const json& arch : v["Architecture"]) {
              CAPTURE(name);
              CAPTURE(version);
              ImportOk(api, "os-" + std::to_string(n++), kRegion, kSecretA, name.get<std::string>(),
                       version.get<std::string>(), arch.get<std::string>());
            }
          }
        }
        CHECK_MESSAGE(listed, name << " has no ImportImageOsVersionSet entry");
      }
    }
    CHECK(n > 20);
  }

  TEST_CASE("ImportImage: an OsType DescribeImportImageOs does not list gives InvalidImageOsType.Unsupported") {
    TestApi api;
    ExpectRefused(api, "ImportImage", ImportParams("x", {{"OsType", "Windows 95"}}), "InvalidImageOsType.Unsupported");
    ExpectRefused(api, "ImportImage", ImportParams("x", {{"OsType", "centos"}}), "InvalidImageOsType.Unsupported");
    // Redhat has versions in ImportImageOsVersionSet but is not in
    // ImportImageOsListSupported (the document's own example): not importable.
    ExpectRefused(api, "ImportImage", ImportParams("x", {{"OsType", "Redhat"}}), "InvalidImageOsType.Unsupported");
  }

  TEST_CASE("ImportImage: a version DescribeImportImageOs does not list gives InvalidImageOsVersion.Unsupported") {
    TestApi api;
    ExpectRefused(api, "ImportImage", ImportParams("x", {{"OsVersion", "8"}}), "InvalidImageOsVersion.Unsupported");
    ExpectRefused(api, "ImportImage", ImportParams("x", {{"OsType", "Ubuntu"}, {"OsVersion", "18"}}),
                  "InvalidImageOsVersion.Unsupported");
    ExpectRefused(api, "ImportImage", ImportParams("x", {{"OsVersion", ""}}), "InvalidImageOsVersion.Unsupported");
  }

  TEST_CASE("ImportImage: a URL that is not http(s) or names no file gives InvalidParameter.InvalidParameterUrlError") {
    TestApi api;
    for (const char* url : {"ftp://x", "ftp://bucket.cos.ap-guangzhou.myqcloud.com/image.qcow2",
                            "https://bucket.cos.ap-guangzhou.myqcloud.com",
                            "https://bucket.cos.ap-guangzhou.myqcloud.com/", "image.qcow2", "https:///image.qcow2",
                            "https://bucket cos/image.qcow2", "http://example.com/dir/", "http://example.com?x=/a",
                            "http://example.com#/a.qcow2", "http://example.com:99999/a.qcow2",
                            "http://example.com:0/a.qcow2", "http://example.com:/a.qcow2",
                            "http://example.com:x/a.qcow2", "http://user@example.com/a.qcow2",
                            "http://:80/a.qcow2", "http://example.com/a/?x"}) {
      CAPTURE(url);
      ExpectRefused(api, "ImportImage", ImportParams("x", {{"ImageUrl", url}}),
                    "InvalidParameter.InvalidParameterUrlError");
    }
    ImportOk(api, "ok");
    for (const char* url : {"http://example.com:8080/a.qcow2", "https://b.cos.ap-guangzhou.myqcloud.com/d/i.raw?sign=x/y",
                            "http://example.com/a.vhd#part"}) {
      CAPTURE(url);
      json r = api.Call("ImportImage", ImportParams("x", {{"ImageUrl", url}, {"DryRun", true}}));
      CHECK(CodeOf(r) == "DryRunOperation");
    }
  }

  TEST_CASE("ImportImage: in a finance region gives RegionAbilityLimit.UnsupportedToImportImage") {
    TestApi api;
    ExpectRefused(api, "ImportImage", ImportParams("x"), "RegionAbilityLimit.UnsupportedToImportImage",
                  kFinanceRegion);
    ExpectRefused(api, "ImportImage", ImportParams("x"), "RegionAbilityLimit.UnsupportedToImportImage",
                  "ap-shenzhen-fsi");
    CHECK(CustomImages(api, kFinanceRegion).empty());
  }

  TEST_CASE("ImportImage: a name the account already uses in the region gives InvalidImageName.Duplicate") {
    TestApi api;
    ImportOk(api, "taken");
    ExpectRefused(api, "ImportImage", ImportParams("taken"), "InvalidImageName.Duplicate");
    std::string ins = Stopped(api);
    CreateImageOk(api, ins, "captured");
    ExpectRefused(api, "ImportImage", ImportParams("captured"), "InvalidImageName.Duplicate");
    ImportOk(api, "taken", kOtherRegion);
    ImportOk(api, "taken", kRegion, kSecretB);
  }

  TEST_CASE("ImportImage: the 11th custom image in a region gives ImageQuotaLimitExceeded") {
    TestApi api;
    for (int i = 0; i < 10; ++i) ImportOk(api, "i" + std::to_string(i));
    ExpectRefused(api, "ImportImage", ImportParams("eleventh"), "ImageQuotaLimitExceeded");
    ExpectRefused(api, "ImportImage", ImportParams("eleventh", {{"DryRun", true}}), "ImageQuotaLimitExceeded");
    ImportOk(api, "eleventh", kOtherRegion);
    ImportOk(api, "eleventh", kRegion, kSecretB);
  }

  TEST_CASE("ImportImage: DryRun gives DryRunOperation and creates nothing; a bad request still gets its own code") {
    TestApi api;
    ExpectRefused(api, "ImportImage", ImportParams("dry", {{"DryRun", true}}), "DryRunOperation");
    CHECK(CustomImages(api).empty());
    ImportOk(api, "taken");
    ExpectRefused(api, "ImportImage", ImportParams("taken", {{"DryRun", true}}), "InvalidImageName.Duplicate");
    ExpectRefused(api, "ImportImage", ImportParams("x", {{"DryRun", true}, {"OsVersion", "8"}}),
                  "InvalidImageOsVersion.Unsupported");
    ExpectRefused(api, "ImportImage", ImportParams("x", {{"DryRun", true}}), "RegionAbilityLimit.UnsupportedToImportImage",
                  kFinanceRegion);
    // DryRun false imports.
    json r = api.Call("ImportImage", ImportParams("wet", {{"DryRun", false}}));
    REQUIRE_MESSAGE(CodeOf(r) == "", r.dump());
    CHECK(CustomImages(api).size() == 2);
  }

  TEST_CASE("ImportImage: parameter errors: missing, bad architecture, name over 20 characters") {
    TestApi api;
    json p = ImportParams("x");
    for (const char* required : {"Architecture", "OsType", "OsVersion", "ImageUrl", "ImageName"}) {
      CAPTURE(required);
      json q = p;
      q.erase(required);
      ExpectRefused(api, "ImportImage", q, "MissingParameter");
    }
    ExpectRefused(api, "ImportImage", ImportParams("x", {{"Architecture", "arm64"}}), "InvalidParameterValue");
    // ImportImage's table has no InvalidParameter.ValueTooLarge: the schema
    // gives the generic code for its length limits.
    ExpectRefused(api, "ImportImage", ImportParams(std::string(21, 'n')), "InvalidParameterValue");
    ExpectRefused(api, "ImportImage", ImportParams("x", {{"ImageDescription", std::string(61, 'd')}}),
                  "InvalidParameterValue");
    ExpectRefused(api, "ImportImage", ImportParams("x", {{"DryRun", "maybe"}}), "InvalidParameterValue");
    ImportOk(api, std::string(20, 'n'));
  }

  // ---------------------------------------------------------------------
  // DescribeImportImageOs

  TEST_CASE("DescribeImportImageOs: lists the importable systems and their versions and architectures") {
    TestApi api;
    json r = api.Call("DescribeImportImageOs", json::object(), kOtherRegion, kSecretB);
    REQUIRE_MESSAGE(CodeOf(r) == "", r.dump());
    json lists = r["ImportImageOsListSupported"];
    CHECK(lists["Windows"] == json{"Windows Server 2008", "Windows Server 2012", "Windows Server 2016"});
    CHECK(lists["Linux"] ==
          json{"CentOS", "Ubuntu", "Debian", "OpenSUSE", "SUSE", "CoreOS", "FreeBSD", "Other Linux"});
    bool centos = false;
    for (const json& v : r["ImportImageOsVersionSet"]) {
      CHECK(v["Architecture"] == json{"x86_64", "i386"});
      CHECK(!v["OsVersions"].empty());
      if (v["OsName"] == "CentOS") {
        centos = true;
        CHECK(v["OsVersions"] == json{"5", "6", "7"});
      }
    }
    CHECK(centos);
    // The same everywhere, and finance regions answer too (it takes no inputs).
    json here = api.Call("DescribeImportImageOs");
    REQUIRE(CodeOf(here) == "");
    CHECK(here["ImportImageOsListSupported"] == lists);
    CHECK(here["ImportImageOsVersionSet"] == r["ImportImageOsVersionSet"]);
    json fsi = api.Call("DescribeImportImageOs", json::object(), kFinanceRegion);
    REQUIRE(CodeOf(fsi) == "");
    CHECK(fsi["ImportImageOsVersionSet"] == r["ImportImageOsVersionSet"]);
    CHECK(CodeOf(api.Call("DescribeImportImageOs", {{"OsType", "CentOS"}})) == "UnknownParameter");
  }
}
