#include "server/signature.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <unordered_map>
#include <vector>

#include "crypto/crypto.h"
#include "server/text.h"
#include "state/clock.h"

namespace cvm::server {
namespace {

bool IsHex(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return std::isxdigit(static_cast<unsigned char>(c)) != 0;
  });
}

// kSigning = HMAC(HMAC(HMAC("TC3"+key, date), service), "tc3_request"),
// cached per thread: it only changes with the key, the day and the service.
const std::string& SigningKey(std::string_view secret_key, std::string_view date,
                              std::string_view service) {
  thread_local std::unordered_map<std::string, std::string> cache;
  std::string cache_key;
  cache_key.reserve(secret_key.size() + date.size() + service.size() + 2);
  cache_key.append(secret_key).append("\n").append(date).append("\n").append(service);
  auto it = cache.find(cache_key);
  if (it != cache.end()) return it->second;
  if (cache.size() > 4096) cache.clear();
  std::string k_date = crypto::HmacSha256(std::string("TC3").append(secret_key), date);
  std::string k_service = crypto::HmacSha256(k_date, service);
  std::string k_signing = crypto::HmacSha256(k_service, "tc3_request");
  return cache.emplace(std::move(cache_key), std::move(k_signing)).first->second;
}

}  // namespace

std::optional<Tc3Authorization> ParseTc3Authorization(std::string_view header) {
  constexpr std::string_view kAlgorithm = "TC3-HMAC-SHA256";
  if (header.substr(0, kAlgorithm.size()) != kAlgorithm) return std::nullopt;
  std::string_view rest = header.substr(kAlgorithm.size());
  if (rest.empty() || (rest.front() != ' ' && rest.front() != '\t')) return std::nullopt;
  std::string_view credential, signed_headers, signature;
  bool seen_credential = false, seen_headers = false, seen_signature = false;
  // Three comma-separated "Name=value" fields, in this order.
  for (int field = 0; field < 3; ++field) {
    size_t comma = rest.find(',');
    std::string_view part = TrimSpacesAndTabs(rest.substr(0, comma));
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    size_t eq = part.find('=');
    if (eq == std::string_view::npos) return std::nullopt;
    std::string_view name = part.substr(0, eq), value = TrimSpacesAndTabs(part.substr(eq + 1));
    if (field == 0 && name == "Credential") {
      credential = value, seen_credential = true;
    } else if (field == 1 && name == "SignedHeaders") {
      signed_headers = value, seen_headers = true;
    } else if (field == 2 && name == "Signature") {
      signature = value, seen_signature = true;
    } else {
      return std::nullopt;
    }
  }
  if (!TrimSpacesAndTabs(rest).empty() || !seen_credential || !seen_headers || !seen_signature) {
    return std::nullopt;
  }
  if (!IsHex(signature) || signed_headers.empty()) return std::nullopt;
  // Credential = <id>/<date>/<service>/tc3_request; the service may hold ':'.
  size_t s3 = credential.rfind('/');
  if (s3 == std::string_view::npos || credential.substr(s3 + 1) != "tc3_request") {
    return std::nullopt;
  }
  size_t s2 = credential.rfind('/', s3 - 1);
  if (s2 == std::string_view::npos || s2 == 0) return std::nullopt;
  size_t s1 = credential.rfind('/', s2 - 1);
  if (s1 == std::string_view::npos || s1 == 0) return std::nullopt;
  Tc3Authorization out;
  out.secret_id = std::string(credential.substr(0, s1));
  out.date = std::string(credential.substr(s1 + 1, s2 - s1 - 1));
  out.service = std::string(credential.substr(s2 + 1, s3 - s2 - 1));
  out.signed_headers = std::string(signed_headers);
  out.signature = AsciiLower(signature);
  if (out.secret_id.empty() || out.date.empty() || out.service.empty()) return std::nullopt;
  return out;
}

std::string UtcDate(int64_t seconds) { return state::FormatIso8601(seconds).substr(0, 10); }

