// The test control plane under /_emulator/, outside the signed API (README
// "Control endpoints"): health, reset, and the virtual clock.
#pragma once

#include "server/http_message.h"

namespace cvm::server {

class Emulator;

inline constexpr std::string_view kControlPrefix = "/_emulator/";

class ControlPlane {
 public:
  explicit ControlPlane(Emulator& emulator) : emulator_(emulator) {}
  // REQUIRES: request.path() starts with kControlPrefix.
  HttpResponse Handle(const HttpRequest& request);

 private:
  Emulator& emulator_;
};

}  // namespace cvm::server
