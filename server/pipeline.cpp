#include "server/pipeline.h"

#include <algorithm>
#include <bitset>
#include <cctype>
#include <chrono>
#include <optional>

#include "handlers/registry.h"
#include "schema/decoder.h"
#include "schema/output_check.h"
#include "schema/validator.h"
#include "server/db_worker.h"
#include "server/emulator.h"
#include "server/form.h"
#include "server/journal.h"
#include "server/rate_limiter.h"
#include "server/snapshot.h"
#include "state/database.h"
#include "state/fault_rules.h"
#include "state/random.h"
#include "state/unit_of_work.h"

namespace cvm::server {
namespace {

using nlohmann::json;
constexpr std::string_view kApiVersion = "2017-03-12";

// Parameters that belong to the v1 envelope, not to the action.
constexpr std::string_view kCommonParams[] = {"Action",    "Version",         "Region",
                                              "Timestamp", "Nonce",           "SecretId",
                                              "Signature", "SignatureMethod", "Token",
                                              "Language",  "RequestClient"};

// The position of `name` in kCommonParams, or -1 for an action's parameter.
int CommonParamIndex(std::string_view name) {
  auto it = std::find(std::begin(kCommonParams), std::end(kCommonParams), name);
  return it == std::end(kCommonParams) ? -1 : static_cast<int>(it - std::begin(kCommonParams));
}

std::string MediaType(const std::string* content_type) {
  if (!content_type) return "";
  std::string t = content_type->substr(0, content_type->find(';'));
  while (!t.empty() && t.back() == ' ') t.pop_back();
  for (char& c : t) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return t;
}

// {"Response": <response>} without copying the response tree.
std::string Serialize(const json& response) {
  std::string out = "{\"Response\":";
  out += response.dump(-1, ' ', false, json::error_handler_t::replace);
  out += '}';
  return out;
}

// The one log line every request gets, answered by the pipeline or refused
// before it.
struct RequestLine {
  std::string_view request_id, action, region, code;  // code: "" on success
  std::chrono::steady_clock::time_point started;
  std::string_view remote;
  SignScheme scheme = SignScheme::kNone;
  const state::Account* account = nullptr;            // null: not authenticated
  const std::vector<std::string>* ignored = nullptr;  // --unknown-params ignore
  const state::FaultDecision* fault = nullptr;         // injected faults, if any
};

// The faults injected into a call, as its log line names them.
json FaultsJson(const state::FaultDecision& d) {
  json out = json::array();
  for (const auto* f : {&d.latency, &d.hide_new, &d.outcome}) {
    if (!*f) continue;
    json one = {{"Rule", (*f)->rule_id}, {"Effect", state::FaultKindName((*f)->effect.kind)}};
    if ((*f)->effect.after_commit) one["AfterCommit"] = true;
    if ((*f)->effect.kind == state::FaultKind::kLatency) one["DelayMs"] = (*f)->delay_ms;
    if ((*f)->effect.kind == state::FaultKind::kHideNew) one["Seconds"] = (*f)->effect.seconds;
    out.push_back(std::move(one));
  }
  return out;
}

// The faults injected into a call, as its journal entry names them: each
// fired rule's ID and effect, e.g. "f-1 error InternalError"; empty if none.
std::string FaultSummary(const state::FaultDecision& d) {
  std::string out;
  for (const auto* f : {&d.latency, &d.hide_new, &d.outcome}) {
    if (!*f) continue;
    if (!out.empty()) out += "; ";
    out += (*f)->rule_id + " " + std::string(state::FaultKindName((*f)->effect.kind));
    if ((*f)->effect.kind == state::FaultKind::kError) out += " " + std::string((*f)->effect.code->code);
    if ((*f)->effect.kind == state::FaultKind::kHideNew)
      out += " " + std::to_string((*f)->effect.seconds) + "s";
    if ((*f)->effect.after_commit) out += " after commit";
  }
  return out;
}

void WriteRequestLine(Logger& log, const RequestLine& r) {
  auto micros = std::chrono::duration_cast<std::chrono::microseconds>(
                    std::chrono::steady_clock::now() - r.started)
                    .count();
  json line = {{"RequestId", r.request_id},
               {"Action", r.action},
               {"Region", r.region},
               {"Code", r.code.empty() ? json(nullptr) : json(r.code)},
               {"LatencyUs", micros},
               {"Scheme", SchemeName(r.scheme)},
               {"Remote", r.remote}};
  if (r.account) {
    line["AppId"] = r.account->app_id;
    line["Uin"] = r.account->uin;
  }
  if (r.ignored && !r.ignored->empty()) line["IgnoredParameters"] = *r.ignored;
  if (r.fault && !r.fault->empty()) line["Faults"] = FaultsJson(*r.fault);
  log.Write(LogLevel::kInfo, std::move(line));
}

// A request's parameters for the journal, redacted: a JSON body, else the
// form (query or body) as an object. Parameters too large to keep are
// replaced by a note of their size.
json JournalParams(const HttpRequest& http, const FormParams& form, bool json_body) {
  json params;
  if (json_body) {
    if (http.body.size() > Journal::kMaxRecordedParams) {
      return "<a body of " + std::to_string(http.body.size()) + " bytes: not recorded>";
    }
    params = json::parse(http.body, nullptr, /*allow_exceptions=*/false);
    if (params.is_discarded()) return "<a body that is not JSON>";
  } else {
    params = json::object();
    size_t bytes = 0;
    for (const auto& [k, v] : form) {
      bytes += k.size() + v.size();
      params[k] = v;
    }
    if (bytes > Journal::kMaxRecordedParams) {
      return "<parameters of " + std::to_string(bytes) + " bytes: not recorded>";
    }
  }
  Redact(params);
  return params;
}

}  // namespace

// What one request carries, filled step by step; its answer; what gets logged.
struct Pipeline::Call {
  std::string request_id;
  std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();
  const HttpRequest* http = nullptr;
  // decode
  FormParams form;        // query (GET) or form body (POST form)
  bool json_body = false; // POST application/json
  bool header_style = false;  // Action/Version/Region in X-TC-* headers (TC3)
  // authenticate
  Caller caller;
  // resolve
  std::string action_name, version, region;
  const schema::ActionSpec* action = nullptr;
  // validate
  schema::ValidatedParams params;
  std::optional<json> prepared;  // the action's Prepare step
  // faults (README "Fault injection"): decided before dispatch
  state::FaultDecision fault;
  // dispatch
  Result<handlers::Output> result =
      ApiError::Make(errors::kInternalError, "the request was not handled");
};

namespace {

using Call = Pipeline::Call;

class Chain {
 public:
  Chain(Emulator& emulator, const handlers::Registry& registry, Call& call)
      : emu_(emulator), registry_(registry), call_(call) {}

