// The signature checks against what the official SDKs really send: every
// recorded capture in tests/fixtures/reference/captures must authenticate, and a
// one-byte change anywhere that is signed must not. Also the documented
// vectors of docs/wire.md §2.5 and §3, and the SDK variants of §6, §7 and §9.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "server/authenticator.h"
#include "server/form.h"
#include "server/replay_cache.h"
#include "server/signature.h"
#include "state/accounts.h"
#include "tests/server/signing_helpers.h"

namespace {

using cvm::Result;
using cvm::server::AuthSettings;
using cvm::server::Caller;
using cvm::server::FormParams;
using cvm::server::HttpRequest;
using cvm::server::ReplayCache;
using cvm::server::SignScheme;
using cvm::state::AccountRegistry;
using namespace cvm::test;

constexpr int64_t kNow = kReferenceTimestamp;  // the captures' frozen clock
constexpr std::string_view kToken = "tmp-token-123";

// ---------------------------------------------------------------------------
// The captures: NAME.txt holds the exact request bytes (CRLF, the body after
// the blank line); NAME.verify.txt records the scheme that verified.

struct Capture {
  std::string name;
  HttpRequest request;
  SignScheme scheme = SignScheme::kNone;  // as recorded in NAME.verify.txt
  bool tc3() const { return scheme == SignScheme::kTc3; }
  bool post() const { return request.method == "POST"; }
  bool sends_token() const { return request.Header("x-tc-token") != nullptr; }
};

std::filesystem::path CapturesDir() {
  return std::filesystem::path(CVM_REFERENCE_DIR) / "captures";
}

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  REQUIRE_MESSAGE(in.good(), "cannot read " << path.string());
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return std::string(s);
}

// "METHOD TARGET HTTP/1.1\r\nName: value\r\n...\r\n\r\nbody" → HttpRequest
// with lower-cased header names and trimmed values.
HttpRequest ParseHttp(const std::string& raw, const std::string& name) {
  size_t end = raw.find("\r\n\r\n");
  REQUIRE_MESSAGE(end != std::string::npos, name << " has no blank line after its headers");
  HttpRequest req;
  req.body = raw.substr(end + 4);
  std::string_view head(raw.data(), end);
  bool first = true;
  while (!head.empty()) {
    size_t eol = head.find("\r\n");
    std::string_view line = head.substr(0, eol);
    head = eol == std::string_view::npos ? std::string_view() : head.substr(eol + 2);
    if (first) {
      size_t sp1 = line.find(' '), sp2 = line.rfind(' ');
      REQUIRE_MESSAGE((sp1 != sp2 && line.substr(sp2 + 1) == "HTTP/1.1"),
                      name << ": bad request line " << std::string(line));
      req.method = std::string(line.substr(0, sp1));
      req.target = std::string(line.substr(sp1 + 1, sp2 - sp1 - 1));
      first = false;
      continue;
    }
    size_t colon = line.find(':');
    REQUIRE_MESSAGE(colon != std::string_view::npos, name << ": bad header " << std::string(line));
    std::string header_name(line.substr(0, colon));
    std::transform(header_name.begin(), header_name.end(), header_name.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    req.headers.emplace_back(std::move(header_name), Trim(line.substr(colon + 1)));
  }
  return req;
}

SignScheme RecordedScheme(const std::string& verify, const std::string& name) {
  size_t at = verify.find("\nscheme: ");
  REQUIRE_MESSAGE(at != std::string::npos, name << ".verify.txt names no scheme");
  std::string scheme = Trim(verify.substr(at + 9, verify.find('\n', at + 1) - at - 9));
  if (scheme == "TC3") return SignScheme::kTc3;
  if (scheme == "HmacSHA1") return SignScheme::kHmacSha1;
  if (scheme == "HmacSHA256") return SignScheme::kHmacSha256;
  FAIL(name << ".verify.txt names an unknown scheme " << scheme);
  return SignScheme::kNone;
}

// Every capture, sorted by name. Fails the test loudly if the folder or a
// capture's verification record is missing.
std::vector<Capture> LoadCaptures() {
  std::filesystem::path dir = CapturesDir();
  REQUIRE_MESSAGE(std::filesystem::is_directory(dir),
                  "the reference captures folder is missing: " << dir.string());
  std::vector<Capture> out;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    std::string file = entry.path().filename().string();
    if (file.size() < 4 || file.substr(file.size() - 4) != ".txt") continue;
    if (file.find(".verify.txt") != std::string::npos) continue;
    Capture c;
    c.name = file.substr(0, file.size() - 4);
    c.request = ParseHttp(ReadFile(entry.path()), c.name);
    c.scheme = RecordedScheme(ReadFile(dir / (c.name + ".verify.txt")), c.name);
    out.push_back(std::move(c));
  }
  std::sort(out.begin(), out.end(), [](const Capture& a, const Capture& b) { return a.name < b.name; });
  REQUIRE_MESSAGE(out.size() >= 10, "expected the ten captures of docs/wire.md §8 in " << dir.string());
  return out;
}

// ---------------------------------------------------------------------------
// Accounts and the call under test.

