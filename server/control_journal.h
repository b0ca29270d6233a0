// The control endpoints of the request journal (server/journal.h), and the
// journal's record of control requests.
#pragma once

#include <chrono>
#include <nlohmann/json_fwd.hpp>

#include "server/http_message.h"

namespace cvm::server {

class Emulator;

// GET /_emulator/requests: filters action, code ("error": any error),
// request_id, region, app_id, uin, since, until (emulator time), limit;
// response=1 adds the answers; follow=1 streams new entries as NDJSON.
HttpResponse JournalRequests(Emulator& emulator, const nlohmann::json& args);
// POST /_emulator/requests/clear.
HttpResponse JournalClear(Emulator& emulator);

// Records a control request that may change something (not a GET) with its
// answer (docs/decisions.md D-231).
void RecordControlRequest(Emulator& emulator, const HttpRequest& request,
                          const nlohmann::json& args, const HttpResponse& response,
                          std::chrono::steady_clock::time_point started);

}  // namespace cvm::server
