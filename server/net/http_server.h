// The network front: one listening port that serves plain HTTP and HTTPS
// (the first bytes decide), HTTP/1.1 keep-alive, a timeout on every
// handshake, read and write (the idle timeout until a request's first byte,
// the request timeout from then on), a cap on open connections, a pause
// after a failed accept (out of descriptors), and a graceful shutdown on
// SIGINT/SIGTERM.
// After the Beast examples `advanced/server-flex` and `http/server/async-ssl`:
// the server knows plain HTTP values and the Application it serves, nothing
// of the product behind it.
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <string_view>

#include "server/http_message.h"

namespace cvm::server::net {

struct ServerSettings {
  std::string host;
  int port = 0;
  int threads = 1;
  int idle_timeout_seconds = 60;
  int request_timeout_seconds = 30;
  std::string cert_path, key_path;
  int drain_seconds = 10;  // longest wait for in-flight requests at shutdown
  // Most connections open at once; more wait in the listen backlog until one
  // closes. Keep it below the open-file limit (DefaultMaxConnections).
  int max_connections = 1024;
};

// Raises the soft limit on open files (RLIMIT_NOFILE) to the hard limit;
// returns the soft limit now in force (INT32_MAX for none, -1 if unknown).
int RaiseOpenFileLimit();
// A connection cap that leaves descriptors for the rest of the server
// under `open_files`.
int DefaultMaxConnections(int open_files);

// What the server serves. Every method may be called from several I/O
// threads at once.
class Application {
 public:
  // Runs a function on the connection's own I/O thread.
  using Post = std::function<void(std::function<void()>)>;
  using Done = std::function<void(HttpResponse)>;

  virtual ~Application() = default;

  // How to read the body of a request whose headers are these.
  virtual BodyRule BodyRuleFor(const HttpRequest& headers_only) = 0;
  // Answers `request` by calling `done` once, now or later from any thread
  // through `post`. `request` lives until `done` runs.
  virtual void Handle(const HttpRequest& request, Post post, Done done) = 0;
  // The answer to a request the server refuses before reading it whole (too
  // large, malformed HTTP); `started` is when its first byte arrived.
  virtual HttpResponse Refuse(const HttpRequest& request,
                              std::chrono::steady_clock::time_point started,
                              std::string_view code, std::string_view message) = 0;
  // Events worth a log line: a connection that failed unexpectedly (`op` is
  // what it was doing), and a shutdown signal.
  virtual void ConnectionFailed(std::string_view op, const std::string& error) = 0;
  virtual void ShuttingDown(int signal) = 0;
};

// Serves until SIGINT or SIGTERM, then stops accepting, lets in-flight
// requests finish (up to drain_seconds), and returns. `on_listening` runs once
// with the bound port. Throws std::runtime_error if it cannot listen.
void Serve(const ServerSettings& settings, Application& application,
           const std::function<void(int port)>& on_listening);

}  // namespace cvm::server::net
