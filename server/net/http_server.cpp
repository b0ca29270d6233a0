#include "server/net/http_server.h"

#include <array>
#include <atomic>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <span>
#include <stdexcept>
#include <thread>
#include <vector>

#include <sys/resource.h>

#include "server/net/memory.h"

namespace cvm::server::net {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;

// The request line and headers together (the URL alone may use
// kMaxUrlBytes): one limit on the whole head, however it is split into
// headers (docs/decisions.md D-86).
constexpr size_t kHeaderLimit = kMaxUrlBytes + 16 * 1024;
// How much one read of a request's head (or of the first bytes of a
// connection) may take.
constexpr size_t kFirstReadBytes = 16 * 1024;
// How long a closing connection reads and drops what the client still sends.
constexpr std::chrono::seconds kDiscardTime{2};

struct Shared;

// What the listener and all sessions share.
class SessionBase {
 public:
  virtual ~SessionBase() = default;
  // Closes the connection if it is between requests; otherwise it closes
  // after the response in progress. Called on shutdown.
  virtual void Drain() = 0;
};

bool IsHttpError(beast::error_code ec) {
  return ec.category() == http::make_error_code(http::error::bad_method).category();
}

struct Shared {
  Shared(Application& a, ssl::context& t, ServerSettings s)
      : app(a), tls(t), settings(std::move(s)) {}
  Application& app;
  ssl::context& tls;
  ServerSettings settings;
  std::atomic<bool> draining{false};
  // Connections open now (accepted and not yet closed), and what the
  // listener runs when one closes (it resumes accepting if it had paused at
  // the cap). Set once before the first accept.
  std::atomic<int> connections{0};
  std::function<void()> on_connection_closed;
  std::mutex mutex;
  std::set<std::weak_ptr<SessionBase>, std::owner_less<std::weak_ptr<SessionBase>>> sessions;

  void Add(const std::shared_ptr<SessionBase>& s) {
    std::lock_guard lock(mutex);
    sessions.insert(s);
  }
  // From a session's destructor: its own entry has expired by then.
  void RemoveExpired() {
    std::lock_guard lock(mutex);
    std::erase_if(sessions, [](const auto& w) { return w.expired(); });
  }
  std::vector<std::shared_ptr<SessionBase>> Snapshot() {
    std::lock_guard lock(mutex);
    std::vector<std::shared_ptr<SessionBase>> out;
    for (const auto& w : sessions) {
      if (auto s = w.lock()) out.push_back(std::move(s));
    }
    return out;
  }
  size_t Count() {
    std::lock_guard lock(mutex);
    std::erase_if(sessions, [](const auto& w) { return w.expired(); });
    return sessions.size();
  }
};

// One open connection, counted in Shared::connections from its accept until
// the last session object holding it is gone.
class ConnectionSlot {
 public:
  explicit ConnectionSlot(std::shared_ptr<Shared> shared) : shared_(std::move(shared)) {
    ++shared_->connections;
  }
  ~ConnectionSlot() {
    --shared_->connections;
    if (shared_->on_connection_closed) shared_->on_connection_closed();
  }
  ConnectionSlot(const ConnectionSlot&) = delete;
  ConnectionSlot& operator=(const ConnectionSlot&) = delete;

 private:
  std::shared_ptr<Shared> shared_;
};

void Fail(Shared& shared, beast::error_code ec, const char* what) {
  // Routine ends of connections are not worth a log line.
  if (ec == asio::error::operation_aborted || ec == beast::error::timeout ||
      ec == http::error::end_of_stream || ec == asio::error::eof ||
      ec == asio::error::connection_reset || ec == ssl::error::stream_truncated) {
    return;
  }
  shared.app.ConnectionFailed(what, ec.message());
}

std::string SizeMessage(std::string_view what, size_t limit) {
  return "The request is too large: " + std::string(what) + " exceeds the limit of " +
         std::to_string(limit) + " bytes.";
}

// The completion handler of one read or write, whatever operation waits for
// it (Asio's own any_completion_handler does not yet work under Beast's
// timed stream in Boost 1.81). It runs on the stream's executor, as the
// handlers it wraps expect.
class IoHandler {
 public:
  template <class Handler>
  explicit IoHandler(Handler&& handler)
      : impl_(std::make_unique<Impl<std::decay_t<Handler>>>(std::forward<Handler>(handler))) {}

