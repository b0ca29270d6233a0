#include "state/placement_group_store.h"

#include <unordered_map>

#include "state/columns.h"
#include "state/instance_store.h"  // JsonStringArray

namespace cvm::state {
namespace {

using G = PlacementGroup;
constexpr Column<G> kGroupColumns[] = {
    Key<&G::rowid>("id"),
    Field<&G::app_id>("app_id", ColumnRole::kFixed),
    Field<&G::region>("region", ColumnRole::kFixed),
    Field<&G::group_id>("group_id", ColumnRole::kFixed),
    Field<&G::name>("name"),
    Field<&G::type>("type", ColumnRole::kFixed),
    Field<&G::created_at>("created_at", ColumnRole::kFixed),
};

const Table<G, kGroupColumns>& Groups() {
  static const Table<G, kGroupColumns> table("placement_groups", "g");
  return table;
}

constexpr char kDeleteGroup[] = "DELETE FROM placement_groups WHERE id = ?";
constexpr char kGroupIdExists[] = "SELECT 1 FROM placement_groups WHERE group_id = ?";
constexpr char kCount[] = "SELECT COUNT(*) FROM placement_groups WHERE app_id = ? AND region = ?";
constexpr char kMembers[] =
    "SELECT i.placement_group_id, i.instance_id FROM instances i "
    "WHERE i.app_id = ? AND i.region = ? "
    "AND i.placement_group_id IN (SELECT value FROM json_each(?)) "
    "AND (i.gone_at IS NULL OR i.gone_at > ?) ORDER BY +i.id";

constexpr char kGroupsFrom[] = " FROM placement_groups g WHERE g.app_id = ? AND g.region = ?";
constexpr char kGroupsFromById[] = " FROM placement_groups g WHERE +g.app_id = ? AND +g.region = ?";
constexpr char kGroupIdIn[] = " AND g.group_id IN (SELECT value FROM json_each(?))";
// instr() rather than LIKE: the name's own % and _ are plain characters.
constexpr char kNameContains[] = " AND instr(g.name, ?) > 0";
constexpr char kGroupPage[] = " ORDER BY g.id LIMIT ? OFFSET ?";

}  // namespace

std::vector<TableColumns> PlacementGroupStore::Columns() { return {ColumnsOf(Groups())}; }

void PlacementGroupStore::Insert(PlacementGroup& g) {
  static const auto insert = Groups().Insert();
  Statement s = db_.Cached(insert.sql());
  insert.Bind(s, g);
  s.Run();
  g.rowid = db_.LastInsertRowId();
}

void PlacementGroupStore::UpdateName(const PlacementGroup& g) {
  static const auto update = Groups().Update({"name"});
  Statement s = db_.Cached(update.sql());
  update.Bind(s, g);
  s.Run();
}

void PlacementGroupStore::Delete(int64_t rowid) { db_.Cached(kDeleteGroup).Bind(1, rowid).Run(); }

bool PlacementGroupStore::IdExists(const std::string& group_id) {
  Statement s = db_.Cached(kGroupIdExists);
  s.Bind(1, group_id);
  return s.Step();
}

int64_t PlacementGroupStore::Count(int64_t app_id, const std::string& region) {
  Statement s = db_.Cached(kCount);
  s.Bind(1, app_id).Bind(2, region);
  s.Step();
  return s.Int(0);
}

std::vector<PlacementGroup> PlacementGroupStore::FindMany(
    int64_t app_id, const std::string& region, const std::vector<std::string>& group_ids) {
  static const std::string sql = "SELECT " + Groups().select_list() + kGroupsFromById + kGroupIdIn;
  Statement s = db_.Cached(sql.c_str());
  s.Bind(1, app_id).Bind(2, region).Bind(3, JsonStringArray(group_ids));
  std::unordered_map<std::string, PlacementGroup> by_id;
  while (s.Step()) {
    PlacementGroup g = Groups().Read(s);
    std::string id = g.group_id;
    by_id.emplace(std::move(id), std::move(g));
  }
  std::vector<PlacementGroup> out;
  for (const std::string& id : group_ids) {
    auto it = by_id.find(id);
    if (it == by_id.end()) continue;
    out.push_back(std::move(it->second));
    by_id.erase(it);
  }
  return out;
}

PlacementGroupPage PlacementGroupStore::List(int64_t app_id, const std::string& region,
                                             const PlacementGroupQuery& query) {
  std::string where = query.group_ids ? kGroupsFromById : kGroupsFrom;
  std::vector<std::string> binds;
  if (query.group_ids) {
    where += kGroupIdIn;
    binds.push_back(JsonStringArray(*query.group_ids));
  }
  if (query.name_contains) {
    where += kNameContains;
    binds.push_back(*query.name_contains);
  }
  if (query.hidden_created) {  // the new groups are left out (D-219)
    constexpr ListedTable kListed{"placement_groups", nullptr, "placement_groups_by_owner"};
    std::vector<int64_t> hidden =
        RowsCreatedIn(db_, kListed, app_id, region, *query.hidden_created);
    if (!hidden.empty()) {
      where += " AND g.id NOT IN (SELECT value FROM json_each(?))";
      binds.push_back(JsonIntArray(hidden));
    }
  }
  auto bind_where = [&](Statement& s) {
    s.Bind(1, app_id).Bind(2, region);
    for (size_t i = 0; i < binds.size(); ++i) s.Bind(static_cast<int>(i + 3), binds[i]);
  };
  PlacementGroupPage page;
  {
    Statement count = db_.Prepare("SELECT COUNT(*)" + where);
    bind_where(count);
    count.Step();
    page.total = count.Int(0);
  }
  if (page.total == 0 || query.offset >= page.total) return page;
  Statement s = db_.Prepare("SELECT " + Groups().select_list() + where + kGroupPage);
  bind_where(s);
  s.Bind(static_cast<int>(binds.size() + 3), query.limit);
  s.Bind(static_cast<int>(binds.size() + 4), query.offset);
  while (s.Step()) page.items.push_back(Groups().Read(s));
  return page;
}

std::map<std::string, std::vector<std::string>> PlacementGroupStore::Members(
    int64_t app_id, const std::string& region, const std::vector<std::string>& group_ids,
    TimeMs now) {
  std::map<std::string, std::vector<std::string>> out;
  for (const std::string& id : group_ids) out[id];
  Statement s = db_.Cached(kMembers);
  s.Bind(1, app_id).Bind(2, region).Bind(3, JsonStringArray(group_ids)).Bind(4, now);
  while (s.Step()) out[s.Text(0)].push_back(s.Text(1));
  return out;
}

}  // namespace cvm::state
