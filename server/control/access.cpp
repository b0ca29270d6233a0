#include "server/control/access.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "crypto/crypto.h"
#include "server/control/route.h"
#include "server/text.h"

namespace cvm::server {
namespace {

// The name part of a Host header ("localhost:8100" → "localhost",
// "[::1]:8100" → "[::1]"), lower-cased.
std::string HostName(std::string_view host) {
  if (!host.empty() && host.front() == '[') {
    size_t close = host.find(']');
    return AsciiLower(host.substr(0, close == std::string_view::npos ? host.size() : close + 1));
  }
  return AsciiLower(host.substr(0, host.find(':')));
}

// An address as it appears in a Host header: IPv6 in brackets.
std::string AsHostName(std::string_view address) {
  if (address.find(':') != std::string_view::npos && address.front() != '[') {
    return "[" + AsciiLower(address) + "]";
  }
  return AsciiLower(address);
}

bool Contains(const std::vector<std::string>& list, std::string_view item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

// True iff `name` (from a Host header) names this emulator.
bool OwnHostName(const ControlAccess& access, const std::string& name) {
  if (name == "127.0.0.1" || name == "localhost" || name == "[::1]") return true;
  std::string listen = AsHostName(access.listen_host);
  if (listen != "0.0.0.0" && listen != "[::]" && name == listen) return true;
  for (const std::string& allowed : access.allowed_hosts) {
    if (allowed == "*" || AsHostName(allowed) == name) return true;
  }
  return false;
}

HttpResponse Forbidden(std::string message) {
  return control::Problem(403, "cross-site control request refused: " + std::move(message));
}

}  // namespace

bool IsLoopbackHost(std::string_view host) {
  std::string h = AsciiLower(host);
  return h == "localhost" || h == "::1" || h == "[::1]" || h.rfind("127.", 0) == 0;
}

std::vector<std::string> SplitList(std::string_view text) {
  std::vector<std::string> items;
  while (!text.empty()) {
    size_t comma = text.find(',');
    std::string_view item = TrimSpacesAndTabs(text.substr(0, comma));
    if (!item.empty()) items.emplace_back(item);
    text = comma == std::string_view::npos ? std::string_view() : text.substr(comma + 1);
  }
  return items;
}

namespace control {

std::optional<HttpResponse> CheckOrigin(const ControlAccess& access, const HttpRequest& request) {
  // A browser says where a request comes from (Origin, Sec-Fetch-Site); a
  // body a web page can send without a CORS preflight (a form, text/plain)
  // counts as a browser's too. curl, the SDKs and test scripts send none of
  // these (or a JSON body, which no page can send cross-site unasked), and
  // reach the emulator by whatever name they like (D-91).
  const std::string* origin = request.Header("origin");
  const std::string* fetch_site = request.Header("sec-fetch-site");
  const std::string* content_type = request.Header("content-type");
  const std::string* host = request.Header("host");
  std::string media = content_type
                          ? AsciiLower(TrimSpacesAndTabs(
                                std::string_view(*content_type).substr(0, content_type->find(';'))))
                          : "";
  bool browser = origin || fetch_site || (content_type && media != "application/json");
  if (browser) {
    std::string host_name = host ? HostName(*host) : "";
    if (!host || !OwnHostName(access, host_name)) {
      return Forbidden("Host " + (host ? *host : std::string("(none)")) +
                       " does not name this emulator (add it with --control-allowed-hosts)");
    }
    std::string lower_origin = origin ? AsciiLower(*origin) : "";
    if (!lower_origin.empty() && lower_origin.back() == '/') lower_origin.pop_back();
    bool origin_allowed =
        origin && (Contains(access.allowed_origins, "*") ||
                   std::any_of(access.allowed_origins.begin(), access.allowed_origins.end(),
                               [&](const std::string& o) {
                                 std::string a = AsciiLower(o);
                                 if (!a.empty() && a.back() == '/') a.pop_back();
                                 return a == lower_origin;
                               }));
    // The emulator's own origin: the scheme it was reached by and its Host.
    std::string own = std::string(request.tls ? "https://" : "http://") + AsciiLower(*host);
    if (origin && !origin_allowed && lower_origin != own) {
      return Forbidden("Origin " + *origin +
                       " is not this emulator's (allow it with --control-allowed-origins)");
    }
    if (fetch_site && !origin_allowed && *fetch_site != "same-origin" && *fetch_site != "none") {
      return Forbidden("Sec-Fetch-Site is " + *fetch_site +
                       ": only the emulator's own pages may use the control plane");
    }
  }
  return std::nullopt;
}

bool NeedsToken(std::string_view method, std::string_view path, bool deep) {
  if (path == "health") return deep;
  if (path == "ui") return method != "GET" && method != "HEAD";
  return true;
}

std::optional<HttpResponse> CheckToken(const ControlAccess& access, const HttpRequest& request) {
  if (!access.token.empty()) {
    const std::string* authorization = request.Header("authorization");
    std::string_view given;
    if (authorization && authorization->size() > 7 &&
        AsciiLower(authorization->substr(0, 7)) == "bearer ") {
      given = TrimSpacesAndTabs(std::string_view(*authorization).substr(7));
    }
    // Compared as digests: the time depends on neither value (D-93).
    if (given.empty() ||
        !crypto::ConstantTimeEquals(crypto::Sha256(given), crypto::Sha256(access.token))) {
      HttpResponse r = Problem(401, std::string(authorization ? "wrong control token" : "no control token") +
                                        ": this emulator's control endpoints need "
                                        "\"Authorization: Bearer <token>\" (--control-token)");
      r.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"cvm-emulator\"");
      return r;
    }
  }
  return std::nullopt;
}

}  // namespace control
}  // namespace cvm::server