  void operator()(beast::error_code ec, std::size_t bytes) {
    std::unique_ptr<Base> impl = std::move(impl_);
    impl->Call(ec, bytes);
  }

 private:
  struct Base {
    virtual ~Base() = default;
    virtual void Call(beast::error_code ec, std::size_t bytes) = 0;
  };
  template <class Handler>
  struct Impl final : Base {
    explicit Impl(Handler&& h) : handler(std::move(h)) {}
    void Call(beast::error_code ec, std::size_t bytes) override { std::move(handler)(ec, bytes); }
    Handler handler;
  };

  std::unique_ptr<Base> impl_;
};

// The bytes of a connection, plain or TLS, behind one type. Beast's HTTP
// reads and writes (and the session below) are then compiled once, for this
// stream, instead of once for each kind of connection: that halves the
// compile time of this file. What it costs a request: a virtual call and one
// small allocation per read or write.
class ByteStream {
 public:
  using executor_type = asio::any_io_executor;

  virtual ~ByteStream() = default;
  virtual beast::tcp_stream& Tcp() = 0;
  executor_type get_executor() { return Tcp().get_executor(); }

  // Asio's AsyncReadStream: reads into the first non-empty buffer (a read
  // may fill less than it is given; Beast gives one buffer).
  template <class MutableBuffers, class Token>
  auto async_read_some(const MutableBuffers& buffers, Token&& token) {
    asio::mutable_buffer first;
    for (auto it = asio::buffer_sequence_begin(buffers); it != asio::buffer_sequence_end(buffers);
         ++it) {
      if (asio::mutable_buffer b(*it); b.size() > 0) {
        first = b;
        break;
      }
    }
    return asio::async_initiate<Token, void(beast::error_code, std::size_t)>(
        [this](auto handler, asio::mutable_buffer buffer) {
          ReadSome(buffer, IoHandler(std::move(handler)));
        },
        token, first);
  }

  // Asio's AsyncWriteStream: writes from the first kMaxGather non-empty
  // buffers (a write may take less than it is given; Beast writes the rest
  // next). Only one write is pending at a time, so the list is a member.
  template <class ConstBuffers, class Token>
  auto async_write_some(const ConstBuffers& buffers, Token&& token) {
    std::size_t count = 0;
    for (auto it = asio::buffer_sequence_begin(buffers);
         it != asio::buffer_sequence_end(buffers) && count < gathered_.size(); ++it) {
      if (asio::const_buffer b(*it); b.size() > 0) gathered_[count++] = b;
    }
    return asio::async_initiate<Token, void(beast::error_code, std::size_t)>(
        [this](auto handler, std::size_t n) {
          WriteSome(std::span<const asio::const_buffer>(gathered_.data(), n),
                    IoHandler(std::move(handler)));
        },
        token, count);
  }

 private:
  static constexpr std::size_t kMaxGather = 32;
  virtual void ReadSome(asio::mutable_buffer buffer, IoHandler handler) = 0;
  virtual void WriteSome(std::span<const asio::const_buffer> buffers, IoHandler handler) = 0;

  std::array<asio::const_buffer, kMaxGather> gathered_;
};

class PlainStream final : public ByteStream {
 public:
  explicit PlainStream(beast::tcp_stream&& stream) : stream_(std::move(stream)) {}
  beast::tcp_stream& Tcp() override { return stream_; }

 private:
  void ReadSome(asio::mutable_buffer buffer, IoHandler handler) override {
    stream_.async_read_some(buffer, std::move(handler));
  }
  void WriteSome(std::span<const asio::const_buffer> buffers, IoHandler handler) override {
    stream_.async_write_some(buffers, std::move(handler));
  }

  beast::tcp_stream stream_;
};

class TlsStream final : public ByteStream {
 public:
  TlsStream(beast::tcp_stream&& stream, ssl::context& context)
      : stream_(std::move(stream), context) {}
  beast::tcp_stream& Tcp() override { return beast::get_lowest_layer(stream_); }

  beast::ssl_stream<beast::tcp_stream>& Ssl() { return stream_; }

 private:
  void ReadSome(asio::mutable_buffer buffer, IoHandler handler) override {
    stream_.async_read_some(buffer, std::move(handler));
  }
  void WriteSome(std::span<const asio::const_buffer> buffers, IoHandler handler) override {
    stream_.async_write_some(buffers, std::move(handler));
  }