AccountRegistry Accounts(std::string_view secret_id, std::string_view secret_key,
                         std::optional<std::string_view> token) {
  std::string key = R"({"SecretId":")" + std::string(secret_id) + R"(","SecretKey":")" +
                    std::string(secret_key) + "\"";
  if (token) key += R"(,"Token":")" + std::string(*token) + "\"";
  return AccountRegistry::FromJson(R"({"accounts":[{"AppId":1250000000,"Uin":"100000000001","Keys":[)" +
                                   key + "}]}]}");
}

// The reference key, permanent (no token) or temporary (with kToken).
const AccountRegistry& PermanentKey() {
  static const AccountRegistry accounts = Accounts(kReferenceSecretId, kReferenceSecretKey, std::nullopt);
  return accounts;
}
const AccountRegistry& TemporaryKey() {
  static const AccountRegistry accounts = Accounts(kReferenceSecretId, kReferenceSecretKey, kToken);
  return accounts;
}
// The token-language capture sends X-TC-Token, so it was signed with the
// temporary form of the key; every other capture with the permanent one.
const AccountRegistry& KeyFor(const Capture& c) {
  return c.sends_token() ? TemporaryKey() : PermanentKey();
}

Result<Caller> Verify(const HttpRequest& req, const AccountRegistry& accounts, int64_t now = kNow,
                      ReplayCache* replay = nullptr, const AuthSettings& settings = {}) {
  ReplayCache fresh;
  return cvm::server::Authenticate(req, V1ParamsOf(req), accounts, now, replay ? *replay : fresh,
                                   settings);
}

// "ok TC3-HMAC-SHA256", or the error code.
std::string Outcome(const Result<Caller>& r) {
  if (!r.ok()) return std::string(r.error().code());
  return std::string("ok ") + cvm::server::SchemeName(r.value().scheme);
}
std::string Ok(SignScheme scheme) { return std::string("ok ") + cvm::server::SchemeName(scheme); }

// ---------------------------------------------------------------------------
// Mutations.

// A different byte of the same class: digits and letters move to the next
// one (wrapping), anything else becomes 'x'.
void ChangeByte(std::string& s, size_t i) {
  REQUIRE(i < s.size());
  char& c = s[i];
  if (c >= '0' && c <= '9') {
    c = c == '9' ? '0' : static_cast<char>(c + 1);
  } else if (c >= 'a' && c <= 'z') {
    c = c == 'z' ? 'a' : static_cast<char>(c + 1);
  } else if (c >= 'A' && c <= 'Z') {
    c = c == 'Z' ? 'A' : static_cast<char>(c + 1);
  } else {
    c = 'x';
  }
}

size_t ReplaceAll(std::string& s, std::string_view from, std::string_view to) {
  size_t n = 0;
  for (size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size())) {
    s.replace(at, from.size(), to);
    ++n;
  }
  return n;
}

// Replaces `from` in the target, the body and every header value; returns
// how many places changed.
size_t ReplaceEverywhere(HttpRequest& req, std::string_view from, std::string_view to) {
  size_t n = ReplaceAll(req.target, from, to) + ReplaceAll(req.body, from, to);
  for (auto& [name, value] : req.headers) n += ReplaceAll(value, from, to);
  return n;
}

std::string& HeaderRef(HttpRequest& req, std::string_view name) {
  for (auto& [n, v] : req.headers) {
    if (n == name) return v;
  }
  FAIL("the request has no " << std::string(name) << " header");
  throw;  // unreachable
}

// Moves the request's timestamp (X-TC-Timestamp, or the v1 Timestamp
// parameter) to `t`. The TC3 credential date is left alone.
void SetTimestamp(Capture& c, int64_t t) {
  if (c.tc3()) {
    HeaderRef(c.request, "x-tc-timestamp") = std::to_string(t);
  } else {
    REQUIRE(ReplaceEverywhere(c.request, "Timestamp=" + std::to_string(kReferenceTimestamp),
                              "Timestamp=" + std::to_string(t)) == 1);
  }
}

// ---------------------------------------------------------------------------
// Every capture verifies.

TEST_CASE("Captures: the reference folder holds the ten SDK captures of docs/wire.md §8: seven TC3, one HmacSHA1, two HmacSHA256") {
  std::vector<Capture> captures = LoadCaptures();
  std::vector<std::string> names;
  for (const Capture& c : captures) names.push_back(c.name);
  CHECK(names == std::vector<std::string>{
                     "tc3-get-DescribeInstances-filters",
                     "tc3-post-DescribeInstances-filters",
                     "tc3-post-DescribeInstances-prod-endpoint",
                     "tc3-post-DescribeRegions",
                     "tc3-post-DescribeRegions-no-region",
                     "tc3-post-DescribeZones-token-language",
                     "tc3-post-RunInstances-nested",
                     "v1-hmacsha1-post-DescribeInstances-filters",
                     "v1-hmacsha256-get-DescribeInstances-filters",
                     "v1-hmacsha256-post-RunInstances-nested",
                 });
  auto count = [&](SignScheme s) {
    return std::count_if(captures.begin(), captures.end(), [&](const Capture& c) { return c.scheme == s; });
  };
  CHECK(count(SignScheme::kTc3) == 7);
  CHECK(count(SignScheme::kHmacSha1) == 1);
  CHECK(count(SignScheme::kHmacSha256) == 2);
}

