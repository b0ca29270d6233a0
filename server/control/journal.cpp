// GET /_emulator/requests: the request journal, filtered, newest first, or
// followed as NDJSON (README "Request journal"); POST
// /_emulator/requests/clear; and the journal's record of control requests.
#include "server/control/journal.h"

#include <chrono>
#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>

#include "server/control/route.h"
#include "server/emulator.h"
#include "server/journal.h"
#include "state/accounts.h"
#include "state/clock.h"

namespace cvm::server {
namespace {

using nlohmann::json;

// An argument as text: a string as it is, anything else as its JSON.
std::string ArgText(const json& v) { return v.is_string() ? v.get<std::string>() : v.dump(); }

// A whole number from a JSON number or a string holding one.
std::optional<int64_t> WholeNumber(const json& v) {
  double d;
  if (v.is_number()) {
    d = v.get<double>();
  } else if (v.is_string()) {
    try {
      size_t used = 0;
      d = std::stod(v.get<std::string>(), &used);
      if (used != v.get<std::string>().size()) return std::nullopt;
    } catch (const std::exception&) {
      return std::nullopt;
    }
  } else {
    return std::nullopt;
  }
  if (!std::isfinite(d) || d != std::trunc(d) || std::fabs(d) > 9e15) return std::nullopt;
  return static_cast<int64_t>(d);
}

// An emulator time: Unix seconds or an ISO 8601 UTC time; in milliseconds.
std::optional<int64_t> TimeMs(const json& v) {
  int64_t seconds;
  if (v.is_string() && state::ParseIso8601(v.get<std::string>(), &seconds)) return seconds * 1000;
  if (auto n = WholeNumber(v)) return *n * 1000;
  return std::nullopt;
}

bool Flag(const json& args, const char* name) {
  if (!args.contains(name)) return false;
  std::string v = ArgText(args[name]);
  return v == "1" || v == "true" || v == "on" || v.empty();
}

// The filter the arguments describe, or the problem with them.
// A refused filter: the field and why.
struct Refused {
  std::string field, message;
};

std::optional<Refused> ReadFilter(Emulator& emu, const json& args, JournalFilter* f) {
  static constexpr const char* kKnown[] = {"action", "code",  "request_id", "region", "app_id",
                                           "uin",    "since", "until",      "limit",  "follow",
                                           "response"};
  for (const auto& [key, value] : args.items()) {
    if (std::find(std::begin(kKnown), std::end(kKnown), key) == std::end(kKnown)) {
      return Refused{key, "unknown argument " + key + " (filters: action, code, request_id, region, app_id, "
             "uin, since, until, limit; follow; response)"};
    }
  }
  if (args.contains("action")) f->action = ArgText(args["action"]);
  if (args.contains("code")) {
    f->code = ArgText(args["code"]);
    if (f->code == "!" || f->code == "error") f->errors_only = true, f->code.clear();
  }
  if (args.contains("request_id")) f->request_id = ArgText(args["request_id"]);
  if (args.contains("region")) f->region = ArgText(args["region"]);
  if (args.contains("app_id")) {
    f->app_id = WholeNumber(args["app_id"]);
    if (!f->app_id || !emu.accounts().FindByAppId(*f->app_id)) return Refused{"app_id", "app_id names no account"};
  }
  if (args.contains("uin")) {
    f->uin = ArgText(args["uin"]);
    if (!emu.accounts().FindByUin(f->uin)) return Refused{"uin", "uin names no account"};
  }
  for (auto [name, field] : {std::pair{"since", &f->since_ms}, std::pair{"until", &f->until_ms}}) {
    if (!args.contains(name)) continue;
    *field = TimeMs(args[name]);
    if (!*field) return Refused{name, std::string(name) + " must be Unix seconds or an ISO 8601 UTC time"};
  }
  if (args.contains("limit")) {
    std::optional<int64_t> limit = WholeNumber(args["limit"]);
    if (!limit || *limit < 1 || *limit > 100000) return Refused{"limit", "limit must be a whole number from 1 to 100000"};
    f->limit = static_cast<size_t>(*limit);
  }
  return std::nullopt;
}

HttpResponse Requests(control::Call& call) {
  Emulator& emu = call.emulator;
  // The filters are read by ReadFilter, which names an unknown one.
  const json& args = call.args.values();
  JournalFilter filter;
  if (auto refused = ReadFilter(emu, args, &filter)) {
    return control::Reply(400, json{{"error", refused->message}, {"field", refused->field}});
  }
  Journal& journal = emu.journal();
  if (Flag(args, "follow")) {
    // NDJSON: the matching entries recorded from now on, one per line.
    HttpResponse r;
    r.content_type = "application/x-ndjson";
    r.stream = journal.Follow(filter);
    return r;
  }
  bool with_response = Flag(args, "response") || !filter.request_id.empty();
  json list = json::array();
  for (const JournalEntry& e : journal.Find(filter)) list.push_back(EntryJson(e, with_response));
  return control::Reply(200, json{{"capacity", journal.capacity()}, {"requests", std::move(list)}});
}

HttpResponse Clear(control::Call& call) {
  if (auto refused = call.args.Refusal()) return *refused;
  call.emulator.journal().Clear();
  return control::Reply(200, json{{"cleared", true}});
}

constexpr control::Route kJournalRoutes[] = {
    {"requests", "GET", &Requests},
    {"requests/clear", "POST", &Clear},
};

}  // namespace

void RecordControlRequest(Emulator& emu, const HttpRequest& req, const json& args,
                          const HttpResponse& response,
                          std::chrono::steady_clock::time_point started) {
  Journal& journal = emu.journal();
  if (!journal.enabled()) return;
  JournalEntry e;
  e.time_ms = emu.wall_clock().NowMs();
  e.emulator_ms = emu.clock().NowMs();
  e.kind = "control";
  e.action = req.method + " " + std::string(req.path());
  std::string text = args.dump(-1, ' ', false, json::error_handler_t::replace);
  if (text.size() > Journal::kMaxRecordedParams) {
    e.params = "<arguments of " + std::to_string(text.size()) + " bytes: not recorded>";
  } else {
    e.params = args;
    Redact(e.params);
  }
  if (args.contains("app_id")) e.app_id = WholeNumber(args["app_id"]);
  e.status = response.status;
  if (response.status >= 400) {
    e.code = "HTTP " + std::to_string(response.status);
    json body = json::parse(response.body, nullptr, /*allow_exceptions=*/false);
    if (body.is_object() && body.contains("error") && body["error"].is_string()) {
      e.message = body["error"].get<std::string>();
    }
  }
  e.latency_us = std::chrono::duration_cast<std::chrono::microseconds>(
                     std::chrono::steady_clock::now() - started)
                     .count();
  e.response = RedactedBody(response.body, Journal::kMaxRecordedBody, &e.response_truncated);
  e.response_bytes = response.body.size();
  journal.Record(std::move(e));
}

namespace control {
std::span<const Route> JournalRoutes() { return kJournalRoutes; }
}  // namespace control

}  // namespace cvm::server