  beast::ssl_stream<beast::tcp_stream> stream_;
};

// HTTP over a plain or a TLS connection (after Beast's server-flex).
class HttpSession : public SessionBase, public std::enable_shared_from_this<HttpSession> {
 public:
  // `tls` is the stream when the connection is TLS, else null.
  HttpSession(std::shared_ptr<Shared> shared, std::unique_ptr<ByteStream> stream, TlsStream* tls,
              beast::flat_buffer buffer, std::string remote, std::shared_ptr<ConnectionSlot> slot)
      : shared_(std::move(shared)),
        slot_(std::move(slot)),
        stream_(std::move(stream)),
        tls_(tls),
        buffer_(std::move(buffer)),
        remote_(std::move(remote)) {}

  ~HttpSession() override {
    shared_->RemoveExpired();
    if (request_.body.size() >= kReleaseMemoryAfterBody) {
      request_.body = std::string();
      ReleaseFreeMemory();
    }
  }

  // A TLS connection starts with its handshake, on the bytes that told it
  // from plain HTTP.
  void Run() {
    if (!tls_) return DoRead();
    Stream().expires_after(std::chrono::seconds(shared_->settings.request_timeout_seconds));
    tls_->Ssl().async_handshake(
        ssl::stream_base::server, buffer_.data(),
        beast::bind_front_handler(&HttpSession::OnHandshake, shared_from_this()));
  }

  void Drain() override {
    asio::post(stream_->get_executor(), [self = shared_from_this()] {
      if (self->body_stream_) return self->EndStream();
      if (self->idle_) self->Stream().socket().close();
    });
  }

 private:
  beast::tcp_stream& Stream() { return stream_->Tcp(); }
  // False iff an answer went out before the request it answers was read to
  // its end (a size limit, a malformed message): the client may still be
  // sending it.
  bool RequestFullyRead() const { return !parser_ || parser_->is_done(); }

  void OnHandshake(beast::error_code ec, std::size_t bytes_used) {
    if (ec) return Fail(*shared_, ec, "handshake");
    buffer_.consume(bytes_used);
    DoRead();
  }

  // Waits for the first bytes of the next request under the idle timeout;
  // the rest of the request (headers and body) is then read under the
  // request timeout (docs/decisions.md D-40). One read usually brings the
  // whole request: it is parsed as it comes, with no read of its own for
  // the first bytes.
  void DoRead() {
    idle_ = true;
    if (shared_->draining) return DoClose();
    bool large = request_.body.size() >= kReleaseMemoryAfterBody;
    request_ = HttpRequest{};
    if (large) ReleaseFreeMemory();
    request_.tls = tls_ != nullptr;
    request_.remote = remote_;
    parser_.emplace();
    head_bytes_ = 0;
    // The limit depends on the headers (BodyRuleFor); it is set once they are read.
    parser_->body_limit(boost::none);
    // Bytes of the next request may be here already (the bytes that told
    // plain from TLS, or a pipelined request).
    if (buffer_.size() > 0) {
      RequestStarted();
      asio::post(stream_->get_executor(),
                 beast::bind_front_handler(&HttpSession::ParseHead, shared_from_this()));
      return;
    }
    Stream().expires_after(std::chrono::seconds(shared_->settings.idle_timeout_seconds));
    ReadHead();
  }

  // The request's first bytes are here: from now on the request timeout.
  void RequestStarted() {
    idle_ = false;
    started_ = std::chrono::steady_clock::now();
    Stream().expires_after(std::chrono::seconds(shared_->settings.request_timeout_seconds));
  }

  // The request line and headers are read and parsed as they come, under
  // one limit on all of them, kHeaderLimit (D-86). Beast's header_limit
  // alone bounds only the bytes it holds unparsed: header lines it has
  // parsed no longer count, so a head of many small headers passed any
  // limit. The parsed bytes are counted here, and Beast is given what is
  // left of the limit for the rest.
  void ReadHead() {
    stream_->async_read_some(
        buffer_.prepare(kFirstReadBytes),
        beast::bind_front_handler(&HttpSession::OnHeadBytes, shared_from_this()));
  }

  void OnHeadBytes(beast::error_code ec, std::size_t bytes) {
    buffer_.commit(bytes);
    if (ec == asio::error::eof) {
      // As Beast's own reads say it: a request cut short, or no request.
      ec = parser_->got_some() ? beast::error_code(http::error::partial_message)
                               : beast::error_code(http::error::end_of_stream);
    }
    if (idle_) {
      if (ec) return OnReadHeader(ec, 0);  // closed or timed out while idle
      RequestStarted();
    }
    if (ec) return OnReadHeader(ec, 0);
    ParseHead();
  }

