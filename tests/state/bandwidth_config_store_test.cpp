// The instance_bandwidth_configs table: whole-record round trips in order of
// start, the configurations in force at an instant (start inclusive, end
// exclusive), and rows that go with their instance.
#include "state/bandwidth_config_store.h"

#include <doctest/doctest.h>

#include "tests/state/billing_test_support.h"

// Named, for the test group this file compiles in (tests/CMakeLists.txt).
namespace bandwidth_config_store_test {

namespace {

using cvm::state::BandwidthConfig;
using cvm::state::BandwidthConfigStore;
using namespace cvm::testing::billing;

constexpr auto kPrepaidBandwidth = cvm::state::InternetChargeType::kBandwidthPrepaid;

}  // namespace

TEST_SUITE("state") {
  TEST_CASE(
      "BandwidthConfigStore: what is inserted reads back whole, ordered by start, per instance") {
    World w;
    w.Insert(Prepaid("ins-aaaaaaaa"));
    w.Insert(Prepaid("ins-bbbbbbbb"));
    int64_t a = w.Get("ins-aaaaaaaa").rowid, b = w.Get("ins-bbbbbbbb").rowid;
    BandwidthConfig later{kNow + 5 * kDay, kNow + 6 * kDay, kPrepaidBandwidth, 30, true};
    BandwidthConfig sooner{kNow, std::nullopt, kPrepaidBandwidth, 10, false};
    BandwidthConfigStore store(w.db);
    store.Insert(a, later);
    store.Insert(a, sooner);
    store.Insert(b, BandwidthConfig{kNow, kNow + kDay, kPrepaidBandwidth, 50, true});
    CHECK(store.ForInstance(a) == std::vector<BandwidthConfig>{sooner, later});
    CHECK(store.ForInstance(b).size() == 1);
    CHECK(store.ForInstance(b + 100).empty());
  }

  TEST_CASE(
      "BandwidthConfigStore: InForce holds a configuration from its start up to, not at, its end") {
    World w;
    w.Insert(Prepaid("ins-aaaaaaaa"));
    w.Insert(Prepaid("ins-bbbbbbbb"));
    w.Insert(Prepaid("ins-cccccccc"));
    int64_t a = w.Get("ins-aaaaaaaa").rowid, b = w.Get("ins-bbbbbbbb").rowid,
            c = w.Get("ins-cccccccc").rowid;
    BandwidthConfig first{kNow, kNow + kDay, kPrepaidBandwidth, 10, true};
    BandwidthConfig second{kNow + kDay, kNow + 2 * kDay, kPrepaidBandwidth, 20, true};
    BandwidthConfig open{kNow + kDay, std::nullopt, kPrepaidBandwidth, 40, true};
    BandwidthConfigStore store(w.db);
    store.Insert(a, first);
    store.Insert(a, second);
    store.Insert(b, open);
    CHECK(store.InForce({a, b, c}, kNow - 1).empty());
    CHECK(store.InForce({a, b, c}, kNow) == std::map<int64_t, BandwidthConfig>{{a, first}});
    CHECK(store.InForce({a, b, c}, kNow + kDay) ==
          std::map<int64_t, BandwidthConfig>{{a, second}, {b, open}});
    CHECK(store.InForce({b}, kNow + 400 * kDay) == std::map<int64_t, BandwidthConfig>{{b, open}});
    CHECK(store.InForce({a}, kNow + 2 * kDay).empty());
    CHECK(store.InForce({}, kNow).empty());
  }

  TEST_CASE("BandwidthConfigStore: an instance's configurations go when its row is purged") {
    World w;
    cvm::state::Instance in = Prepaid("ins-aaaaaaaa");
    in.lifecycle.gone_at = kNow + kDay;
    w.Insert(in);
    int64_t rowid = w.Get("ins-aaaaaaaa").rowid;
    BandwidthConfigStore store(w.db);
    store.Insert(rowid, BandwidthConfig{kNow, kNow + kDay, kPrepaidBandwidth, 10, true});
    CHECK(w.store.Purge(kNow + kDay) == 1);
    CHECK(store.ForInstance(rowid).empty());
  }
}

}  // namespace bandwidth_config_store_test
