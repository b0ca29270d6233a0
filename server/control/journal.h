// The request journal's record of control requests (server/journal.h); its
// routes (GET /_emulator/requests, POST /_emulator/requests/clear) are in
// server/control/journal.cpp.
#pragma once

#include <chrono>
#include <nlohmann/json_fwd.hpp>

#include "server/http_message.h"

namespace cvm::server {

class Emulator;

// Records a control request that may change something (not a GET) with its
// answer (docs/decisions.md D-231).
void RecordControlRequest(Emulator& emulator, const HttpRequest& request,
                          const nlohmann::json& args, const HttpResponse& response,
                          std::chrono::steady_clock::time_point started);

}  // namespace cvm::server