  // Steps 1-4: everything before the handler; then the action's own
  // preparation (slow work without the database), still on this thread.
  Status Prepare() {
    CVM_RETURN_IF_ERROR(Decode());
    CVM_RETURN_IF_ERROR(Authenticate());
    CVM_RETURN_IF_ERROR(Resolve());
    CVM_RETURN_IF_ERROR(CheckRateLimit());
    CVM_RETURN_IF_ERROR(ValidateParams());
    if (handlers::Prepare prepare = registry_.FindPrepare(call_.action->name)) {
      call_.prepared = prepare(call_.params.params);
    }
    return Status::Ok();
  }

  // True iff the action's handler reads or writes the database.
  bool NeedsDatabase() const {
    return registry_.UsesDatabase(call_.action->name);
  }

  // The fault rules' decision for this call (one atomic load without
  // rules). An outcome before dispatch answers instead of the handler.
  // REQUIRES: Prepare succeeded.
  void DecideFaults() {
    state::FaultRules& rules = emu_.fault_rules();
    if (rules.empty()) return;
    const state::Account& account = *call_.caller.account;
    state::FaultCall c;
    c.action = call_.action->name;
    c.region = call_.region;
    c.secret_id = call_.caller.key ? std::string_view(call_.caller.key->secret_id) : "";
    c.uin = account.uin;
    c.app_id = account.app_id;
    c.target = call_.http->target;
    c.body = call_.http->body;
    c.now = emu_.clock().NowMs();
    call_.fault = rules.Evaluate(c);
  }

