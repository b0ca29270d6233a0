// The test control plane under /_emulator/, outside the signed API (README
// "Control endpoints"). The routes live in this folder, one file per concern
// (route.h says how to add one).
#pragma once

#include <span>
#include <string_view>

#include "server/control/route.h"
#include "server/http_message.h"

namespace cvm::server {

class Emulator;

inline constexpr std::string_view kControlPrefix = "/_emulator/";

class ControlPlane {
 public:
  // `routes`: every route of routes.def, or (tests) others.
  explicit ControlPlane(Emulator& emulator,
                        std::span<const control::Route> routes = control::AllRoutes())
      : emulator_(emulator), routes_(routes) {}
  ControlPlane(const ControlPlane&) = delete;
  ControlPlane& operator=(const ControlPlane&) = delete;

  // Answers a control request, always with JSON: 404 for an unknown path,
  // 405 for a method the route does not take, 400 naming the field for an
  // argument refused or unknown, 500 {"error"} (and an error log line) for
  // anything a handler throws. Never throws.
  // REQUIRES: request.path() starts with kControlPrefix.
  HttpResponse Handle(const HttpRequest& request);

 private:
  HttpResponse Route(const HttpRequest& request);

  Emulator& emulator_;
  std::span<const control::Route> routes_;
};

}  // namespace cvm::server
