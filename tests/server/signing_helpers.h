// Test helpers that sign requests exactly as the official SDKs do
// (docs/wire.md §2 and §3), so tests can speak to the
// authenticator and the pipeline without a socket or an SDK.
//
// The helpers reuse the product's Tc3Signature / V1StringToSign / V1Signature:
// those functions are pinned separately to the documented vectors and to the
// recorded SDK captures (tests/server/signature_captures_test.cpp), so a
// request signed here is one an SDK would have sent.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "server/form.h"
#include "server/http_message.h"
#include "server/signature.h"
#include "state/accounts.h"

namespace cvm::test {

using server::FormParams;
using server::HttpRequest;

// The reference inputs of docs/wire.md §2.5 and the captures.
inline constexpr int64_t kReferenceTimestamp = 1465185768;  // 2016-06-06T04:02:48Z
inline constexpr std::string_view kReferenceSecretId = state::kDefaultSecretId;
inline constexpr std::string_view kReferenceSecretKey = state::kDefaultSecretKey;

struct SignOptions {
  std::string secret_id{kReferenceSecretId};
  std::string secret_key{kReferenceSecretKey};
  int64_t timestamp = kReferenceTimestamp;
  std::string host = "127.0.0.1:18080";    // the Host header as sent
  // TC3: the host that is signed. Unset: the Host header without its port,
  // as the Node SDK signs; set it to `host` for the Python/Go SDK style.
  std::optional<std::string> signed_host;
  std::string service = "127";             // TC3 credential scope service (Node: endpoint.split(".")[0])
  std::string version = "2017-03-12";      // empty: not sent
  std::string region = "ap-guangzhou";     // empty: not sent
  std::optional<std::string> token;        // X-TC-Token / Token
  std::optional<std::string> language;     // X-TC-Language / Language
  uint64_t nonce = 11886;                  // v1 only
};

inline void SetHeader(HttpRequest& req, std::string_view lower_name, std::string value) {
  for (auto& [name, v] : req.headers) {
    if (name == lower_name) {
      v = std::move(value);
      return;
    }
  }
  req.headers.emplace_back(std::string(lower_name), std::move(value));
}

inline void RemoveHeader(HttpRequest& req, std::string_view lower_name) {
  std::erase_if(req.headers, [&](const auto& h) { return h.first == lower_name; });
}

// The Node SDK's signed host: the Host header without a trailing ":port".
inline std::string HostWithoutPort(std::string_view host) {
  std::string_view candidates[2];
  int n = server::HostCandidates(host, candidates);
  return std::string(candidates[n - 1]);
}

// Adds the Authorization header for `req` as it stands (method, target,
// Content-Type, body, X-TC-Timestamp), signed with `o`'s key and scope.
// REQUIRES: req has a Content-Type header.
inline void SignTc3(HttpRequest& req, const SignOptions& o) {
  RemoveHeader(req, "authorization");
  server::Tc3Authorization auth;
  auth.secret_id = o.secret_id;
  auth.date = server::UtcDate(o.timestamp);
  auth.service = o.service;
  auth.signed_headers = "content-type;host";
  std::string signed_host = o.signed_host ? *o.signed_host : HostWithoutPort(o.host);
  std::string signature =
      *server::Tc3Signature(req, auth, signed_host, std::to_string(o.timestamp), o.secret_key);
  SetHeader(req, "authorization",
            "TC3-HMAC-SHA256 Credential=" + o.secret_id + "/" + auth.date + "/" + o.service +
                "/tc3_request, SignedHeaders=content-type;host, Signature=" + signature);
}

// The headers the Node SDK sends for a TC3 call, in its order, unsigned.
inline HttpRequest Tc3Unsigned(std::string method, std::string target, std::string_view action,
                               std::string content_type, std::string body, const SignOptions& o) {
  HttpRequest req;
  req.method = std::move(method);
  req.target = std::move(target);
  req.headers = {{"x-tc-traceid", "00000000-0000-4000-8000-000000000001"}, {"host", o.host}};
  if (!action.empty()) req.headers.emplace_back("x-tc-action", std::string(action));
  if (!o.region.empty()) req.headers.emplace_back("x-tc-region", o.region);
  req.headers.emplace_back("x-tc-timestamp", std::to_string(o.timestamp));
  if (!o.version.empty()) req.headers.emplace_back("x-tc-version", o.version);
  if (o.token) req.headers.emplace_back("x-tc-token", *o.token);
  req.headers.emplace_back("x-tc-requestclient", "SDK_NODEJS_4.1.220");
  if (o.language) req.headers.emplace_back("x-tc-language", *o.language);
  req.headers.emplace_back("content-type", std::move(content_type));
  req.body = std::move(body);
  req.headers.emplace_back("content-length", std::to_string(req.body.size()));
  return req;
}

// A TC3-HMAC-SHA256 POST with a JSON body (the SDK default).
inline HttpRequest Tc3Post(std::string_view action, std::string json_body,
                           const SignOptions& o = {}) {
  HttpRequest req = Tc3Unsigned("POST", "/", action, "application/json", std::move(json_body), o);
  SignTc3(req, o);
  return req;
}

// A TC3-HMAC-SHA256 GET (reqMethod "GET"): the query is signed as sent.
inline HttpRequest Tc3Get(std::string_view action, std::string query, const SignOptions& o = {}) {
  HttpRequest req = Tc3Unsigned("GET", "/?" + query, action, "application/x-www-form-urlencoded",
                                "", o);
  RemoveHeader(req, "content-length");
  SignTc3(req, o);
  return req;
}

// The common parameters the Node SDK appends after the caller's, in its
// order (docs/wire.md §3), without Signature. An empty action is left out.
inline FormParams V1CommonParams(std::string_view action, std::string_view signature_method,
                                 const SignOptions& o) {
  FormParams out;
  if (!action.empty()) out.emplace_back("Action", std::string(action));
  out.emplace_back("RequestClient", "SDK_NODEJS_4.1.220");
  out.emplace_back("Nonce", std::to_string(o.nonce));
  out.emplace_back("Timestamp", std::to_string(o.timestamp));
  if (!o.version.empty()) out.emplace_back("Version", o.version);
  out.emplace_back("SecretId", o.secret_id);
  if (!o.region.empty()) out.emplace_back("Region", o.region);
  if (o.token) out.emplace_back("Token", *o.token);
  if (o.language) out.emplace_back("Language", *o.language);
  out.emplace_back("SignatureMethod", std::string(signature_method));
  return out;
}

inline std::string EncodeForm(const FormParams& params) {
  std::string out;
  for (const auto& [k, v] : params) {
    if (!out.empty()) out += '&';
    out += server::PercentEncode(k) + "=" + server::PercentEncode(v);
  }
  return out;
}

// Signs `params` (every parameter, common ones included) with v1 and sends
// them as a form body (POST) or query (GET). `go_style` leaves empty values
// out of the string to sign, as the Go SDK does.
inline HttpRequest SignV1(std::string_view http_method, FormParams params,
                          std::string_view signature_method, const SignOptions& o,
                          bool go_style = false) {
  std::string to_sign = server::V1StringToSign(http_method, o.host, "/", params, go_style);
  params.emplace_back("Signature", server::V1Signature(o.secret_key, to_sign, signature_method));
  HttpRequest req;
  req.method = std::string(http_method);
  req.headers = {{"x-tc-traceid", "00000000-0000-4000-8000-000000000008"}};
  if (http_method == "GET") {
    req.target = "/?" + EncodeForm(params);
  } else {
    req.target = "/";
    req.body = EncodeForm(params);
    req.headers.emplace_back("content-type", "application/x-www-form-urlencoded");
    req.headers.emplace_back("content-length", std::to_string(req.body.size()));
  }
  req.headers.emplace_back("host", o.host);
  return req;
}

// A v1 call as the Node SDK makes it: the caller's parameters, then the
// common ones, signed with `signature_method` ("HmacSHA1" or "HmacSHA256").
inline HttpRequest V1Call(std::string_view http_method, std::string_view action,
                          FormParams caller_params, const SignOptions& o = {},
                          std::string_view signature_method = "HmacSHA256") {
  for (auto& p : V1CommonParams(action, signature_method, o)) caller_params.push_back(std::move(p));
  return SignV1(http_method, std::move(caller_params), signature_method, o);
}

// The v1 parameters of `req` as the pipeline decodes them: the query for
// GET, the form body for a form POST, none otherwise.
inline FormParams V1ParamsOf(const HttpRequest& req) {
  FormParams params;
  std::string bad;
  const std::string* type = req.Header("content-type");
  if (req.method == "GET") {
    server::ParseForm(req.raw_query(), &params, &bad);
  } else if (type && type->rfind("application/x-www-form-urlencoded", 0) == 0) {
    server::ParseForm(req.body, &params, &bad);
  }
  return params;
}

}  // namespace cvm::test
