// The v1 replay cache (D-103): a signature is accepted once while
// its timestamp is inside the window.
#include <doctest/doctest.h>

#include "server/replay_cache.h"

namespace {

using cvm::server::ReplayCache;

TEST_CASE("ReplayCache: a signature is recorded once; inserting it again before it expires is refused") {
  ReplayCache cache;
  CHECK(cache.Insert("sig-a", /*expires_at=*/1300, /*now=*/1000));
  CHECK_FALSE(cache.Insert("sig-a", 1300, 1001));
  CHECK(cache.Insert("sig-b", 1300, 1001));
  CHECK(cache.size() == 2);
}

TEST_CASE("ReplayCache: a signature is still refused at its expiry second and forgotten after it") {
  ReplayCache cache;
  REQUIRE(cache.Insert("sig", 1300, 1000));
  CHECK_FALSE(cache.Insert("sig", 1300, 1300));
  CHECK(cache.Insert("sig", 1700, 1301));
  CHECK(cache.size() == 1);
}

TEST_CASE("ReplayCache: inserting evicts the signatures that have expired") {
  ReplayCache cache;
  REQUIRE(cache.Insert("a", 10, 0));
  REQUIRE(cache.Insert("b", 20, 0));
  REQUIRE(cache.Insert("c", 100, 15));  // "a" expired at 10
  CHECK(cache.size() == 2);
  REQUIRE(cache.Insert("d", 100, 50));  // "b" expired at 20
  CHECK(cache.size() == 2);
}

TEST_CASE("ReplayCache: Clear forgets every signature") {
  ReplayCache cache;
  REQUIRE(cache.Insert("a", 100, 0));
  REQUIRE(cache.Insert("b", 100, 0));
  cache.Clear();
  CHECK(cache.size() == 0);
  CHECK(cache.Insert("a", 100, 1));
}

TEST_CASE("ReplayCache: an expired signature is accepted again even behind one that expires later") {
  // Regression: Insert must answer by each entry's own expiry, even when an
  // entry that expires later was recorded before it.
  ReplayCache cache;
  REQUIRE(cache.Insert("long-lived", 1000, 0));
  REQUIRE(cache.Insert("short-lived", 100, 0));
  CHECK(cache.Insert("short-lived", 500, 200));  // expired at 100
}

TEST_CASE(
    "ReplayCache: accepted signatures wait to be saved, oldest first, and are handed out once") {
  ReplayCache cache;
  REQUIRE(cache.Insert("a", 300, 0));
  REQUIRE_FALSE(cache.Insert("a", 300, 1));  // a replay is not saved again
  REQUIRE(cache.Insert("b", 301, 1));
  CHECK(cache.HasUnsaved());
  auto unsaved = cache.TakeUnsaved();
  REQUIRE(unsaved.size() == 2);
  CHECK(unsaved[0].signature == "a");
  CHECK(unsaved[0].expires_at == 300);
  CHECK(unsaved[1].signature == "b");
  CHECK_FALSE(cache.HasUnsaved());
  CHECK(cache.TakeUnsaved().empty());
}

TEST_CASE("ReplayCache: signatures that could not be saved come back before newer ones") {
  ReplayCache cache;
  REQUIRE(cache.Insert("a", 300, 0));
  auto unsaved = cache.TakeUnsaved();
  REQUIRE(cache.Insert("b", 300, 0));
  cache.ReturnUnsaved(std::move(unsaved));
  auto again = cache.TakeUnsaved();
  REQUIRE(again.size() == 2);
  CHECK(again[0].signature == "a");
  CHECK(again[1].signature == "b");
}

TEST_CASE("ReplayCache: a restored signature is refused until it expires, and is not saved again") {
  ReplayCache cache;
  cache.Restore("saved", 300, 100);
  cache.Restore("gone", 99, 100);  // expired before the restart: ignored
  CHECK_FALSE(cache.HasUnsaved());
  CHECK_FALSE(cache.Insert("saved", 400, 200));
  CHECK(cache.Insert("gone", 400, 200));
  CHECK(cache.Insert("saved", 700, 301));
}

TEST_CASE("ReplayCache: a signature restored twice keeps the later expiry, whatever the order") {
  ReplayCache cache;
  cache.Restore("sig", 500, 100);
  cache.Restore("sig", 300, 100);
  CHECK_FALSE(cache.Insert("sig", 900, 400));
  CHECK(cache.Insert("sig", 900, 501));
}

TEST_CASE("ReplayCache: Clear forgets unsaved signatures too") {
  ReplayCache cache;
  REQUIRE(cache.Insert("a", 100, 0));
  cache.Clear();
  CHECK_FALSE(cache.HasUnsaved());
}

}  // namespace
