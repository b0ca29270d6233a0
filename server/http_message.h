// Plain HTTP values. A session turns a Beast message into an HttpRequest,
// calls the pipeline, and writes back the HttpResponse it returns; everything
// after the socket is testable without one.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cvm::server {

struct HttpRequest {
  std::string method;  // as received, e.g. "POST"
  std::string target;  // request-target, e.g. "/?Action=..."
  // Header names lower-cased, values as received (trimmed by the parser).
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  bool tls = false;
  std::string remote;  // "address:port" of the peer, for logs

  // The first header with this (lower-case) name, or nullptr.
  const std::string* Header(std::string_view lower_name) const {
    for (const auto& [name, value] : headers) {
      if (name == lower_name) return &value;
    }
    return nullptr;
  }
  std::string_view path() const {
    std::string_view t = target;
    return t.substr(0, t.find('?'));
  }
  std::string_view raw_query() const {
    std::string_view t = target;
    size_t q = t.find('?');
    return q == std::string_view::npos ? std::string_view() : t.substr(q + 1);
  }
};

// What the transport does with an answer besides writing it: injected
// transport faults (README "Fault injection"). The default writes it at once.
struct TransportEffect {
  enum class Action {
    kAnswer,  // write the answer
    kReset,   // reset the connection (TCP RST), write nothing
    kClose,   // close the connection, write nothing
  };
  Action action = Action::kAnswer;
  // How long to wait before the action, without blocking the thread.
  std::chrono::milliseconds delay{0};
};

// A body that goes on after the response's first part (a long-lived answer,
// e.g. NDJSON that follows new entries). The server writes it with chunked
// transfer encoding: HttpResponse::body first, then whatever Next delivers,
// until `end`; then it closes the connection.
class BodyStream {
 public:
  using Deliver = std::function<void(std::string more, bool end)>;
  virtual ~BodyStream() = default;
  // Calls `deliver` once, now or later from any thread, with the next part
  // (empty only when `end`). The server asks again only after writing it.
  virtual void Next(Deliver deliver) = 0;
  // The connection is gone or closing: nothing more is wanted.
  virtual void Cancel() = 0;
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  bool close = false;  // close the connection after writing
  TransportEffect transport;
  // Set for a streamed answer: `body`, then the stream's parts.
  std::shared_ptr<BodyStream> stream;
};

// How the transport reads a request's body, decided from its headers (the
// pipeline's BodyRuleFor).
struct BodyRule {
  size_t limit = 0;      // longer → RequestSizeLimitExceeded
  bool ignored = false;  // read, then dropped: the request goes on without it
};

// The longest request-target (URL) the API takes (32 KB, as the real API): longer is
// RequestSizeLimitExceeded.
inline constexpr size_t kMaxUrlBytes = 32 * 1024;

}  // namespace cvm::server
