// The control plane's routes (README "Control endpoints"). Each concern has
// a file of its own in server/control/ that defines its routes:
//
//   // server/control/widgets.cpp
//   namespace {
//   HttpResponse ListWidgets(Call& call) { ... }
//   constexpr Route kWidgetsRoutes[] = {{"widgets", "GET", &ListWidgets}};
//   }  // namespace
//   std::span<const Route> WidgetsRoutes() { return kWidgetsRoutes; }
//
// and one line in server/control/routes.def, CVM_CONTROL_ROUTES(Widgets),
// adds them to the table (CMake compiles every file of the folder). Files
// may be compiled together (server/CMakeLists.txt), so file-local names say
// whose they are: kWidgetsRoutes, not kRoutes.
// A handler reads its arguments with call.args, returns *call.args.Refusal()
// if there is one before it changes anything, and answers with Reply or
// Problem. Whatever it throws is answered 500 {"error"} and logged by the
// one boundary around every route (ControlPlane::Handle).
#pragma once

#include <nlohmann/json.hpp>
#include <span>
#include <string>
#include <string_view>

#include "server/control/args.h"
#include "server/http_message.h"

namespace cvm::server {
class Emulator;
}  // namespace cvm::server

namespace cvm::server::control {

// One control request on its way through a handler.
struct Call {
  Emulator& emulator;
  const HttpRequest& request;
  Args& args;
};

using Handler = HttpResponse (*)(Call& call);

struct Route {
  std::string_view path;     // after /_emulator/, e.g. "clock/advance"
  std::string_view methods;  // space-separated, e.g. "GET POST" ("GET" takes HEAD too)
  Handler handle;
  // The body is a document of its own (a snapshot), not arguments: they
  // come from the query string only.
  bool body_is_document = false;
};

// `body` as JSON with `status`.
HttpResponse Reply(int status, const nlohmann::json& body);
// {"error": message} with `status`.
HttpResponse Problem(int status, std::string message);

// Every route group's list (one function per line of routes.def).
#define CVM_CONTROL_ROUTES(group) std::span<const Route> group##Routes();
#include "server/control/routes.def"

// Every route of every group, in routes.def's order.
std::span<const Route> AllRoutes();
// The route of `routes` for `path` (after /_emulator/, without a trailing
// slash), or nullptr.
const Route* FindRoute(std::span<const Route> routes, std::string_view path);
// True iff `route` takes `method`.
bool TakesMethod(const Route& route, std::string_view method);

}  // namespace cvm::server::control
