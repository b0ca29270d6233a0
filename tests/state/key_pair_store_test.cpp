// The key_pairs table (state/key_pair_store.h) over a ":memory:" database:
// round trips, the account and region scope of every read, MissingKeys (what
// RunInstances and ResetInstance check LoginSettings.KeyIds with), and
// DescribeKeyPairs' filters and pages.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "state/database.h"
#include "state/key_pair_store.h"
#include "state/migrations.h"

namespace {

using cvm::state::Database;
using cvm::state::KeyPair;
using cvm::state::KeyPairPage;
using cvm::state::KeyPairQuery;
using cvm::state::KeyPairStore;
using cvm::state::TimeMs;

constexpr int64_t kApp = 1250000000;
constexpr int64_t kOtherApp = 1250000001;
const std::string kRegion = "ap-guangzhou";
const std::string kOtherRegion = "ap-shanghai";
constexpr TimeMs kNow = 1'700'000'000'000;

struct Store {
  Database db{":memory:"};
  KeyPairStore store{db};
  Store() { cvm::state::Migrate(db); }

  KeyPair Add(const std::string& key_id, const std::string& name, int64_t project_id = 0,
              int64_t app_id = kApp, const std::string& region = kRegion) {
    KeyPair k;
    k.app_id = app_id;
    k.region = region;
    k.key_id = key_id;
    k.name = name;
    k.project_id = project_id;
    k.public_key = "ssh-ed25519 " + key_id;  // unique per key; the shape is not the store's business
    k.created_at = kNow;
    store.Insert(k);
    return k;
  }
};

std::vector<std::string> Ids(const std::vector<KeyPair>& keys) {
  std::vector<std::string> out;
  for (const KeyPair& k : keys) out.push_back(k.key_id);
  return out;
}

std::vector<std::string> Ids(const KeyPairPage& page) { return Ids(page.items); }

}  // namespace

