#include "server/control_snapshot.h"

#include <nlohmann/json.hpp>
#include <optional>

#include "server/emulator.h"
#include "server/request_log.h"
#include "server/snapshot.h"
#include "state/accounts.h"

namespace cvm::server {
namespace {

using nlohmann::json;

HttpResponse Reply(int status, const json& body) {
  HttpResponse r;
  r.status = status;
  r.body = body.dump(-1, ' ', false, json::error_handler_t::replace);
  return r;
}

// The account ?app_id= or ?uin= names: true and `out` (nullopt for none),
// or false and `problem`.
bool Account(Emulator& emu, const json& args, std::optional<int64_t>* out, std::string* problem) {
  auto text = [](const json& v) { return v.is_string() ? v.get<std::string>() : v.dump(); };
  if (args.contains("app_id")) {
    const state::Account* a = nullptr;
    try {
      size_t used = 0;
      std::string t = text(args["app_id"]);
      int64_t id = std::stoll(t, &used);
      if (used == t.size()) a = emu.accounts().FindByAppId(id);
    } catch (const std::exception&) {
    }
    if (!a) return *problem = "app_id names no account", false;
    *out = a->app_id;
  } else if (args.contains("uin")) {
    const state::Account* a = emu.accounts().FindByUin(text(args["uin"]));
    if (!a) return *problem = "uin names no account", false;
    *out = a->app_id;
  }
  for (const auto& [key, value] : args.items()) {
    if (key != "app_id" && key != "uin") return *problem = "unknown argument " + key, false;
  }
  return true;
}

}  // namespace

HttpResponse SnapshotExport(Emulator& emu, const json& args) {
  std::optional<int64_t> app_id;
  std::string problem;
  if (!Account(emu, args, &app_id, &problem)) return Reply(400, json{{"error", problem}});
  return Reply(200, ExportSnapshot(emu, app_id));
}

HttpResponse SnapshotImport(Emulator& emu, const HttpRequest& req, const json& args) {
  std::optional<int64_t> app_id;
  std::string problem;
  if (!Account(emu, args, &app_id, &problem)) return Reply(400, json{{"error", problem}});
  json doc = json::parse(req.body, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return Reply(400, json{{"error", "the body is not JSON"}});
  problem = ImportSnapshot(emu, std::move(doc), app_id);
  if (!problem.empty()) return Reply(400, json{{"error", problem}});
  emu.logger().Event(LogLevel::kInfo, "snapshot_imported",
                     {{"app_id", app_id ? json(*app_id) : json(nullptr)}});
  return Reply(200, json{{"imported", true}, {"app_id", app_id ? json(*app_id) : json(nullptr)}});
}

}  // namespace cvm::server