  // True iff a fault answers this call without running its handler.
  bool FaultBeforeDispatch() const { return call_.fault.before_dispatch() != nullptr; }

  // 5. The handler.
  Result<handlers::Output> Dispatch() {
    handlers::Handler handler = registry_.Find(call_.action->name);
    if (!handler) {
      return ApiError::Make(errors::kUnsupportedOperationNotImplemented, call_.action->name);
    }
    handlers::RequestContext ctx{emu_.services(),
                                 *call_.caller.account,
                                 call_.region,
                                 *call_.action,
                                 call_.prepared ? &*call_.prepared : nullptr,
                                 emu_.clock().NowMs(),
                                 call_.fault.hide_new_ms()};
    if (!NeedsDatabase()) return Run(handler, ctx);
    // The unit of work is the pipeline's: committed iff the handler (and the
    // output check) succeeded, rolled back otherwise, also on an exception.
    state::UnitOfWork work(emu_.db(), ctx.now());
    handlers::HandlerResult result = Run(handler, ctx);
    if (result.ok()) work.Commit();
    return result;
  }

 private:
  // 1. The HTTP message → parameters, in whichever wire form it uses.
  Status Decode() {
    const HttpRequest& req = *call_.http;
    if (req.method != "GET" && req.method != "POST") {
      return ApiError::Make(errors::kUnsupportedProtocol,
                            "The HTTP method " + req.method + " is not supported; use GET or POST.");
    }
    if (req.path() != "/") {
      return ApiError::Make(errors::kUnsupportedProtocol, "The request path must be /.");
    }
    std::string bad;
    if (req.method == "GET") {
      if (!ParseForm(req.raw_query(), &call_.form, &bad)) {
        return ApiError::Make(errors::kInvalidParameter,
                              "The query string has a malformed %-escape in `" + bad.substr(0, 64) + "`.");
      }
    } else {
      std::string media = MediaType(req.Header("content-type"));
      if (media == "application/json") {
        call_.json_body = true;
      } else if (media == "application/x-www-form-urlencoded") {
        if (!ParseForm(req.body, &call_.form, &bad)) {
          return ApiError::Make(errors::kInvalidParameter,
                                "The form body has a malformed %-escape in `" + bad.substr(0, 64) + "`.");
        }
      } else {
        return ApiError::Make(errors::kUnsupportedProtocol,
                              "The Content-Type `" + media +
                                  "` is not supported; POST application/json (TC3-HMAC-SHA256) or "
                                  "application/x-www-form-urlencoded.");
      }
    }
    // The envelope's parameters, like the action's (D-02), are given once.
    std::bitset<std::size(kCommonParams)> seen;
    for (const auto& [name, value] : call_.form) {
      int i = CommonParamIndex(name);
      if (i < 0) continue;
      if (seen[static_cast<size_t>(i)]) {
        return ApiError::Make(errors::kInvalidParameter,
                              "the parameter " + name + " is given more than once");
      }
      seen[static_cast<size_t>(i)] = true;
    }
    // Action, Version and Region come from the X-TC-* headers under TC3
    // (and in an unsigned request in its style, with --auth off); a v1
    // request takes them from its signed parameters only.
    call_.header_style = req.Header("authorization") ||
                         (req.Header("x-tc-action") && !FindParam(call_.form, "Signature"));
    return Status::Ok();
  }

