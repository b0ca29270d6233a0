// Business operations on custom images, beside their store: capturing one
// from an instance, importing, deleting, renaming, sharing and copying to
// other regions. Each mutating action is a Plan (checks only) and an Apply
// (writes only) over a Scope (state/scope.h). Public images are the
// catalog's and never change.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "schema/errors.h"
#include "state/image.h"
#include "state/instance.h"
#include "state/scope.h"

namespace cvm::state {

// The longest list of accounts an image is shared with.
inline constexpr int64_t kMaxImageShares = 50;
// Only images smaller than this are copied to other regions.
inline constexpr int64_t kMaxSyncSizeGb = 50;

// How many custom images the caller may keep in a region (DescribeImageQuota).
int64_t ImageQuota(const Scope& scope);

// The caller's own custom image in the region, for actions only its owner
// may take. Errors: InvalidImageId.NotFound (no such image visible),
// InvalidImageId.IncorrectState (a public image, or one shared with the
// caller by its owner).
Result<Image> FindOwnImage(const Scope& scope, const std::string& image_id);

// CreateImage, as given.
struct CreateImageRequest {
  std::string instance_id;
  std::string name;
  std::optional<std::string> description;
  bool force = false;  // ForcePoweroff, or Reboot (D-114)
};
struct CreateImageChange {
  Image image;        // CREATING until ready_at; no ID yet
  Instance instance;  // the source, with the lifecycle it goes through
};
// Checks, in order: the instance exists, no image is being taken from it
// already (MutexOperation.TaskRunning), it is STOPPED or RUNNING with
// `force`, the name is new in the region, and the image quota has room.
Result<CreateImageChange> PlanCreateImage(const Scope& scope, const CreateImageRequest& request,
                                          std::string_view action);
Image ApplyCreateImage(const Scope& scope, const CreateImageChange& change);

// ImportImage, as given.
struct ImportImageRequest {
  std::string name;
  std::optional<std::string> description;
  std::string os_type, os_version, architecture;
  std::string url;
  bool dry_run = false;
};
struct ImportImageChange {
  Image image;  // IMPORTING until ready_at; no ID yet
};
// Checks, in order: the system, version and architecture can be imported
// (as DescribeImportImageOs lists them), the URL names a file, the region
// is not a finance region, the name is new, the quota has room, and DryRun
// (DryRunOperation when everything else passed).
Result<ImportImageChange> PlanImportImage(const Scope& scope, const ImportImageRequest& request);
Image ApplyImportImage(const Scope& scope, const ImportImageChange& change);

// DeleteImages: every image or none.
struct DeleteImagesChange {
  std::vector<Image> images;
};
// Each image (duplicates once) is the caller's own, NORMAL and not being
// copied, and shared with nobody (InvalidImageId.InShared).
Result<DeleteImagesChange> PlanDeleteImages(const Scope& scope,
                                            const std::vector<std::string>& image_ids);
void ApplyDeleteImages(const Scope& scope, const DeleteImagesChange& change);

// ModifyImageAttribute: the image as it will be.
struct ModifyImageChange {
  Image image;
};
// At least one of the two (MissingParameter.AtLeastOne); the caller's own
// image; a new name is non-empty and unused in the region.
Result<ModifyImageChange> PlanModifyImageAttribute(const Scope& scope, const std::string& image_id,
                                                   const std::optional<std::string>& name,
                                                   const std::optional<std::string>& description);
void ApplyModifyImageAttribute(const Scope& scope, const ModifyImageChange& change);

// ModifyImageSharePermission: share with (or stop sharing with) accounts.
struct ImageShareChange {
  Image image;
  bool share = true;             // false: stop sharing
  std::vector<int64_t> app_ids;  // the accounts, each once
};
// Every account first (InvalidAccountId.NotFound, InvalidAccount.IsYourSelf),
// then the caller's own NORMAL image, then at most kMaxImageShares accounts
// (OverQuota).
Result<ImageShareChange> PlanModifyImageSharePermission(
    const Scope& scope, const std::string& image_id, const std::vector<std::string>& account_uins,
    bool share);
void ApplyModifyImageSharePermission(const Scope& scope, const ImageShareChange& change);

// SyncImages: copies of one image into other regions.
struct SyncImagesChange {
  Image source;               // with the copy's start and end
  std::vector<Image> copies;  // SYNCING until ready_at, one per region; no IDs yet
};
// Every destination region first (InvalidRegion.NotFound; the image's own,
// or across the finance boundary: InvalidRegion.Unavailable), then the
// caller's own NORMAL image smaller than kMaxSyncSizeGb
// (InvalidImageId.TooLarge), then in each region the quota and the name.
Result<SyncImagesChange> PlanSyncImages(const Scope& scope, const std::string& image_id,
                                        const std::vector<std::string>& destination_regions);
void ApplySyncImages(const Scope& scope, const SyncImagesChange& change);

}  // namespace cvm::state
