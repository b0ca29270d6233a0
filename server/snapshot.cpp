#include "server/snapshot.h"

#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "server/emulator.h"
#include "server/setting_table.h"
#include "state/accounts.h"
#include "state/count_store.h"
#include "state/database.h"
#include "state/meta_store.h"
#include "state/settings.h"
#include "state/snapshot_tables.h"

namespace cvm::server {
namespace {

using nlohmann::json;
using state::SnapshotTable;
using state::Statement;

constexpr const char* kFormat = "cvm-emulator-snapshot";

std::string ColumnList(const SnapshotTable& t, const std::string& alias) {
  std::string out;
  for (const auto& c : t.columns) {
    if (!out.empty()) out += ", ";
    out += alias + "\"" + c.name + "\"";
  }
  return out;
}

std::string KeyList(const SnapshotTable& t, const std::string& alias) {
  std::string out;
  for (const auto& k : t.key) out += (out.empty() ? "" : ", ") + alias + "\"" + k + "\"";
  return out;
}

const SnapshotTable* Find(const std::vector<SnapshotTable>& tables, const std::string& name) {
  for (const auto& t : tables) {
    if (t.name == name) return &t;
  }
  return nullptr;
}

// The rows of `t` (of `app_id` only, when given), by primary key.
json ExportTable(state::Database& db, const SnapshotTable& t, std::optional<int64_t> app_id) {
  std::string sql = "SELECT " + ColumnList(t, "t.") + " FROM \"" + t.name + "\" t";
  if (!t.parent.empty()) {
    sql += " JOIN \"" + t.parent + "\" p ON p.id = t.\"" + t.parent_column + "\"";
    if (app_id) sql += " WHERE p.app_id = ?";
  } else if (app_id) {
    sql += " WHERE t.app_id = ?";
  }
  sql += " ORDER BY " + KeyList(t, "t.");
  Statement s = db.Prepare(sql);
  if (app_id) s.Bind(1, *app_id);
  json columns = json::array();
  for (const auto& c : t.columns) columns.push_back(c.name);
  json rows = json::array();
  while (s.Step()) {
    json row = json::array();
    for (size_t i = 0; i < t.columns.size(); ++i) {
      int col = static_cast<int>(i);
      const std::string& type = t.columns[i].type;
      if (s.IsNull(col)) {
        row.push_back(nullptr);
      } else if (type == "INTEGER") {
        row.push_back(s.Int(col));
      } else if (type == "REAL") {
        row.push_back(s.Double(col));
      } else {
        row.push_back(s.Text(col));
      }
    }
    rows.push_back(std::move(row));
  }
  return json{{"columns", std::move(columns)}, {"rows", std::move(rows)}};
}

// Reads `value` (an object of settings of `kind`) into d/q: "" or the problem.
std::string ReadSnapshotSettings(const json& value, SettingKind kind, state::Durations& d,
                                 state::Quotas& q, const std::string& where) {
  if (!value.is_object()) return where + " must be an object";
  for (const auto& [key, v] : value.items()) {
    const RunSetting* s = FindRunSetting(kind, key);
    if (!s) return where + ": unknown setting " + key;
    std::optional<int64_t> parsed = SettingFromJson(kind, v);
    if (!parsed) return where + "." + key + ": " + SettingRangeProblem(kind, key);
    s->In(d, q) = *parsed;
  }
  return "";
}

// What the import writes, checked: per table, rows in the order of the
// schema's columns.
struct Plan {
  struct Table {
    const SnapshotTable* table;
    std::vector<const json*> rows;  // each an array in the schema's column order
    std::vector<json> reordered;    // rows whose columns came in another order
  };
  std::vector<Table> tables;  // parents first
  struct Clock {
    int64_t now_ms;
    bool frozen;
  };
  std::optional<Clock> clock;
  std::optional<state::Durations> durations;
  std::optional<state::Quotas> default_quotas;
  std::map<int64_t, state::Quotas> account_quotas;
};

bool TypeFits(const json& v, const state::SnapshotColumn& c) {
  if (v.is_null()) return !c.not_null;
  if (c.type == "INTEGER") return v.is_number_integer();
  if (c.type == "REAL") return v.is_number();
  return v.is_string();
}

// Checks the whole document; fills `plan`. "" or the problem.
std::string Check(Emulator& emu, const std::vector<SnapshotTable>& tables, const json& doc,
                  std::optional<int64_t> app_id, Plan& plan) {
  if (doc.contains("app_id") && !doc["app_id"].is_null()) {
    if (!doc["app_id"].is_number_integer()) return "app_id must be an integer or null";
    if (!app_id) {
      return "this snapshot holds one account (app_id " + doc["app_id"].dump() +
             "): import it with ?app_id=" + doc["app_id"].dump();
    }
  }
  if (!doc.contains("tables") || !doc["tables"].is_object()) return "tables must be an object";
  for (const auto& [name, value] : doc["tables"].items()) {
    if (!Find(tables, name)) return "unknown table " + name;
  }
  std::unordered_map<std::string, std::unordered_set<int64_t>> ids;  // per parent table
  for (const SnapshotTable& t : tables) {
    Plan::Table out{&t, {}, {}};
    if (!doc["tables"].contains(t.name)) {
      plan.tables.push_back(std::move(out));  // absent: no rows
      continue;
    }
    const json& value = doc["tables"][t.name];
    std::string where = "tables." + t.name;
    if (!value.is_object() || !value.contains("columns") || !value["columns"].is_array() ||
        !value.contains("rows") || !value["rows"].is_array()) {
      return where + " must be {\"columns\": [...], \"rows\": [[...], ...]}";
    }
    // The document's column order → the schema's.
    std::vector<size_t> from;  // schema column i is document column from[i]
    const json& columns = value["columns"];
    for (const auto& c : t.columns) {
      size_t found = columns.size();
      for (size_t j = 0; j < columns.size(); ++j) {
        if (columns[j] == c.name) found = j;
      }
      if (found == columns.size()) return where + ": the column " + c.name + " is missing";
      from.push_back(found);
    }
    if (columns.size() != t.columns.size()) {
      for (const auto& c : columns) {
        bool known = false;
        for (const auto& sc : t.columns) known |= c == sc.name;
        if (!known) return where + ": unknown column " + (c.is_string() ? c.get<std::string>() : c.dump());
      }
      return where + ": a column is named twice";
    }
    bool in_order = true;
    for (size_t i = 0; i < from.size(); ++i) in_order &= from[i] == i;
    size_t parent_col = 0, app_col = t.columns.size(), id_col = t.columns.size();
    for (size_t i = 0; i < t.columns.size(); ++i) {
      if (t.columns[i].name == t.parent_column) parent_col = i;
      if (t.columns[i].name == "app_id") app_col = i;
      if (t.columns[i].name == "id") id_col = i;
    }
    size_t n = 0;
    for (const json& row : value["rows"]) {
      std::string r = where + " row " + std::to_string(n++);
      if (!row.is_array() || row.size() != t.columns.size()) {
        return r + ": must be an array of " + std::to_string(t.columns.size()) + " values";
      }
      for (size_t i = 0; i < t.columns.size(); ++i) {
        const json& v = row[from[i]];
        if (!TypeFits(v, t.columns[i])) {
          return r + ": " + t.columns[i].name + " must be " +
                 (t.columns[i].type == "INTEGER" ? "an integer"
                  : t.columns[i].type == "REAL"  ? "a number"
                                                 : "a string") +
                 (t.columns[i].not_null ? "" : " or null") + ", not " + v.dump();
        }
      }
      if (t.parent.empty() && app_col < t.columns.size()) {
        int64_t owner = row[from[app_col]].get<int64_t>();
        if (app_id && owner != *app_id) {
          return r + ": app_id " + std::to_string(owner) + " is not the account imported (" +
                 std::to_string(*app_id) + ")";
        }
        if (!emu.accounts().FindByAppId(owner)) {
          return r + ": app_id " + std::to_string(owner) + " names no account";
        }
      }
      if (t.has_rowid_key && id_col < t.columns.size()) {
        if (!ids[t.name].insert(row[from[id_col]].get<int64_t>()).second) {
          return r + ": id " + row[from[id_col]].dump() + " is given twice";
        }
      }
      if (!t.parent.empty()) {
        int64_t parent = row[from[parent_col]].get<int64_t>();
        if (!ids[t.parent].count(parent)) {
          return r + ": " + t.parent_column + " " + std::to_string(parent) + " is no id in " +
                 t.parent;
        }
      }
      if (in_order) {
        out.rows.push_back(&row);
      } else {
        json copy = json::array();
        for (size_t i = 0; i < t.columns.size(); ++i) copy.push_back(row[from[i]]);
        out.reordered.push_back(std::move(copy));
      }
    }
    for (const json& row : out.reordered) out.rows.push_back(&row);
    plan.tables.push_back(std::move(out));
  }
  // The clock and the settings (a whole snapshot's only).
  if (!app_id && doc.contains("clock")) {
    const json& c = doc["clock"];
    if (!c.is_object() || !c.contains("now_ms") || !c["now_ms"].is_number_integer() ||
        c["now_ms"].get<int64_t>() < 0 || c["now_ms"].get<int64_t>() > 253'402'300'799'999) {
      return "clock.now_ms must be Unix milliseconds between 1970 and 9999";
    }
    if (c.contains("frozen") && !c["frozen"].is_boolean()) return "clock.frozen must be true or false";
    plan.clock = Plan::Clock{c["now_ms"].get<int64_t>(), c.value("frozen", false)};
  }
  if (doc.contains("settings")) {
    const json& s = doc["settings"];
    if (!s.is_object()) return "settings must be an object";
    state::Quotas unused_q;
    state::Durations unused_d;
    if (!app_id && s.contains("durations")) {
      state::Durations d = emu.options().durations;
      if (auto p = ReadSnapshotSettings(s["durations"], SettingKind::kDuration, d, unused_q,
                                        "settings.durations");
          !p.empty()) {
        return p;
      }
      plan.durations = d;
    }
    if (s.contains("quotas")) {
      const json& q = s["quotas"];
      if (!q.is_object()) return "settings.quotas must be an object";
      if (!app_id && q.contains("default")) {
        state::Quotas d = emu.options().quotas;
        if (auto p = ReadSnapshotSettings(q["default"], SettingKind::kQuota, unused_d, d,
                                          "settings.quotas.default");
            !p.empty()) {
          return p;
        }
        plan.default_quotas = d;
      }
      if (q.contains("accounts")) {
        if (!q["accounts"].is_object()) return "settings.quotas.accounts must be an object";
        for (const auto& [key, value] : q["accounts"].items()) {
          int64_t id = 0;
          try {
            id = std::stoll(key);
          } catch (const std::exception&) {
          }
          if (!emu.accounts().FindByAppId(id)) return "settings.quotas.accounts: " + key + " names no account";
          if (app_id && id != *app_id) continue;
          state::Quotas aq = plan.default_quotas ? *plan.default_quotas : emu.settings().default_quotas();
          if (auto p = ReadSnapshotSettings(value, SettingKind::kQuota, unused_d, aq,
                                            "settings.quotas.accounts." + key);
              !p.empty()) {
            return p;
          }
          plan.account_quotas[id] = aq;
        }
      }
    }
  }
  return "";
}

void Bind(Statement& s, int index, const json& v) {
  if (v.is_null()) {
    s.BindNull(index);
  } else if (v.is_number_integer()) {
    s.Bind(index, v.get<int64_t>());
  } else if (v.is_number()) {
    s.Bind(index, v.get<double>());
  } else {
    s.Bind(index, v.get_ref<const std::string&>());
  }
}

// Writes the plan's rows (the caller's transaction). Throws DatabaseError,
// with the table and row in its text.
void Write(state::Database& db, const Plan& plan, std::optional<int64_t> app_id) {
  // Out with what is replaced: children go with their parents.
  for (auto it = plan.tables.rbegin(); it != plan.tables.rend(); ++it) {
    const SnapshotTable& t = *it->table;
    if (!app_id) {
      db.Execute("DELETE FROM \"" + t.name + "\"");
    } else if (t.parent.empty()) {
      Statement s = db.Prepare("DELETE FROM \"" + t.name + "\" WHERE app_id = ?");
      s.Bind(1, *app_id);
      s.Run();
    }
  }
  // One account's rows are renumbered (another account may hold their
  // ids); a whole snapshot keeps its own.
  std::unordered_map<std::string, std::unordered_map<int64_t, int64_t>> renumbered;
  for (const Plan::Table& pt : plan.tables) {
    const SnapshotTable& t = *pt.table;
    std::string marks;
    for (size_t i = 0; i < t.columns.size(); ++i) marks += i ? ", ?" : "?";
    Statement insert = db.Prepare("INSERT INTO \"" + t.name + "\" (" + ColumnList(t, "") +
                                  ") VALUES (" + marks + ")");
    auto& my_ids = renumbered[t.name];
    const auto* parent_ids = t.parent.empty() ? nullptr : &renumbered[t.parent];
    size_t n = 0;
    for (const json* row : pt.rows) {
      int64_t old_id = 0;
      for (size_t i = 0; i < t.columns.size(); ++i) {
        int index = static_cast<int>(i) + 1;
        const std::string& name = t.columns[i].name;
        const json& v = (*row)[i];
        if (t.has_rowid_key && name == "id") {
          old_id = v.get<int64_t>();
          if (app_id) {
            insert.BindNull(index);
          } else {
            insert.Bind(index, old_id);
          }
        } else if (parent_ids && name == t.parent_column && app_id) {
          insert.Bind(index, parent_ids->at(v.get<int64_t>()));
        } else {
          Bind(insert, index, v);
        }
      }
      try {
        insert.Run();
      } catch (const state::DatabaseError& e) {
        throw state::DatabaseError("tables." + t.name + " row " + std::to_string(n) + ": " +
                                   e.what());
      }
      insert.Reset();
      if (t.has_rowid_key) my_ids[old_id] = db.LastInsertRowId();
      ++n;
    }
  }
  // The counters are derived: recomputed for what was replaced.
  state::Recount(db, app_id);
  // What a store cannot read back is refused now, not at the next request.
  for (const Plan::Table& pt : plan.tables) {
    const SnapshotTable& t = *pt.table;
    if (!t.store || pt.rows.empty()) continue;
    std::string columns;
    for (size_t i = t.store->lead; i < t.store->columns.size(); ++i) {
      columns += (columns.empty() ? "\"" : ", \"") + t.store->columns[i] + "\"";
    }
    Statement s = db.Prepare("SELECT " + columns + " FROM \"" + t.name + "\" ORDER BY " + KeyList(t, ""));
    while (s.Step()) {
      try {
        t.store->read_record(s);
      } catch (const state::DatabaseError& e) {
        throw state::DatabaseError("tables." + t.name + ": " + e.what());
      }
    }
  }
}

}  // namespace

std::string MigrateSnapshot(json& doc) {
  if (!doc.is_object()) return "a snapshot must be a JSON object";
  if (doc.value("format", "") != kFormat) return std::string("format must be \"") + kFormat + "\"";
  if (!doc.contains("version") || !doc["version"].is_number_integer()) {
    return "version must be an integer";
  }
  int64_t version = doc["version"].get<int64_t>();
  if (version < 1 || version > kSnapshotVersion) {
    return "version " + std::to_string(version) + " is not one this emulator reads (1 to " +
           std::to_string(kSnapshotVersion) + ")";
  }
  if (version == 1) {
    // Version 1 listed each row as an object and held the clock in seconds
    // ("clock": {"now": s, "frozen"}); version 2 names a table's columns once.
    if (doc.contains("tables") && doc["tables"].is_object()) {
      for (auto& [name, rows] : doc["tables"].items()) {
        if (!rows.is_array()) return "tables." + name + " must be an array of rows (version 1)";
        json columns = json::array();
        std::set<std::string> seen;
        for (const json& row : rows) {
          if (!row.is_object()) return "tables." + name + ": each row must be an object (version 1)";
          for (const auto& [column, value] : row.items()) {
            if (seen.insert(column).second) columns.push_back(column);
          }
        }
        json out = json::array();
        for (const json& row : rows) {
          json values = json::array();
          for (const json& c : columns) {
            const std::string& key = c.get_ref<const std::string&>();
            if (!row.contains(key)) {
              return "tables." + name + ": a row has no " + key + " (version 1)";
            }
            values.push_back(row[key]);
          }
          out.push_back(std::move(values));
        }
        rows = json{{"columns", std::move(columns)}, {"rows", std::move(out)}};
      }
    }
    if (doc.contains("clock") && doc["clock"].is_object() && doc["clock"].contains("now")) {
      json& clock = doc["clock"];
      if (!clock["now"].is_number_integer()) return "clock.now must be Unix seconds (version 1)";
      clock["now_ms"] = clock["now"].get<int64_t>() * 1000;
      clock.erase("now");
    }
    doc["version"] = 2;
  }
  return "";
}

json ExportSnapshot(Emulator& emu, std::optional<int64_t> app_id) {
  state::Settings& settings = emu.settings();
  json out = {{"format", kFormat},
              {"version", kSnapshotVersion},
              {"app_id", app_id ? json(*app_id) : json(nullptr)}};
  auto lock = emu.db().Lock();
  if (!app_id) {
    out["clock"] = {{"now_ms", emu.clock().NowMs()}, {"frozen", emu.clock().snapshot().frozen}};
  }
  json quotas_of = json::object();
  for (const auto& [id, q] : settings.account_quotas()) {
    if (!app_id || id == *app_id) {
      quotas_of[std::to_string(id)] = SettingsToJson(SettingKind::kQuota, {}, q);
    }
  }
  json s = json::object();
  if (!app_id) {
    s["durations"] = SettingsToJson(SettingKind::kDuration, settings.durations(), {});
    s["quotas"]["default"] = SettingsToJson(SettingKind::kQuota, {}, settings.default_quotas());
  }
  s["quotas"]["accounts"] = std::move(quotas_of);
  out["settings"] = std::move(s);
  json tables = json::object();
  std::vector<SnapshotTable> all = state::SnapshotTables(emu.db());
  for (const SnapshotTable& t : all) tables[t.name] = ExportTable(emu.db(), t, app_id);
  out["tables"] = std::move(tables);
  return out;
}

std::string ImportSnapshot(Emulator& emu, json doc, std::optional<int64_t> app_id) {
  if (std::string problem = MigrateSnapshot(doc); !problem.empty()) return problem;
  {
    auto lock = emu.db().Lock();
    std::vector<SnapshotTable> tables = state::SnapshotTables(emu.db());
    Plan plan;
    if (std::string problem = Check(emu, tables, doc, app_id, plan); !problem.empty()) {
      return problem;
    }
    state::Transaction txn(emu.db());
    try {
      Write(emu.db(), plan, app_id);
    } catch (const state::DatabaseError& e) {
      return std::string("the snapshot cannot be stored: ") + e.what();
    }
    if (plan.clock) {
      state::VirtualClock& clock = emu.clock();
      clock.Set(plan.clock->now_ms);
      if (plan.clock->frozen) {
        clock.Freeze();
      } else {
        clock.Resume();
      }
      state::MetaStore(emu.db()).SaveClock(clock.snapshot());
    }
    txn.Commit();
    if (!app_id) {
      emu.ResetSettings();
      if (plan.durations) emu.settings().set_durations(*plan.durations);
      if (plan.default_quotas) emu.settings().set_default_quotas(*plan.default_quotas);
    }
    for (const auto& [id, q] : plan.account_quotas) emu.settings().set_account_quotas(id, q);
  }
  return "";
}

}  // namespace cvm::server
