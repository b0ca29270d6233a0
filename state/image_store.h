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

namespace cvm::state {

struct ImageShare {
  int64_t app_id = 0;  // the account the image is shared with
  TimeMs created_at = 0;
  bool operator==(const ImageShare&) const = default;
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
  // The image with this ID that the account owns or is shared with, in the region.
  std::optional<Visible> FindVisible(int64_t app_id, const std::string& region,
                                     const std::string& image_id);
  // Every image the account owns or is shared with in the region, oldest first.
  std::vector<Visible> ListVisible(int64_t app_id, const std::string& region);
  // True iff an image captured from `instance_id` is still being created.
  bool CreatingFrom(const std::string& instance_id, TimeMs now);

  std::vector<ImageShare> Shares(int64_t image_rowid);
  void AddShare(int64_t image_rowid, int64_t app_id, TimeMs now);
  void RemoveShare(int64_t image_rowid, int64_t app_id);

 private:
  Database& db_;
};

}  // namespace cvm::state
