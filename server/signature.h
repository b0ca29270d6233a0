// Request signatures, as pure functions of (request, credentials, time).
// TC3-HMAC-SHA256 and the legacy v1 HmacSHA1 / HmacSHA256, exactly as
// docs/wire.md §2, §3 and §7 describe what the official SDKs send.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "server/form.h"
#include "server/http_message.h"

namespace cvm::server {

// The parts of "TC3-HMAC-SHA256 Credential=<id>/<date>/<service>/tc3_request,
// SignedHeaders=<a;b>, Signature=<hex>".
struct Tc3Authorization {
  std::string secret_id;
  std::string date;     // YYYY-MM-DD
  std::string service;  // anything: "cvm", "127", "localhost:8080"
  std::string signed_headers;  // as sent, e.g. "content-type;host"
  std::string signature;       // lower-case hex
};

// Returns nullopt unless `header` has the form above.
std::optional<Tc3Authorization> ParseTc3Authorization(std::string_view header);

// "YYYY-MM-DD" of a Unix time in seconds, UTC.
std::string UtcDate(int64_t seconds);

// Host header candidates for signature checks: as received, then without a
// trailing ":port" (the Node SDK signs the hostname only). 1 or 2 entries.
int HostCandidates(std::string_view host, std::string_view out[2]);

// The TC3 signature (lower-case hex) of `req` as signed with `auth`'s scope and
// headers, using `host` for the host header. Returns nullopt if a signed
// header other than host is missing from the request.
std::optional<std::string> Tc3Signature(const HttpRequest& req, const Tc3Authorization& auth,
                                        std::string_view host, std::string_view timestamp,
                                        std::string_view secret_key);

// The v1 string to sign: METHOD + host + path + "?" + the parameters other
// than Signature, sorted by key bytes, joined raw as k=v with '&'. With
// `skip_empty`, parameters whose value is empty are left out (the Go SDK).
std::string V1StringToSign(std::string_view method, std::string_view host, std::string_view path,
                           const FormParams& params, bool skip_empty);

// base64(HMAC-SHA256) when `signature_method` is exactly "HmacSHA256",
// base64(HMAC-SHA1) otherwise.
std::string V1Signature(std::string_view secret_key, std::string_view string_to_sign,
                        std::string_view signature_method);

}  // namespace cvm::server
