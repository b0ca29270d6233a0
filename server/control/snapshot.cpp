// GET and POST /_emulator/snapshot (server/snapshot.h).
#include <nlohmann/json.hpp>
#include <optional>

#include "server/control/route.h"
#include "server/emulator.h"
#include "server/request_log.h"
#include "server/snapshot.h"
#include "state/accounts.h"

namespace cvm::server::control {
namespace {

using nlohmann::json;

// The account ?app_id= or ?uin= names (nullopt for none), or the refusal.
std::optional<HttpResponse> Account(Call& call, std::optional<int64_t>* out) {
  Emulator& emu = call.emulator;
  std::optional<int64_t> app_id = call.args.Integer("app_id", 0, INT64_MAX);
  std::optional<std::string> uin = call.args.String("uin");
  if (!uin) {
    if (const json* raw = call.args.Raw("uin"); raw && raw->is_number_integer()) uin = raw->dump();
  }
  if (app_id && !emu.accounts().FindByAppId(*app_id)) call.args.Refuse("app_id", "app_id names no account");
  if (uin) {
    const state::Account* a = emu.accounts().FindByUin(*uin);
    if (!a) {
      call.args.Refuse("uin", "uin names no account");
    } else {
      app_id = a->app_id;
    }
  }
  if (auto refused = call.args.Refusal()) return refused;
  *out = app_id;
  return std::nullopt;
}

HttpResponse Snapshot(Call& call) {
  Emulator& emu = call.emulator;
  std::optional<int64_t> app_id;
  if (auto refused = Account(call, &app_id)) return *refused;
  if (call.request.method != "POST") return Reply(200, ExportSnapshot(emu, app_id));
  const HttpRequest& req = call.request;
  std::string problem;
  json doc = json::parse(req.body, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return Problem(400, "the body is not JSON");
  problem = ImportSnapshot(emu, std::move(doc), app_id);
  if (!problem.empty()) return Problem(400, problem);
  emu.logger().Event(LogLevel::kInfo, "snapshot_imported",
                     {{"app_id", app_id ? json(*app_id) : json(nullptr)}});
  return Reply(200, json{{"imported", true}, {"app_id", app_id ? json(*app_id) : json(nullptr)}});
}

// The body is the snapshot itself: arguments come from the query only.
constexpr Route kSnapshotRoutes[] = {
    {"snapshot", "GET POST", &Snapshot, /*body_is_document=*/true},
};

}  // namespace

std::span<const Route> SnapshotRoutes() { return kSnapshotRoutes; }

}  // namespace cvm::server::control
