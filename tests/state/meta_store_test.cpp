// Small facts about the emulator itself, and the virtual clock's state.
#include <doctest/doctest.h>

#include "state/clock.h"
#include "state/database.h"
#include "state/meta_store.h"
#include "state/migrations.h"

namespace {

using cvm::state::Database;
using cvm::state::FakeClock;
using cvm::state::MetaStore;
using cvm::state::VirtualClock;

struct Store {
  Database db{":memory:"};
  MetaStore meta{db};
  Store() { cvm::state::Migrate(db); }
};

TEST_CASE("MetaStore: Get of a key never put is empty; Put then Get returns the value; Put again replaces it") {
  Store s;
  CHECK_FALSE(s.meta.Get("colour").has_value());
  s.meta.Put("colour", "blue");
  CHECK(s.meta.Get("colour") == "blue");
  s.meta.Put("colour", "green");
  CHECK(s.meta.Get("colour") == "green");
  s.meta.Put("empty", "");
  CHECK(s.meta.Get("empty") == "");
}

TEST_CASE("MetaStore: no clock was saved in a new database") {
  Store s;
  CHECK_FALSE(s.meta.LoadClock().has_value());
}

TEST_CASE("MetaStore: a running clock's snapshot survives a save and load") {
  Store s;
  s.meta.SaveClock(VirtualClock::Snapshot{-86'400'123, false, 0});
  auto loaded = s.meta.LoadClock();
  REQUIRE(loaded.has_value());
  CHECK(loaded->offset_ms == -86'400'123);
  CHECK_FALSE(loaded->frozen);
}

TEST_CASE("MetaStore: a frozen clock's snapshot survives a save and load, and the last save wins") {
  Store s;
  s.meta.SaveClock(VirtualClock::Snapshot{5, false, 0});
  s.meta.SaveClock(VirtualClock::Snapshot{3'600'000, true, 1'893'456'000'000});
  auto loaded = s.meta.LoadClock();
  REQUIRE(loaded.has_value());
  CHECK(loaded->offset_ms == 3'600'000);
  CHECK(loaded->frozen);
  CHECK(loaded->frozen_at_ms == 1'893'456'000'000);
}

TEST_CASE("MetaStore: a virtual clock restored from the store reads the time it was saved with") {
  Store s;
  FakeClock base(1'700'000'000'000);
  VirtualClock before(base);
  before.Advance(3'600'000);
  before.Freeze();
  s.meta.SaveClock(before.snapshot());

  base.Advance(60'000);  // time passes while the emulator is down
  VirtualClock after(base);
  after.Restore(*s.meta.LoadClock());
  CHECK(after.NowMs() == 1'700'003'600'000);
  after.Resume();
  base.Advance(1'000);
  CHECK(after.NowMs() == 1'700'003'601'000);
}

TEST_CASE("MetaStore: an unreadable clock record loads as no clock") {
  Store s;
  s.meta.Put("clock", "not a clock");
  CHECK_FALSE(s.meta.LoadClock().has_value());
}

}  // namespace
