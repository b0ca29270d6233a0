// The v1 replay cache (DECISIONS Q-03): a signature is accepted once while
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

}  // namespace