  // 2. Who is calling.
  Status Authenticate() {
    CVM_ASSIGN_OR_RETURN(call_.caller,
                         server::Authenticate(*call_.http, call_.form, emu_.accounts(),
                                              emu_.wall_clock().NowSeconds(), emu_.replay_cache(),
                                              emu_.options().auth));
    // What the signature did not cover is not executed.
    if (call_.caller.empty_values_unsigned) {
      std::erase_if(call_.form, [](const auto& p) { return p.second.empty(); });
    }
    return Status::Ok();
  }

  // 3. Action, Version and Region.
  Status Resolve() {
    const HttpRequest& req = *call_.http;
    std::optional<std::string> action, version, region;
    const char *action_name, *version_name, *region_name;
    auto copy = [](const std::string* v) { return v ? std::optional<std::string>(*v) : std::nullopt; };
    if (call_.header_style) {
      action = copy(req.Header("x-tc-action"));
      version = copy(req.Header("x-tc-version"));
      region = copy(req.Header("x-tc-region"));
      action_name = "X-TC-Action", version_name = "X-TC-Version", region_name = "X-TC-Region";
    } else {
      action = copy(FindParam(call_.form, "Action"));
      version = copy(FindParam(call_.form, "Version"));
      region = copy(FindParam(call_.form, "Region"));
      action_name = "Action", version_name = "Version", region_name = "Region";
      // The envelope's parameters are not the action's.
      std::erase_if(call_.form, [](const auto& p) { return CommonParamIndex(p.first) >= 0; });
    }
    if (!action || action->empty()) return ApiError::Make(errors::kMissingParameter, action_name);
    call_.action_name = *action;
    call_.action = emu_.services().schema.FindAction(*action);
    if (!call_.action) return ApiError::Make(errors::kInvalidAction, *action);
    if (!version || version->empty()) return ApiError::Make(errors::kMissingParameter, version_name);
    call_.version = *version;
    if (*version != kApiVersion) return ApiError::Make(errors::kNoSuchVersion, *version);
    if (region && !region->empty()) {
      call_.region = *region;
      if (!emu_.services().catalog.FindRegion(*region)) {
        return ApiError::Make(*call_.action->unknown_region_code, *region, "");
      }
    } else if (call_.action->region_required) {
      return ApiError::Make(errors::kMissingParameter, region_name);
    }
    return Status::Ok();
  }

  // 3b. The caller's token bucket for the action (one atomic load when rate
  // limits are off).
  Status CheckRateLimit() {
    RateLimiter& limiter = emu_.rate_limiter();
    if (!limiter.enabled()) return Status::Ok();
    const std::string& action = call_.action->name;
    int64_t limit = limiter.LimitOf(action, call_.action->rate_limit);
    if (limiter.Admit(call_.caller.account->app_id, action, limit, emu_.clock().NowMs())) {
      return Status::Ok();
    }
    return ApiError::Make(errors::kRequestLimitExceeded, action, limit);
  }

  // 4. The action's parameters against its schema.
  Status ValidateParams() {
    bool ignore = emu_.options().ignore_unknown_params;
    Result<schema::DecodedTree> tree = call_.json_body
                                           ? schema::DecodeJson(*call_.action, call_.http->body)
                                           : schema::DecodeFlat(*call_.action, call_.form, ignore);
    if (!tree.ok()) return tree.error();
    CVM_ASSIGN_OR_RETURN(call_.params, schema::Validate(*call_.action, std::move(tree).value(), ignore));
    return Status::Ok();
  }

  handlers::HandlerResult Run(handlers::Handler handler, handlers::RequestContext& ctx) {
    handlers::HandlerResult result = handler(ctx, call_.params.params);
    if (result.ok() && emu_.options().check_output) CVM_RETURN_IF_ERROR(CheckOutput(*result));
    return result;
  }

