// libFuzzer target over the control plane's request handling: any request
// to /_emulator/ is answered with a status and JSON (the console page with
// HTML), and never throws or ends the process. A 500 (an exception a route
// let through) is a finding too: the target aborts on it.
//
// Input layout: byte 0 chooses the route (modulo the route count) and, with
// byte 1, the method; the rest is "query\nbody" (no newline: all body).
// A Content-Type of application/json is sent with a non-empty body.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "server/control/control_plane.h"
#include "server/emulator.h"
#include "server/request_log.h"
#include "state/clock.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  static cvm::state::FakeClock clock(1'700'000'000'000);
  static cvm::server::Logger logger(cvm::server::LogLevel::kOff);
  static cvm::server::Emulator* emulator = [] {
    cvm::server::EmulatorOptions options;
    options.seed = 1;
    options.base_clock = &clock;
    options.wall_clock = &clock;
    return new cvm::server::Emulator(options, logger);
  }();
  const auto routes = cvm::server::control::AllRoutes();
  const char* kMethods[] = {"GET", "POST", "HEAD", "PUT", "DELETE"};
  std::string_view rest(reinterpret_cast<const char*>(data + 2), size - 2);
  size_t newline = rest.find('\n');
  std::string_view query = newline == std::string_view::npos ? "" : rest.substr(0, newline);
  std::string_view body = newline == std::string_view::npos ? rest : rest.substr(newline + 1);

  cvm::server::HttpRequest req;
  req.method = kMethods[data[1] % std::size(kMethods)];
  req.target = std::string(cvm::server::kControlPrefix);
  // One value in 16 names no route (the 404 path).
  if (data[0] % 16 != 15) req.target += routes[data[0] % routes.size()].path;
  if (!query.empty()) req.target += "?" + std::string(query);
  req.body = std::string(body);
  if (!req.body.empty()) req.headers.emplace_back("content-type", "application/json");
  cvm::server::HttpResponse r = emulator->Handle(req);
  if (r.status == 500) std::abort();
  // A JSON answer is an object; the console (GET /_emulator/ui) answers its
  // HTML page, which must not be empty either.
  bool json = r.content_type.rfind("application/json", 0) == 0;
  if (json && (r.body.empty() || r.body[0] != '{')) std::abort();
  if (!json && r.body.empty() && !r.stream) std::abort();
  return 0;
}
