// Which images an account can launch or reinstall from: the catalog's public
// images, its own custom images and those shared with it, in the region of
// the request, and only once NORMAL.
#pragma once

#include <string>

#include "schema/errors.h"
#include "state/catalog.h"
#include "state/database.h"
#include "state/image.h"

namespace cvm::state {

struct LaunchImage {
  std::string image_id, os_name, platform, architecture;
  bool windows = false;
  bool custom = false;  // own or shared (KeepImageLogin needs one)
  int64_t size_gb = 0;
  bool cloud_init = false;
};

// Errors: InvalidImageId.NotFound (no such image visible in the region),
// InvalidImageId.IncorrectState (not NORMAL yet).
// REQUIRES: the caller holds a UnitOfWork.
Result<LaunchImage> FindLaunchImage(const Catalog& catalog, Database& db, int64_t app_id,
                                    const std::string& region, const std::string& image_id,
                                    TimeMs now);

}  // namespace cvm::state
