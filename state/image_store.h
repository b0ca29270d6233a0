// Custom images and their shares. Public images are the catalog's and never
// stored. Reads are scoped to an account and region; "visible" images are the
// account's own plus those other accounts share with it in that region.
// Callers hold a UnitOfWork.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "state/database.h"
#include "state/image.h"
#include "state/listing.h"

namespace cvm::state {

struct ImageShare {
  int64_t app_id = 0;  // the account the image is shared with
  TimeMs created_at = 0;
  bool operator==(const ImageShare&) const = default;
};

// The custom images DescribeImages lists (the caller's own and those shared
// with it), picked by ID, by kind and by state at an instant.
struct ImageQuery {
  std::optional<std::vector<std::string>> image_ids;  // only these
  bool own = true;                                    // the caller's own (PRIVATE_IMAGE)
  bool shared = true;                                 // shared with it (SHARED_IMAGE)
  std::optional<std::vector<ImageState>> states;      // only those in one of these states
  int64_t offset = 0;
  int64_t limit = 20;
  // Images created then are left out: too new to be seen (D-219).
  std::optional<CreatedWindow> hidden_created;
};

struct TableColumns;

class ImageStore {
 public:
  explicit ImageStore(Database& db) : db_(db) {}

  // The columns of images and image_shares, as the store writes them.
  static std::vector<TableColumns> Columns();

  // Inserts `image` and sets its rowid.
  void Insert(Image& image);
  void UpdateAttributes(const Image& image);  // name, description
  void UpdateSync(const Image& image);        // sync_started_at, sync_done_at
  void Delete(int64_t rowid);

  bool IdExists(const std::string& image_id);
  // The account's image in the region with this name, if any.
  bool NameUsed(int64_t app_id, const std::string& region, const std::string& name);
  int64_t CountOwned(int64_t app_id, const std::string& region);

  struct Visible {
    Image image;
    bool shared = false;  // shared with the caller by another account
  };
  struct Page {
    int64_t total = 0;  // every match, across pages
    std::vector<Visible> items;
  };
  // The image with this ID that the account owns or is shared with, in the region.
  std::optional<Visible> FindVisible(int64_t app_id, const std::string& region,
                                     const std::string& image_id);
  // One page of the images the account owns or is shared with in the
  // region that match `query` at `now`, oldest first, and their number
  // (D-252: indexes, not a scan of the account's images).
  Page ListVisible(int64_t app_id, const std::string& region, const ImageQuery& query, TimeMs now);
  // True iff an image captured from `instance_id` is still being created.
  bool CreatingFrom(const std::string& instance_id, TimeMs now);

  std::vector<ImageShare> Shares(int64_t image_rowid);
  void AddShare(int64_t image_rowid, int64_t app_id, TimeMs now);
  void RemoveShare(int64_t image_rowid, int64_t app_id);

 private:
  // The row IDs of the images `query` lists (own, shared) created within
  // query.hidden_created, ascending. REQUIRES: hidden_created is set.
  std::vector<int64_t> CreatedIn(int64_t app_id, const std::string& region,
                                 const ImageQuery& query);

  Database& db_;
};

}  // namespace cvm::state
