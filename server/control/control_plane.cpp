#include "server/control/control_plane.h"

#include <exception>
#include <nlohmann/json.hpp>

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
  std::string_view path = request.path().substr(kControlPrefix.size());
  if (!path.empty() && path.back() == '/') path.remove_suffix(1);
  const control::Route* route = control::FindRoute(routes_, path);
  if (!route) {
    return control::Problem(404, "unknown control endpoint /_emulator/" + std::string(path));
  }
  if (!control::TakesMethod(*route, request.method)) {
    return control::Problem(405, "use " + std::string(route->methods));
  }
  std::string problem;
  std::optional<control::Args> args = control::Args::Parse(request, &problem);
  if (!args) return control::Problem(400, problem);
  control::Call call{emulator_, request, *args};
  return route->handle(call);
}

}  // namespace cvm::server
