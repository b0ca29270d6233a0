// GET /_emulator/health: is the server up and its database sound (the
// container's HEALTHCHECK).
#include <chrono>

#include "server/control/clock.h"
#include "server/control/route.h"
#include "server/emulator.h"

#ifndef CVM_VERSION
#define CVM_VERSION "0.0.0"
#endif

namespace cvm::server::control {
namespace {

using nlohmann::json;

HttpResponse Health(Call& call) {
  if (auto refused = call.args.Refusal()) return *refused;
  Emulator& emu = call.emulator;
  std::string db_status;
  {
    auto lock = emu.db().Lock();
    db_status = emu.db().QuickCheck();
  }
  auto uptime = std::chrono::steady_clock::now() - emu.started();
  json body = {{"status", db_status == "ok" ? "ok" : "degraded"},
               {"version", CVM_VERSION},
               {"api_version", "2017-03-12"},
               {"uptime_seconds", std::chrono::duration_cast<std::chrono::seconds>(uptime).count()},
               {"database", {{"status", db_status}, {"path", emu.db().path()}}},
               {"clock", ClockJson(emu)}};
  return Reply(db_status == "ok" ? 200 : 503, body);
}

constexpr Route kRoutes[] = {{"health", "GET", &Health}};

}  // namespace

std::span<const Route> HealthRoutes() { return kRoutes; }

}  // namespace cvm::server::control