  // Development aid: the answer must match the action's output schema.
  Status CheckOutput(handlers::Output& output) {
    output.Render();
    json fields = output.serialized ? json::parse("{" + *output.serialized + "}") : output.fields;
    std::vector<std::string> problems = schema::CheckOutput(*call_.action, fields);
    if (problems.empty()) return Status::Ok();
    emu_.logger().Event(LogLevel::kError, "output_schema_mismatch",
                        {{"RequestId", call_.request_id}, {"Action", call_.action->name},
                         {"problems", problems}});
    return ApiError::Make(errors::kInternalError,
                          "the response does not match the output schema: " + problems.front());
  }

  Emulator& emu_;
  const handlers::Registry& registry_;
  Call& call_;
};

}  // namespace

BodyRule BodyRuleFor(const HttpRequest& headers_only) {
  const HttpRequest& req = headers_only;
  if (req.method == "GET" || req.method == "HEAD") return {kMaxIgnoredBody, true};
  if (req.path() == kSnapshotPath) return {kMaxSnapshotBytes, false};
  bool tc3 =
      req.Header("authorization") || MediaType(req.Header("content-type")) == "application/json";
  return {tc3 ? kMaxTc3Body : kMaxV1Body, false};
}

HttpResponse Refuse(Logger& logger, state::Random& request_ids, const HttpRequest& request,
                    std::chrono::steady_clock::time_point started, std::string_view code,
                    std::string_view message, Journal* journal, int64_t time_ms,
                    int64_t emulator_ms) {
  std::string request_id = request_ids.Uuid();
  HttpResponse response;
  response.body = Serialize(json{{"Error", {{"Code", code}, {"Message", message}}},
                                 {"RequestId", request_id}});
  if (logger.Enabled(LogLevel::kInfo)) {
    // What the headers say, else what the query says (parsed once, if at all).
    std::optional<FormParams> query;
    auto known = [&](std::string_view header, std::string_view param) {
      if (const std::string* v = request.Header(header)) return *v;
      if (!query) {
        query.emplace();
        std::string bad;
        if (!ParseForm(request.raw_query(), &*query, &bad)) query->clear();
      }
      const std::string* v = FindParam(*query, param);
      return v ? *v : std::string();
    };
    std::string action = known("x-tc-action", "Action"), region = known("x-tc-region", "Region");
    WriteRequestLine(logger,
                     RequestLine{request_id, action, region, code, started, request.remote});
  }
  if (journal && journal->enabled()) {
    JournalEntry e;
    e.time_ms = time_ms;
    e.emulator_ms = emulator_ms;
    e.request_id = request_id;
    e.kind = "api";
    if (const std::string* a = request.Header("x-tc-action")) e.action = *a;
    if (const std::string* r = request.Header("x-tc-region")) e.region = *r;
    e.params = "<refused before it was read>";
    e.code = code;
    e.message = message;
    e.latency_us = std::chrono::duration_cast<std::chrono::microseconds>(
                       std::chrono::steady_clock::now() - started)
                       .count();
    e.response = response.body;
    e.response_bytes = response.body.size();
    journal->Record(std::move(e));
  }
  return response;
}

namespace {

// Runs `step`, turning an exception into InternalError (SQLite's text and
// other internals go to the log, never to the client).
template <typename T, typename F>
Result<T> Guarded(Emulator& emulator, const std::string& request_id, F&& step) {
  try {
    return step();
  } catch (const state::DatabaseError& e) {
    emulator.logger().Event(LogLevel::kError, "database_error",
                            {{"RequestId", request_id}, {"what", e.what()}});
    return ApiError::Make(errors::kInternalError, "the database failed; see the emulator's log");
  } catch (const std::exception& e) {
    emulator.logger().Event(LogLevel::kError, "internal_error",
                            {{"RequestId", request_id}, {"what", e.what()}});
    return ApiError::Make(errors::kInternalError, "an unexpected failure; see the emulator's log");
  }
}

// An injected error (README "Fault injection"): the rule's message, else the
// error table's template.
ApiError InjectedError(const state::FaultEffect& effect) {
  if (!effect.message.empty()) return ApiError::WithMessage(*effect.code, effect.message);
  return ApiError::Make(*effect.code);
}

// The page a gateway in front of the API answers with.
std::string GatewayPage(int status) {
  std::string_view reason = status == 502 ? "Bad Gateway"
                            : status == 504 ? "Gateway Time-out"
                                            : "Service Temporarily Unavailable";
  std::string title = std::to_string(status) + " " + std::string(reason);
  return "<html>\r\n<head><title>" + title + "</title></head>\r\n<body>\r\n<center><h1>" + title +
         "</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";
}

// What an injected fault does to the answer `out` (already serialized).
void ApplyFault(const state::FaultDecision& d, HttpResponse& out) {
  if (d.latency) out.transport.delay += std::chrono::milliseconds(d.latency->delay_ms);
  if (!d.outcome) return;
  const state::FaultEffect& e = d.outcome->effect;
  using Action = TransportEffect::Action;
  switch (e.kind) {
    case state::FaultKind::kError:
    case state::FaultKind::kLatency:
    case state::FaultKind::kStuck:  // never a call's outcome (Evaluate skips it)
    case state::FaultKind::kHideNew:  // acts in the handler's listing, not on the answer
      break;  // an error is the result itself
    case state::FaultKind::kReset:
      out.transport.action = Action::kReset;
      break;
    case state::FaultKind::kClose:
      out.transport.action = Action::kClose;
      break;
    case state::FaultKind::kHold:
      out.transport.delay += std::chrono::milliseconds(e.hold_ms);
      out.transport.action = Action::kClose;
      break;
    case state::FaultKind::kGateway:
      out.status = e.http_status;
      out.content_type = "text/html";
      out.body = GatewayPage(e.http_status);
      out.close = true;
      break;
    case state::FaultKind::kTruncate:
      out.body.resize(out.body.size() / 2);
      break;
    case state::FaultKind::kMalformed:
      // Whole, but not JSON: a trailing comma before the last brace.
      if (!out.body.empty()) out.body.insert(out.body.size() - 1, ",");
      break;
  }
}

// 6. The envelope, and the request's log line.
HttpResponse Finish(Emulator& emulator, Pipeline::Call& call) {
  Result<handlers::Output>& result = call.result;
  // An error injected before dispatch, or after the commit: the answer.
  if (const state::FiredFault* f = call.fault.outcome ? &*call.fault.outcome : nullptr;
      f && f->effect.kind == state::FaultKind::kError) {
    result = InjectedError(f->effect);
  }
  if (result.ok()) {
    try {
      result->Render();
    } catch (const std::exception& e) {
      emulator.logger().Event(LogLevel::kError, "internal_error",
                              {{"RequestId", call.request_id}, {"what", e.what()}});
      result = ApiError::Make(errors::kInternalError, "an unexpected failure; see the emulator's log");
    }
  }
  HttpResponse out;
  std::string_view code;
  if (result.ok() && result->serialized) {
    out.body.reserve(result->serialized->size() + 80);
    out.body.append("{\"Response\":{").append(*result->serialized);
    out.body.append(",\"RequestId\":\"").append(call.request_id).append("\"}}");
  } else {
    json response;
    if (result.ok()) {
      response = std::move(result->fields);
    } else {
      code = result.error().code();
      response = json{{"Error", {{"Code", code}, {"Message", result.error().message()}}}};
    }
    response["RequestId"] = call.request_id;
    out.body = Serialize(response);
  }

  // A transport fault before dispatch answered nothing the handler said.
  if (call.fault.before_dispatch() &&
      call.fault.before_dispatch()->effect.kind != state::FaultKind::kError) {
    code = "";
  }
  Logger& log = emulator.logger();
  if (log.Enabled(LogLevel::kInfo)) {
    RequestLine line{call.request_id, call.action_name, call.region, code, call.started,
                     call.http->remote};
    line.scheme = call.caller.scheme;
    line.account = call.caller.account;
    line.ignored = &call.params.ignored;
    line.fault = &call.fault;
    WriteRequestLine(log, line);
  }
  ApplyFault(call.fault, out);
  Journal& journal = emulator.journal();
  if (journal.enabled()) {
    JournalEntry e;
    e.time_ms = emulator.wall_clock().NowMs();
    e.emulator_ms = emulator.clock().NowMs();
    e.request_id = call.request_id;
    e.kind = "api";
    if (const state::Account* a = call.caller.account) {
      e.app_id = a->app_id;
      e.uin = a->uin;
    }
    e.region = call.region;
    e.action = call.action_name;
    if (e.action.empty()) {
      // Refused before the Action was resolved: what the request names.
      const std::string* named = call.http->Header("x-tc-action");
      if (!named) named = FindParam(call.form, "Action");
      if (named) e.action = *named;
    }
    e.params = JournalParams(*call.http, call.form, call.json_body);
    e.code = code;
    if (!result.ok()) e.message = result.error().message();
    e.latency_us = std::chrono::duration_cast<std::chrono::microseconds>(
                       std::chrono::steady_clock::now() - call.started)
                       .count();
    e.fault = FaultSummary(call.fault);
    e.response = RedactedBody(out.body, Journal::kMaxRecordedBody, &e.response_truncated);
    e.response_bytes = out.body.size();
    journal.Record(std::move(e));
  }
  return out;
}

}  // namespace

HttpResponse Pipeline::Handle(const HttpRequest& request) {
  Call call;
  call.request_id = emulator_.NewRequestId();
  call.http = &request;
  Chain chain(emulator_, registry_, call);
  call.result = Guarded<handlers::Output>(emulator_, call.request_id, [&]() -> Result<handlers::Output> {
    CVM_RETURN_IF_ERROR(chain.Prepare());
    chain.DecideFaults();
    if (chain.FaultBeforeDispatch()) return ApiError::Make(errors::kInternalError, "not dispatched");
    return chain.Dispatch();
  });
  return Finish(emulator_, call);
}

void Pipeline::HandleAsync(const HttpRequest& request, Post post, Done done) {
  auto call = std::make_shared<Call>();
  call->request_id = emulator_.NewRequestId();
  call->http = &request;
  auto chain = std::make_shared<Chain>(emulator_, registry_, *call);
  Status prepared = Guarded<bool>(emulator_, call->request_id, [&]() -> Result<bool> {
                      CVM_RETURN_IF_ERROR(chain->Prepare());
                      chain->DecideFaults();
                      return true;
                    }).status();
  if (prepared.ok() && chain->FaultBeforeDispatch()) {
    // An injected fault answers; the handler never runs (Finish applies it).
    call->result = ApiError::Make(errors::kInternalError, "not dispatched");
    done(Finish(emulator_, *call));
    return;
  }
  if (!prepared.ok() || !chain->NeedsDatabase()) {
    // Answered here: an error before the handler, or a handler that only
    // reads the catalog.
    call->result = prepared.ok() ? Guarded<handlers::Output>(emulator_, call->request_id,
                                                             [&] { return chain->Dispatch(); })
                                 : Result<handlers::Output>(prepared.error());
    done(Finish(emulator_, *call));
    return;
  }
  // The handler runs on the database worker, inside its next batch; the
  // answer goes out (on the connection's own thread) once that commits.
  emulator_.db_worker().Submit(DbWorker::Job{
      [this, call, chain] {
        call->result = Guarded<handlers::Output>(emulator_, call->request_id,
                                                 [&] { return chain->Dispatch(); });
      },
      [this, call, chain, post = std::move(post), done = std::move(done)](bool committed) {
        if (!committed && call->result.ok()) {
          call->result = ApiError::Make(errors::kInternalError,
                                        "the database could not commit; see the emulator's log");
        }
        post([this, call, done] { done(Finish(emulator_, *call)); });
      }});
}

}  // namespace cvm::server
