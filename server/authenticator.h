// Step 2 of the pipeline: who is calling, and is the request really theirs?
// A pure function of (request, accounts, real time) plus the replay cache.
#pragma once

#include <cstdint>
#include <string>

#include "schema/errors.h"
#include "server/form.h"
#include "server/http_message.h"
#include "server/replay_cache.h"
#include "state/accounts.h"

namespace cvm::server {

enum class SignScheme { kNone, kTc3, kHmacSha1, kHmacSha256 };
const char* SchemeName(SignScheme scheme);

struct AuthSettings {
  bool verify = true;             // false: accept anything (README "--auth off")
  int64_t window_seconds = 300;   // |Timestamp - real now| allowed
  bool replay_check = true;       // refuse a v1 signature seen before
};

struct Caller {
  const state::Account* account = nullptr;
  const state::Credential* key = nullptr;  // null when verification is off and no key was named
  SignScheme scheme = SignScheme::kNone;
  // v1 only: the signature that verified left the empty-valued parameters
  // out (the Go SDK's rule), so they were not signed and must not be
  // executed (docs/decisions.md D-81).
  bool empty_values_unsigned = false;
};

// `v1_params` are the decoded query (GET) or form body (POST) parameters,
// used for v1; TC3 reads the Authorization and X-TC-* headers. A request
// signed with one scheme that carries the other's signing parts (a Signature
// parameter beside an Authorization header, or beside X-TC-Action, -Version,
// -Region, -Timestamp or -Token) is AuthFailure.SignatureFailure, whether or
// not signatures are verified.
// `now` is real (wall-clock) time in seconds.
Result<Caller> Authenticate(const HttpRequest& req, const FormParams& v1_params,
                            const state::AccountRegistry& accounts, int64_t now,
                            ReplayCache& replay, const AuthSettings& settings);

}  // namespace cvm::server