  void ParseHead() {
    parser_->header_limit(static_cast<std::uint32_t>(kHeaderLimit - head_bytes_));
    beast::error_code ec;
    std::size_t used = parser_->put(buffer_.data(), ec);
    buffer_.consume(used);
    if (ec == http::error::need_more) {
      head_bytes_ += used;
      return ReadHead();
    }
    OnReadHeader(ec, 0);
  }

  void OnReadHeader(beast::error_code ec, std::size_t) {
    if (ec == http::error::end_of_stream) return DoClose();
    if (ec == http::error::header_limit) {
      return Refuse("RequestSizeLimitExceeded",
                    SizeMessage("the request line and headers", kHeaderLimit));
    }
    if (ec) {
      if (IsHttpError(ec)) return RespondMalformed(ec);
      return Fail(*shared_, ec, "read");
    }
    auto& header = parser_->get();
    request_.method = std::string(header.method_string());
    request_.target = std::string(header.target());
    for (const auto& field : header) {
      std::string name(field.name_string());
      for (char& c : name) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + ('a' - 'A'));
      }
      request_.headers.emplace_back(std::move(name), std::string(field.value()));
    }
    if (request_.target.size() > kMaxUrlBytes) {
      return Refuse("RequestSizeLimitExceeded", SizeMessage("the URL", kMaxUrlBytes));
    }
    body_rule_ = shared_->app.BodyRuleFor(request_);
    if (auto length = parser_->content_length(); length && *length > body_rule_.limit) {
      return RefuseBody();
    }
    parser_->body_limit(body_rule_.limit);
    if (parser_->is_done()) return Handle();
    // Still under the request timeout set at the request's first byte.
    http::async_read(*stream_, buffer_, *parser_,
                     beast::bind_front_handler(&HttpSession::OnReadBody,
                                               shared_from_this()));
  }

  void OnReadBody(beast::error_code ec, std::size_t) {
    if (ec == http::error::body_limit) return RefuseBody();
    if (ec) {
      if (IsHttpError(ec)) return RespondMalformed(ec);
      return Fail(*shared_, ec, "read");
    }
    Handle();
  }

  void Handle() {
    request_.body = std::move(parser_->get().body());
    if (body_rule_.ignored) request_.body.clear();
    bool keep_alive = parser_->get().keep_alive();
    // The answer may come later, from the database worker's group commit;
    // it is posted back to this connection's own thread.
    auto self = shared_from_this();
    shared_->app.Handle(
        request_,
        [self](std::function<void()> f) { asio::post(self->stream_->get_executor(), std::move(f)); },
        [self, keep_alive](HttpResponse response) { self->Respond(std::move(response), keep_alive); });
  }

  // Answers before the pipeline, logged as the pipeline logs its answers
  // (with what is known of the request), and closes the connection.
  void Refuse(std::string_view code, std::string_view message, int status = 200) {
    HttpResponse r = shared_->app.Refuse(request_, started_, code, message);
    r.status = status;
    r.close = true;
    Respond(std::move(r), false);
  }

  void RefuseBody() {
    Refuse("RequestSizeLimitExceeded",
           SizeMessage(body_rule_.ignored ? "the body of a " + request_.method + " request"
                                          : std::string("the body"),
                       body_rule_.limit));
  }

  void RespondMalformed(beast::error_code ec) {
    Refuse("UnsupportedProtocol", "The HTTP request is malformed: " + ec.message() + ".", 400);
  }

  // Carries out the answer's transport effect: a delay on a timer (the
  // thread serves other connections meanwhile), then the answer, a reset or
  // a close.
  void Respond(HttpResponse response, bool keep_alive) {
    TransportEffect effect = response.transport;
    if (effect.delay.count() > 0) {
      response.transport.delay = std::chrono::milliseconds(0);
      auto timer = std::make_shared<asio::steady_timer>(stream_->get_executor(), effect.delay);
      timer->async_wait([self = shared_from_this(), timer, keep_alive,
                         response = std::move(response)](beast::error_code) mutable {
        self->Respond(std::move(response), keep_alive);
      });
      return;
    }
    if (effect.action == TransportEffect::Action::kReset) {
      // SO_LINGER 0: close() sends RST instead of FIN.
      beast::error_code ec;
      Stream().socket().set_option(asio::socket_base::linger(true, 0), ec);
      Stream().socket().close(ec);
      return;
    }
    if (effect.action == TransportEffect::Action::kClose) {
      beast::error_code ec;
      Stream().socket().shutdown(tcp::socket::shutdown_both, ec);
      Stream().socket().close(ec);
      return;
    }
    WriteAnswer(std::move(response), keep_alive);
  }

  void WriteAnswer(HttpResponse response, bool keep_alive) {
    if (response.stream && request_.method != "HEAD") return RespondStream(std::move(response));
    keep_alive = keep_alive && !response.close && !shared_->draining;
    http::response<http::string_body> res{static_cast<http::status>(response.status), 11};
    res.set(http::field::server, "cvm-emulator");
    res.set(http::field::content_type, response.content_type);
    for (auto& [name, value] : response.headers) res.set(name, value);
    if (keep_alive) {
      res.set(http::field::keep_alive,
              "timeout=" + std::to_string(shared_->settings.idle_timeout_seconds));
    }
    res.keep_alive(keep_alive);
    res.body() = std::move(response.body);
    res.prepare_payload();
    Stream().expires_after(std::chrono::seconds(shared_->settings.request_timeout_seconds));
    if (request_.method == "HEAD") {
      // The same status and headers (Content-Length included), no body bytes
      // (RFC 9110 §9.3.2; docs/decisions.md D-38).
      return Write(std::make_shared<http::response<http::empty_body>>(std::move(res.base())),
                   keep_alive);
    }
    Write(std::make_shared<http::response<http::string_body>>(std::move(res)), keep_alive);
  }

  template <class Message>
  void Write(std::shared_ptr<Message> message, bool keep_alive) {
    response_ = message;
    http::async_write(*stream_, *message,
                      beast::bind_front_handler(&HttpSession::OnWrite, shared_from_this(),
                                                keep_alive));
  }

  void OnWrite(bool keep_alive, beast::error_code ec, std::size_t) {
    response_.reset();
    if (ec) return Fail(*shared_, ec, "write");
    if (!keep_alive) return DoClose();
    DoRead();
  }

  // A streamed answer (HttpResponse::stream): the head, the first part, then
  // each part the stream delivers as one chunk, until it ends or the client
  // goes away; then the connection closes. A read stays pending meanwhile,
  // so a client that disconnects is noticed between parts. While waiting for
  // the next part there is no timeout; writing one has the request timeout,
  // so a client that stops reading is disconnected.
  void RespondStream(HttpResponse response) {
    body_stream_ = std::move(response.stream);
    auto head = std::make_shared<http::response<http::empty_body>>(
        static_cast<http::status>(response.status), 11);
    head->set(http::field::server, "cvm-emulator");
    head->set(http::field::content_type, response.content_type);
    head->set(http::field::cache_control, "no-store");
    for (auto& [name, value] : response.headers) head->set(name, value);
    head->keep_alive(false);
    head->chunked(true);
    auto serializer = std::make_shared<http::response_serializer<http::empty_body>>(*head);
    chunk_ = std::move(response.body);
    Stream().expires_after(std::chrono::seconds(shared_->settings.request_timeout_seconds));
    http::async_write_header(
        *stream_, *serializer,
        [self = shared_from_this(), head, serializer](beast::error_code ec, std::size_t) {
          if (ec) return self->EndStream();
          self->WatchPeer();
          if (self->chunk_.empty()) return self->AskMore();
          self->WriteChunk(false);
        });
  }

  void WatchPeer() {
    stream_->async_read_some(
        asio::buffer(watch_), [self = shared_from_this()](beast::error_code ec, std::size_t) {
          if (!self->body_stream_) return;
          if (ec) return self->EndStream();
          self->WatchPeer();  // bytes after a streamed answer's request are dropped
        });
  }

  void AskMore() {
    Stream().expires_never();
    body_stream_->Next([self = shared_from_this()](std::string more, bool end) {
      asio::post(self->stream_->get_executor(), [self, more = std::move(more), end]() mutable {
        if (!self->body_stream_) return;
        self->chunk_ = std::move(more);
        if (!self->chunk_.empty()) return self->WriteChunk(end);
        if (end) return self->WriteLastChunk();
        self->AskMore();
      });
    });
  }

  void WriteChunk(bool last) {
    Stream().expires_after(std::chrono::seconds(shared_->settings.request_timeout_seconds));
    asio::async_write(*stream_, http::make_chunk(asio::buffer(chunk_)),
                      [self = shared_from_this(), last](beast::error_code ec, std::size_t) {
                        if (!self->body_stream_) return;
                        if (ec) return self->EndStream();
                        if (last) return self->WriteLastChunk();
                        self->AskMore();
                      });
  }

  void WriteLastChunk() {
    asio::async_write(*stream_, http::make_chunk_last(),
                      [self = shared_from_this()](beast::error_code, std::size_t) {
                        self->EndStream();
                      });
  }

  // The streamed answer is over (ended, failed, the client left, or the
  // server is shutting down): the stream is told, and the socket closed.
  void EndStream() {
    if (!body_stream_) return;
    body_stream_->Cancel();
    body_stream_.reset();
    beast::error_code ignored;
    auto& socket = Stream().socket();
    socket.shutdown(tcp::socket::shutdown_both, ignored);
    socket.close(ignored);
  }

  // Closes the connection after an answer. First it reads and drops, for a
  // moment, what the client may still be sending (an oversize body):
  // closing with unread data makes the kernel reset the connection, and the
  // client loses the answer. A plain connection half-closes first; a TLS
  // one whose request was read to its end sends its close_notify at once.
  void DoClose() {
    if (!tls_) {
      beast::error_code ec;
      Stream().socket().shutdown(tcp::socket::shutdown_send, ec);
    } else if (RequestFullyRead()) {
      return ShutdownTls();
    }
    Stream().expires_after(kDiscardTime);
    Discard();
  }

  void Discard() {
    stream_->async_read_some(asio::buffer(discard_), [self = shared_from_this()](
                                                         beast::error_code ec, std::size_t) {
      if (!ec) return self->Discard();
      // The client has stopped sending (or the time is up, and the socket is closed).
      if (self->tls_ && ec != beast::error::timeout) self->ShutdownTls();
    });
  }

  void ShutdownTls() {
    Stream().expires_after(std::chrono::seconds(shared_->settings.request_timeout_seconds));
    tls_->Ssl().async_shutdown([self = shared_from_this()](beast::error_code ec) {
      if (ec) Fail(*self->shared_, ec, "shutdown");
    });
  }

  std::shared_ptr<Shared> shared_;
  std::shared_ptr<ConnectionSlot> slot_;  // released after the stream closes
  std::unique_ptr<ByteStream> stream_;
  TlsStream* tls_;  // the same stream, if it is TLS
  beast::flat_buffer buffer_;
  std::string remote_;
  std::optional<http::request_parser<http::string_body>> parser_;
  HttpRequest request_;
  std::shared_ptr<BodyStream> body_stream_;  // set while a streamed answer goes out
  std::string chunk_;                        // the part being written
  std::array<char, 512> watch_;              // what the client sends meanwhile
  std::array<char, 16384> discard_;          // what the client sends after the answer
  std::chrono::steady_clock::time_point started_;  // the request's first byte
  BodyRule body_rule_;
  std::size_t head_bytes_ = 0;      // of the request line and headers, parsed so far
  std::shared_ptr<void> response_;  // the message being written
  std::atomic<bool> idle_{true};
};