int HostCandidates(std::string_view host, std::string_view out[2]) {
  out[0] = host;
  size_t colon = host.rfind(':');
  if (colon == std::string_view::npos || colon + 1 == host.size()) return 1;
  std::string_view port = host.substr(colon + 1);
  if (!std::all_of(port.begin(), port.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return 1;
  }
  std::string_view name = host.substr(0, colon);
  // "[::1]:8080" strips to "[::1]"; a bare IPv6 address has no port to strip.
  if (name.find(':') != std::string_view::npos && name.back() != ']' &&
      name.find("://") == std::string_view::npos) {
    return 1;
  }
  out[1] = name;
  return 2;
}

std::optional<std::string> Tc3Signature(const HttpRequest& req, const Tc3Authorization& auth,
                                        std::string_view host, std::string_view timestamp,
                                        std::string_view secret_key) {
  // Signed header names, lower-cased and sorted, each once.
  std::vector<std::string> names;
  std::string_view list = auth.signed_headers;
  while (!list.empty()) {
    size_t semi = list.find(';');
    names.push_back(AsciiLower(TrimSpacesAndTabs(list.substr(0, semi))));
    list = semi == std::string_view::npos ? std::string_view() : list.substr(semi + 1);
  }
  std::sort(names.begin(), names.end());

  std::string canonical;
  canonical.reserve(256 + req.target.size());
  canonical.append(req.method).append("\n");
  canonical.append(req.path()).append("\n");
  canonical.append(req.raw_query()).append("\n");
  std::string signed_list;
  for (const std::string& name : names) {
    std::string_view value;
    if (name == "host") {
      value = host;
    } else {
      const std::string* h = req.Header(name);
      if (!h) return std::nullopt;
      value = *h;
    }
    canonical.append(name).append(":").append(TrimSpacesAndTabs(value)).append("\n");
    if (!signed_list.empty()) signed_list += ';';
    signed_list += name;
  }
  canonical.append("\n").append(signed_list).append("\n");
  const std::string* content_sha = req.Header("x-tc-content-sha256");
  if (content_sha && *content_sha == "UNSIGNED-PAYLOAD") {
    canonical.append(crypto::HexLower(crypto::Sha256("UNSIGNED-PAYLOAD")));
  } else if (req.method == "GET") {
    canonical.append(crypto::HexLower(crypto::Sha256("")));
  } else {
    canonical.append(crypto::HexLower(crypto::Sha256(req.body)));
  }

  std::string to_sign;
  to_sign.reserve(160);
  to_sign.append("TC3-HMAC-SHA256\n").append(timestamp).append("\n");
  to_sign.append(auth.date).append("/").append(auth.service).append("/tc3_request\n");
  to_sign.append(crypto::HexLower(crypto::Sha256(canonical)));
  return crypto::HexLower(
      crypto::HmacSha256(SigningKey(secret_key, auth.date, auth.service), to_sign));
}

std::string V1StringToSign(std::string_view method, std::string_view host, std::string_view path,
                           const FormParams& params, bool skip_empty) {
  std::vector<const std::pair<std::string, std::string>*> sorted;
  sorted.reserve(params.size());
  for (const auto& p : params) {
    if (p.first == "Signature") continue;
    if (skip_empty && p.second.empty()) continue;
    sorted.push_back(&p);
  }
  std::sort(sorted.begin(), sorted.end(),
            [](const auto* a, const auto* b) { return a->first < b->first; });
  std::string out;
  out.reserve(256);
  for (char c : method) out += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  out.append(host).append(path).append("?");
  bool first = true;
  for (const auto* p : sorted) {
    if (!first) out += '&';
    first = false;
    out.append(p->first).append("=").append(p->second);
  }
  return out;
}

std::string V1Signature(std::string_view secret_key, std::string_view string_to_sign,
                        std::string_view signature_method) {
  std::string mac = signature_method == "HmacSHA256"
                        ? crypto::HmacSha256(secret_key, string_to_sign)
                        : crypto::HmacSha1(secret_key, string_to_sign);
  return crypto::Base64Encode(mac);
}

}  // namespace cvm::server