TEST_CASE("Captures: every SDK capture authenticates with the scheme its verification record names") {
  for (const Capture& c : LoadCaptures()) {
    INFO("capture: " << c.name);
    Result<Caller> r = Verify(c.request, KeyFor(c));
    REQUIRE(Outcome(r) == Ok(c.scheme));
    CHECK(r.value().account->app_id == 1250000000);
    CHECK(r.value().key->secret_id == kReferenceSecretId);
  }
}

TEST_CASE("Captures: the timestamp may be up to 300 s either side of the real time, inclusive") {
  for (const Capture& c : LoadCaptures()) {
    INFO("capture: " << c.name);
    CHECK(Outcome(Verify(c.request, KeyFor(c), kNow + 300)) == Ok(c.scheme));
    CHECK(Outcome(Verify(c.request, KeyFor(c), kNow - 300)) == Ok(c.scheme));
  }
}

// ---------------------------------------------------------------------------
// One-byte changes to what is signed.

TEST_CASE("Captures: a one-byte change to a POST body fails with AuthFailure.SignatureFailure") {
  int tc3 = 0, v1 = 0;
  for (Capture c : LoadCaptures()) {
    if (!c.post()) continue;
    INFO("capture: " << c.name);
    if (c.tc3()) {
      ChangeByte(c.request.body, c.request.body.size() / 2);  // the JSON body's hash is signed
      ++tc3;
    } else {
      ChangeByte(c.request.body, c.request.body.find('=') + 1);  // the first parameter's value
      ++v1;
    }
    CHECK(Outcome(Verify(c.request, KeyFor(c))) == "AuthFailure.SignatureFailure");
  }
  CHECK(tc3 == 6);
  CHECK(v1 == 2);
}

TEST_CASE("Captures: a one-byte change to a GET query fails with AuthFailure.SignatureFailure") {
  int n = 0;
  for (Capture c : LoadCaptures()) {
    if (c.post()) continue;
    INFO("capture: " << c.name);
    REQUIRE(ReplaceEverywhere(c.request, "Limit=20", "Limit=21") == 1);
    CHECK(Outcome(Verify(c.request, KeyFor(c))) == "AuthFailure.SignatureFailure");
    ++n;
  }
  CHECK(n == 2);
}

TEST_CASE("Captures: TC3, a one-byte change to the signed Content-Type fails with AuthFailure.SignatureFailure") {
  int n = 0;
  for (Capture c : LoadCaptures()) {
    if (!c.tc3()) continue;
    INFO("capture: " << c.name);
    std::string& type = HeaderRef(c.request, "content-type");
    ChangeByte(type, type.size() - 1);  // application/jsoo, ...-urlencodee
    CHECK(Outcome(Verify(c.request, KeyFor(c))) == "AuthFailure.SignatureFailure");
    ++n;
  }
  CHECK(n == 7);
}

TEST_CASE("Captures: a one-byte change to the Host header fails with AuthFailure.SignatureFailure") {
  for (Capture c : LoadCaptures()) {
    INFO("capture: " << c.name);
    std::string& host = HeaderRef(c.request, "host");
    ChangeByte(host, host.find_first_of(":") == std::string::npos ? host.size() - 1
                                                                  : host.find(':') - 1);
    CHECK(Outcome(Verify(c.request, KeyFor(c))) == "AuthFailure.SignatureFailure");
  }
}

TEST_CASE("Captures: a SecretKey that differs in one byte fails with AuthFailure.SignatureFailure") {
  std::string key(kReferenceSecretKey);
  ChangeByte(key, key.size() - 1);  // ...EXAMPLF
  AccountRegistry permanent = Accounts(kReferenceSecretId, key, std::nullopt);
  AccountRegistry temporary = Accounts(kReferenceSecretId, key, kToken);
  for (const Capture& c : LoadCaptures()) {
    INFO("capture: " << c.name);
    CHECK(Outcome(Verify(c.request, c.sends_token() ? temporary : permanent)) ==
          "AuthFailure.SignatureFailure");
  }
}

TEST_CASE("Captures: a timestamp one second later, inside the window, fails with AuthFailure.SignatureFailure") {
  // TC3: X-TC-Timestamp is in the string to sign (the date stays 2016-06-06).
  // v1: Timestamp is one of the signed parameters.
  for (Capture c : LoadCaptures()) {
    INFO("capture: " << c.name);
    SetTimestamp(c, kReferenceTimestamp + 1);
    CHECK(Outcome(Verify(c.request, KeyFor(c))) == "AuthFailure.SignatureFailure");
  }
}

TEST_CASE("Captures: a timestamp more than 300 s from the real time fails with AuthFailure.SignatureExpire") {
  for (const Capture& original : LoadCaptures()) {
    INFO("capture: " << original.name);
    SUBCASE("the request's timestamp moved 301 s back") {
      Capture c = original;
      SetTimestamp(c, kNow - 301);  // still 2016-06-06
      CHECK(Outcome(Verify(c.request, KeyFor(c))) == "AuthFailure.SignatureExpire");
    }
    SUBCASE("the request's timestamp moved 301 s ahead") {
      Capture c = original;
      SetTimestamp(c, kNow + 301);
      CHECK(Outcome(Verify(c.request, KeyFor(c))) == "AuthFailure.SignatureExpire");
    }
    SUBCASE("the real time 301 s after the unchanged request") {
      CHECK(Outcome(Verify(original.request, KeyFor(original), kNow + 301)) ==
            "AuthFailure.SignatureExpire");
    }
    SUBCASE("the real time 301 s before the unchanged request") {
      CHECK(Outcome(Verify(original.request, KeyFor(original), kNow - 301)) ==
            "AuthFailure.SignatureExpire");
    }
  }
}