// Reads the first bytes and hands the connection to a plain or TLS session.
class DetectSession : public std::enable_shared_from_this<DetectSession> {
 public:
  DetectSession(std::shared_ptr<Shared> shared, tcp::socket&& socket)
      : shared_(std::move(shared)),
        slot_(std::make_shared<ConnectionSlot>(shared_)),
        stream_(std::move(socket)) {}

  void Run() {
    asio::dispatch(stream_.get_executor(),
                   beast::bind_front_handler(&DetectSession::OnRun, shared_from_this()));
  }

 private:
  void OnRun() {
    beast::error_code ec;
    auto endpoint = stream_.socket().remote_endpoint(ec);
    if (!ec) remote_ = endpoint.address().to_string() + ":" + std::to_string(endpoint.port());
    // The first byte may take the idle timeout; the rest of a ClientHello or
    // of a request line is under the request timeout.
    stream_.expires_after(std::chrono::seconds(shared_->settings.idle_timeout_seconds));
    stream_.async_read_some(buffer_.prepare(kFirstReadBytes),
                            beast::bind_front_handler(&DetectSession::OnFirstBytes,
                                                      shared_from_this()));
  }

  void OnFirstBytes(beast::error_code ec, std::size_t bytes) {
    if (ec) return Fail(*shared_, ec, "detect");
    buffer_.commit(bytes);
    stream_.expires_after(std::chrono::seconds(shared_->settings.request_timeout_seconds));
    beast::async_detect_ssl(stream_, buffer_,
                            beast::bind_front_handler(&DetectSession::OnDetect, shared_from_this()));
  }

