#include "server/control.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "server/emulator.h"
#include "server/form.h"
#include "state/meta_store.h"

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
json Arguments(const HttpRequest& req, std::string* error) {
  json args = json::object();
  FormParams form;
  std::string bad;
  if (!ParseForm(req.raw_query(), &form, &bad)) {
    *error = "malformed query string";
    return args;
  }
  for (auto& [k, v] : form) args[k] = v;
  if (!req.body.empty()) {
    json body = json::parse(req.body, nullptr, /*allow_exceptions=*/false);
    if (!body.is_object()) {
      *error = "the body must be a JSON object";
      return args;
    }
    args.update(body);
  }
  return args;
}

// Seconds (number or numeric string) → milliseconds.
bool SecondsArg(const json& args, const char* key, int64_t* ms) {
  if (!args.contains(key)) return false;
  const json& v = args[key];
  double seconds;
  if (v.is_number()) {
    seconds = v.get<double>();
  } else if (v.is_string()) {
    try {
      size_t used = 0;
      seconds = std::stod(v.get<std::string>(), &used);
      if (used != v.get<std::string>().size()) return false;
    } catch (const std::exception&) {
      return false;
    }
  } else {
    return false;
  }
  *ms = static_cast<int64_t>(seconds * 1000.0);
  return true;
}

}  // namespace

HttpResponse ControlPlane::Handle(const HttpRequest& req) {
  std::string_view path = req.path().substr(kControlPrefix.size());
  if (!path.empty() && path.back() == '/') path.remove_suffix(1);
  std::string error;
  json args = Arguments(req, &error);
  if (!error.empty()) return Problem(400, error);
  state::VirtualClock& clock = emulator_.clock();
  auto clock_state = [&] {
    auto s = clock.snapshot();
    int64_t now = clock.NowMs();
    return json{{"now", now / 1000},
                {"now_ms", now},
                {"iso", state::FormatIso8601(now / 1000)},
                {"frozen", s.frozen},
                {"offset_seconds", static_cast<double>(s.offset_ms) / 1000.0}};
  };

  if (path == "health") {
    if (req.method != "GET" && req.method != "HEAD") return Problem(405, "use GET");
    std::string db_status;
    {
      auto lock = emulator_.db().Lock();
      db_status = emulator_.db().QuickCheck();
    }
    auto uptime = std::chrono::steady_clock::now() - emulator_.started();
    json body = {{"status", db_status == "ok" ? "ok" : "degraded"},
                 {"version", CVM_VERSION},
                 {"api_version", "2017-03-12"},
                 {"uptime_seconds", std::chrono::duration_cast<std::chrono::seconds>(uptime).count()},
                 {"database", {{"status", db_status}, {"path", emulator_.db().path()}}},
                 {"clock", clock_state()}};
    return Reply(db_status == "ok" ? 200 : 503, body);
  }
  static constexpr std::string_view kPostPaths[] = {"reset", "clock/set", "clock/advance",
                                                     "clock/freeze", "clock/resume"};
  bool known = path == "clock" ||
               std::find(std::begin(kPostPaths), std::end(kPostPaths), path) != std::end(kPostPaths);
  if (!known) return Problem(404, "unknown control endpoint /_emulator/" + std::string(path));
  if (req.method != "POST" && !(path == "clock" && req.method == "GET")) {
    return Problem(405, "use POST");
  }
  if (path == "reset") {
    {
      auto lock = emulator_.db().Lock();
      state::Database& db = emulator_.db();
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
    }
    emulator_.replay_cache().Clear();
    clock.Reset();
    emulator_.SaveClock();
    emulator_.logger().Event(LogLevel::kInfo, "reset");
    return Reply(200, json{{"reset", true}, {"clock", clock_state()}});
  }
  if (path == "clock") {
    if (req.method == "GET") return Reply(200, clock_state());
    return Problem(404, "use GET /_emulator/clock, or POST clock/set, clock/advance, clock/freeze, clock/resume");
  }
  if (path == "clock/set") {
    int64_t t;
    if (args.contains("time") && args["time"].is_string() &&
        state::ParseIso8601(args["time"].get<std::string>(), &t)) {
      clock.Set(t * 1000);
    } else if (int64_t ms; SecondsArg(args, "time", &ms)) {
      clock.Set(ms);
    } else {
      return Problem(400, "give time: Unix seconds or an ISO 8601 UTC time");
    }
  } else if (path == "clock/advance") {
    int64_t ms;
    if (!SecondsArg(args, "seconds", &ms) || ms < 0) {
      return Problem(400, "give seconds: a non-negative number of seconds");
    }
    clock.Advance(ms);
  } else if (path == "clock/freeze") {
    clock.Freeze();
  } else if (path == "clock/resume") {
    clock.Resume();
  } else {
    return Problem(404, "unknown control endpoint /_emulator/" + std::string(path));
  }
  emulator_.SaveClock();
  return Reply(200, clock_state());
}

}  // namespace cvm::server