TEST_CASE("Captures: a window of 60 s set in AuthSettings refuses a request 61 s old with AuthFailure.SignatureExpire") {
  AuthSettings settings;
  settings.window_seconds = 60;
  for (const Capture& c : LoadCaptures()) {
    INFO("capture: " << c.name);
    CHECK(Outcome(Verify(c.request, KeyFor(c), kNow + 60, nullptr, settings)) == Ok(c.scheme));
    CHECK(Outcome(Verify(c.request, KeyFor(c), kNow + 61, nullptr, settings)) ==
          "AuthFailure.SignatureExpire");
  }
}

// ---------------------------------------------------------------------------
// Keys and tokens.

TEST_CASE("Captures: an unknown SecretId of the AKID form fails with AuthFailure.SecretIdNotFound") {
  std::string unknown(kReferenceSecretId);
  ChangeByte(unknown, unknown.size() - 1);  // AKID...EXAMPLF
  for (Capture c : LoadCaptures()) {
    INFO("capture: " << c.name);
    REQUIRE(ReplaceEverywhere(c.request, kReferenceSecretId, unknown) == 1);
    CHECK(Outcome(Verify(c.request, KeyFor(c))) == "AuthFailure.SecretIdNotFound");
  }
}

TEST_CASE("Captures: a SecretId that does not start with AKID fails with AuthFailure.InvalidSecretId") {
  std::string not_akid(kReferenceSecretId);
  not_akid[0] = 'X';  // XKIDz8...
  for (Capture c : LoadCaptures()) {
    INFO("capture: " << c.name);
    REQUIRE(ReplaceEverywhere(c.request, kReferenceSecretId, not_akid) == 1);
    CHECK(Outcome(Verify(c.request, KeyFor(c))) == "AuthFailure.InvalidSecretId");
  }
}

Capture TokenCapture() {
  for (Capture& c : LoadCaptures()) {
    if (c.name == "tc3-post-DescribeZones-token-language") return c;
  }
  FAIL("the token-language capture is missing");
  throw;  // unreachable
}

TEST_CASE("TC3: the token capture authenticates with its temporary credential and its X-TC-Token") {
  Capture c = TokenCapture();
  REQUIRE(*c.request.Header("x-tc-token") == kToken);
  CHECK(Outcome(Verify(c.request, TemporaryKey())) == "ok TC3-HMAC-SHA256");
}

TEST_CASE("TC3: an X-TC-Token sent for a credential that has no token fails with AuthFailure.TokenFailure") {
  Capture c = TokenCapture();
  CHECK(Outcome(Verify(c.request, PermanentKey())) == "AuthFailure.TokenFailure");
}

TEST_CASE("TC3: a wrong X-TC-Token fails with AuthFailure.TokenFailure") {
  Capture c = TokenCapture();
  ChangeByte(HeaderRef(c.request, "x-tc-token"), kToken.size() - 1);  // tmp-token-124
  CHECK(Outcome(Verify(c.request, TemporaryKey())) == "AuthFailure.TokenFailure");
}

TEST_CASE("Captures: a temporary credential used without its token fails with AuthFailure.TokenFailure") {
  for (const Capture& c : LoadCaptures()) {
    if (c.sends_token()) continue;
    INFO("capture: " << c.name);
    CHECK(Outcome(Verify(c.request, TemporaryKey())) == "AuthFailure.TokenFailure");
  }
}

TEST_CASE("v1: a Token parameter is checked like X-TC-Token: right passes, wrong or unexpected fails with AuthFailure.TokenFailure") {
  SignOptions o;
  o.token = std::string(kToken);
  HttpRequest right = V1Call("POST", "DescribeRegions", {}, o);
  CHECK(Outcome(Verify(right, TemporaryKey())) == "ok HmacSHA256");
  CHECK(Outcome(Verify(right, PermanentKey())) == "AuthFailure.TokenFailure");
  o.token = "tmp-token-124";
  CHECK(Outcome(Verify(V1Call("POST", "DescribeRegions", {}, o), TemporaryKey())) ==
        "AuthFailure.TokenFailure");
}

// ---------------------------------------------------------------------------
// Replays.

TEST_CASE("v1: the same signed capture accepted twice is a replay: the second fails with AuthFailure.SignatureFailure saying so") {
  int n = 0;
  for (const Capture& c : LoadCaptures()) {
    if (c.tc3()) continue;
    INFO("capture: " << c.name);
    ReplayCache replay;
    CHECK(Outcome(Verify(c.request, KeyFor(c), kNow, &replay)) == Ok(c.scheme));
    Result<Caller> again = Verify(c.request, KeyFor(c), kNow + 1, &replay);
    REQUIRE(Outcome(again) == "AuthFailure.SignatureFailure");
    CHECK(again.error().message().find("replay") != std::string::npos);
    ++n;
  }
  CHECK(n == 3);
}

