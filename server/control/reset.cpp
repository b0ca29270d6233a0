// POST /_emulator/reset: every resource, the replay cache, the clock offset,
// the faults and the run-time settings back to how the server started.
#include "server/control/clock.h"
#include "server/control/route.h"
#include "server/emulator.h"
#include "server/request_log.h"
#include "state/migrations.h"

namespace cvm::server::control {
namespace {

HttpResponse Reset(Call& call) {
  if (auto refused = call.args.Refusal()) return *refused;
  Emulator& emu = call.emulator;
  {
    auto lock = emu.db().Lock();
    // Every table, emptied whole (D-254).
    state::EmptyAllTables(emu.db());
    // Under the same lock, so no batch saves a signature accepted before
    // the reset after the table was emptied.
    emu.replay_cache().Clear();
  }
  emu.clock().Reset();
  emu.SaveClock();
  emu.ResetSettings();
  emu.logger().Event(LogLevel::kInfo, "reset");
  return Reply(200, nlohmann::json{{"reset", true}, {"clock", ClockJson(emu)}});
}

constexpr Route kResetRoutes[] = {{"reset", "POST", &Reset}};

}  // namespace

std::span<const Route> ResetRoutes() { return kResetRoutes; }

}  // namespace cvm::server::control