  void OnDetect(beast::error_code ec, bool is_tls) {
    if (ec) return Fail(*shared_, ec, "detect");
    std::unique_ptr<ByteStream> stream;
    TlsStream* tls = nullptr;
    if (is_tls) {
      auto tls_stream = std::make_unique<TlsStream>(std::move(stream_), shared_->tls);
      tls = tls_stream.get();
      stream = std::move(tls_stream);
    } else {
      stream = std::make_unique<PlainStream>(std::move(stream_));
    }
    auto session = std::make_shared<HttpSession>(shared_, std::move(stream), tls,
                                                 std::move(buffer_), remote_, slot_);
    shared_->Add(session);
    session->Run();
  }

  std::shared_ptr<Shared> shared_;
  std::shared_ptr<ConnectionSlot> slot_;
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::string remote_;
};

// Accepts on the first io_context and hands each connection to the next
// io_context in turn; every io_context is run by exactly one thread, so a
// connection's handlers never run concurrently and need no strand.
class Listener : public std::enable_shared_from_this<Listener> {
 public:
  Listener(std::vector<std::unique_ptr<asio::io_context>>& contexts, std::shared_ptr<Shared> shared,
           tcp::endpoint endpoint)
      : contexts_(contexts), acceptor_(*contexts[0]), shared_(std::move(shared)) {
    acceptor_.open(endpoint.protocol());
    acceptor_.set_option(asio::socket_base::reuse_address(true));
    acceptor_.bind(endpoint);
    acceptor_.listen(asio::socket_base::max_listen_connections);
  }

