#include "state/image_service.h"

#include <algorithm>
#include <charconv>
#include <set>

#include "state/catalog.h"
#include "state/image_store.h"
#include "state/instance_lifecycle.h"
#include "state/instance_service.h"
#include "state/instance_store.h"
#include "state/random.h"
#include "state/setting_values.h"

namespace cvm::state {
namespace {

Status CheckNewName(const Scope& scope, const std::string& region, const std::string& name) {
  if (name.empty()) {
    return ApiError::Make(errors::kInvalidParameterValue, "ImageName", "an image needs a name");
  }
  if (ImageStore(scope.db).NameUsed(scope.app_id(), region, name)) {
    return ApiError::Make(errors::kInvalidImageNameDuplicate, name);
  }
  return Status::Ok();
}

Status CheckQuota(const Scope& scope, const std::string& region, int64_t adding) {
  int64_t quota = scope.settings.quotas(scope.app_id()).images;
  if (ImageStore(scope.db).CountOwned(scope.app_id(), region) + adding > quota) {
    return ApiError::Make(errors::kImageQuotaLimitExceeded, quota, region);
  }
  return Status::Ok();
}

Status CheckNormal(const Image& image, TimeMs now) {
  if (image.Normal(now)) return Status::Ok();
  return ApiError::Make(errors::kInvalidImageIdIncorrectState, image.image_id,
                        NameOf(image.State(now)));
}

// A new image of the caller's in the request's region (no ID yet).
Image NewImage(const Scope& scope, const std::string& name,
               const std::optional<std::string>& description) {
  Image image;
  image.app_id = scope.app_id();
  image.region = scope.region;
  image.name = name;
  image.description = description;
  image.creator = scope.account.uin;
  image.created_at = scope.now;
  return image;
}

// Inserts `image` with a new img- ID, unused by custom and public images.
Image InsertWithNewId(const Scope& scope, Image image) {
  ImageStore store(scope.db);
  image.image_id = scope.random.FreshId("img-", [&](const std::string& id) {
    return store.IdExists(id) || scope.catalog.FindPublicImage(id);
  });
  store.Insert(image);
  return image;
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
    if (port.empty() || ec != std::errc() || end != port.data() + port.size() || value < 1 ||
        value > 65535) {
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

bool Contains(const std::vector<std::string>& list, const std::string& value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

// The system, version and architecture DescribeImportImageOs offers; a
// version list holding only a placeholder ("_" or "-") accepts any version.
// Sets `windows`.
Status CheckImportableOs(const Catalog& catalog, const ImportImageRequest& r, bool* windows) {
  *windows = Contains(catalog.importable_windows(), r.os_type);
  if (!*windows && !Contains(catalog.importable_linux(), r.os_type)) {
    return ApiError::Make(errors::kInvalidImageOsTypeUnsupported, r.os_type);
  }
  for (const ImportOsVersion& v : catalog.import_versions()) {
    if (v.os_name != r.os_type) continue;
    bool placeholder = v.versions.size() == 1 && (v.versions[0] == "_" || v.versions[0] == "-");
    if (!placeholder && !Contains(v.versions, r.os_version)) {
      return ApiError::Make(errors::kInvalidImageOsVersionUnsupported, r.os_version, r.os_type);
    }
    if (!Contains(v.architectures, r.architecture)) {
      return ApiError::Make(errors::kInvalidParameterValue, "Architecture",
                            r.os_type + " cannot be imported for " + r.architecture);
    }
  }
  return Status::Ok();
}

// The destination regions, each once: known, not the image's own, and on the
// same side of the finance boundary.
Result<std::vector<std::string>> PlanDestinations(const Scope& scope,
                                                  const std::vector<std::string>& regions) {
  const RegionInfo* source = scope.catalog.FindRegion(scope.region);
  std::vector<std::string> destinations;
  for (const std::string& region : regions) {
    const RegionInfo* r = scope.catalog.FindRegion(region);
    if (!r) return ApiError::Make(errors::kInvalidRegionNotFound, region, "");
    if (region == scope.region) {
      return ApiError::Make(errors::kInvalidRegionUnavailable, region,
                            "it is the image's own region");
    }
    if (r->finance != source->finance) {
      return ApiError::Make(errors::kInvalidRegionUnavailable, region,
                            "finance and other regions are isolated from each other");
    }
    if (!Contains(destinations, region)) destinations.push_back(region);
  }
  return destinations;
}

}  // namespace

Result<Image> FindOwnImage(const Scope& scope, const std::string& image_id) {
  if (scope.catalog.FindPublicImage(image_id)) {
    return ApiError::Make(errors::kInvalidImageIdIncorrectState, image_id,
                          "PUBLIC (public images cannot be changed)");
  }
  auto found = ImageStore(scope.db).FindVisible(scope.app_id(), scope.region, image_id);
  if (!found) return ApiError::Make(errors::kInvalidImageIdNotFound, image_id);
  if (found->shared) {
    return ApiError::Make(errors::kInvalidImageIdIncorrectState, image_id,
                          "SHARED (only its owner can change it)");
  }
  return found->image;
}

Result<CreateImageChange> PlanCreateImage(const Scope& scope, const CreateImageRequest& request,
                                          std::string_view action) {
  CVM_ASSIGN_OR_RETURN(
      std::vector<Instance> found,
      LoadInstances(scope.db, scope.app_id(), scope.region, {request.instance_id}, scope.now));
  CreateImageChange change{Image{}, std::move(found.front())};
  Instance& in = change.instance;
  // An image still being made from the instance comes first (D-24), as for
  // the instance actions: the instance may be STOPPING for that very image.
  CVM_RETURN_IF_ERROR(CheckNotImaging(scope.db, Operation::kCreateImage, in, scope.now));
  InstanceState observed = ObservedState(scope, in);
  CVM_RETURN_IF_ERROR(CheckOperation(Operation::kCreateImage, in, observed, request.force, action));
  CVM_RETURN_IF_ERROR(CheckNewName(scope, scope.region, request.name));
  CVM_RETURN_IF_ERROR(CheckQuota(scope, scope.region, 1));

  // The image carries the instance's operating system; its size is that of
  // the data on the system disk, i.e. the size of the image it runs.
  Durations durations = scope.settings.durations();
  Image& image = change.image = NewImage(scope, request.name, request.description);
  image.os_name = in.os_name;
  image.windows = in.windows;
  image.platform = in.image_platform;
  image.architecture = in.image_architecture;
  image.size_gb = in.image_size_gb;
  image.cloud_init = in.image_cloud_init;
  image.source = ImageSource::kCreateImage;
  image.source_instance = in.instance_id;
  image.pending_state = ImageState::kCreating;
  // A running instance is stopped first, imaged, and started again.
  TimeMs stopped_at =
      observed == InstanceState::kRunning ? scope.now + durations.stopping : scope.now;
  image.ready_at = stopped_at + durations.image_creating;
  in.lifecycle = ApplyOperation(Operation::kCreateImage, in, observed, scope.now, durations);
  return change;
}

Image ApplyCreateImage(const Scope& scope, const CreateImageChange& change) {
  Image image = InsertWithNewId(scope, change.image);
  InstanceStore(scope.db).UpdateLifecycle(change.instance);
  return image;
}

Result<ImportImageChange> PlanImportImage(const Scope& scope, const ImportImageRequest& r) {
  bool windows = false;
  CVM_RETURN_IF_ERROR(CheckImportableOs(scope.catalog, r, &windows));
  if (!UrlNamesFile(r.url)) {
    return ApiError::Make(errors::kInvalidParameterUrlError, "ImageUrl",
                          "it must name the image file, e.g. "
                          "https://bucket.cos.ap-guangzhou.myqcloud.com/image.qcow2");
  }
  const RegionInfo* region = scope.catalog.FindRegion(scope.region);
  if (region && region->finance) {
    return ApiError::Make(errors::kRegionAbilityLimitUnsupportedToImportImage, scope.region);
  }
  CVM_RETURN_IF_ERROR(CheckNewName(scope, scope.region, r.name));
  CVM_RETURN_IF_ERROR(CheckQuota(scope, scope.region, 1));
  if (r.dry_run) return ApiError::Make(errors::kDryRunOperation);

  ImportImageChange change{NewImage(scope, r.name, r.description)};
  Image& image = change.image;
  bool no_version = r.os_version.empty() || r.os_version == "_" || r.os_version == "-";
  image.os_name = no_version ? r.os_type : r.os_type + " " + r.os_version;
  image.platform = r.os_type;
  image.windows = windows;
  image.architecture = r.architecture;
  image.size_gb = windows ? 50 : 20;
  image.cloud_init = false;
  image.source = ImageSource::kExternalImport;
  image.pending_state = ImageState::kImporting;
  image.ready_at = scope.now + scope.settings.durations().image_creating;
  return change;
}

Image ApplyImportImage(const Scope& scope, const ImportImageChange& change) {
  return InsertWithNewId(scope, change.image);
}

Result<DeleteImagesChange> PlanDeleteImages(const Scope& scope,
                                            const std::vector<std::string>& image_ids) {
  ImageStore store(scope.db);
  DeleteImagesChange change;
  std::set<std::string> seen;
  for (const std::string& id : image_ids) {
    if (!seen.insert(id).second) continue;
    CVM_ASSIGN_OR_RETURN(Image image, FindOwnImage(scope, id));
    if (!image.Normal(scope.now) || image.Syncing(scope.now)) {
      return ApiError::Make(errors::kInvalidImageIdIncorrectState, id,
                            image.Normal(scope.now)
                                ? "SYNCING (a copy to another region is running)"
                                : NameOf(image.State(scope.now)));
    }
    if (!store.Shares(image.rowid).empty())
      return ApiError::Make(errors::kInvalidImageIdInShared, id);
    change.images.push_back(std::move(image));
  }
  return change;
}

void ApplyDeleteImages(const Scope& scope, const DeleteImagesChange& change) {
  ImageStore store(scope.db);
  for (const Image& image : change.images) store.Delete(image.rowid);
}

Result<ModifyImageChange> PlanModifyImageAttribute(const Scope& scope, const std::string& image_id,
                                                   const std::optional<std::string>& name,
                                                   const std::optional<std::string>& description) {
  if (!name && !description) {
    return ApiError::Make(errors::kMissingParameterAtLeastOne, "ImageName, ImageDescription");
  }
  CVM_ASSIGN_OR_RETURN(Image image, FindOwnImage(scope, image_id));
  if (name && *name != image.name) {
    CVM_RETURN_IF_ERROR(CheckNewName(scope, scope.region, *name));
    image.name = *name;
  }
  if (description) image.description = *description;
  return ModifyImageChange{std::move(image)};
}

void ApplyModifyImageAttribute(const Scope& scope, const ModifyImageChange& change) {
  ImageStore(scope.db).UpdateAttributes(change.image);
}

Result<ImageShareChange> PlanModifyImageSharePermission(
    const Scope& scope, const std::string& image_id, const std::vector<std::string>& account_uins,
    bool share) {
  ImageShareChange change;
  change.share = share;
  // Every account first: an unknown one or the owner itself refuses the batch.
  for (const std::string& uin : account_uins) {
    const Account* account = scope.accounts.FindByUin(uin);
    if (!account) return ApiError::Make(errors::kInvalidAccountIdNotFound, uin);
    if (account->app_id == scope.app_id())
      return ApiError::Make(errors::kInvalidAccountIsYourSelf, uin);
    if (std::find(change.app_ids.begin(), change.app_ids.end(), account->app_id) ==
        change.app_ids.end()) {
      change.app_ids.push_back(account->app_id);
    }
  }
  CVM_ASSIGN_OR_RETURN(change.image, FindOwnImage(scope, image_id));
  CVM_RETURN_IF_ERROR(CheckNormal(change.image, scope.now));
  if (share) {
    std::set<int64_t> shared;
    for (const ImageShare& s : ImageStore(scope.db).Shares(change.image.rowid))
      shared.insert(s.app_id);
    shared.insert(change.app_ids.begin(), change.app_ids.end());
    if (static_cast<int64_t>(shared.size()) > kMaxImageShares) {
      return ApiError::Make(errors::kOverQuota, change.image.image_id, kMaxImageShares);
    }
  }
  return change;
}

void ApplyModifyImageSharePermission(const Scope& scope, const ImageShareChange& change) {
  ImageStore store(scope.db);
  for (int64_t app_id : change.app_ids) {
    if (change.share) {
      store.AddShare(change.image.rowid, app_id, scope.now);
    } else {
      store.RemoveShare(change.image.rowid, app_id);
    }
  }
}

Result<SyncImagesChange> PlanSyncImages(const Scope& scope, const std::string& image_id,
                                        const std::vector<std::string>& destination_regions) {
  CVM_ASSIGN_OR_RETURN(std::vector<std::string> destinations,
                       PlanDestinations(scope, destination_regions));
  SyncImagesChange change;
  CVM_ASSIGN_OR_RETURN(change.source, FindOwnImage(scope, image_id));
  Image& image = change.source;
  CVM_RETURN_IF_ERROR(CheckNormal(image, scope.now));
  if (image.size_gb >= kMaxSyncSizeGb) {
    return ApiError::Make(errors::kInvalidImageIdTooLarge, image.image_id, image.size_gb);
  }
  for (const std::string& region : destinations) {
    CVM_RETURN_IF_ERROR(CheckQuota(scope, region, 1));
    CVM_RETURN_IF_ERROR(CheckNewName(scope, region, image.name));
  }
  TimeMs done = scope.now + scope.settings.durations().image_syncing;
  for (const std::string& region : destinations) {
    Image copy = image;
    copy.rowid = 0;
    copy.image_id.clear();
    copy.region = region;
    copy.created_at = scope.now;
    copy.pending_state = ImageState::kSyncing;
    copy.ready_at = done;
    copy.source_instance.reset();
    copy.sync_started_at.reset();
    copy.sync_done_at.reset();
    change.copies.push_back(std::move(copy));
  }
  image.sync_started_at = scope.now;
  image.sync_done_at = done;
  return change;
}

void ApplySyncImages(const Scope& scope, const SyncImagesChange& change) {
  for (const Image& copy : change.copies) InsertWithNewId(scope, copy);
  ImageStore(scope.db).UpdateSync(change.source);
}

int64_t ImageQuota(const Scope& scope) { return scope.settings.quotas(scope.app_id()).images; }

}  // namespace cvm::state
