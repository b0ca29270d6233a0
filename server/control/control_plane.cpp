#include "server/control/control_plane.h"

#include <chrono>
#include <exception>
#include <nlohmann/json.hpp>

#include "server/control/access.h"
#include "server/control/journal.h"
#include "server/control/route.h"
#include "server/emulator.h"
#include "server/request_log.h"

namespace cvm::server {

HttpResponse ControlPlane::Handle(const HttpRequest& request) {
  // The one exception boundary of the control plane, as the API pipeline
  // has one: a failure inside any route is an answer, never the end of the
  // process.
  std::string what;
  try {
    return Route(request);
  } catch (const std::exception& e) {
    what = e.what();
  } catch (...) {
    what = "unknown exception";
  }
  std::string path(request.path());
  try {
    emulator_.logger().Event(LogLevel::kError, "control_error",
                             {{"method", request.method}, {"path", path}, {"what", what}});
  } catch (...) {
    // Logging must not turn the answer into a crash.
  }
  return control::Problem(500, "internal error while serving " + path + " (see the server log)");
}

HttpResponse ControlPlane::Route(const HttpRequest& request) {
  const ControlAccess& access = emulator_.options().control;
  if (auto refused = control::CheckOrigin(access, request)) return *refused;
  std::string_view path = request.path().substr(kControlPrefix.size());
  if (!path.empty() && path.back() == '/') path.remove_suffix(1);
  const control::Route* route = control::FindRoute(routes_, path);
  std::string problem;
  std::optional<control::Args> args =
      control::Args::Parse(request, &problem, route && route->body_is_document);
  if (!args) return control::Problem(400, problem);
  // The container's health probe needs no token; the deep check, which
  // costs the database a scan, does (D-93).
  bool open = path == "health" && !args->Names().contains("deep");
  if (!open) {
    if (auto refused = control::CheckToken(access, request)) return *refused;
  }
  if (!route) {
    return control::Problem(404, "unknown control endpoint /_emulator/" + std::string(path));
  }
  if (!control::TakesMethod(*route, request.method)) {
    return control::Problem(405, "use " + std::string(route->methods));
  }
  auto started = std::chrono::steady_clock::now();
  bool recorded = request.method != "GET" && request.method != "HEAD";
  nlohmann::json given = recorded ? args->values() : nlohmann::json();
  control::Call call{emulator_, request, *args};
  HttpResponse response = route->handle(call);
  // What may change something goes into the journal (D-231).
  if (recorded) RecordControlRequest(emulator_, request, given, response, started);
  return response;
}

}  // namespace cvm::server
