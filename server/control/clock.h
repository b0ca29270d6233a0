// The emulator clock as the control endpoints show it (health, reset and
// the clock routes).
#pragma once

#include <nlohmann/json.hpp>

namespace cvm::server {
class Emulator;
}  // namespace cvm::server

namespace cvm::server::control {

// {"now", "now_ms", "iso", "frozen", "offset_seconds"}
nlohmann::json ClockJson(Emulator& emulator);

}  // namespace cvm::server::control