  int port() const { return acceptor_.local_endpoint().port(); }
  void Run() {
    // A closed connection frees a place: resume accepting if paused at the cap.
    std::weak_ptr<Listener> weak = weak_from_this();
    shared_->on_connection_closed = [weak] {
      if (auto self = weak.lock()) {
        asio::post(self->acceptor_.get_executor(), [self] { self->ResumeIfPaused(); });
      }
    };
    DoAccept();
  }
  void Stop() {
    asio::post(acceptor_.get_executor(), [self = shared_from_this()] {
      beast::error_code ec;
      self->acceptor_.close(ec);
      self->backoff_timer_.cancel();
    });
  }

 private:
  // At the cap, stop accepting: new connections wait in the listen backlog
  // (the kernel completes their handshake) until one closes (D-96).
  void DoAccept() {
    if (!acceptor_.is_open()) return;
    if (shared_->connections >= shared_->settings.max_connections) {
      paused_ = true;
      return;
    }
    asio::io_context& target = *contexts_[next_++ % contexts_.size()];
    acceptor_.async_accept(target,
                           beast::bind_front_handler(&Listener::OnAccept, shared_from_this()));
  }
  void ResumeIfPaused() {
    if (paused_ && shared_->connections < shared_->settings.max_connections) {
      paused_ = false;
      DoAccept();
    }
  }
  void OnAccept(beast::error_code ec, tcp::socket socket) {
    if (ec == asio::error::operation_aborted || !acceptor_.is_open()) return;
    if (ec) {
      // Out of descriptors (EMFILE, ENFILE) or memory: accepting again at
      // once fails again at once, a core spinning on it while the backlog
      // waits. Wait, longer each time (10 ms doubling to 1 s), and log once
      // per episode (D-95).
      backoff_ = backoff_.count() == 0 ? kFirstBackoff : std::min(backoff_ * 2, kMaxBackoff);
      if (backoff_ == kFirstBackoff) {
        shared_->app.ConnectionFailed("accept", ec.message() + "; accepting again after a pause");
      }
      backoff_timer_.expires_after(backoff_);
      backoff_timer_.async_wait([self = shared_from_this()](beast::error_code wait_ec) {
        if (!wait_ec) self->DoAccept();
      });
      return;
    }
    backoff_ = {};
    socket.set_option(tcp::no_delay(true), ec);
    std::make_shared<DetectSession>(shared_, std::move(socket))->Run();
    DoAccept();
  }

