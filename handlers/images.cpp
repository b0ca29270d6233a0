// Images: CreateImage, DeleteImages, ModifyImageAttribute, DescribeImages,
// ImportImage, DescribeImportImageOs, DescribeImageSharePermission,
// ModifyImageSharePermission, SyncImages, DescribeImageQuota.
#include <algorithm>
#include <charconv>
#include <set>

#include "handlers/params.h"
#include "handlers/registry.h"
#include "schema/spec.h"
#include "state/image_lookup.h"
#include "state/image_store.h"
#include "state/instance_lifecycle.h"
#include "state/instance_service.h"
#include "state/instance_store.h"
#include "state/settings.h"
#include "state/unit_of_work.h"

namespace cvm::handlers {
namespace {

using state::Image;
using state::ImageStore;

// Only these may be synced to (SYN-3): finance regions are isolated from the
// others, so a copy never crosses between them.
constexpr int64_t kMaxShares = 50;
constexpr int64_t kMaxSyncSizeGb = 50;  // "smaller than 50 GB" (SYN-2)





// The caller's own custom image, for actions only its owner may take.
// Errors: NotFound (no such image in the region), IncorrectState (a public
// image, or one shared with the caller by its owner).
Result<Image> OwnImage(RequestContext& ctx, const std::string& image_id) {
  if (ctx.services.catalog.FindPublicImage(image_id)) {
    return ApiError::Make(errors::kInvalidImageIdIncorrectState, image_id,
                          "PUBLIC (public images cannot be changed)");
  }
  auto found = ImageStore(ctx.services.db).FindVisible(ctx.account.app_id, ctx.region, image_id);
  if (!found) return ApiError::Make(errors::kInvalidImageIdNotFound, image_id);
  if (found->shared) {
    return ApiError::Make(errors::kInvalidImageIdIncorrectState, image_id,
                          "SHARED (only its owner can change it)");
  }
  return found->image;
}

Status CheckNewName(ImageStore& store, RequestContext& ctx, const std::string& region,
                    const std::string& name) {
  if (name.empty()) {
    return ApiError::Make(errors::kInvalidParameterValue, "ImageName", "an image needs a name");
  }
  if (store.NameUsed(ctx.account.app_id, region, name)) {
    return ApiError::Make(errors::kInvalidImageNameDuplicate, name);
  }
  return Status::Ok();
}

Status CheckQuota(ImageStore& store, RequestContext& ctx, const std::string& region, int64_t adding) {
  int64_t quota = ctx.services.settings.quotas(ctx.account.app_id).images;
  if (store.CountOwned(ctx.account.app_id, region) + adding > quota) {
    return ApiError::Make(errors::kImageQuotaLimitExceeded, quota, region);
  }
  return Status::Ok();
}

std::string NewImageId(RequestContext& ctx, ImageStore& store) {
  std::string id;
  do {
    id = ctx.services.random.Id("img-");
  } while (store.IdExists(id) || ctx.services.catalog.FindPublicImage(id));
  return id;
}

// A new image of the caller's in the request's region, named by the request.
Image NewImage(RequestContext& ctx, ImageStore& store, const Json& p, state::TimeMs now) {
  Image image;
  image.app_id = ctx.account.app_id;
  image.region = ctx.region;
  image.image_id = NewImageId(ctx, store);
  image.name = p["ImageName"].get<std::string>();
  if (const std::string* d = OptString(p, "ImageDescription")) image.description = *d;
  image.creator = ctx.account.uin;
  image.created_at = now;
  return image;
}

// ---------------------------------------------------------------------------

HandlerResult CreateImage(RequestContext& ctx, const Json& p) {
  state::TimeMs now = ctx.now();
  state::UnitOfWork work(ctx.services.db, now);
  std::string instance_id = p["InstanceId"].get<std::string>();
  CVM_ASSIGN_OR_RETURN(std::vector<state::Instance> found,
                       state::LoadInstances(ctx.services.db, ctx.account.app_id, ctx.region,
                                            {instance_id}, now));
  state::Instance in = std::move(found.front());
  // DECISIONS Q-14: STOPPED, or RUNNING with ForcePoweroff=TRUE. The document
  // names Reboot=TRUE for the same permission (CIMG-3), so it counts too.
  bool force = Flag(p, "ForcePoweroff") || Flag(p, "Reboot");
  // An image still being made from the instance comes first (D-24), as for
  // the instance actions: the instance may be STOPPING for that very image.
  CVM_RETURN_IF_ERROR(state::CheckNotImaging(ctx.services.db, state::Operation::kCreateImage, in, now));
  state::InstanceState observed = in.Observe(now);
  CVM_RETURN_IF_ERROR(state::CheckOperation(state::Operation::kCreateImage, in, observed, force,
                                            ctx.action.name));
  ImageStore store(ctx.services.db);
  std::string name = p["ImageName"].get<std::string>();
  CVM_RETURN_IF_ERROR(CheckNewName(store, ctx, ctx.region, name));
  CVM_RETURN_IF_ERROR(CheckQuota(store, ctx, ctx.region, 1));

  // The image carries the instance's operating system; its size is that of
  // the data on the system disk, i.e. the size of the image it runs.
  state::Durations durations = ctx.services.settings.durations();
  Image image = NewImage(ctx, store, p, now);
  image.os_name = in.os_name;
  image.windows = in.windows;
  image.platform = in.image_platform;
  image.architecture = in.image_architecture;
  image.size_gb = in.image_size_gb;
  image.cloud_init = in.image_cloud_init;
  image.source = "CREATE_IMAGE";
  image.source_instance = instance_id;
  image.pending_state = "CREATING";
  // A running instance is stopped first, imaged, and started again.
  state::TimeMs stopped_at = observed == state::InstanceState::kRunning ? now + durations.stopping : now;
  image.ready_at = stopped_at + durations.image_creating;
  store.Insert(image);
  in.lifecycle = state::ApplyOperation(state::Operation::kCreateImage, in, observed, now, durations);
  state::InstanceStore(ctx.services.db).UpdateLifecycle(in);
  work.Commit();
  return Json::object();
}

HandlerResult DeleteImages(RequestContext& ctx, const Json& p) {
  state::TimeMs now = ctx.now();
  state::UnitOfWork work(ctx.services.db, now);
  ImageStore store(ctx.services.db);
  std::vector<Image> images;
  std::set<std::string> seen;
  for (const std::string& id : Strings(p["ImageIds"])) {
    if (!seen.insert(id).second) continue;
    CVM_ASSIGN_OR_RETURN(Image image, OwnImage(ctx, id));
    if (!image.Normal(now) || image.Syncing(now)) {
      return ApiError::Make(errors::kInvalidImageIdIncorrectState, id,
                            image.Normal(now) ? "SYNCING (a copy to another region is running)"
                                              : image.State(now));
    }
    if (!store.Shares(image.rowid).empty()) return ApiError::Make(errors::kInvalidImageIdInShared, id);
    images.push_back(std::move(image));
  }
  for (const Image& image : images) store.Delete(image.rowid);
  work.Commit();
  return Json::object();
}

HandlerResult ModifyImageAttribute(RequestContext& ctx, const Json& p) {
  const std::string* name = OptString(p, "ImageName");
  const std::string* description = OptString(p, "ImageDescription");
  if (!name && !description) {
    return ApiError::Make(errors::kMissingParameterAtLeastOne, "ImageName, ImageDescription");
  }
  state::TimeMs now = ctx.now();
  state::UnitOfWork work(ctx.services.db, now);
  ImageStore store(ctx.services.db);
  CVM_ASSIGN_OR_RETURN(Image image, OwnImage(ctx, p["ImageId"].get<std::string>()));
  if (name && *name != image.name) {
    CVM_RETURN_IF_ERROR(CheckNewName(store, ctx, ctx.region, *name));
    image.name = *name;
  }
  if (description) image.description = *description;
  store.UpdateAttributes(image);
  work.Commit();
  return Json::object();
}

// One row of DescribeImages, from the catalog or the store.
struct ImageRow {
  Json view;
  std::string id, type, state;
};

HandlerResult DescribeImages(RequestContext& ctx, const Json& p) {
  state::TimeMs now = ctx.now();
  std::vector<ImageRow> rows;
  for (const state::PublicImageInfo& pub : ctx.services.catalog.public_images()) {
    int64_t created = 0;
    state::ParseIso8601(pub.created_time, &created);
    rows.push_back({Json{{"ImageId", pub.image_id},
                         {"OsName", pub.os_name},
                         {"ImageType", "PUBLIC_IMAGE"},
                         {"CreatedTime", state::FormatIso8601(created)},
                         {"ImageName", pub.image_name},
                         {"ImageDescription", pub.description},
                         {"ImageSize", pub.image_size},
                         {"Architecture", pub.architecture},
                         {"ImageState", "NORMAL"},
                         {"Platform", pub.platform},
                         {"ImageCreator", "PUBLIC"},
                         {"ImageSource", "OFFICIAL"},
                         {"SyncPercent", 100},
                         {"IsSupportCloudinit", pub.cloud_init}},
                    pub.image_id, "PUBLIC_IMAGE", "NORMAL"});
  }
  {
    state::UnitOfWork work(ctx.services.db, now);
    for (const auto& v : ImageStore(ctx.services.db).ListVisible(ctx.account.app_id, ctx.region)) {
      const Image& m = v.image;
      std::string type = v.shared ? "SHARED_IMAGE" : "PRIVATE_IMAGE";
      rows.push_back({Json{{"ImageId", m.image_id},
                           {"OsName", m.os_name},
                           {"ImageType", type},
                           {"CreatedTime", Iso(m.created_at)},
                           {"ImageName", m.name},
                           {"ImageDescription", m.description ? Json(*m.description) : Json(nullptr)},
                           {"ImageSize", m.size_gb},
                           {"Architecture", m.architecture},
                           {"ImageState", m.State(now)},
                           {"Platform", m.platform},
                           {"ImageCreator", m.creator},
                           {"ImageSource", m.source},
                           {"SyncPercent", m.SyncPercent(now)},
                           {"IsSupportCloudinit", m.cloud_init}},
                      m.image_id, type, m.State(now)});
    }
    work.Commit();
  }
  // ImageIds, or the filters (ANDed; values ORed). Unknown IDs are just absent.
  auto matches = [&](const ImageRow& row) {
    if (p.contains("ImageIds")) {
      for (const Json& id : p["ImageIds"]) {
        if (id == row.id) return true;
      }
      return false;
    }
    if (!p.contains("Filters")) return true;
    for (const Json& f : p["Filters"]) {
      const std::string& name = f["Name"].get_ref<const std::string&>();
      const std::string& field = name == "image-id" ? row.id : name == "image-type" ? row.type : row.state;
      bool any = false;
      for (const Json& v : f["Values"]) any |= v == field;
      if (!any) return false;
    }
    return true;
  };
  Json set = Json::array();
  int64_t total = 0, offset = p["Offset"].get<int64_t>(), limit = p["Limit"].get<int64_t>();
  for (ImageRow& row : rows) {
    if (!matches(row)) continue;
    if (total >= offset && total < offset + limit) set.push_back(std::move(row.view));
    ++total;
  }
  return Json{{"ImageSet", std::move(set)}, {"TotalCount", total}};
}

// True if `url` (already known to be http(s)://<something>) names a file, as
// a COS object link does: a host, an optional port 1..65535, and a path that
// does not end in "/" before any query or fragment.
bool UrlNamesFile(std::string_view url) {
  url.remove_prefix(url.find("://") + 3);
  size_t authority_end = std::min(url.find_first_of("/?#"), url.size());
  std::string_view authority = url.substr(0, authority_end);
  if (size_t colon = authority.rfind(':'); colon != std::string_view::npos) {
    std::string_view port = authority.substr(colon + 1);
    int value = 0;
    auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (port.empty() || ec != std::errc() || end != port.data() + port.size() || value < 1 || value > 65535) {
      return false;
    }
    authority = authority.substr(0, colon);
  }
  if (authority.empty() || authority.find('@') != std::string_view::npos) return false;
  std::string_view rest = url.substr(authority_end);
  if (rest.empty() || rest.front() != '/') return false;
  std::string_view path = rest.substr(0, std::min(rest.find_first_of("?#"), rest.size()));
  return path.size() > 1 && path.back() != '/';
}

HandlerResult ImportImage(RequestContext& ctx, const Json& p) {
  const state::Catalog& catalog = ctx.services.catalog;
  std::string os = p["OsType"].get<std::string>();
  std::string version = p["OsVersion"].get<std::string>();
  std::string arch = p["Architecture"].get<std::string>();
  bool windows = std::find(catalog.importable_windows().begin(), catalog.importable_windows().end(),
                           os) != catalog.importable_windows().end();
  bool is_linux = std::find(catalog.importable_linux().begin(), catalog.importable_linux().end(), os) !=
               catalog.importable_linux().end();
  if (!windows && !is_linux) return ApiError::Make(errors::kInvalidImageOsTypeUnsupported, os);
  // The version must be one DescribeImportImageOs lists for the system; a list
  // holding only a placeholder ("_" or "-") accepts any version.
  for (const state::ImportOsVersion& v : catalog.import_versions()) {
    if (v.os_name != os) continue;
    bool placeholder = v.versions.size() == 1 && (v.versions[0] == "_" || v.versions[0] == "-");
    if (!placeholder && std::find(v.versions.begin(), v.versions.end(), version) == v.versions.end()) {
      return ApiError::Make(errors::kInvalidImageOsVersionUnsupported, version, os);
    }
    if (std::find(v.architectures.begin(), v.architectures.end(), arch) == v.architectures.end()) {
      return ApiError::Make(errors::kInvalidParameterValue, "Architecture",
                            os + " cannot be imported for " + arch);
    }
  }
  if (!UrlNamesFile(p["ImageUrl"].get<std::string>())) {
    return ApiError::Make(errors::kInvalidParameterUrlError, "ImageUrl",
                          "it must name the image file, e.g. https://bucket.cos.ap-guangzhou.myqcloud.com/image.qcow2");
  }
  const state::RegionInfo* region = catalog.FindRegion(ctx.region);
  if (region && region->finance) {
    return ApiError::Make(errors::kRegionAbilityLimitUnsupportedToImportImage, ctx.region);
  }
  state::TimeMs now = ctx.now();
  state::UnitOfWork work(ctx.services.db, now);
  ImageStore store(ctx.services.db);
  std::string name = p["ImageName"].get<std::string>();
  CVM_RETURN_IF_ERROR(CheckNewName(store, ctx, ctx.region, name));
  CVM_RETURN_IF_ERROR(CheckQuota(store, ctx, ctx.region, 1));
  if (p.value("DryRun", false)) return ApiError::Make(errors::kDryRunOperation);

  Image image = NewImage(ctx, store, p, now);
  image.os_name = version.empty() || version == "_" || version == "-" ? os : os + " " + version;
  image.platform = os;
  image.windows = windows;
  image.architecture = arch;
  image.size_gb = windows ? 50 : 20;
  image.cloud_init = false;
  image.source = "EXTERNAL_IMPORT";
  image.pending_state = "IMPORTING";
  image.ready_at = now + ctx.services.settings.durations().image_creating;
  store.Insert(image);
  work.Commit();
  return Json::object();
}

HandlerResult DescribeImportImageOs(RequestContext& ctx, const Json&) {
  const state::Catalog& catalog = ctx.services.catalog;
  Json versions = Json::array();
  for (const state::ImportOsVersion& v : catalog.import_versions()) {
    versions.push_back({{"OsName", v.os_name}, {"OsVersions", v.versions}, {"Architecture", v.architectures}});
  }
  return Json{{"ImportImageOsListSupported",
               {{"Windows", catalog.importable_windows()}, {"Linux", catalog.importable_linux()}}},
              {"ImportImageOsVersionSet", std::move(versions)}};
}

HandlerResult DescribeImageSharePermission(RequestContext& ctx, const Json& p) {
  state::TimeMs now = ctx.now();
  state::UnitOfWork work(ctx.services.db, now);
  CVM_ASSIGN_OR_RETURN(Image image, OwnImage(ctx, p["ImageId"].get<std::string>()));
  Json set = Json::array();
  for (const state::ImageShare& share : ImageStore(ctx.services.db).Shares(image.rowid)) {
    const state::Account* account = ctx.services.accounts.FindByAppId(share.app_id);
    if (!account) continue;  // an account no longer in the accounts file
    set.push_back({{"CreatedTime", Iso(share.created_at)}, {"AccountId", account->uin}});
  }
  work.Commit();
  return Json{{"SharePermissionSet", std::move(set)}};
}

HandlerResult ModifyImageSharePermission(RequestContext& ctx, const Json& p) {
  state::TimeMs now = ctx.now();
  bool share = p["Permission"].get<std::string>() == "SHARE";
  // Every account first: an unknown one or the owner itself refuses the batch.
  std::vector<const state::Account*> accounts;
  for (const std::string& uin : Strings(p["AccountIds"])) {
    const state::Account* account = ctx.services.accounts.FindByUin(uin);
    if (!account) return ApiError::Make(errors::kInvalidAccountIdNotFound, uin);
    if (account->app_id == ctx.account.app_id) {
      return ApiError::Make(errors::kInvalidAccountIsYourSelf, uin);
    }
    if (std::find(accounts.begin(), accounts.end(), account) == accounts.end()) accounts.push_back(account);
  }
  state::UnitOfWork work(ctx.services.db, now);
  ImageStore store(ctx.services.db);
  CVM_ASSIGN_OR_RETURN(Image image, OwnImage(ctx, p["ImageId"].get<std::string>()));
  if (!image.Normal(now)) {
    return ApiError::Make(errors::kInvalidImageIdIncorrectState, image.image_id, image.State(now));
  }
  if (share) {
    std::set<int64_t> shared;
    for (const state::ImageShare& s : store.Shares(image.rowid)) shared.insert(s.app_id);
    for (const state::Account* a : accounts) shared.insert(a->app_id);
    if (static_cast<int64_t>(shared.size()) > kMaxShares) {
      return ApiError::Make(errors::kOverQuota, image.image_id, kMaxShares);
    }
    for (const state::Account* a : accounts) store.AddShare(image.rowid, a->app_id, now);
  } else {
    for (const state::Account* a : accounts) store.RemoveShare(image.rowid, a->app_id);
  }
  work.Commit();
  return Json::object();
}

HandlerResult SyncImages(RequestContext& ctx, const Json& p) {
  const state::Catalog& catalog = ctx.services.catalog;
  const state::RegionInfo* source_region = catalog.FindRegion(ctx.region);
  std::vector<std::string> destinations;
  for (const std::string& region : Strings(p["DestinationRegions"])) {
    const state::RegionInfo* r = catalog.FindRegion(region);
    if (!r) return ApiError::Make(errors::kInvalidRegionNotFound, region, "");
    if (region == ctx.region) {
      return ApiError::Make(errors::kInvalidRegionUnavailable, region, "it is the image's own region");
    }
    if (r->finance != source_region->finance) {
      return ApiError::Make(errors::kInvalidRegionUnavailable, region,
                            "finance and other regions are isolated from each other");
    }
    if (std::find(destinations.begin(), destinations.end(), region) == destinations.end()) {
      destinations.push_back(region);
    }
  }
  state::TimeMs now = ctx.now();
  state::UnitOfWork work(ctx.services.db, now);
  ImageStore store(ctx.services.db);
  CVM_ASSIGN_OR_RETURN(Image image, OwnImage(ctx, p["ImageIds"][0].get<std::string>()));
  if (!image.Normal(now)) {
    return ApiError::Make(errors::kInvalidImageIdIncorrectState, image.image_id, image.State(now));
  }
  if (image.size_gb >= kMaxSyncSizeGb) {
    return ApiError::Make(errors::kInvalidImageIdTooLarge, image.image_id, image.size_gb);
  }
  for (const std::string& region : destinations) {
    CVM_RETURN_IF_ERROR(CheckQuota(store, ctx, region, 1));
    CVM_RETURN_IF_ERROR(CheckNewName(store, ctx, region, image.name));
  }
  state::TimeMs done = now + ctx.services.settings.durations().image_syncing;
  for (const std::string& region : destinations) {
    Image copy = image;
    copy.rowid = 0;
    copy.region = region;
    copy.image_id = NewImageId(ctx, store);
    copy.created_at = now;
    copy.pending_state = "SYNCING";
    copy.ready_at = done;
    copy.source_instance.reset();
    copy.sync_started_at.reset();
    copy.sync_done_at.reset();
    store.Insert(copy);
  }
  image.sync_started_at = now;
  image.sync_done_at = done;
  store.UpdateSync(image);
  work.Commit();
  return Json::object();
}

HandlerResult DescribeImageQuota(RequestContext& ctx, const Json&) {
  return Json{{"ImageNumQuota", ctx.services.settings.quotas(ctx.account.app_id).images}};
}

}  // namespace

void RegisterImageHandlers(Registry& registry) {
  registry.Add("CreateImage", CreateImage);
  registry.Add("DeleteImages", DeleteImages);
  registry.Add("ModifyImageAttribute", ModifyImageAttribute);
  registry.Add("DescribeImages", DescribeImages);
  registry.Add("ImportImage", ImportImage);
  registry.Add("DescribeImportImageOs", DescribeImportImageOs, /*uses_database=*/false);
  registry.Add("DescribeImageSharePermission", DescribeImageSharePermission);
  registry.Add("ModifyImageSharePermission", ModifyImageSharePermission);
  registry.Add("SyncImages", SyncImages);
  registry.Add("DescribeImageQuota", DescribeImageQuota, /*uses_database=*/false);
}

}  // namespace cvm::handlers
