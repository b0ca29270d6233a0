#include <vector>

#include "server/control/route.h"

namespace cvm::server::control {

HttpResponse Reply(int status, const nlohmann::json& body) {
  HttpResponse r;
  r.status = status;
  r.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return r;
}

HttpResponse Problem(int status, std::string message) {
  return Reply(status, nlohmann::json{{"error", std::move(message)}});
}

std::span<const Route> AllRoutes() {
  static const std::vector<Route> routes = [] {
    std::vector<Route> all;
#define CVM_CONTROL_ROUTES(group)                            \
  for (const Route& r : group##Routes()) all.push_back(r);
#include "server/control/routes.def"
    return all;
  }();
  return routes;
}

const Route* FindRoute(std::span<const Route> routes, std::string_view path) {
  for (const Route& r : routes) {
    if (r.path == path) return &r;
  }
  return nullptr;
}

bool TakesMethod(const Route& route, std::string_view method) {
  std::string_view methods = route.methods;
  while (!methods.empty()) {
    size_t space = methods.find(' ');
    std::string_view m = methods.substr(0, space);
    if (m == method || (m == "GET" && method == "HEAD")) return true;
    methods = space == std::string_view::npos ? std::string_view() : methods.substr(space + 1);
  }
  return false;
}

}  // namespace cvm::server::control
