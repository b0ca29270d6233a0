// GET /_emulator/ui: the console, one page of HTML, CSS and JavaScript
// compiled into the binary (server/console/console.html); it calls only
// /_emulator/ endpoints and needs no network.
#include <string_view>

#include "server/control/route.h"

extern const std::string_view kEmbeddedConsole;

namespace cvm::server::control {
namespace {

HttpResponse Console(Call& call) {
  if (auto refused = call.args.Refusal()) return *refused;
  HttpResponse r;
  r.content_type = "text/html; charset=utf-8";
  r.body = std::string(kEmbeddedConsole);
  r.headers = {{"Cache-Control", "no-store"},
               {"Content-Security-Policy",
                "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
                "connect-src 'self'"},
               {"X-Frame-Options", "DENY"}};
  return r;
}

constexpr Route kConsoleRoutes[] = {{"ui", "GET", &Console}};

}  // namespace

std::span<const Route> ConsoleRoutes() { return kConsoleRoutes; }

}  // namespace cvm::server::control
