// The signed API, one ordered chain declared once:
//   decode → authenticate → resolve Action/Version/Region → validate against
//   the schema → dispatch → serialize the {"Response": …} envelope.
// The first failure goes straight to serialization. Every answer, success or
// error, is HTTP 200, Content-Type application/json, with a fresh RequestId
// (from the emulator's seeded stream of RequestIds: --seed repeats them).
#pragma once

#include <chrono>
#include <functional>
#include <string_view>

#include "server/http_message.h"
#include "server/request_log.h"

namespace cvm::handlers {
class Registry;
}  // namespace cvm::handlers
namespace cvm::state {
class Random;
}  // namespace cvm::state

namespace cvm::server {

class Emulator;
class Journal;

class Pipeline {
 public:
  using Post = std::function<void(std::function<void()>)>;
  using Done = std::function<void(HttpResponse)>;
  struct Call;

  // Dispatches to the handlers in `registry`, which must outlive the pipeline.
  Pipeline(Emulator& emulator, const handlers::Registry& registry)
      : emulator_(emulator), registry_(registry) {}

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
  const handlers::Registry& registry_;
};

// How the transport reads the body of a request whose headers are these
// (docs/wire.md §5; docs/decisions.md D-39): a TC3 POST (an Authorization header,
// or a JSON body, which only TC3 sends) up to 10 MB, any other POST (v1 form)
// up to 1 MB. GET and HEAD take their parameters from the URL alone (32 KB):
// a body they carry is read, up to 1 MB, and dropped.
BodyRule BodyRuleFor(const HttpRequest& headers_only);
inline constexpr size_t kMaxTc3Body = 10 * 1024 * 1024;
inline constexpr size_t kMaxV1Body = 1024 * 1024;
inline constexpr size_t kMaxIgnoredBody = 1024 * 1024;

// The answer to a request refused before the pipeline runs (an oversize or
// malformed HTTP message): the {"Response": {"Error", "RequestId"}} envelope,
// and the request's log line with the same RequestId (drawn from
// `request_ids`) and whatever is known of it (`request` may hold only its
// headers, or nothing). `started` is when its first byte arrived. With a
// journal, the request goes into it too, at real time `time_ms` and
// emulator time `emulator_ms`.
HttpResponse Refuse(Logger& logger, state::Random& request_ids, const HttpRequest& request,
                    std::chrono::steady_clock::time_point started, std::string_view code,
                    std::string_view message, Journal* journal = nullptr, int64_t time_ms = 0,
                    int64_t emulator_ms = 0);

}  // namespace cvm::server
