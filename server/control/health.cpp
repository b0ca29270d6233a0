// GET /_emulator/health: is the server up and its database sound (the
// container's HEALTHCHECK, every 10 s). The default check is cheap and never
// waits behind a batch of writes: the database answers a trivial query when
// it is free (when it is busy, the batch shows it is alive), and the last
// commit succeeded. ?deep=1 also runs PRAGMA quick_check, which reads the
// whole database under its lock (D-94).
#include <chrono>

#include "server/control/clock.h"
#include "server/control/route.h"
#include "server/db_worker.h"
#include "server/emulator.h"

#ifndef CVM_VERSION
#define CVM_VERSION "0.0.0"
#endif

namespace cvm::server::control {
namespace {

using nlohmann::json;

HttpResponse Health(Call& call) {
  bool deep = call.args.Bool("deep").value_or(false);
  if (auto refused = call.args.Refusal()) return *refused;
  Emulator& emu = call.emulator;
  state::Database& db = emu.db();
  json database = {{"path", db.path()}, {"check", deep ? "deep" : "cheap"}};
  std::string problem;  // "" while healthy
  try {
    if (deep) {
      auto lock = db.Lock();
      std::string check = db.QuickCheck();
      database["quick_check"] = check;
      if (check != "ok") problem = "quick_check: " + check;
    } else if (auto lock = db.TryLock(); lock.owns_lock()) {
      db.Prepare("SELECT 1").Step();
      database["busy"] = false;
    } else {
      database["busy"] = true;  // a batch is running: it answers
    }
  } catch (const std::exception& e) {
    problem = std::string("the database does not answer: ") + e.what();
  }
  DbWorker::Commits commits = emu.db_worker().commits();
  database["commits"] = {{"committed", commits.committed},
                         {"failed", commits.failed},
                         {"last_ok", commits.last_ok},
                         {"last_at_ms", commits.last_at_ms}};
  if (!commits.last_ok && problem.empty()) problem = "the last commit failed: " + commits.last_error;
  database["status"] = problem.empty() ? "ok" : problem;
  auto uptime = std::chrono::steady_clock::now() - emu.started();
  json body = {{"status", problem.empty() ? "ok" : "degraded"},
               {"version", CVM_VERSION},
               {"api_version", "2017-03-12"},
               {"uptime_seconds", std::chrono::duration_cast<std::chrono::seconds>(uptime).count()},
               {"database", database},
               {"clock", ClockJson(emu)}};
  return Reply(problem.empty() ? 200 : 503, body);
}

constexpr Route kHealthRoutes[] = {{"health", "GET", &Health}};

}  // namespace

std::span<const Route> HealthRoutes() { return kHealthRoutes; }

}  // namespace cvm::server::control
