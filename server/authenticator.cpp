#include "server/authenticator.h"

#include <cctype>
#include <charconv>

#include "crypto/crypto.h"
#include "server/form.h"
#include "server/signature.h"

namespace cvm::server {
namespace {

bool ParseTimestamp(std::string_view text, int64_t* out) {
  if (text.empty() || text.size() > 18) return false;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), *out);
  return ec == std::errc() && ptr == text.data() + text.size() && *out >= 0;
}

// The checks both schemes share, in order: SecretId form, known SecretId,
// timestamp inside the window.
Result<state::AccountRegistry::KeyRef> FindCredential(const state::AccountRegistry& accounts,
                                                      std::string_view secret_id) {
  if (secret_id.substr(0, 4) != "AKID") {
    return ApiError::Make(errors::kAuthInvalidSecretId, secret_id);
  }
  auto key = accounts.FindKey(secret_id);
  if (!key) return ApiError::Make(errors::kAuthSecretIdNotFound, secret_id);
  return *key;
}

// True iff the `;`-separated list names both content-type and host.
bool SignsContentTypeAndHost(std::string_view list) {
  bool content_type = false, host = false;
  while (!list.empty()) {
    size_t semi = list.find(';');
    std::string_view name = list.substr(0, semi);
    while (!name.empty() && name.front() == ' ') name.remove_prefix(1);
    while (!name.empty() && name.back() == ' ') name.remove_suffix(1);
    std::string lower(name);
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    content_type |= lower == "content-type";
    host |= lower == "host";
    list = semi == std::string_view::npos ? std::string_view() : list.substr(semi + 1);
  }
  return content_type && host;
}

Status CheckWindow(int64_t timestamp, int64_t now, const AuthSettings& settings) {
  int64_t skew = timestamp > now ? timestamp - now : now - timestamp;
  if (skew > settings.window_seconds) {
    return ApiError::Make(errors::kAuthSignatureExpire, timestamp, settings.window_seconds, now);
  }
  return Status::Ok();
}

Status CheckToken(const state::Credential& key, const std::string* token) {
  bool sent = token && !token->empty();
  if (!key.token) {
    if (sent) {
      return ApiError::Make(errors::kAuthTokenFailure,
                            "a token was sent for a SecretId that is not a temporary credential");
    }
    return Status::Ok();
  }
  if (!sent) return ApiError::Make(errors::kAuthTokenFailure, "this temporary SecretId needs its token");
  if (!crypto::ConstantTimeEquals(*token, *key.token)) {
    return ApiError::Make(errors::kAuthTokenFailure, "the token does not match the SecretId");
  }
  return Status::Ok();
}

Result<Caller> AuthenticateTc3(const HttpRequest& req, const std::string& authorization,
                               const state::AccountRegistry& accounts, int64_t now,
                               const AuthSettings& settings) {
  auto auth = ParseTc3Authorization(authorization);
  if (!auth) {
    return ApiError::Make(errors::kAuthSignatureFailure,
                          "the Authorization header is not a well-formed TC3-HMAC-SHA256 value");
  }
  const std::string* ts_text = req.Header("x-tc-timestamp");
  if (!ts_text) return ApiError::Make(errors::kMissingParameter, "X-TC-Timestamp");
  int64_t timestamp = 0;
  if (!ParseTimestamp(*ts_text, &timestamp)) {
    return ApiError::Make(errors::kInvalidParameterValue, "X-TC-Timestamp",
                          "it must be a Unix time in seconds");
  }
  CVM_ASSIGN_OR_RETURN(auto key, FindCredential(accounts, auth->secret_id));
  CVM_RETURN_IF_ERROR(CheckWindow(timestamp, now, settings));
  if (UtcDate(timestamp) != auth->date) {
    return ApiError::Make(errors::kAuthSignatureFailure,
                          "the credential scope date " + auth->date +
                              " is not the UTC date of X-TC-Timestamp (" + UtcDate(timestamp) + ")");
  }
  if (!SignsContentTypeAndHost(auth->signed_headers)) {
    return ApiError::Make(errors::kAuthSignatureFailure,
                          "SignedHeaders must include content-type and host");
  }
  const std::string* host = req.Header("host");
  std::string_view hosts[2];
  int n = HostCandidates(host ? std::string_view(*host) : std::string_view(), hosts);
  bool matched = false;
  for (int i = 0; i < n && !matched; ++i) {
    auto sig = Tc3Signature(req, *auth, hosts[i], *ts_text, key.credential->secret_key);
    if (!sig) {
      return ApiError::Make(errors::kAuthSignatureFailure,
                            "a header named in SignedHeaders is missing from the request");
    }
    matched = crypto::ConstantTimeEquals(*sig, auth->signature);
  }
  if (!matched) {
    return ApiError::Make(errors::kAuthSignatureFailure,
                          "the TC3-HMAC-SHA256 signature does not match the request");
  }
  CVM_RETURN_IF_ERROR(CheckToken(*key.credential, req.Header("x-tc-token")));
  return Caller{key.account, key.credential, SignScheme::kTc3};
}