TEST_CASE("v1: with replay_check off, the same signed capture is accepted twice") {
  AuthSettings settings;
  settings.replay_check = false;
  for (const Capture& c : LoadCaptures()) {
    if (c.tc3()) continue;
    INFO("capture: " << c.name);
    ReplayCache replay;
    CHECK(Outcome(Verify(c.request, KeyFor(c), kNow, &replay, settings)) == Ok(c.scheme));
    CHECK(Outcome(Verify(c.request, KeyFor(c), kNow, &replay, settings)) == Ok(c.scheme));
  }
}

TEST_CASE("v1: a refused request does not use up its signature; a fresh Nonce makes a new request") {
  ReplayCache replay;
  SignOptions o;
  HttpRequest first = V1Call("GET", "DescribeRegions", {}, o);
  CHECK(Outcome(Verify(first, PermanentKey(), kNow + 400, &replay)) == "AuthFailure.SignatureExpire");
  CHECK(Outcome(Verify(first, PermanentKey(), kNow, &replay)) == "ok HmacSHA256");
  o.nonce = 0;  // Node can send 0
  CHECK(Outcome(Verify(V1Call("GET", "DescribeRegions", {}, o), PermanentKey(), kNow, &replay)) ==
        "ok HmacSHA256");
}

TEST_CASE("TC3 has no replay check: the same capture is accepted twice with one cache") {
  for (const Capture& c : LoadCaptures()) {
    if (!c.tc3()) continue;
    INFO("capture: " << c.name);
    ReplayCache replay;
    CHECK(Outcome(Verify(c.request, KeyFor(c), kNow, &replay)) == "ok TC3-HMAC-SHA256");
    CHECK(Outcome(Verify(c.request, KeyFor(c), kNow, &replay)) == "ok TC3-HMAC-SHA256");
    CHECK(replay.size() == 0);
  }
}

// ---------------------------------------------------------------------------
// The documented vectors, through the signature functions directly.

FormParams DocumentedV1Params() {
  return {{"Action", "DescribeInstances"}, {"InstanceIds.0", "ins-09dx96dg"},
          {"Limit", "20"},                 {"Nonce", "11886"},
          {"Offset", "0"},                 {"Region", "ap-guangzhou"},
          {"SecretId", std::string(kReferenceSecretId)},
          {"Timestamp", "1465185768"},     {"Version", "2017-03-12"}};
}

TEST_CASE("docs/wire.md §3: the documented v1 string to sign gives the documented HmacSHA1 signature EliP9YW3pW28FpsEdkXt/+WcGeI=") {
  FormParams params = DocumentedV1Params();
  std::reverse(params.begin(), params.end());  // the order sent does not matter: keys are sorted
  std::string to_sign = cvm::server::V1StringToSign("GET", "cvm.tencentcloudapi.com", "/", params, false);
  CHECK(to_sign ==
        "GETcvm.tencentcloudapi.com/?Action=DescribeInstances&InstanceIds.0=ins-09dx96dg&Limit=20"
        "&Nonce=11886&Offset=0&Region=ap-guangzhou&SecretId=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE"
        "&Timestamp=1465185768&Version=2017-03-12");
  CHECK(cvm::server::V1Signature(kReferenceSecretKey, to_sign, "HmacSHA1") == "EliP9YW3pW28FpsEdkXt/+WcGeI=");
  // A missing or unknown SignatureMethod means HmacSHA1.
  CHECK(cvm::server::V1Signature(kReferenceSecretKey, to_sign, "") == "EliP9YW3pW28FpsEdkXt/+WcGeI=");
}

TEST_CASE("docs/wire.md §3: with SignatureMethod=HmacSHA256 among the signed parameters, HmacSHA256 gives A8uy2/o7WBZXYCTWEFpMrVGhGBVlEGIOioeqRM+fzFs=") {
  FormParams params = DocumentedV1Params();
  params.emplace_back("SignatureMethod", "HmacSHA256");
  params.emplace_back("Signature", "left out of the string to sign");
  std::string to_sign = cvm::server::V1StringToSign("GET", "cvm.tencentcloudapi.com", "/", params, false);
  CHECK(to_sign.find("&SecretId=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE&SignatureMethod=HmacSHA256&Timestamp=") !=
        std::string::npos);
  CHECK(to_sign.find("Signature=left") == std::string::npos);
  CHECK(cvm::server::V1Signature(kReferenceSecretKey, to_sign, "HmacSHA256") ==
        "A8uy2/o7WBZXYCTWEFpMrVGhGBVlEGIOioeqRM+fzFs=");
}

TEST_CASE("docs/wire.md §3: v1 keys sort by bytes, so DataDisks.10 comes before DataDisks.2, and values are signed raw") {
  FormParams params = {{"DataDisks.2.DiskSize", "50"}, {"DataDisks.10.DiskSize", "60"},
                       {"InstanceName", "web 测试&=+"}};
  CHECK(cvm::server::V1StringToSign("post", "127.0.0.1:18080", "/", params, false) ==
        "POST127.0.0.1:18080/?DataDisks.10.DiskSize=60&DataDisks.2.DiskSize=50&InstanceName=web 测试&=+");
}

cvm::server::Tc3Authorization ReferenceScope(std::string service) {
  cvm::server::Tc3Authorization auth;
  auth.secret_id = std::string(kReferenceSecretId);
  auth.date = "2016-06-06";
  auth.service = std::move(service);
  auth.signed_headers = "content-type;host";
  return auth;
}

