// Custom images' plans and applies (state/image_service.h) over a ":memory:"
// database: what a change holds is what its apply writes, and a plan writes
// nothing. (The codes of every refusal are tested through the API in
// tests/handlers/images_*_test.cpp.)
#include <doctest/doctest.h>

#include <regex>
#include <string>
#include <vector>

#include "state/accounts.h"
#include "state/catalog.h"
#include "state/database.h"
#include "state/image_service.h"
#include "state/image_store.h"
#include "state/instance_store.h"
#include "state/migrations.h"
#include "state/random.h"
#include "tests/state/test_durations.h"
#include "tests/state/test_settings.h"

// Named, for the test group this file compiles in (tests/CMakeLists.txt).
namespace image_service_test {

namespace {

using cvm::state::Image;
using cvm::state::ImageState;
using cvm::state::ImageStore;
using cvm::state::Instance;
using cvm::state::InstanceState;
using cvm::state::TimeMs;

constexpr int64_t kApp = 1250000000;
const std::string kRegion = "ap-guangzhou";
constexpr TimeMs kNow = 1'700'000'000'000;

struct World {
  cvm::state::Database db{":memory:"};
  cvm::state::Random random{20170312};
  cvm::testing::TestSettings settings;
  cvm::state::AccountRegistry accounts = cvm::state::AccountRegistry::Default();
  World() { cvm::state::Migrate(db); }
  cvm::state::Scope Scope(TimeMs now = kNow) {
    return cvm::state::Scope{
        db,      random, settings, cvm::state::Catalog::Builtin(), accounts, accounts.primary(),
        kRegion, now};
  }
  int64_t Images() {
    cvm::state::Statement s = db.Prepare("SELECT COUNT(*) FROM images");
    REQUIRE(s.Step());
    return s.Int(0);
  }
  // A STOPPED CentOS instance of the account.
  Instance Stopped() {
    Instance in;
    in.app_id = kApp;
    in.region = kRegion;
    in.instance_id = "ins-stop0001";
    in.zone = "ap-guangzhou-3";
    in.instance_type = "S1.SMALL1";
    in.name = "web";
    in.image_id = "img-eb30mz89";
    in.os_name = "CentOS 7.5 64位";
    in.image_platform = "CentOS";
    in.image_size_gb = 40;
    in.image_cloud_init = true;
    in.private_ip = "10.0.0.2";
    in.lifecycle.rest = InstanceState::kStopped;
    cvm::state::InstanceStore(db).Insert(in);
    return in;
  }
};

}  // namespace

TEST_SUITE("state") {
  TEST_CASE(
      "CreateImage: the plan's image carries the instance's system and is CREATING until ready; "
      "the apply inserts it under a new img- ID") {
    World w;
    Instance in = w.Stopped();
    auto change = cvm::state::PlanCreateImage(
        w.Scope(), cvm::state::CreateImageRequest{in.instance_id, "captured", "from web", false},
        "CreateImage");
    REQUIRE(change.ok());
    CHECK(w.Images() == 0);
    const Image& planned = change->image;
    CHECK(planned.image_id.empty());
    CHECK(planned.os_name == in.os_name);
    CHECK(planned.platform == "CentOS");
    CHECK(planned.size_gb == 40);
    CHECK(planned.cloud_init);
    CHECK(planned.source_instance == std::optional<std::string>(in.instance_id));
    CHECK(planned.State(kNow) == ImageState::kCreating);
    CHECK(planned.ready_at == kNow + 29'000);  // image_creating; STOPPED needs no stop first
    CHECK(change->instance.Observe(kNow) == InstanceState::kStopped);

    Image stored = cvm::state::ApplyCreateImage(w.Scope(), *change);
    CHECK(std::regex_match(stored.image_id, std::regex("img-[0-9a-z]{8}")));
    auto found = ImageStore(w.db).FindVisible(kApp, kRegion, stored.image_id);
    REQUIRE(found.has_value());
    Image expected = planned;
    expected.rowid = found->image.rowid;
    expected.image_id = stored.image_id;
    CHECK(found->image == expected);
    CHECK(ImageStore(w.db).CreatingFrom(in.instance_id, kNow));
  }

  TEST_CASE(
      "SyncImages: one copy per destination, each once, SYNCING until done; the apply inserts them "
      "and marks the source's copy") {
    World w;
    auto imported = cvm::state::PlanImportImage(
        w.Scope(), cvm::state::ImportImageRequest{
                       "base", std::nullopt, "CentOS", "7", "x86_64",
                       "https://b.cos.ap-guangzhou.myqcloud.com/base.qcow2", false});
    REQUIRE(imported.ok());
    Image source = cvm::state::ApplyImportImage(w.Scope(), *imported);
    const TimeMs later = kNow + 29'000;  // imported
    auto change = cvm::state::PlanSyncImages(w.Scope(later), source.image_id,
                                             {"ap-shanghai", "ap-beijing", "ap-shanghai"});
    REQUIRE(change.ok());
    CHECK(w.Images() == 1);
    REQUIRE(change->copies.size() == 2);
    CHECK(change->copies[0].region == "ap-shanghai");
    CHECK(change->copies[1].region == "ap-beijing");
    for (const Image& copy : change->copies) {
      CHECK(copy.name == "base");
      CHECK(copy.State(later) == ImageState::kSyncing);
      CHECK(copy.ready_at == later + 31'000);  // image_syncing
    }
    CHECK(change->source.sync_done_at == std::optional<TimeMs>(later + 31'000));

    cvm::state::ApplySyncImages(w.Scope(later), *change);
    CHECK(w.Images() == 3);
    CHECK(ImageStore(w.db).FindVisible(kApp, kRegion, source.image_id)->image == change->source);
    CHECK(ImageStore(w.db).ListVisible(kApp, "ap-beijing", {}, later).total == 1);
  }
}

}  // namespace image_service_test
