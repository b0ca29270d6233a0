#include "state/host_store.h"

#include <set>
#include <unordered_map>
#include <variant>

#include "state/columns.h"
#include "state/instance_store.h"  // JsonStringArray

namespace cvm::state {
namespace {

using H = Host;
constexpr Column<H> kHostColumns[] = {
    Key<&H::rowid>("id"),
    Field<&H::app_id>("app_id", ColumnRole::kFixed),
    Field<&H::region>("region", ColumnRole::kFixed),
    Field<&H::host_id>("host_id", ColumnRole::kFixed),
    Field<&H::zone>("zone", ColumnRole::kFixed),
    Field<&H::project_id>("project_id"),
    Field<&H::host_name>("host_name"),
    Field<&H::host_type>("host_type", ColumnRole::kFixed),
    Field<&H::renew_flag>("renew_flag"),
    Field<&H::created_at>("created_at", ColumnRole::kFixed),
    Field<&H::running_at>("running_at"),
    Field<&H::expired_at>("expired_at"),
    Field<&H::launch_failed>("launch_failed"),
    Field<&H::host_ip>("host_ip", ColumnRole::kFixed),
    Field<&H::cpu>("cpu", ColumnRole::kFixed),
    Field<&H::memory_gb>("memory", ColumnRole::kFixed),
    Field<&H::disk_gb>("disk", ColumnRole::kFixed),
};

const Table<H, kHostColumns>& Hosts() {
  static const Table<H, kHostColumns> table("hosts", "h");
  return table;
}

constexpr char kHostIdExists[] = "SELECT 1 FROM hosts WHERE host_id = ?";
constexpr char kCountAdd[] =
    "INSERT INTO host_counts (app_id, region, count) VALUES (?, ?, 1) "
    "ON CONFLICT (app_id, region) DO UPDATE SET count = count + 1";
constexpr char kCountRead[] = "SELECT count FROM host_counts WHERE app_id = ? AND region = ?";
// The hosts in each state but RUNNING, each from its partial index; `?3` is
// the instant. RUNNING is the rest.
constexpr char kCountFailed[] =
    "SELECT COUNT(*) FROM hosts WHERE app_id = ?1 AND region = ?2 AND launch_failed = 1";
constexpr char kCountPending[] =
    "SELECT COUNT(*) FROM hosts WHERE app_id = ?1 AND region = ?2 AND launch_failed = 0 "
    "AND running_at > ?3";
constexpr char kCountExpired[] =
    "SELECT COUNT(*) FROM hosts WHERE app_id = ?1 AND region = ?2 AND launch_failed = 0 "
    "AND renew_flag <> 'NOTIFY_AND_AUTO_RENEW' AND expired_at <= ?3 AND running_at <= ?3";
constexpr char kNextRowId[] = "SELECT IFNULL(MAX(id), 0) + 1 FROM hosts";

// The instances on some hosts, with what each takes: CPU, memory and its
// local disks (system and data).
constexpr char kUsage[] =
    "SELECT i.host_id, i.instance_id, i.cpu, i.memory, "
    "  (CASE WHEN i.system_disk_type LIKE 'LOCAL%' THEN i.system_disk_size ELSE 0 END) + "
    "  IFNULL((SELECT SUM(d.size_gb) FROM instance_data_disks d WHERE d.instance_rowid = i.id "
    "          AND d.disk_type LIKE 'LOCAL%'), 0) "
    "FROM instances i WHERE i.app_id = ? AND i.region = ? "
    "AND i.host_id IN (SELECT value FROM json_each(?)) "
    "AND (i.gone_at IS NULL OR i.gone_at > ?) ORDER BY +i.id";

// The fixed fragments a listing is assembled from; every value is bound.
constexpr char kHostsFrom[] = " FROM hosts h WHERE h.app_id = ? AND h.region = ?";
// Lookups by host ID: the unary + keeps the owner index out of the plan, so
// the unique index on the ID finds the few rows.
constexpr char kHostsFromById[] = " FROM hosts h WHERE +h.app_id = ? AND +h.region = ?";
constexpr char kIn[] = " IN (SELECT value FROM json_each(?))";
constexpr char kHostPage[] = " ORDER BY h.id LIMIT ? OFFSET ?";

// host-state, from the columns that decide it (Host::Observe); each `?` is
// the instant.
const std::map<std::string, const char*, std::less<>> kStateTests = {
    {"PENDING", "(h.launch_failed = 0 AND h.running_at > ?)"},
    {"LAUNCH_FAILURE", "(h.launch_failed = 1)"},
    // RUNNING is the common state: its page walks the owner index in order
    // (the + keeps the start-time index out); the rarer states start from
    // their own indexes and sort the few rows they find.
    {"RUNNING",
     "(h.launch_failed = 0 AND +h.running_at <= ? AND "
     "(h.renew_flag = 'NOTIFY_AND_AUTO_RENEW' OR h.expired_at > ?))"},
    {"EXPIRED",
     "(h.launch_failed = 0 AND h.running_at <= ? AND "
     "h.renew_flag <> 'NOTIFY_AND_AUTO_RENEW' AND h.expired_at <= ?)"},
};

}  // namespace

std::vector<TableColumns> HostStore::Columns() { return {ColumnsOf(Hosts())}; }

void HostStore::Insert(Host& h) {
  static const auto insert = Hosts().Insert();
  Statement s = db_.Cached(insert.sql());
  insert.Bind(s, h);
  s.Run();
  h.rowid = db_.LastInsertRowId();
  db_.Cached(kCountAdd).Bind(1, h.app_id).Bind(2, h.region).Run();
}

int64_t HostStore::Count(int64_t app_id, const std::string& region) {
  Statement s = db_.Cached(kCountRead);
  s.Bind(1, app_id).Bind(2, region);
  return s.Step() ? s.Int(0) : 0;
}

int64_t HostStore::CountInStates(int64_t app_id, const std::string& region,
                                 const std::vector<std::string>& states, TimeMs now) {
  auto count = [&](const char* sql) {
    Statement s = db_.Cached(sql);
    s.Bind(1, app_id).Bind(2, region);
    if (sql != kCountFailed) s.Bind(3, now);
    s.Step();
    return s.Int(0);
  };
  std::map<std::string, int64_t> by_state = {{"LAUNCH_FAILURE", count(kCountFailed)},
                                             {"PENDING", count(kCountPending)},
                                             {"EXPIRED", count(kCountExpired)}};
  by_state["RUNNING"] =
      Count(app_id, region) - by_state["LAUNCH_FAILURE"] - by_state["PENDING"] - by_state["EXPIRED"];
  int64_t total = 0;
  std::set<std::string> seen;
  for (const std::string& state : states) {
    if (seen.insert(state).second) total += by_state.at(state);
  }
  return total;
}

void HostStore::UpdateTerms(const Host& h) {
  static const auto update = Hosts().Update({"host_name", "renew_flag", "expired_at"});
  Statement s = db_.Cached(update.sql());
  update.Bind(s, h);
  s.Run();
}

bool HostStore::IdExists(const std::string& host_id) {
  Statement s = db_.Cached(kHostIdExists);
  s.Bind(1, host_id);
  return s.Step();
}

int64_t HostStore::NextRowId() {
  Statement s = db_.Cached(kNextRowId);
  s.Step();
  return s.Int(0);
}

std::vector<Host> HostStore::FindMany(int64_t app_id, const std::string& region,
                                      const std::vector<std::string>& host_ids) {
  static const std::string sql =
      "SELECT " + Hosts().select_list() + kHostsFromById + " AND h.host_id" + kIn;
  Statement s = db_.Cached(sql.c_str());
  s.Bind(1, app_id).Bind(2, region).Bind(3, JsonStringArray(host_ids));
  std::unordered_map<std::string, Host> by_id;
  while (s.Step()) {
    Host h = Hosts().Read(s);
    std::string id = h.host_id;
    by_id.emplace(std::move(id), std::move(h));
  }
  std::vector<Host> out;
  for (const std::string& id : host_ids) {
    auto it = by_id.find(id);
    if (it == by_id.end()) continue;
    out.push_back(std::move(it->second));
    by_id.erase(it);
  }
  return out;
}

HostPage HostStore::List(int64_t app_id, const std::string& region, const HostQuery& query,
                         TimeMs now) {
  bool by_id = false;
  for (const HostCondition& c : query.conditions) by_id = by_id || c.name == "host-id";
  // The WHERE clause: fixed fragments, and the values they bind, in order.
  std::string where = by_id ? kHostsFromById : kHostsFrom;
  std::vector<std::variant<std::string, int64_t>> binds;
  for (const HostCondition& c : query.conditions) {
    if (c.name == "host-state") {
      std::string any;
      for (const std::string& v : c.values) {
        auto it = kStateTests.find(v);
        if (it == kStateTests.end()) throw DatabaseError("unknown host state " + v);
        if (!any.empty()) any += " OR ";
        any += it->second;
        for (const char* q = it->second; *q; ++q) {
          if (*q == '?') binds.emplace_back(now);
        }
      }
      where += " AND (" + any + ")";
      continue;
    }
    if (c.name == "zone") {
      where += std::string(" AND h.zone") + kIn;
    } else if (c.name == "project-id") {
      where += " AND h.project_id IN (SELECT CAST(value AS INTEGER) FROM json_each(?))";
    } else if (c.name == "host-id") {
      where += std::string(" AND h.host_id") + kIn;
    } else if (c.name == "host-name") {
      where += std::string(" AND h.host_name") + kIn;
    } else {
      throw DatabaseError("unknown host filter " + c.name);
    }
    binds.emplace_back(JsonStringArray(c.values));
  }
  std::vector<int64_t> hidden;
  if (query.hidden_created) {
    constexpr ListedTable kListed{"hosts", nullptr, "hosts_by_owner"};
    hidden = RowsCreatedIn(db_, kListed, app_id, region, *query.hidden_created);
  }
  if (!hidden.empty()) {  // the new hosts are left out (D-219)
    where += " AND h.id NOT IN (SELECT value FROM json_each(?))";
    binds.emplace_back(JsonIntArray(hidden));
  }
  auto bind_where = [&](Statement& s) {
    s.Bind(1, app_id).Bind(2, region);
    int i = 3;
    for (const auto& b : binds) {
      std::visit([&](const auto& v) { s.Bind(i++, v); }, b);
    }
    return i;
  };

  HostPage page;
  if (query.conditions.empty() && hidden.empty()) {
    page.total = Count(app_id, region);
  } else if (query.conditions.size() == 1 && query.conditions[0].name == "host-state" &&
             hidden.empty()) {
    page.total = CountInStates(app_id, region, query.conditions[0].values, now);
  } else {
    Statement count = db_.Prepare("SELECT COUNT(*)" + where);
    bind_where(count);
    count.Step();
    page.total = count.Int(0);
  }
  if (page.total == 0 || query.offset >= page.total) return page;
  Statement s = db_.Prepare("SELECT " + Hosts().select_list() + where + kHostPage);
  int next = bind_where(s);
  s.Bind(next, query.limit).Bind(next + 1, query.offset);
  while (s.Step()) page.items.push_back(Hosts().Read(s));
  return page;
}

std::map<std::string, HostUsage> HostStore::Usage(int64_t app_id, const std::string& region,
                                                  const std::vector<std::string>& host_ids,
                                                  TimeMs now) {
  std::map<std::string, HostUsage> out;
  for (const std::string& id : host_ids) out[id];
  Statement s = db_.Cached(kUsage);
  s.Bind(1, app_id).Bind(2, region).Bind(3, JsonStringArray(host_ids)).Bind(4, now);
  while (s.Step()) {
    HostUsage& u = out[s.Text(0)];
    u.instance_ids.push_back(s.Text(1));
    u.cpu += s.Int(2);
    u.memory_gb += s.Int(3);
    u.disk_gb += s.Int(4);
  }
  return out;
}

}  // namespace cvm::state