TEST_SUITE("state") {
  TEST_CASE("KeyPairStore: Insert sets the rowid, and FindMany returns every field as inserted") {
    Store s;
    KeyPair k;
    k.app_id = kApp;
    k.region = kRegion;
    k.key_id = "skey-abcd1234";
    k.name = "deploy_key";
    k.project_id = 1002;
    k.public_key = "ssh-rsa AAAAB3NzaC1yc2E";
    k.created_at = kNow + 1234;
    s.store.Insert(k);
    CHECK(k.rowid > 0);
    std::vector<KeyPair> found = s.store.FindMany(kApp, kRegion, {"skey-abcd1234"});
    REQUIRE(found.size() == 1);
    const KeyPair& f = found.front();
    CHECK(f.rowid == k.rowid);
    CHECK(f.app_id == kApp);
    CHECK(f.region == kRegion);
    CHECK(f.key_id == "skey-abcd1234");
    CHECK(f.name == "deploy_key");
    CHECK_FALSE(f.description.has_value());
    CHECK(f.project_id == 1002);
    CHECK(f.public_key == "ssh-rsa AAAAB3NzaC1yc2E");
    CHECK(f.created_at == kNow + 1234);
    CHECK(f == k);  // the whole record
    k.description = "with a description";
    KeyPair described = k;
    described.key_id = "skey-abcd5678";
    described.name = "other_key";
    described.public_key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5";
    described.rowid = 0;
    s.store.Insert(described);
    CHECK(s.store.FindMany(kApp, kRegion, {"skey-abcd5678"}).at(0) == described);
  }

  TEST_CASE("KeyPairStore: UpdateAttributes changes the name and description; Delete removes the row") {
    Store s;
    KeyPair k = s.Add("skey-00000001", "old");
    k.name = "new_name";
    k.description = "for \"ci\" 中文";
    k.project_id = 99;  // not an attribute: stays
    s.store.UpdateAttributes(k);
    KeyPair f = s.store.FindMany(kApp, kRegion, {k.key_id}).at(0);
    CHECK(f.name == "new_name");
    CHECK(f.description == std::optional<std::string>("for \"ci\" 中文"));
    CHECK(f.project_id == 0);
    k.description.reset();
    s.store.UpdateAttributes(k);
    CHECK_FALSE(s.store.FindMany(kApp, kRegion, {k.key_id}).at(0).description.has_value());
    s.store.Delete(k.rowid);
    CHECK(s.store.FindMany(kApp, kRegion, {k.key_id}).empty());
    CHECK(s.store.Count(kApp, kRegion) == 0);
    CHECK_FALSE(s.store.IdExists(k.key_id));
  }

  TEST_CASE(
      "KeyPairStore: Count follows inserts and deletes; deleting a key pair twice counts it once") {
    Store s;
    KeyPair a = s.Add("skey-cnt00001", "a");
    s.Add("skey-cnt00002", "b");
    s.Add("skey-cnt00003", "c", 0, kOtherApp);
    CHECK(s.store.Count(kApp, kRegion) == 2);
    s.store.Delete(a.rowid);
    s.store.Delete(a.rowid);
    CHECK(s.store.Count(kApp, kRegion) == 1);
    CHECK(s.store.Count(kOtherApp, kRegion) == 1);
  }

  TEST_CASE("KeyPairStore: FindMany keeps the order asked for, lists a repeated ID once, leaves out foreign ones") {
    Store s;
    s.Add("skey-00000001", "a");
    s.Add("skey-00000002", "b");
    s.Add("skey-00000003", "c", 0, kOtherApp);
    s.Add("skey-00000004", "d", 0, kApp, kOtherRegion);
    CHECK(Ids(s.store.FindMany(kApp, kRegion, {"skey-00000002", "skey-00000001", "skey-00000002"})) ==
          std::vector<std::string>{"skey-00000002", "skey-00000001"});
    CHECK(Ids(s.store.FindMany(kApp, kRegion, {"skey-00000003", "skey-00000004", "skey-zzzzzzzz"})).empty());
    CHECK(s.store.FindMany(kApp, kRegion, {}).empty());
  }

  TEST_CASE("KeyPairStore: MissingKeys names every ID that is not the account's in the region, in order, once") {
    Store s;
    s.Add("skey-00000001", "a");
    s.Add("skey-00000003", "c", 0, kOtherApp);
    s.Add("skey-00000004", "d", 0, kApp, kOtherRegion);
    CHECK(s.store.MissingKeys(kApp, kRegion, {"skey-00000001"}).empty());
    CHECK(s.store.MissingKeys(kApp, kRegion, {}).empty());
    CHECK(s.store.MissingKeys(kApp, kRegion,
                              {"skey-zzzzzzzz", "skey-00000001", "skey-00000004", "skey-00000003", "skey-zzzzzzzz"}) ==
          std::vector<std::string>{"skey-zzzzzzzz", "skey-00000004", "skey-00000003"});
    CHECK(s.store.MissingKeys(kOtherApp, kRegion, {"skey-00000001", "skey-00000003"}) ==
          std::vector<std::string>{"skey-00000001"});
  }

  TEST_CASE("KeyPairStore: names, public keys and counts are per account and region; IDs are global") {
    Store s;
    s.Add("skey-00000001", "shared_name");
    s.Add("skey-00000002", "other", 0, kApp);
    s.Add("skey-00000003", "shared_name", 0, kOtherApp);
    s.Add("skey-00000004", "shared_name", 0, kApp, kOtherRegion);
    CHECK(s.store.IdNamed(kApp, kRegion, "shared_name") == std::optional<std::string>("skey-00000001"));
    CHECK(s.store.IdNamed(kOtherApp, kRegion, "shared_name") == std::optional<std::string>("skey-00000003"));
    CHECK(s.store.IdNamed(kApp, kOtherRegion, "shared_name") == std::optional<std::string>("skey-00000004"));
    CHECK_FALSE(s.store.IdNamed(kApp, kRegion, "Shared_name").has_value());  // names are case-sensitive
    CHECK(s.store.IdWithPublicKey(kApp, kRegion, "ssh-ed25519 skey-00000002") ==
          std::optional<std::string>("skey-00000002"));
    CHECK_FALSE(s.store.IdWithPublicKey(kOtherApp, kRegion, "ssh-ed25519 skey-00000002").has_value());
    CHECK(s.store.Count(kApp, kRegion) == 2);
    CHECK(s.store.Count(kOtherApp, kRegion) == 1);
    CHECK(s.store.Count(kApp, kOtherRegion) == 1);
    CHECK(s.store.Count(kOtherApp, kOtherRegion) == 0);
    CHECK(s.store.IdExists("skey-00000003"));
    CHECK_FALSE(s.store.IdExists("skey-zzzzzzzz"));
  }

  TEST_CASE("KeyPairStore: List pages in creation order and TotalCount counts every match") {
    Store s;
    std::vector<std::string> all;
    for (int i = 0; i < 7; ++i) all.push_back(s.Add("skey-0000000" + std::to_string(9 - i), "k" + std::to_string(i)).key_id);
    s.Add("skey-0000000a", "foreign", 0, kOtherApp);
    KeyPairQuery q;
    q.limit = 3;
    KeyPairPage first = s.store.List(kApp, kRegion, q);
    CHECK(first.total == 7);
    CHECK(Ids(first) == std::vector<std::string>(all.begin(), all.begin() + 3));
    q.offset = 6;
    CHECK(Ids(s.store.List(kApp, kRegion, q)) == std::vector<std::string>{all[6]});
    q.offset = 7;
    KeyPairPage past = s.store.List(kApp, kRegion, q);
    CHECK(past.total == 7);
    CHECK(past.items.empty());
    CHECK(s.store.List(kOtherApp, kOtherRegion, KeyPairQuery{}).total == 0);
  }

  TEST_CASE("KeyPairStore: List filters by KeyIds, exact key-name and numeric project-id; filters ANDed, values ORed") {
    Store s;
    s.Add("skey-00000001", "web", 0);
    s.Add("skey-00000002", "web_2", 7);
    s.Add("skey-00000003", "db", 7);
    s.Add("skey-00000004", "web", 7, kOtherApp);
    auto list = [&](KeyPairQuery q) { return Ids(s.store.List(kApp, kRegion, q)); };
    KeyPairQuery q;
    q.key_ids = std::vector<std::string>{"skey-00000003", "skey-00000001", "skey-00000004", "skey-zzzzzzzz"};
    CHECK(list(q) == std::vector<std::string>{"skey-00000001", "skey-00000003"});  // creation order
    q = {};
    q.conditions = {{"key-name", {"web"}}};
    CHECK(list(q) == std::vector<std::string>{"skey-00000001"});  // exact, not a prefix (D-119)
    q.conditions = {{"key-name", {"web", "db"}}};
    CHECK(list(q) == std::vector<std::string>{"skey-00000001", "skey-00000003"});
    q.conditions = {{"project-id", {"007"}}};  // an integer, however spelled
    CHECK(list(q) == std::vector<std::string>{"skey-00000002", "skey-00000003"});
    q.conditions = {{"project-id", {"7"}}, {"key-name", {"web", "web_2"}}};
    CHECK(list(q) == std::vector<std::string>{"skey-00000002"});
    q.conditions = {{"key-name", {"web"}}, {"key-name", {"db"}}};
    CHECK(list(q).empty());
    q.conditions = {{"project-id", {"8"}}};
    KeyPairPage none = s.store.List(kApp, kRegion, q);
    CHECK(none.total == 0);
    CHECK(none.items.empty());
  }

  TEST_CASE("KeyPairStore: List leaves out the key pairs created within hidden_created, by ID too; TotalCount agrees") {
    Store s;
    std::vector<std::string> ids;
    for (int i = 0; i < 5; ++i) {
      KeyPair k = s.Add("skey-0000000" + std::to_string(i), "k" + std::to_string(i), i % 2);
      k.created_at = kNow + i * 10'000;  // 0, 10, 20, 30, 40 s
      s.db.Prepare("UPDATE key_pairs SET created_at = ? WHERE id = ?").Bind(1, k.created_at).Bind(2, k.rowid).Run();
      ids.push_back(k.key_id);
    }
    s.Add("skey-0000000z", "theirs", 0, kOtherApp);
    KeyPairQuery q;
    q.hidden_created = cvm::state::CreatedWindow{kNow + 15'000, kNow + 40'000};  // 20, 30, 40 s
    KeyPairPage page = s.store.List(kApp, kRegion, q);
    CHECK(page.total == 2);
    CHECK(Ids(page) == std::vector<std::string>{ids[0], ids[1]});
    q.limit = 1;
    q.offset = 1;
    CHECK(Ids(s.store.List(kApp, kRegion, q)) == std::vector<std::string>{ids[1]});
    q.offset = 2;
    CHECK(s.store.List(kApp, kRegion, q).items.empty());
    // By ID: a new key pair is answered as one that does not exist.
    KeyPairQuery by_id;
    by_id.key_ids = std::vector<std::string>{ids[3], ids[0]};
    by_id.hidden_created = q.hidden_created;
    page = s.store.List(kApp, kRegion, by_id);
    CHECK(page.total == 1);
    CHECK(Ids(page) == std::vector<std::string>{ids[0]});
    // A filter: project-id 0 holds 0, 2 and 4; only 0 is old enough.
    KeyPairQuery by_project;
    by_project.conditions.push_back({"project-id", {"0"}});
    by_project.hidden_created = q.hidden_created;
    page = s.store.List(kApp, kRegion, by_project);
    CHECK(page.total == 1);
    CHECK(Ids(page) == std::vector<std::string>{ids[0]});
    // Another account's new key pair is not this one's to hide; a window
    // that holds nothing changes nothing.
    KeyPairQuery theirs;
    theirs.hidden_created = cvm::state::CreatedWindow{kNow - 1, kNow + 40'000};
    CHECK(s.store.List(kOtherApp, kRegion, KeyPairQuery{}).total == 1);
    CHECK(s.store.List(kOtherApp, kRegion, theirs).total == 0);
    KeyPairQuery none;
    none.hidden_created = cvm::state::CreatedWindow{kNow + 41'000, kNow + 90'000};
    CHECK(s.store.List(kApp, kRegion, none).total == 5);
  }
}
