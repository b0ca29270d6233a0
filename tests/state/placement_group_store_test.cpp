// The placement_groups table (state/placement_group_store.h) over a
// ":memory:" database: whole-record round trips, the account and region
// scope, the Name substring filter, and the members of a group (visible
// instances only, read by the group's own index).
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "state/database.h"
#include "state/instance_store.h"
#include "state/migrations.h"
#include "state/placement_group_store.h"

namespace {

using cvm::state::PlacementGroup;
using cvm::state::PlacementGroupQuery;
using cvm::state::PlacementGroupStore;
using cvm::state::PlacementGroupType;
using cvm::state::TimeMs;

constexpr int64_t kGroupApp = 1250000000;
const std::string kGroupRegion = "ap-guangzhou";
constexpr TimeMs kGroupNow = 1'700'000'000'000;

struct Groups {
  cvm::state::Database db{":memory:"};
  PlacementGroupStore store{db};
  Groups() { cvm::state::Migrate(db); }

  PlacementGroup Add(const std::string& id, const std::string& name, int64_t app_id = kGroupApp) {
    PlacementGroup g;
    g.app_id = app_id;
    g.region = kGroupRegion;
    g.group_id = id;
    g.name = name;
    g.type = PlacementGroupType::kRack;
    g.created_at = kGroupNow;
    store.Insert(g);
    return g;
  }

  void Member(const std::string& instance_id, const std::string& group_id,
              std::optional<TimeMs> gone_at) {
    cvm::state::Instance in;
    in.app_id = kGroupApp;
    in.region = kGroupRegion;
    in.instance_id = instance_id;
    in.zone = "ap-guangzhou-3";
    in.instance_type = "S1.SMALL1";
    in.placement_group_id = group_id;
    in.private_ip = "10.0.0." + instance_id.substr(instance_id.size() - 1);
    in.lifecycle.gone_at = gone_at;
    cvm::state::InstanceStore(db).Insert(in);
  }

  std::vector<std::string> Named(const std::string& text) {
    PlacementGroupQuery q;
    q.name_contains = text;
    std::vector<std::string> out;
    for (const PlacementGroup& g : store.List(kGroupApp, kGroupRegion, q).items)
      out.push_back(g.group_id);
    return out;
  }
};

}  // namespace

TEST_SUITE("state") {
  TEST_CASE(
      "PlacementGroupStore: a group reads back whole, only in its account; renamed and deleted") {
    Groups s;
    PlacementGroup g = s.Add("ps-aaaaaaaa", "web");
    s.Add("ps-bbbbbbbb", "theirs", kGroupApp + 1);
    CHECK(s.store.FindMany(kGroupApp, kGroupRegion, {"ps-aaaaaaaa", "ps-bbbbbbbb"}) ==
          std::vector<PlacementGroup>{g});
    CHECK(s.store.Count(kGroupApp, kGroupRegion) == 1);
    CHECK(s.store.IdExists("ps-bbbbbbbb"));
    g.name = "renamed";
    s.store.UpdateName(g);
    CHECK(s.store.FindMany(kGroupApp, kGroupRegion, {g.group_id}).at(0) == g);
    s.store.Delete(g.rowid);
    CHECK(s.store.Count(kGroupApp, kGroupRegion) == 0);
  }

  TEST_CASE("PlacementGroupStore: Name is a substring, with % and _ as plain characters") {
    Groups s;
    s.Add("ps-00000001", "web_1");
    s.Add("ps-00000002", "web-2");
    s.Add("ps-00000003", "db 100%");
    CHECK(s.Named("web") == std::vector<std::string>{"ps-00000001", "ps-00000002"});
    CHECK(s.Named("_") == std::vector<std::string>{"ps-00000001"});
    CHECK(s.Named("%") == std::vector<std::string>{"ps-00000003"});
    CHECK(s.Named("WEB").empty());
  }

  TEST_CASE("PlacementGroupStore: Members lists visible instances of each group, oldest first") {
    Groups s;
    s.Add("ps-00000001", "a");
    s.Member("ins-00000001", "ps-00000001", std::nullopt);
    s.Member("ins-00000002", "ps-00000001", kGroupNow + 1);  // TERMINATING: still a member
    s.Member("ins-00000003", "ps-00000001", kGroupNow);      // gone, not yet purged
    auto members =
        s.store.Members(kGroupApp, kGroupRegion, {"ps-00000001", "ps-00000009"}, kGroupNow);
    CHECK(members.at("ps-00000001") == std::vector<std::string>{"ins-00000001", "ins-00000002"});
    CHECK(members.at("ps-00000009").empty());
  }

  TEST_CASE("PlacementGroupStore: List leaves out the groups created within hidden_created; TotalCount agrees") {
    Groups s;
    s.Add("ps-00000001", "web-1");
    s.Add("ps-00000002", "web-2");
    s.Add("ps-00000003", "db");
    s.db.Prepare("UPDATE placement_groups SET created_at = ? WHERE group_id = 'ps-00000002'")
        .Bind(1, kGroupNow + 10'000)
        .Run();
    auto list = [&](PlacementGroupQuery q) {
      q.hidden_created = cvm::state::CreatedWindow{kGroupNow + 5'000, kGroupNow + 20'000};
      cvm::state::PlacementGroupPage page = s.store.List(kGroupApp, kGroupRegion, q);
      std::vector<std::string> out;
      for (const PlacementGroup& g : page.items) out.push_back(g.group_id);
      CHECK(page.total == static_cast<int64_t>(out.size()));
      return out;
    };
    CHECK(list(PlacementGroupQuery{}) == std::vector<std::string>{"ps-00000001", "ps-00000003"});
    PlacementGroupQuery by_id;
    by_id.group_ids = std::vector<std::string>{"ps-00000002"};
    CHECK(list(by_id).empty());
    PlacementGroupQuery by_name;
    by_name.name_contains = "web";
    CHECK(list(by_name) == std::vector<std::string>{"ps-00000001"});
    PlacementGroupQuery paged;
    paged.offset = 1;
    paged.limit = 1;
    paged.hidden_created = cvm::state::CreatedWindow{kGroupNow + 5'000, kGroupNow + 20'000};
    cvm::state::PlacementGroupPage page = s.store.List(kGroupApp, kGroupRegion, paged);
    CHECK(page.total == 2);
    REQUIRE(page.items.size() == 1);
    CHECK(page.items[0].group_id == "ps-00000003");
  }
}
