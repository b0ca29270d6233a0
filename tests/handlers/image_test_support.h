// Shared steps for the image handler tests (images_*_test.cpp): making custom
// images through the API (CreateImage from a stopped instance, ImportImage),
// reading them back through DescribeImages and DescribeImageSharePermission
// (never through the store), and checking that a refused call changed
// nothing a client can see.
#pragma once

#include <doctest/doctest.h>

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tests/handlers/instance_test_support.h"
#include "tests/support/test_api.h"

namespace cvm::testing::images {

using namespace cvm::testing::instances;
using nlohmann::json;

inline constexpr const char* kOtherRegion = "ap-shanghai";
inline constexpr const char* kFinanceRegion = "ap-shanghai-fsi";
inline constexpr const char* kUnknownImage = "img-zzzzzzzz";  // well formed, never issued
inline constexpr const char* kMalformedImage = "img-1122";
inline constexpr int64_t kAppA = 1250000000;
inline constexpr int64_t kAppB = 1250000001;
inline constexpr size_t kPublicImages = 23;  // state/catalog.json

// Default image durations (state::Durations), in seconds.
inline constexpr double kImageCreating = 30, kImageSyncing = 60;

// DescribeImages that must succeed.
inline json DescribeImagesOk(TestApi& api, const json& params = json::object(),
                             const std::string& region = kRegion, const std::string& secret = kSecretA) {
  json r = api.Call("DescribeImages", params.is_null() ? json::object() : params, region, secret);
  REQUIRE_MESSAGE(CodeOf(r) == "", r.dump());
  return r;
}

inline std::vector<std::string> ImageIdsOf(const json& describe) {
  std::vector<std::string> ids;
  for (const json& m : describe["ImageSet"]) ids.push_back(m["ImageId"].get<std::string>());
  return ids;
}

// Every custom image (own and shared) the caller sees in the region, as
// DescribeImages shows them.
inline json CustomImages(TestApi& api, const std::string& region = kRegion,
                         const std::string& secret = kSecretA) {
  json r = DescribeImagesOk(
      api, {{"Filters", {{{"Name", "image-type"}, {"Values", {"PRIVATE_IMAGE", "SHARED_IMAGE"}}}}}, {"Limit", 100}},
      region, secret);
  return r["ImageSet"];
}

// The image as DescribeImages shows it to the caller, or null.
inline json ImageOf(TestApi& api, const std::string& image_id, const std::string& region = kRegion,
                    const std::string& secret = kSecretA) {
  json set = DescribeImagesOk(api, {{"ImageIds", {image_id}}}, region, secret)["ImageSet"];
  return set.empty() ? json() : set[0];
}

inline std::string StateOfImage(TestApi& api, const std::string& image_id, const std::string& region = kRegion,
                                const std::string& secret = kSecretA) {
  json m = ImageOf(api, image_id, region, secret);
  return m.is_null() ? "" : m["ImageState"].get<std::string>();
}

// The ID of the caller's own image with this name (CreateImage and ImportImage
// return no ImageId; names are unique per account and region).
inline std::string IdByName(TestApi& api, const std::string& name, const std::string& region = kRegion,
                            const std::string& secret = kSecretA) {
  for (const json& m : CustomImages(api, region, secret)) {
    if (m["ImageName"] == name && m["ImageType"] == "PRIVATE_IMAGE") return m["ImageId"].get<std::string>();
  }
  FAIL("no image named " << name << " in " << region);
  return "";
}

// CreateImage that must succeed; the new image's ID.
inline std::string CreateImageOk(TestApi& api, const std::string& instance_id, const std::string& name,
                                 const json& extra = json::object(), const std::string& region = kRegion,
                                 const std::string& secret = kSecretA) {
  json p = {{"InstanceId", instance_id}, {"ImageName", name}};
  if (!extra.is_null()) p.update(extra);
  json r = api.Call("CreateImage", p, region, secret);
  REQUIRE_MESSAGE(CodeOf(r) == "", r.dump());
  CHECK(r.size() == 1);  // only RequestId (the document's CreateImage output)
  return IdByName(api, name, region, secret);
}

// ImportImage that must succeed; the new image's ID (still IMPORTING).
inline std::string ImportOk(TestApi& api, const std::string& name, const std::string& region = kRegion,
                            const std::string& secret = kSecretA, const std::string& os = "CentOS",
                            const std::string& version = "7", const std::string& arch = "x86_64") {
  json r = api.Call("ImportImage",
                    {{"Architecture", arch},
                     {"OsType", os},
                     {"OsVersion", version},
                     {"ImageUrl", "https://images-1250000000.cos.ap-guangzhou.myqcloud.com/" + name + ".qcow2"},
                     {"ImageName", name}},
                    region, secret);
  REQUIRE_MESSAGE(CodeOf(r) == "", r.dump());
  return IdByName(api, name, region, secret);
}

// An imported Linux image (20 GB), already NORMAL.
inline std::string NormalImage(TestApi& api, const std::string& name, const std::string& region = kRegion,
                               const std::string& secret = kSecretA) {
  std::string id = ImportOk(api, name, region, secret);
  api.Advance(kImageCreating);
  REQUIRE(StateOfImage(api, id, region, secret) == "NORMAL");
  return id;
}

// ModifyImageSharePermission that must succeed.
inline void SetSharing(TestApi& api, const std::string& image_id, const json& accounts,
                       const std::string& permission = "SHARE", const std::string& region = kRegion,
                       const std::string& secret = kSecretA) {
  json r = api.Call("ModifyImageSharePermission",
                    {{"ImageId", image_id}, {"AccountIds", accounts}, {"Permission", permission}}, region, secret);
  REQUIRE_MESSAGE(CodeOf(r) == "", r.dump());
}

// The owner's DescribeImageSharePermission.SharePermissionSet.
inline json SharesOf(TestApi& api, const std::string& image_id, const std::string& region = kRegion,
                     const std::string& secret = kSecretA) {
  json r = api.Call("DescribeImageSharePermission", {{"ImageId", image_id}}, region, secret);
  REQUIRE_MESSAGE(CodeOf(r) == "", r.dump());
  return r["SharePermissionSet"];
}

inline void SetImageQuota(TestApi& api, int64_t images) {
  api.Control("/_emulator/quotas", {{"images", images}});
}

// What a client can see of images: the custom images of A and B in both test
// regions, the share lists of `shared` (read by A, their owner), and the
// state and view of `instances` (A's, in kRegion).
struct Seen {
  std::vector<json> images, shares, instances;
  std::vector<std::string> states;
  bool operator==(const Seen&) const = default;
};

inline Seen Look(TestApi& api, const std::vector<std::string>& shared, const std::vector<std::string>& instances) {
  Seen s;
  for (const char* region : {kRegion, kOtherRegion}) {
    for (const char* secret : {kSecretA, kSecretB}) s.images.push_back(CustomImages(api, region, secret));
  }
  for (const std::string& id : shared) s.shares.push_back(SharesOf(api, id));
  for (const std::string& id : instances) {
    s.instances.push_back(Describe(api, id));
    s.states.push_back(StateOf(api, id));
  }
  return s;
}

// Calls `action` and checks the code exactly; afterwards everything Look()
// sees is as before.
inline void ExpectRefused(TestApi& api, const std::string& action, const json& params, const std::string& code,
                          const std::string& region = kRegion, const std::string& secret = kSecretA,
                          const std::vector<std::string>& shared = {},
                          const std::vector<std::string>& instances = {}) {
  Seen before = Look(api, shared, instances);
  json r = api.Call(action, params, region, secret);
  CHECK_MESSAGE(CodeOf(r) == code, action << " " << params.dump() << " in " << region << " → " << r.dump());
  Seen after = Look(api, shared, instances);
  CHECK_MESSAGE(after.images == before.images, "images changed after a refused " << action);
  CHECK_MESSAGE(after.shares == before.shares, "shares changed after a refused " << action);
  CHECK_MESSAGE(after.instances == before.instances, "instances changed after a refused " << action);
  CHECK(after.states == before.states);
}

// `n` well-formed image IDs that were never issued.
inline json UnknownImageIds(int n) {
  json ids = json::array();
  for (int i = 0; i < n; ++i) {
    std::string digits = std::to_string(i);
    ids.push_back("img-" + std::string(8 - digits.size(), '0') + digits);
  }
  return ids;
}

}  // namespace cvm::testing::images
