// The images table and its shares (state/image_store.h) over a ":memory:"
// database: whole records come back as written, partial updates touch only
// their columns, and shares round-trip in order.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "state/database.h"
#include "state/image.h"
#include "state/image_store.h"
#include "state/migrations.h"

namespace {

using cvm::state::Database;
using cvm::state::Image;
using cvm::state::ImageShare;
using cvm::state::ImageSource;
using cvm::state::ImageState;
using cvm::state::ImageStore;
using cvm::state::TimeMs;

constexpr int64_t kApp = 1250000000;
constexpr int64_t kOtherApp = 1250000001;
const std::string kRegion = "ap-guangzhou";
constexpr TimeMs kNow = 1'700'000'000'000;

struct Store {
  Database db{":memory:"};
  ImageStore store{db};
  Store() { cvm::state::Migrate(db); }
};

// An image with every optional field set and no field at its default.
Image Full(const std::string& id) {
  Image m;
  m.app_id = kApp;
  m.region = kRegion;
  m.image_id = id;
  m.name = "web \"base\" 中文";
  m.description = "built by ci";
  m.os_name = "Windows Server 2016";
  m.platform = "Windows";
  m.architecture = "arm64";
  m.windows = true;
  m.size_gb = 50;
  m.cloud_init = true;
  m.source = ImageSource::kExternalImport;
  m.source_instance = "ins-abcdefgh";
  m.creator = "100000000001";
  m.created_at = kNow - 1'000;
  m.pending_state = ImageState::kSyncing;
  m.ready_at = kNow + 60'000;
  m.sync_started_at = kNow + 1;
  m.sync_done_at = kNow + 2;
  return m;
}

// Only what an image always has.
Image Minimal(const std::string& id) {
  Image m;
  m.app_id = kApp;
  m.region = kRegion;
  m.image_id = id;
  m.name = id;
  m.creator = "100000000001";
  return m;
}

}  // namespace

TEST_CASE(
    "ImageStore: Insert sets the rowid, and FindVisible returns the whole record as inserted") {
  Store s;
  Image full = Full("img-full0001");
  Image minimal = Minimal("img-mini0001");
  s.store.Insert(full);
  s.store.Insert(minimal);
  CHECK(full.rowid > 0);
  CHECK(minimal.rowid > full.rowid);
  auto got_full = s.store.FindVisible(kApp, kRegion, "img-full0001");
  REQUIRE(got_full.has_value());
  CHECK(got_full->image == full);
  CHECK_FALSE(got_full->shared);
  auto got_minimal = s.store.FindVisible(kApp, kRegion, "img-mini0001");
  REQUIRE(got_minimal.has_value());
  CHECK(got_minimal->image == minimal);
  CHECK_FALSE(got_minimal->image.description.has_value());
}

TEST_CASE(
    "ImageStore: UpdateAttributes rewrites the name and description only; UpdateSync the sync "
    "times only") {
  Store s;
  Image m = Full("img-full0001");
  s.store.Insert(m);
  Image changed = m;
  changed.name = "renamed";
  changed.description.reset();
  changed.os_name = "not saved";
  changed.sync_done_at = kNow + 99;
  s.store.UpdateAttributes(changed);
  Image want = m;
  want.name = "renamed";
  want.description.reset();
  CHECK(s.store.FindVisible(kApp, kRegion, m.image_id)->image == want);

  changed.sync_started_at.reset();
  s.store.UpdateSync(changed);
  want.sync_started_at.reset();
  want.sync_done_at = kNow + 99;
  CHECK(s.store.FindVisible(kApp, kRegion, m.image_id)->image == want);
}

TEST_CASE(
    "ImageStore: shares come back in the order made, once each, and a shared image is visible to "
    "its account") {
  Store s;
  Image m = Full("img-full0001");
  s.store.Insert(m);
  s.store.AddShare(m.rowid, kOtherApp, kNow + 5);
  s.store.AddShare(m.rowid, 1250000009, kNow + 3);
  s.store.AddShare(m.rowid, kOtherApp, kNow + 7);  // already shared: kept as it was
  CHECK(s.store.Shares(m.rowid) ==
        std::vector<ImageShare>{ImageShare{1250000009, kNow + 3}, ImageShare{kOtherApp, kNow + 5}});
  auto seen = s.store.FindVisible(kOtherApp, kRegion, m.image_id);
  REQUIRE(seen.has_value());
  CHECK(seen->shared);
  CHECK(seen->image == m);
  s.store.RemoveShare(m.rowid, kOtherApp);
  CHECK(s.store.Shares(m.rowid) == std::vector<ImageShare>{ImageShare{1250000009, kNow + 3}});
  CHECK_FALSE(s.store.FindVisible(kOtherApp, kRegion, m.image_id).has_value());
}