HttpRequest ProdEndpointRequest(std::string method, std::string target, std::string content_type,
                                std::string body) {
  HttpRequest req;
  req.method = std::move(method);
  req.target = std::move(target);
  req.headers = {{"host", "cvm.tencentcloudapi.com"}, {"content-type", std::move(content_type)}};
  req.body = std::move(body);
  return req;
}

TEST_CASE("docs/wire.md §2.5: the TC3 reference inputs at the production endpoint give signature 4158b8b5…f94dd, as the SDK sent") {
  HttpRequest req = ProdEndpointRequest("POST", "/", "application/json",
                                        R"({"InstanceIds":["ins-09dx96dg"],"Limit":20,"Offset":0})");
  auto sig = cvm::server::Tc3Signature(req, ReferenceScope("cvm"), "cvm.tencentcloudapi.com",
                                       "1465185768", kReferenceSecretKey);
  REQUIRE(sig.has_value());
  CHECK(*sig == "4158b8b51991dd26571dd74c2564cb45185d0a2af94d6c14f40decd8fe3f94dd");
  for (const Capture& c : LoadCaptures()) {
    if (c.name != "tc3-post-DescribeInstances-prod-endpoint") continue;
    CHECK(c.request.body == req.body);
    CHECK(c.request.Header("authorization")->find("Signature=" + *sig) != std::string::npos);
  }
}

TEST_CASE("docs/wire.md §2.5: the same TC3 request sent with GET gives signature 3d1bdb69…143a5") {
  HttpRequest req = ProdEndpointRequest("GET", "/?InstanceIds.0=ins-09dx96dg&Limit=20&Offset=0",
                                        "application/x-www-form-urlencoded", "");
  auto sig = cvm::server::Tc3Signature(req, ReferenceScope("cvm"), "cvm.tencentcloudapi.com",
                                       "1465185768", kReferenceSecretKey);
  REQUIRE(sig.has_value());
  CHECK(*sig == "3d1bdb69f3f0542e22d016bc55a740ce18c71aabbd2379ccf32b5f832ba143a5");
}

TEST_CASE("docs/wire.md §2.5: Tencent's documented TC3 example gives 2230eefd…652c with the masked key and 72e494ea…5168 with EXAMPLE") {
  HttpRequest req = ProdEndpointRequest(
      "POST", "/", "application/json; charset=utf-8",
      R"({"Limit": 1, "Filters": [{"Values": ["\u672a\u547d\u540d"], "Name": "instance-name"}]})");
  cvm::server::Tc3Authorization auth = ReferenceScope("cvm");
  auth.date = "2019-02-25";
  CHECK(cvm::server::UtcDate(1551113065) == "2019-02-25");
  CHECK(*cvm::server::Tc3Signature(req, auth, "cvm.tencentcloudapi.com", "1551113065",
                                   "Gu5t9xGARNpq86cd98joQYCN3*******") ==
        "2230eefd229f582d8b1b891af7107b91597240707d778ab3738f756258d7652c");
  std::string with_example = *cvm::server::Tc3Signature(req, auth, "cvm.tencentcloudapi.com",
                                                        "1551113065", kReferenceSecretKey);
  CHECK(with_example.substr(0, 8) == "72e494ea");
  CHECK(with_example.substr(with_example.size() - 4) == "5168");
}

TEST_CASE("Tc3Signature: a signed header missing from the request gives no signature") {
  HttpRequest req = ProdEndpointRequest("POST", "/", "application/json", "{}");
  RemoveHeader(req, "content-type");
  CHECK_FALSE(cvm::server::Tc3Signature(req, ReferenceScope("cvm"), "cvm.tencentcloudapi.com",
                                        "1465185768", kReferenceSecretKey)
                  .has_value());
}

TEST_CASE("ParseTc3Authorization: reads a Node-style scope whose service holds a colon, and refuses malformed values") {
  auto auth = cvm::server::ParseTc3Authorization(
      "TC3-HMAC-SHA256 Credential=AKIDx/2016-06-06/localhost:8080/tc3_request, "
      "SignedHeaders=content-type;host, Signature=ABCDEF0123");
  REQUIRE(auth.has_value());
  CHECK(auth->secret_id == "AKIDx");
  CHECK(auth->date == "2016-06-06");
  CHECK(auth->service == "localhost:8080");
  CHECK(auth->signed_headers == "content-type;host");
  CHECK(auth->signature == "abcdef0123");
  CHECK_FALSE(cvm::server::ParseTc3Authorization("TC3-HMAC-SHA1 Credential=a/b/c/tc3_request, SignedHeaders=host, Signature=ab"));
  CHECK_FALSE(cvm::server::ParseTc3Authorization("TC3-HMAC-SHA256 Credential=AKIDx/2016-06-06/cvm/tc3_request, SignedHeaders=host"));
  CHECK_FALSE(cvm::server::ParseTc3Authorization("TC3-HMAC-SHA256 Credential=AKIDx/2016-06-06/cvm/v4_request, SignedHeaders=host, Signature=ab"));
  CHECK_FALSE(cvm::server::ParseTc3Authorization("TC3-HMAC-SHA256 Credential=AKIDx/2016-06-06/cvm/tc3_request, SignedHeaders=host, Signature=xyz"));
  CHECK_FALSE(cvm::server::ParseTc3Authorization("TC3-HMAC-SHA256 SignedHeaders=host, Credential=AKIDx/2016-06-06/cvm/tc3_request, Signature=ab"));
}

