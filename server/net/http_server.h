// The network front: one listening port that serves plain HTTP and HTTPS
// (the first bytes decide), HTTP/1.1 keep-alive, a timeout on every
// handshake, read and write (the idle timeout until a request's first byte,
// the request timeout from then on), and a graceful shutdown on
// SIGINT/SIGTERM.
// After the Beast examples `advanced/server-flex` and `http/server/async-ssl`.
#pragma once

#include <functional>
#include <string>

#include "server/config.h"
#include "server/emulator.h"
#include "server/request_log.h"

namespace cvm::server::net {

struct ServerSettings {
  std::string host;
  int port = 0;
  int threads = 1;
  int idle_timeout_seconds = 60;
  int request_timeout_seconds = 30;
  std::string cert_path, key_path;
  int drain_seconds = 10;  // longest wait for in-flight requests at shutdown
};

// Serves until SIGINT or SIGTERM, then stops accepting, lets in-flight
// requests finish (up to drain_seconds), and returns. `on_listening` runs once
// with the bound port. Throws std::runtime_error if it cannot listen.
void Serve(const ServerSettings& settings, Emulator& emulator, Logger& logger,
           const std::function<void(int port)>& on_listening);

}  // namespace cvm::server::net
