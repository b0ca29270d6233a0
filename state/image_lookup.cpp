#include "state/image_lookup.h"

#include "state/image_store.h"

namespace cvm::state {

Result<LaunchImage> FindLaunchImage(const Catalog& catalog, Database& db, int64_t app_id,
                                    const std::string& region, const std::string& image_id,
                                    TimeMs now) {
  if (const PublicImageInfo* p = catalog.FindPublicImage(image_id)) {
    return LaunchImage{p->image_id, p->os_name, p->platform, p->architecture, p->windows(),
                       false,       p->image_size, p->cloud_init};
  }
  auto found = ImageStore(db).FindVisible(app_id, region, image_id);
  if (!found) return ApiError::Make(errors::kInvalidImageIdNotFound, image_id);
  const Image& m = found->image;
  if (!m.Normal(now)) return ApiError::Make(errors::kInvalidImageIdIncorrectState, image_id, NameOf(m.State(now)));
  return LaunchImage{m.image_id, m.os_name, m.platform, m.architecture, m.windows,
                     true,       m.size_gb, m.cloud_init};
}

}  // namespace cvm::state
