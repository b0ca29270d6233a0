#include "server/control.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <functional>
#include <nlohmann/json.hpp>

#include "server/emulator.h"
#include "server/fault_control.h"
#include "server/form.h"
#include "server/rate_limiter.h"
#include "server/request_log.h"
#include "server/setting_table.h"
#include "state/accounts.h"
#include "state/meta_store.h"
#include "state/settings.h"

#ifndef CVM_VERSION
#define CVM_VERSION "0.0.0"
#endif

namespace cvm::server {
namespace {

using nlohmann::json;

HttpResponse Reply(int status, const json& body) {
  HttpResponse r;
  r.status = status;
  r.body = body.dump(-1, ' ', false, json::error_handler_t::replace);
  return r;
}

HttpResponse Problem(int status, std::string message) {
  return Reply(status, json{{"error", std::move(message)}});
}

// Arguments come from the query string and/or a JSON object body.
bool Arguments(const HttpRequest& req, json* args, std::string* error) {
  *args = json::object();
  FormParams form;
  std::string bad;
  if (!ParseForm(req.raw_query(), &form, &bad)) {
    *error = "malformed query string";
    return false;
  }
  for (auto& [k, v] : form) (*args)[k] = v;
  if (!req.body.empty()) {
    json body = json::parse(req.body, nullptr, /*allow_exceptions=*/false);
    if (!body.is_object()) {
      *error = "the body must be a JSON object";
      return false;
    }
    args->update(body);
  }
  return true;
}

// The emulator clock's range: 1970-01-01T00:00:00Z to 9999-12-31T23:59:59Z
// (the last millisecond of it), so every time has a four-digit ISO 8601 form.
constexpr state::TimeMs kLatestMs = 253'402'300'799'999;
constexpr const char* kClockRange = "between 1970-01-01T00:00:00Z and 9999-12-31T23:59:59Z";

// A finite number (a JSON number, or a numeric string). False otherwise.
bool Seconds(const json& v, double* out) {
  if (v.is_number()) {
    *out = v.get<double>();
  } else if (v.is_string()) {
    try {
      size_t used = 0;
      const std::string& s = v.get_ref<const std::string&>();
      *out = std::stod(s, &used);
      if (used != s.size()) return false;
    } catch (const std::exception&) {
      return false;
    }
  } else {
    return false;
  }
  return std::isfinite(*out);
}

bool Integer(const json& v, int64_t* out) {
  double d;
  // ±2^63 would not fit (and 2^63 - 1 is not a double).
  if (!Seconds(v, &d) || !(d >= -0x1p63 && d < 0x1p63) || d != std::trunc(d)) return false;
  *out = static_cast<int64_t>(d);
  return true;
}

// An ISO 8601 UTC time (the forms state::ParseIso8601 reads) whose fields
// name a real instant: "2024-02-30" or "23:59:60" are refused, not rolled
// over into the next day or minute.
bool ExactIso8601(const std::string& text, int64_t* seconds) {
  if (!state::ParseIso8601(text, seconds)) return false;
  auto fields = [](const std::string& t) {
    std::array<int, 6> f{};
    std::sscanf(t.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d", &f[0], &f[1], &f[2], &f[3], &f[4], &f[5]);
    return f;
  };
  return fields(text) == fields(state::FormatIso8601(*seconds));
}

// The durations or the quotas (state/settings.def) as the endpoints show them.
json SettingsJson(SettingKind kind, const state::Durations& d, const state::Quotas& q) {
  json out = json::object();
  for (const RunSetting& s : RunSettings()) {
    if (s.kind == kind) out[s.name] = SettingToJson(kind, s.In(d, q));
  }
  return out;
}

json DurationsJson(const state::Durations& d) {
  return SettingsJson(SettingKind::kDuration, d, state::Quotas{});
}

json QuotasJson(const state::Quotas& q) {
  return SettingsJson(SettingKind::kQuota, state::Durations{}, q);
}

// Sets the settings of `kind` that `args` names (all or none): "" or the
// problem with the first one refused. `skip` are arguments that are not
// settings.
std::string SetSettings(SettingKind kind, const json& args, state::Durations& d, state::Quotas& q,
                        std::initializer_list<std::string_view> skip = {}) {
  const char* noun = kind == SettingKind::kDuration ? "duration" : "quota";
  for (const auto& [key, value] : args.items()) {
    if (std::find(skip.begin(), skip.end(), key) != skip.end()) continue;
    const RunSetting* setting = FindRunSetting(kind, key);
    if (!setting) return "unknown " + std::string(noun) + " " + key;
    std::optional<int64_t> v = SettingFromJson(kind, value);
    if (!v) return SettingRangeProblem(kind, key);
    setting->In(d, q) = *v;
  }
  return "";
}

FaultNames FaultNamesOf(Emulator& emu) {
  return FaultNames{[&emu](std::string_view a) { return emu.KnowsAction(a); },
                    [&emu](std::string_view r) { return emu.KnowsRegion(r); }};
}

class Routes {
 public:
  Routes(Emulator& emulator, const HttpRequest& req, const json& args)
      : emu_(emulator), req_(req), args_(args) {}

  HttpResponse Health() {
    std::string db_status;
    {
      auto lock = emu_.db().Lock();
      db_status = emu_.db().QuickCheck();
    }
    auto uptime = std::chrono::steady_clock::now() - emu_.started();
    json body = {{"status", db_status == "ok" ? "ok" : "degraded"},
                 {"version", CVM_VERSION},
                 {"api_version", "2017-03-12"},
                 {"uptime_seconds", std::chrono::duration_cast<std::chrono::seconds>(uptime).count()},
                 {"database", {{"status", db_status}, {"path", emu_.db().path()}}},
                 {"clock", Clock()}};
    return Reply(db_status == "ok" ? 200 : 503, body);
  }

  HttpResponse Reset() {
    {
      auto lock = emu_.db().Lock();
      state::Database& db = emu_.db();
      state::Transaction txn(db);
      std::vector<std::string> tables;
      {
        state::Statement list = db.Prepare(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name <> 'schema_version' "
            "AND name NOT LIKE 'sqlite_%' ORDER BY name");
        while (list.Step()) tables.push_back(list.Text(0));
      }
      for (const std::string& table : tables) db.Execute("DELETE FROM \"" + table + "\"");
      txn.Commit();
      // Under the same lock, so no batch saves a signature accepted before
      // the reset after the table was emptied.
      emu_.replay_cache().Clear();
    }
    emu_.clock().Reset();
    emu_.SaveClock();
    emu_.ResetSettings();
    emu_.logger().Event(LogLevel::kInfo, "reset");
    return Reply(200, json{{"reset", true}, {"clock", Clock()}});
  }

  json Clock() {
    state::VirtualClock& clock = emu_.clock();
    auto s = clock.snapshot();
    int64_t now = clock.NowMs();
    return json{{"now", now / 1000},
                {"now_ms", now},
                {"iso", state::FormatIso8601(now / 1000)},
                {"frozen", s.frozen},
                {"offset_seconds", static_cast<double>(s.offset_ms) / 1000.0}};
  }

  HttpResponse ClockGet() { return Reply(200, Clock()); }

  HttpResponse ClockChange(const std::function<std::optional<std::string>()>& change) {
    if (auto problem = change()) return Problem(400, *problem);
    emu_.SaveClock();
    return Reply(200, Clock());
  }

  HttpResponse ClockSet() {
    return ClockChange([&]() -> std::optional<std::string> {
      int64_t t;
      double seconds;
      if (!args_.contains("time")) return "give time: Unix seconds or an ISO 8601 UTC time";
      const json& v = args_["time"];
      if (v.is_string() && state::ParseIso8601(v.get<std::string>(), &t)) {
        if (t < 0 || t > kLatestMs / 1000) return std::string("time must be ") + kClockRange;
        if (!ExactIso8601(v.get<std::string>(), &t)) {
          return "time " + v.get<std::string>() + " is not a calendar date and time";
        }
        emu_.clock().Set(t * 1000);
      } else if (Seconds(v, &seconds)) {
        if (!(seconds >= 0 && seconds * 1000 <= kLatestMs)) {
          return std::string("time must be ") + kClockRange;
        }
        emu_.clock().Set(static_cast<int64_t>(seconds * 1000));
      } else {
        return "give time: Unix seconds or an ISO 8601 UTC time";
      }
      return std::nullopt;
    });
  }

  HttpResponse ClockAdvance() {
    return ClockChange([&]() -> std::optional<std::string> {
      double seconds;
      if (!args_.contains("seconds") || !Seconds(args_["seconds"], &seconds) || seconds < 0) {
        return "give seconds: a finite, non-negative number of seconds";
      }
      if (seconds * 1000 > static_cast<double>(kLatestMs - emu_.clock().NowMs())) {
        return std::string("the clock must stay ") + kClockRange;
      }
      emu_.clock().Advance(static_cast<int64_t>(seconds * 1000));
      return std::nullopt;
    });
  }

  HttpResponse ClockFreeze() {
    return ClockChange([&]() -> std::optional<std::string> {
      emu_.clock().Freeze();
      return std::nullopt;
    });
  }

  HttpResponse ClockResume() {
    return ClockChange([&]() -> std::optional<std::string> {
      emu_.clock().Resume();
      return std::nullopt;
    });
  }

  HttpResponse DurationsGetOrSet() {
    state::Settings& settings = emu_.settings();
    if (req_.method == "POST") {
      state::Durations d = settings.durations();
      state::Quotas unused;
      std::string problem = SetSettings(SettingKind::kDuration, args_, d, unused);
      if (!problem.empty()) return Problem(400, problem);
      settings.set_durations(d);
    }
    return Reply(200, DurationsJson(settings.durations()));
  }

  HttpResponse QuotasGetOrSet() {
    state::Settings& settings = emu_.settings();
    if (req_.method == "POST") {
      std::optional<int64_t> app_id;
      if (args_.contains("app_id")) {
        int64_t id;
        if (!Integer(args_["app_id"], &id) || !emu_.accounts().FindByAppId(id)) {
          return Problem(400, "app_id names no account");
        }
        app_id = id;
      } else if (args_.contains("uin")) {
        const json& uin = args_["uin"];
        const state::Account* account =
            emu_.accounts().FindByUin(uin.is_string() ? uin.get<std::string>() : uin.dump());
        if (!account) return Problem(400, "uin names no account");
        app_id = account->app_id;
      }
      state::Quotas q = app_id ? settings.quotas(*app_id) : settings.default_quotas();
      state::Durations unused;
      std::string problem = SetSettings(SettingKind::kQuota, args_, unused, q, {"app_id", "uin"});
      if (!problem.empty()) return Problem(400, problem);
      if (app_id) {
        settings.set_account_quotas(*app_id, q);
      } else {
        settings.set_default_quotas(q);
      }
    }
    json accounts = json::object();
    for (const auto& [id, q] : settings.account_quotas()) accounts[std::to_string(id)] = QuotasJson(q);
    return Reply(200, json{{"default", QuotasJson(settings.default_quotas())}, {"accounts", accounts}});
  }

  // GET: the rules with their counters. POST: adds one rule (its fields
  // at the top level), or several ({"rules": [...]}), and/or sets
  // launch_failure_probability; all or nothing (README "Fault injection").
  HttpResponse Faults() {
    state::Settings& settings = emu_.settings();
    if (req_.method == "POST") {
      std::optional<double> launch;
      if (args_.contains("launch_failure_probability")) {
        double p;
        if (!Seconds(args_["launch_failure_probability"], &p) || p < 0 || p > 1) {
          return Problem(400, "launch_failure_probability must be between 0 and 1");
        }
        launch = p;
      }
      json rule_args = args_;
      rule_args.erase("launch_failure_probability");
      std::vector<state::FaultRule> rules;
      std::string error;
      if (rule_args.contains("rules")) {
        if (!ReadFaultRules(rule_args, FaultNamesOf(emu_), &rules, &error)) return Problem(400, error);
      } else if (!rule_args.empty()) {
        state::FaultRule rule;
        if (!ReadFaultRule(rule_args, FaultNamesOf(emu_), &rule, &error)) return Problem(400, error);
        rules.push_back(std::move(rule));
      } else if (!launch) {
        return Problem(400, "give a rule, rules, or launch_failure_probability");
      }
      std::vector<std::string> ids;
      if (!settings.fault_rules().Add(std::move(rules), &error, &ids)) return Problem(400, error);
      if (launch) settings.set_launch_failure_probability(*launch);
      return FaultsReply(ids);
    }
    return FaultsReply({});
  }

  // GET: whether rate limits are on, and the per-action overrides. POST
  // {"enabled": true, "limits": {"DescribeRegions": 5, "RunInstances": null}}
  // switches them and sets (a whole number of calls per second, 1 to 1000000)
  // or removes (null) overrides; all or nothing.
  HttpResponse RateLimits() {
    RateLimiter& limiter = emu_.rate_limiter();
    if (req_.method == "POST") {
      std::optional<bool> enabled;
      std::vector<std::pair<std::string, std::optional<int64_t>>> changes;
      for (const auto& [key, value] : args_.items()) {
        if (key == "enabled") {
          if (value.is_boolean()) enabled = value.get<bool>();
          else if (value == "on" || value == "true") enabled = true;
          else if (value == "off" || value == "false") enabled = false;
          else return Problem(400, "enabled must be true or false");
        } else if (key == "limits") {
          if (!value.is_object()) return Problem(400, "limits must be a JSON object of action: calls per second");
          for (const auto& [action, limit] : value.items()) {
            if (!emu_.KnowsAction(action)) return Problem(400, "limits: unknown action " + action);
            if (limit.is_null()) {
              changes.emplace_back(action, std::nullopt);
              continue;
            }
            int64_t n;
            if (!Integer(limit, &n) || n < 1 || n > 1'000'000) {
              return Problem(400, "limits." + action + " must be a whole number from 1 to 1000000, or null");
            }
            changes.emplace_back(action, n);
          }
        } else {
          return Problem(400, "unknown field " + key);
        }
      }
      for (const auto& [action, limit] : changes) {
        if (limit) limiter.set_override(action, *limit);
        else limiter.remove_override(action);
      }
      if (enabled) limiter.set_enabled(*enabled);
    }
    json overrides = json::object();
    for (const auto& [action, limit] : limiter.overrides()) overrides[action] = limit;
    return Reply(200, json{{"enabled", limiter.enabled()}, {"limits", overrides}});
  }

  // {"id": "..."}: deletes that rule (404 if there is none).
  HttpResponse FaultsDelete() {
    const json* id = args_.contains("id") ? &args_["id"] : nullptr;
    if (!id || !id->is_string()) return Problem(400, "id must be the string ID of a rule");
    if (!emu_.settings().fault_rules().Remove(id->get<std::string>())) {
      return Problem(404, "no fault rule has the id " + id->get<std::string>());
    }
    return FaultsReply({});
  }

  HttpResponse FaultsClear() {
    emu_.settings().ClearFaults();
    emu_.settings().set_launch_failure_probability(0);
    return FaultsReply({});
  }

  // "rules": every rule with its counters; "faults": those still active
  // (a rule whose count is spent stays listed in "rules"); "added": the IDs
  // a POST added.
  HttpResponse FaultsReply(const std::vector<std::string>& added) {
    state::Settings& settings = emu_.settings();
    json rules = json::array(), active = json::array();
    for (const state::FaultRule& r : settings.fault_rules().rules()) {
      json one = FaultRuleJson(r);
      if (r.active()) active.push_back(one);
      rules.push_back(std::move(one));
    }
    json out = {{"launch_failure_probability", settings.launch_failure_probability()},
                {"rules", std::move(rules)},
                {"faults", std::move(active)}};
    if (!added.empty()) out["added"] = added;
    return Reply(200, out);
  }

 private:
  Emulator& emu_;
  const HttpRequest& req_;
  const json& args_;
};

struct Route {
  std::string_view path;
  std::string_view methods;  // "GET", "POST" or "GET POST"
  HttpResponse (Routes::*handle)();
};

constexpr Route kRoutes[] = {
    {"health", "GET HEAD", &Routes::Health},
    {"reset", "POST", &Routes::Reset},
    {"clock", "GET", &Routes::ClockGet},
    {"clock/set", "POST", &Routes::ClockSet},
    {"clock/advance", "POST", &Routes::ClockAdvance},
    {"clock/freeze", "POST", &Routes::ClockFreeze},
    {"clock/resume", "POST", &Routes::ClockResume},
    {"durations", "GET POST", &Routes::DurationsGetOrSet},
    {"quotas", "GET POST", &Routes::QuotasGetOrSet},
    {"faults", "GET POST", &Routes::Faults},
    {"faults/clear", "POST", &Routes::FaultsClear},
    {"faults/delete", "POST", &Routes::FaultsDelete},
    {"rate_limits", "GET POST", &Routes::RateLimits},
};

}  // namespace

HttpResponse ControlPlane::Handle(const HttpRequest& req) {
  std::string_view path = req.path().substr(kControlPrefix.size());
  if (!path.empty() && path.back() == '/') path.remove_suffix(1);
  const Route* route = nullptr;
  for (const Route& r : kRoutes) {
    if (r.path == path) route = &r;
  }
  if (!route) return Problem(404, "unknown control endpoint /_emulator/" + std::string(path));
  bool method_ok = false;
  std::string_view methods = route->methods;
  while (!methods.empty()) {
    size_t space = methods.find(' ');
    method_ok |= methods.substr(0, space) == req.method;
    methods = space == std::string_view::npos ? std::string_view() : methods.substr(space + 1);
  }
  if (!method_ok) return Problem(405, "use " + std::string(route->methods));
  json args;
  std::string error;
  if (!Arguments(req, &args, &error)) return Problem(400, error);
  Routes routes(emulator_, req, args);
  return (routes.*route->handle)();
}

}  // namespace cvm::server