TEST_CASE("UtcDate: the UTC calendar date of a Unix time, including the day boundary") {
  CHECK(cvm::server::UtcDate(0) == "1970-01-01");
  CHECK(cvm::server::UtcDate(1465185768) == "2016-06-06");
  CHECK(cvm::server::UtcDate(1465257599) == "2016-06-06");
  CHECK(cvm::server::UtcDate(1465257600) == "2016-06-07");
  CHECK(cvm::server::UtcDate(951782400) == "2000-02-29");
}

// ---------------------------------------------------------------------------
// The SDK variants (docs/wire.md §3 "How the emulator checks v1", §6, §7, §9).

TEST_CASE("v1: the Go SDK's variant, which leaves an empty-valued parameter out of the string to sign, is accepted") {
  SignOptions o;
  FormParams params = {{"Offset", ""}, {"Limit", "20"}};
  for (auto& p : V1CommonParams("DescribeInstances", "HmacSHA256", o)) params.push_back(p);
  HttpRequest go = SignV1("POST", params, "HmacSHA256", o, /*go_style=*/true);
  HttpRequest node = SignV1("POST", params, "HmacSHA256", o, /*go_style=*/false);
  REQUIRE(go.body != node.body);  // two different signatures of the same parameters
  CHECK(go.body.find("Offset=&") != std::string::npos);
  CHECK(Outcome(Verify(go, PermanentKey())) == "ok HmacSHA256");
  CHECK(Outcome(Verify(node, PermanentKey())) == "ok HmacSHA256");
}

TEST_CASE("v1: a Python-style Nonce of 19 digits and a body with '+' for spaces are accepted") {
  SignOptions o;
  o.nonce = 9223372036854775807ULL;
  HttpRequest req = V1Call("POST", "DescribeInstances", {{"InstanceName", "web 01"}}, o, "HmacSHA1");
  REQUIRE(ReplaceAll(req.body, "web%2001", "web+01") == 1);
  CHECK(Outcome(Verify(req, PermanentKey())) == "ok HmacSHA1");
}

TEST_CASE("v1: a request without Nonce fails with MissingParameter; a negative Nonce with InvalidParameterValue") {
  SignOptions o;
  FormParams params = V1CommonParams("DescribeRegions", "HmacSHA256", o);
  std::erase_if(params, [](const auto& p) { return p.first == "Nonce"; });
  CHECK(Outcome(Verify(SignV1("POST", params, "HmacSHA256", o), PermanentKey())) == "MissingParameter");
  params.emplace_back("Nonce", "-5");
  CHECK(Outcome(Verify(SignV1("POST", params, "HmacSHA256", o), PermanentKey())) == "InvalidParameterValue");
}

TEST_CASE("TC3: Host 127.0.0.1:18080 signed as 127.0.0.1 (Node) and as 127.0.0.1:18080 (Python) are both accepted") {
  SignOptions node;
  node.host = "127.0.0.1:18080";
  SignOptions python = node;
  python.signed_host = "127.0.0.1:18080";
  python.service = "cvm";
  HttpRequest a = Tc3Post("DescribeRegions", "{}", node);
  HttpRequest b = Tc3Post("DescribeRegions", "{}", python);
  REQUIRE(*a.Header("authorization") != *b.Header("authorization"));
  CHECK(Outcome(Verify(a, PermanentKey())) == "ok TC3-HMAC-SHA256");
  CHECK(Outcome(Verify(b, PermanentKey())) == "ok TC3-HMAC-SHA256");
}

TEST_CASE("TC3: tccli's Host header http://127.0.0.1:18080 verifies when it is signed verbatim") {
  SignOptions tccli;
  tccli.host = "http://127.0.0.1:18080";
  tccli.signed_host = "http://127.0.0.1:18080";
  tccli.service = "cvm";
  HttpRequest req = Tc3Post("DescribeRegions", "{}", tccli);
  CHECK(Outcome(Verify(req, PermanentKey())) == "ok TC3-HMAC-SHA256");
  SetHeader(req, "host", "127.0.0.1:18080");  // the scheme is part of what was signed
  CHECK(Outcome(Verify(req, PermanentKey())) == "AuthFailure.SignatureFailure");
}

TEST_CASE("TC3: a scope date that is not the UTC date of X-TC-Timestamp fails with AuthFailure.SignatureFailure") {
  SignOptions o;
  o.timestamp = 1465257599;  // 2016-06-06T23:59:59Z
  HttpRequest req = Tc3Post("DescribeRegions", "{}", o);
  CHECK(Outcome(Verify(req, PermanentKey(), o.timestamp)) == "ok TC3-HMAC-SHA256");
  SetHeader(req, "x-tc-timestamp", "1465257600");  // one second later: 2016-06-07
  Result<Caller> r = Verify(req, PermanentKey(), o.timestamp);
  REQUIRE(Outcome(r) == "AuthFailure.SignatureFailure");
  CHECK(r.error().message().find("2016-06-07") != std::string::npos);
}

