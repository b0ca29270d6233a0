// Accepted v1 signatures in the database (state/v1_signature_store.h).
#include <doctest/doctest.h>

#include "state/database.h"
#include "state/migrations.h"
#include "state/v1_signature_store.h"

// A namespace of its own: this file compiles in one unit with others
// (tests/CMakeLists.txt), whose file-local names may be the same.
namespace v1_signature_store_test {

namespace {

using cvm::state::Database;
using cvm::state::V1SignatureStore;

struct Store {
  Database db{":memory:"};
  Store() { cvm::state::Migrate(db); }
};

TEST_CASE("V1SignatureStore: a signature is kept until its expiry second, soonest expiry first") {
  Store s;
  V1SignatureStore store(s.db);
  store.Add("sig-late", 1600);
  store.Add("sig-early", 1300);
  auto all = store.Unexpired(1000);
  REQUIRE(all.size() == 2);
  CHECK(all[0].signature == "sig-early");
  CHECK(all[0].expires_at == 1300);
  CHECK(all[1].signature == "sig-late");
  auto at_expiry = store.Unexpired(1300);
  CHECK(at_expiry.size() == 2);
  auto after = store.Unexpired(1301);
  REQUIRE(after.size() == 1);
  CHECK(after[0].signature == "sig-late");
}

TEST_CASE("V1SignatureStore: a signature accepted again is recorded again, the later expiry last") {
  Store s;
  V1SignatureStore store(s.db);
  store.Add("sig", 1300);
  store.Add("sig", 1900);
  auto all = store.Unexpired(0);
  REQUIRE(all.size() == 2);
  CHECK(all[1].signature == "sig");
  CHECK(all[1].expires_at == 1900);
  REQUIRE(store.Unexpired(1301).size() == 1);
}

TEST_CASE("V1SignatureStore: DeleteExpired removes only the signatures that expired before now") {
  Store s;
  V1SignatureStore store(s.db);
  store.Add("a", 10);
  store.Add("b", 20);
  store.Add("c", 30);
  CHECK(store.DeleteExpired(20) == 1);
  auto left = store.Unexpired(0);
  REQUIRE(left.size() == 2);
  CHECK(left[0].signature == "b");
  CHECK(left[1].signature == "c");
}

}  // namespace

}  // namespace v1_signature_store_test
