// Who may use the control plane: no cross-site browser request (a web page
// must not be able to wipe or steer the emulator), no request through a
// host name that does not name the emulator (DNS rebinding), and, with a
// control token, only requests that carry it (D-91..D-93).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "server/http_message.h"

namespace cvm::server {

struct ControlAccess {
  // Every control request needs "Authorization: Bearer <token>" (empty: no
  // token), except GET /_emulator/health without ?deep.
  std::string token;
  // The address the server listens on (--host): a name it may be reached by.
  std::string listen_host = "127.0.0.1";
  // More host names the emulator is reached by (a Docker service name, a
  // container IP); "*" allows every host name.
  std::vector<std::string> allowed_hosts;
  // Web origins other than the emulator's own that may use the control
  // plane from a browser ("http://localhost:3000"); "*" allows every origin.
  std::vector<std::string> allowed_origins;
};

// True iff `host` (an address or name, as given to --host) is on loopback.
bool IsLoopbackHost(std::string_view host);

// Splits "a, b,c" into {"a", "b", "c"} (empty items dropped).
std::vector<std::string> SplitList(std::string_view text);

namespace control {

// 403 for a cross-site browser request or a Host that does not name the
// emulator (D-91, D-92); nullopt when it may go on.
std::optional<HttpResponse> CheckOrigin(const ControlAccess& access, const HttpRequest& request);
// 401 unless the request carries access.token (when there is one) as
// "Authorization: Bearer <token>" (D-93); nullopt when it may go on.
std::optional<HttpResponse> CheckToken(const ControlAccess& access, const HttpRequest& request);

}  // namespace control
}  // namespace cvm::server