Result<Caller> AuthenticateV1(const HttpRequest& req, const FormParams& params,
                              const state::AccountRegistry& accounts, int64_t now,
                              ReplayCache& replay, const AuthSettings& settings) {
  const std::string* signature = FindParam(params, "Signature");
  for (const char* name : {"SecretId", "Timestamp", "Nonce"}) {
    if (!FindParam(params, name)) return ApiError::Make(errors::kMissingParameter, name);
  }
  const std::string& secret_id = *FindParam(params, "SecretId");
  int64_t timestamp = 0;
  if (!ParseTimestamp(*FindParam(params, "Timestamp"), &timestamp)) {
    return ApiError::Make(errors::kInvalidParameterValue, "Timestamp",
                          "it must be a Unix time in seconds");
  }
  // Any non-negative integer: Node sends 0..65535, Python up to 2^63-1.
  const std::string& nonce = *FindParam(params, "Nonce");
  if (nonce.empty() || nonce.size() > 20 || nonce.find_first_not_of("0123456789") != std::string::npos) {
    return ApiError::Make(errors::kInvalidParameterValue, "Nonce", "it must be a non-negative integer");
  }
  CVM_ASSIGN_OR_RETURN(auto key, FindCredential(accounts, secret_id));
  CVM_RETURN_IF_ERROR(CheckWindow(timestamp, now, settings));
  const std::string* method_param = FindParam(params, "SignatureMethod");
  std::string_view method = method_param ? std::string_view(*method_param) : "HmacSHA1";
  const std::string* host = req.Header("host");
  std::string_view hosts[2];
  int n = HostCandidates(host ? std::string_view(*host) : std::string_view(), hosts);
  bool has_empty = false;
  for (const auto& [k, v] : params) has_empty |= v.empty();
  bool matched = false, empty_values_unsigned = false;
  for (int i = 0; i < n && !matched; ++i) {
    for (bool skip_empty : {false, true}) {
      if (skip_empty && !has_empty) break;
      std::string to_sign = V1StringToSign(req.method, hosts[i], req.path(), params, skip_empty);
      std::string expected = V1Signature(key.credential->secret_key, to_sign, method);
      if (crypto::ConstantTimeEquals(expected, *signature)) {
        matched = true;
        empty_values_unsigned = skip_empty;
        break;
      }
    }
  }
  if (!matched) {
    return ApiError::Make(errors::kAuthSignatureFailure,
                          std::string("the ") + (method == "HmacSHA256" ? "HmacSHA256" : "HmacSHA1") +
                              " signature does not match the request");
  }
  CVM_RETURN_IF_ERROR(CheckToken(*key.credential, FindParam(params, "Token")));
  if (settings.replay_check &&
      !replay.Insert(*signature, timestamp + settings.window_seconds, now)) {
    return ApiError::Make(errors::kAuthSignatureFailure,
                          "this exact signed request was already accepted (replay); sign each "
                          "request with a fresh Nonce");
  }
  return Caller{key.account, key.credential,
                method == "HmacSHA256" ? SignScheme::kHmacSha256 : SignScheme::kHmacSha1,
                empty_values_unsigned};
}

// The headers a TC3-HMAC-SHA256 request takes its action, scope and
// credentials from. A v1 request takes all of them from its signed
// parameters, so carrying any of them beside a Signature parameter would make
// what is executed differ from what was signed.
constexpr std::string_view kTc3RequestHeaders[] = {"X-TC-Action", "X-TC-Version", "X-TC-Region",
                                                   "X-TC-Timestamp", "X-TC-Token"};

// One request, one signing scheme (docs/decisions.md D-80).
Status CheckOneScheme(const HttpRequest& req, const FormParams& v1_params) {
  if (!FindParam(v1_params, "Signature")) return Status::Ok();
  if (req.Header("authorization")) {
    return ApiError::Make(
        errors::kAuthSignatureFailure,
        "the request has both an Authorization header (TC3-HMAC-SHA256) and a "
        "Signature parameter (HmacSHA1/HmacSHA256); sign it with one scheme only");
  }
  for (std::string_view name : kTc3RequestHeaders) {
    std::string lower(name);
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (req.Header(lower)) {
      return ApiError::Make(
          errors::kAuthSignatureFailure,
          "the request is signed with a Signature parameter (HmacSHA1/HmacSHA256) "
          "but also has the TC3-HMAC-SHA256 header " +
              std::string(name) +
              "; a v1 request takes Action, Version, Region, Timestamp and Token "
              "from its signed parameters only");
    }
  }
  return Status::Ok();
}

}  // namespace

const char* SchemeName(SignScheme scheme) {
  switch (scheme) {
    case SignScheme::kTc3: return "TC3-HMAC-SHA256";
    case SignScheme::kHmacSha1: return "HmacSHA1";
    case SignScheme::kHmacSha256: return "HmacSHA256";
    case SignScheme::kNone: break;
  }
  return "none";
}

Result<Caller> Authenticate(const HttpRequest& req, const FormParams& v1_params,
                            const state::AccountRegistry& accounts, int64_t now,
                            ReplayCache& replay, const AuthSettings& settings) {
  CVM_RETURN_IF_ERROR(CheckOneScheme(req, v1_params));
  const std::string* authorization = req.Header("authorization");
  if (!settings.verify) {
    // Still attribute the request to the account whose SecretId it names.
    std::string secret_id;
    if (authorization) {
      if (auto auth = ParseTc3Authorization(*authorization)) secret_id = auth->secret_id;
    } else if (const std::string* id = FindParam(v1_params, "SecretId")) {
      secret_id = *id;
    }
    if (auto key = accounts.FindKey(secret_id)) {
      return Caller{key->account, key->credential, SignScheme::kNone};
    }
    return Caller{&accounts.primary(), nullptr, SignScheme::kNone};
  }
  if (authorization) {
    return AuthenticateTc3(req, *authorization, accounts, now, settings);
  }
  if (FindParam(v1_params, "Signature")) {
    return AuthenticateV1(req, v1_params, accounts, now, replay, settings);
  }
  return ApiError::Make(errors::kAuthSignatureFailure,
                        "the request is not signed: it has neither an Authorization header "
                        "(TC3-HMAC-SHA256) nor a Signature parameter (HmacSHA1/HmacSHA256)");
}

}  // namespace cvm::server
