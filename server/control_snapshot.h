// GET and POST /_emulator/snapshot (server/snapshot.h).
#pragma once

#include <nlohmann/json_fwd.hpp>

#include "server/http_message.h"

namespace cvm::server {

class Emulator;

// GET: the snapshot of all state, or of the account ?app_id= / ?uin= names.
HttpResponse SnapshotExport(Emulator& emulator, const nlohmann::json& args);
// POST: the body is a snapshot; ?app_id= / ?uin= imports one account's.
// 400 {"error"} naming the problem, and nothing changed, if it is refused.
HttpResponse SnapshotImport(Emulator& emulator, const HttpRequest& request,
                            const nlohmann::json& args);

inline constexpr std::string_view kSnapshotPath = "/_emulator/snapshot";
// The longest snapshot a POST takes.
inline constexpr size_t kMaxSnapshotBytes = size_t{1} << 30;

}  // namespace cvm::server
