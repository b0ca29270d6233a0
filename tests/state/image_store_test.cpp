// The images table and its shares (state/image_store.h) over a ":memory:"
// database: whole records come back as written, partial updates touch only
// their columns, and shares round-trip in order.
#include <doctest/doctest.h>

#include <algorithm>
#include <random>
#include <set>
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

TEST_CASE(
    "ImageStore: FindVisible finds neither another region's image nor an unshared one of another "
    "account") {
  Store s;
  Image m = Minimal("img-mine0001");
  s.store.Insert(m);
  CHECK_FALSE(s.store.FindVisible(kApp, "ap-shanghai", m.image_id).has_value());
  CHECK_FALSE(s.store.FindVisible(kOtherApp, kRegion, m.image_id).has_value());
  CHECK_FALSE(s.store.FindVisible(kApp, kRegion, "img-none0001").has_value());
}

namespace {

using cvm::state::ImageQuery;

// Images of three accounts in two regions, some shared with the caller,
// each in its pending state until a ready_at around kNow; and a plain loop
// that says what DescribeImages' custom part should list.
struct Gallery : Store {
  static constexpr int64_t kThirdApp = 1250000002;
  std::vector<Image> all;
  std::set<std::pair<int64_t, int64_t>> shares;  // (image rowid, account)
  std::mt19937 rng;

  explicit Gallery(unsigned seed) : rng(seed) {
    const ImageState pending[] = {ImageState::kCreating, ImageState::kImporting,
                                  ImageState::kSyncing};
    for (int i = 0; i < 160; ++i) {
      Image m = Minimal("img-" + std::to_string(10000000 + i));
      const int64_t owners[] = {kApp, kApp, kOtherApp, kThirdApp};
      m.app_id = owners[Pick(4)];
      m.region = Pick(5) == 0 ? "ap-shanghai" : kRegion;
      m.pending_state = pending[Pick(3)];
      m.ready_at =
          kNow - 30'000 + 10'000 * static_cast<TimeMs>(Pick(7));  // on the instants below too
      // Around the instants below; from i, so the draws stay each seed's.
      m.created_at = kNow - 50'000 + (static_cast<TimeMs>(i) * 7919) % 80'000;
      store.Insert(m);
      all.push_back(m);
      if (m.app_id != kApp && Pick(2) == 0) {
        store.AddShare(m.rowid, kApp, kNow);
        shares.insert({m.rowid, kApp});
      }
      if (Pick(4) == 0) {
        int64_t other = m.app_id == kOtherApp ? kThirdApp : kOtherApp;
        store.AddShare(m.rowid, other, kNow);
        shares.insert({m.rowid, other});
      }
    }
  }

  uint32_t Pick(uint32_t n) { return std::uniform_int_distribution<uint32_t>(0, n - 1)(rng); }

  std::vector<std::string> Expected(const ImageQuery& q, TimeMs now) const {
    std::vector<std::string> out;
    for (const Image& m : all) {
      if (m.region != kRegion) continue;
      bool own = m.app_id == kApp, shared = !own && shares.count({m.rowid, kApp});
      if (!(own && q.own) && !(shared && q.shared)) continue;
      if (q.image_ids &&
          std::find(q.image_ids->begin(), q.image_ids->end(), m.image_id) == q.image_ids->end()) {
        continue;
      }
      if (q.states &&
          std::find(q.states->begin(), q.states->end(), m.State(now)) == q.states->end()) {
        continue;
      }
      if (q.hidden_created && m.created_at > q.hidden_created->after &&
          m.created_at <= q.hidden_created->upto) {
        continue;  // too new to be seen (D-219)
      }
      out.push_back(m.image_id);
    }
    return out;
  }
};

}  // namespace

TEST_CASE(
    "ImageStore: ListVisible lists exactly the own and shared images that match IDs, kinds and "
    "states at the instant, page by page, also with the new ones left out") {
  const ImageState states[] = {ImageState::kCreating, ImageState::kImporting, ImageState::kSyncing,
                               ImageState::kNormal};
  for (unsigned seed : {1u, 2u}) {
    Gallery g(seed);
    for (int i = 0; i < 300; ++i) {
      ImageQuery q;
      q.own = g.Pick(4) != 0;
      q.shared = g.Pick(4) != 0;
      if (g.Pick(4) == 0) {
        q.image_ids = std::vector<std::string>();
        for (int n = static_cast<int>(g.Pick(4)); n > 0; --n) {
          q.image_ids->push_back(g.all[g.Pick(static_cast<uint32_t>(g.all.size()))].image_id);
        }
      }
      if (g.Pick(2) == 0) {
        q.states = std::vector<ImageState>();
        for (int n = static_cast<int>(g.Pick(4)); n > 0; --n)
          q.states->push_back(states[g.Pick(4)]);
      }
      TimeMs now = kNow - 40'000 + 10'000 * static_cast<TimeMs>(g.Pick(9));
      q.limit = 1 + g.Pick(9);
      // As asked, and with the images of the last 20 s left out (D-219).
      for (bool hide : {false, true}) {
        if (hide) q.hidden_created = cvm::state::CreatedWindow{now - 20'000, now};
        std::vector<std::string> want = g.Expected(q, now);
        std::vector<std::string> got;
        CAPTURE(seed);
        CAPTURE(i);
        CAPTURE(hide);
        for (q.offset = 0; q.offset < static_cast<int64_t>(want.size()) + q.limit;
             q.offset += q.limit) {
          ImageStore::Page page = g.store.ListVisible(kApp, kRegion, q, now);
          CHECK(page.total == static_cast<int64_t>(want.size()));
          CHECK(static_cast<int64_t>(page.items.size()) <= q.limit);
          for (const ImageStore::Visible& v : page.items) {
            got.push_back(v.image.image_id);
            CHECK(v.shared == (v.image.app_id != kApp));
          }
        }
        CHECK(got == want);
      }
    }
  }
}

TEST_CASE(
    "ImageStore: CountOwned follows inserts and deletes, per account and region; deleting an "
    "image twice counts it once") {
  Store s;
  Image a = Minimal("img-count001");
  Image b = Minimal("img-count002");
  Image elsewhere = Minimal("img-count003");
  elsewhere.region = "ap-shanghai";
  Image foreign = Minimal("img-count004");
  foreign.app_id = kApp + 1;
  for (Image* m : {&a, &b, &elsewhere, &foreign}) s.store.Insert(*m);
  CHECK(s.store.CountOwned(kApp, kRegion) == 2);
  CHECK(s.store.CountOwned(kApp, "ap-shanghai") == 1);
  CHECK(s.store.CountOwned(kApp + 1, kRegion) == 1);
  CHECK(s.store.CountOwned(kApp + 2, kRegion) == 0);
  s.store.Delete(a.rowid);
  s.store.Delete(a.rowid);
  CHECK(s.store.CountOwned(kApp, kRegion) == 1);
  s.store.Delete(b.rowid);
  CHECK(s.store.CountOwned(kApp, kRegion) == 0);
  CHECK(s.store.CountOwned(kApp, "ap-shanghai") == 1);
}