  static constexpr std::chrono::milliseconds kFirstBackoff{10};
  static constexpr std::chrono::milliseconds kMaxBackoff{1000};

  std::vector<std::unique_ptr<asio::io_context>>& contexts_;
  tcp::acceptor acceptor_;
  asio::steady_timer backoff_timer_{acceptor_.get_executor()};
  std::shared_ptr<Shared> shared_;
  size_t next_ = 0;
  bool paused_ = false;  // at the cap: no accept pending
  std::chrono::milliseconds backoff_{0};
};

}  // namespace

int RaiseOpenFileLimit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return -1;
  if (limit.rlim_cur < limit.rlim_max) {
    rlimit raised = limit;
    raised.rlim_cur = limit.rlim_max;
    if (setrlimit(RLIMIT_NOFILE, &raised) == 0) limit = raised;
  }
  if (limit.rlim_cur == RLIM_INFINITY || limit.rlim_cur > static_cast<rlim_t>(INT32_MAX)) {
    return INT32_MAX;
  }
  return static_cast<int>(limit.rlim_cur);
}

int DefaultMaxConnections(int open_files) {
  if (open_files <= 0) return 1024;
  // Descriptors the server needs besides its connections: the database
  // files (database, WAL, shared memory, for two connections), the log, the
  // listener, epoll and the threads' wake-ups.
  int reserve = std::min(64, open_files / 4);
  return std::max(1, std::min(open_files - reserve, 1'000'000));
}

void Serve(const ServerSettings& settings, Application& application,
           const std::function<void(int port)>& on_listening) {
  std::vector<std::unique_ptr<asio::io_context>> contexts;
  for (int i = 0; i < settings.threads; ++i) {
    contexts.push_back(std::make_unique<asio::io_context>(1));
  }
  asio::io_context& ioc = *contexts[0];
  ssl::context tls(ssl::context::tls_server);
  tls.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                  ssl::context::no_sslv3 | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1);
  tls.use_certificate_chain_file(settings.cert_path);
  tls.use_private_key_file(settings.key_path, ssl::context::pem);

  auto shared = std::make_shared<Shared>(application, tls, settings);
  beast::error_code ec;
  auto address = asio::ip::make_address(settings.host, ec);
  if (ec) throw std::runtime_error("invalid listen address " + settings.host);
  std::shared_ptr<Listener> listener;
  try {
    listener = std::make_shared<Listener>(contexts, shared,
                                          tcp::endpoint(address, static_cast<unsigned short>(settings.port)));
  } catch (const boost::system::system_error& e) {
    throw std::runtime_error("cannot listen on " + settings.host + ":" +
                             std::to_string(settings.port) + ": " + e.code().message());
  }
  listener->Run();
  on_listening(listener->port());

  // Shutdown: stop accepting, close idle connections, let busy ones finish
  // their response, then stop once none is left (or the drain time is up).
  asio::signal_set signals(ioc, SIGINT, SIGTERM);
  asio::steady_timer drain_timer(ioc);
  auto deadline = std::make_shared<std::chrono::steady_clock::time_point>();
  std::function<void()> check_drained = [&] {
    if (shared->Count() == 0 || std::chrono::steady_clock::now() >= *deadline) {
      for (auto& c : contexts) c->stop();
      return;
    }
    for (const auto& session : shared->Snapshot()) session->Drain();
    drain_timer.expires_after(std::chrono::milliseconds(50));
    drain_timer.async_wait([&](beast::error_code) { check_drained(); });
  };
  signals.async_wait([&](beast::error_code ec, int signal) {
    if (ec) return;
    application.ShuttingDown(signal);
    shared->draining = true;
    listener->Stop();
    *deadline = std::chrono::steady_clock::now() + std::chrono::seconds(settings.drain_seconds);
    check_drained();
  });

  // Keep the other io_contexts running while they have no connection.
  std::vector<asio::executor_work_guard<asio::io_context::executor_type>> guards;
  for (size_t i = 1; i < contexts.size(); ++i) guards.push_back(asio::make_work_guard(*contexts[i]));
  std::vector<std::thread> threads;
  for (size_t i = 1; i < contexts.size(); ++i) {
    threads.emplace_back([c = contexts[i].get()] { c->run(); });
  }
  ioc.run();
  for (auto& c : contexts) c->stop();
  for (auto& t : threads) t.join();
}

}  // namespace cvm::server::net
