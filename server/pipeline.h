// The signed API, one ordered chain declared once:
//   decode → authenticate → resolve Action/Version/Region → validate against
//   the schema → dispatch → serialize the {"Response": …} envelope.
// The first failure goes straight to serialization. Every answer, success or
// error, is HTTP 200, Content-Type application/json, with a fresh RequestId.
#pragma once

#include <functional>

#include "server/http_message.h"

namespace cvm::server {

class Emulator;

class Pipeline {
 public:
  using Post = std::function<void(std::function<void()>)>;
  using Done = std::function<void(HttpResponse)>;
  struct Call;

  explicit Pipeline(Emulator& emulator) : emulator_(emulator) {}

  // Answers `request` on the calling thread (tests, tools).
  HttpResponse Handle(const HttpRequest& request);

  // The server's path: steps 1-4 on the calling thread; a handler that uses
  // the database runs on the DbWorker in its next group commit, and `done`
  // is called through `post` (the connection's own thread) once that commit
  // is durable. Errors and catalog-only actions answer at once. REQUIRES:
  // `request` lives until `done` runs.
  void HandleAsync(const HttpRequest& request, Post post, Done done);

 private:
  Emulator& emulator_;
};

// The largest body the transport should read for a request whose headers
// are these: 10 MB for TC3 (Authorization header) POST, 1 MB for v1 POST
// (WIRE.md §5). GET has no body.
size_t BodyLimit(const HttpRequest& headers_only);
inline constexpr size_t kMaxUrlBytes = 32 * 1024;
inline constexpr size_t kMaxTc3Body = 10 * 1024 * 1024;
inline constexpr size_t kMaxV1Body = 1024 * 1024;

// The envelope for an error that happens before the pipeline runs (an
// oversize or malformed HTTP message).
HttpResponse ErrorEnvelope(std::string_view code, std::string_view message);

}  // namespace cvm::server
