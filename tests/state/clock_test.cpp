#include "state/clock.h"

#include <doctest/doctest.h>

using cvm::state::FakeClock;
using cvm::state::VirtualClock;

TEST_CASE("VirtualClock: follows its base clock until frozen, then stands still") {
  FakeClock base(1'000'000);
  VirtualClock clock(base);
  CHECK(clock.NowMs() == 1'000'000);
  base.Advance(500);
  CHECK(clock.NowMs() == 1'000'500);
  clock.Freeze();
  base.Advance(10'000);
  CHECK(clock.NowMs() == 1'000'500);
  clock.Advance(2'000);
  CHECK(clock.NowMs() == 1'002'500);
  clock.Resume();
  CHECK(clock.NowMs() == 1'002'500);
  base.Advance(1'000);
  CHECK(clock.NowMs() == 1'003'500);
}

TEST_CASE("VirtualClock: set and advance move time while running; reset returns to the base") {
  FakeClock base(5'000);
  VirtualClock clock(base);
  clock.Set(100'000);
  CHECK(clock.NowMs() == 100'000);
  clock.Advance(1'000);
  CHECK(clock.NowMs() == 101'000);
  base.Advance(10);
  CHECK(clock.NowMs() == 101'010);
  clock.Reset();
  CHECK(clock.NowMs() == 5'010);
}

TEST_CASE("FormatIso8601 and ParseIso8601 agree, in UTC") {
  CHECK(cvm::state::FormatIso8601(0) == "1970-01-01T00:00:00Z");
  CHECK(cvm::state::FormatIso8601(1465185768) == "2016-06-06T04:02:48Z");
  int64_t t = 0;
  REQUIRE(cvm::state::ParseIso8601("2016-06-06T04:02:48Z", &t));
  CHECK(t == 1465185768);
  CHECK_FALSE(cvm::state::ParseIso8601("2016-06-06 04:02:48", &t));
}