TEST_CASE("TC3: a request without X-TC-Timestamp fails with MissingParameter, a malformed one with InvalidParameterValue") {
  HttpRequest req = Tc3Post("DescribeRegions", "{}");
  RemoveHeader(req, "x-tc-timestamp");
  CHECK(Outcome(Verify(req, PermanentKey())) == "MissingParameter");
  SetHeader(req, "x-tc-timestamp", "1465185768.5");
  CHECK(Outcome(Verify(req, PermanentKey())) == "InvalidParameterValue");
}

TEST_CASE("TC3: SignedHeaders without content-type and host fails with AuthFailure.SignatureFailure, even when names merely contain them") {
  // Regression: SignedHeaders was once checked by substring search, so a
  // request signing look-alike headers instead of Content-Type and Host passed.
  HttpRequest req = Tc3Post("DescribeRegions", "{}");
  SetHeader(req, "x-content-type", "anything");
  SetHeader(req, "x-host", "anything");
  cvm::server::Tc3Authorization auth;
  auth.secret_id = std::string(kReferenceSecretId);
  auth.date = "2016-06-06";
  auth.service = "127";
  auth.signed_headers = "x-content-type;x-host";
  std::string sig = *cvm::server::Tc3Signature(req, auth, "127.0.0.1", "1465185768", kReferenceSecretKey);
  SetHeader(req, "authorization",
            "TC3-HMAC-SHA256 Credential=" + auth.secret_id + "/2016-06-06/127/tc3_request, "
            "SignedHeaders=x-content-type;x-host, Signature=" + sig);
  SetHeader(req, "host", "changed.example:1");  // Host and Content-Type are no longer covered
  SetHeader(req, "content-type", "application/json; changed");
  CHECK(Outcome(Verify(req, PermanentKey())) == "AuthFailure.SignatureFailure");
}

TEST_CASE("TC3: SignedHeaders that leave out host fails with AuthFailure.SignatureFailure") {
  HttpRequest req = Tc3Post("DescribeRegions", "{}");
  cvm::server::Tc3Authorization auth;
  auth.secret_id = std::string(kReferenceSecretId);
  auth.date = "2016-06-06";
  auth.service = "127";
  auth.signed_headers = "content-type";
  std::string sig = *cvm::server::Tc3Signature(req, auth, "127.0.0.1", "1465185768", kReferenceSecretKey);
  SetHeader(req, "authorization",
            "TC3-HMAC-SHA256 Credential=" + auth.secret_id + "/2016-06-06/127/tc3_request, "
            "SignedHeaders=content-type, Signature=" + sig);
  CHECK(Outcome(Verify(req, PermanentKey())) == "AuthFailure.SignatureFailure");
}

TEST_CASE("TC3: a malformed Authorization header fails with AuthFailure.SignatureFailure") {
  HttpRequest req = Tc3Post("DescribeRegions", "{}");
  SetHeader(req, "authorization", "TC3-HMAC-SHA256 garbage");
  CHECK(Outcome(Verify(req, PermanentKey())) == "AuthFailure.SignatureFailure");
}

TEST_CASE("Authenticate: a request with neither Authorization nor Signature fails with AuthFailure.SignatureFailure") {
  HttpRequest req = Tc3Post("DescribeRegions", "{}");
  RemoveHeader(req, "authorization");
  CHECK(Outcome(Verify(req, PermanentKey())) == "AuthFailure.SignatureFailure");
}

TEST_CASE("Authenticate: with verify off, an unsigned request is let through as the primary account") {
  AuthSettings off;
  off.verify = false;
  HttpRequest req = Tc3Post("DescribeRegions", "{}");
  RemoveHeader(req, "authorization");
  Result<Caller> r = Verify(req, PermanentKey(), kNow + 100000, nullptr, off);
  REQUIRE(Outcome(r) == "ok none");
  CHECK(r.value().account == &PermanentKey().primary());
  CHECK(r.value().key == nullptr);
}

TEST_CASE("HostCandidates: [::1]:8080 is tried as sent, then as [::1]") {
  std::string_view out[2];
  REQUIRE(cvm::server::HostCandidates("[::1]:8080", out) == 2);
  CHECK(out[0] == "[::1]:8080");
  CHECK(out[1] == "[::1]");
}

TEST_CASE("HostCandidates: a port is stripped from names and IPv4, never from a bare IPv6 address") {
  std::string_view out[2];
  REQUIRE(cvm::server::HostCandidates("127.0.0.1:18080", out) == 2);
  CHECK(out[1] == "127.0.0.1");
  REQUIRE(cvm::server::HostCandidates("localhost:8080", out) == 2);
  CHECK(out[1] == "localhost");
  REQUIRE(cvm::server::HostCandidates("http://127.0.0.1:18080", out) == 2);
  CHECK(out[0] == "http://127.0.0.1:18080");
  CHECK(out[1] == "http://127.0.0.1");
  CHECK(cvm::server::HostCandidates("cvm.tencentcloudapi.com", out) == 1);
  CHECK(out[0] == "cvm.tencentcloudapi.com");
  CHECK(cvm::server::HostCandidates("::1", out) == 1);
  CHECK(cvm::server::HostCandidates("[::1]", out) == 1);
  CHECK(cvm::server::HostCandidates("localhost:", out) == 1);
  CHECK(cvm::server::HostCandidates("", out) == 1);
}

}  // namespace
