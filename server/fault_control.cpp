#include "server/fault_control.h"

#include <cmath>
#include <nlohmann/json.hpp>

#include "server/json_number.h"
#include "state/clock.h"

namespace cvm::server {
namespace {

using nlohmann::json;

bool Whole(const json& v, int64_t* out) {
  std::optional<double> d = FiniteNumber(v);
  if (!d || !(*d >= -0x1p63 && *d < 0x1p63) || *d != std::trunc(*d)) return false;
  *out = static_cast<int64_t>(*d);
  return true;
}

// Reads the fields of one rule, each from the object that holds it, naming
// it as "<section>.<field>" in errors.
class RuleReader {
 public:
  RuleReader(const FaultNames& names, state::FaultRule* rule, std::string* error)
      : names_(names), rule_(*rule), error_(*error) {}

  // The key the last failure lay under, as given.
  const std::string& field() const { return field_; }

  bool Read(const json& j) {
    if (!j.is_object()) return Fail("a rule must be a JSON object");
    for (const auto& [key, value] : j.items()) {
      field_ = key;
      if (key == "id") {
        if (!value.is_string() || value.get_ref<const std::string&>().empty() ||
            value.get_ref<const std::string&>().size() > 64) {
          return Fail("id must be a string of 1 to 64 characters");
        }
        rule_.id = value.get<std::string>();
      } else if (key == "match" || key == "trigger" || key == "effect") {
        if (!value.is_object()) return Fail(key + " must be a JSON object");
        for (const auto& [field, v] : value.items()) {
          field_ = key + "." + field;
          if (!Field(key, field, v)) return false;
        }
      } else if (key == "action" || key == "resource_id" || key == "region") {
        if (!Field("match", key, value)) return false;
      } else if (key == "count" || key == "probability") {
        if (!Field("trigger", key, value)) return false;
      } else if (key == "code" || key == "message") {
        if (!Field("effect", key, value)) return false;
      } else {
        return Fail("unknown field " + key);
      }
    }
    return Check();
  }

 private:
  bool Fail(std::string message) {
    error_ = std::move(message);
    return false;
  }

  bool Text(const std::string& name, const json& v, std::string* out) {
    if (!v.is_string()) return Fail(name + " must be a string");
    *out = v.get<std::string>();
    return true;
  }
  bool Int(const std::string& name, const json& v, int64_t lo, int64_t hi, int64_t* out) {
    if (!Whole(v, out) || *out < lo || *out > hi) {
      return Fail(name + " must be a whole number from " + std::to_string(lo) + " to " +
                  std::to_string(hi));
    }
    return true;
  }
  bool Time(const std::string& name, const json& v, std::optional<state::TimeMs>* out) {
    int64_t seconds = 0;
    if (!v.is_string() || !state::ParseIso8601(v.get<std::string>(), &seconds)) {
      return Fail(name + " must be an ISO 8601 time, e.g. 2024-01-01T00:00:00Z");
    }
    *out = seconds * 1000;
    return true;
  }

  bool Field(const std::string& section, const std::string& field, const json& v) {
    std::string name = section + "." + field;
    state::FaultMatch& m = rule_.match;
    state::FaultTrigger& t = rule_.trigger;
    state::FaultEffect& e = rule_.effect;
    if (section == "match") {
      if (field == "action") {
        if (!Text(name, v, &m.action)) return false;
        if (m.action != "*" && !names_.known_action(m.action)) {
          return Fail(name + ": unknown action " + m.action);
        }
        return true;
      }
      if (field == "app_id") {
        int64_t id;
        if (!Int(name, v, 0, INT64_MAX, &id)) return false;
        m.app_id = id;
        return true;
      }
      if (field == "uin") {
        if (v.is_number_integer()) return m.uin = std::to_string(v.get<int64_t>()), true;
        return Text(name, v, &m.uin);
      }
      if (field == "secret_id") return Text(name, v, &m.secret_id);
      if (field == "resource_id") return Text(name, v, &m.resource_id);
      if (field == "region") {
        if (!Text(name, v, &m.region)) return false;
        if (!names_.known_region(m.region)) return Fail(name + ": unknown region " + m.region);
        return true;
      }
    } else if (section == "trigger") {
      if (field == "count") {
        if (!Whole(v, &t.count) || t.count == 0 || t.count < -1) {
          return Fail(name + " must be a positive whole number, or -1 for until deleted");
        }
        return true;
      }
      if (field == "probability") {
        std::optional<double> p = FiniteNumber(v);
        if (!p || *p < 0 || *p > 1) return Fail(name + " must be between 0 and 1");
        t.probability = *p;
        return true;
      }
      if (field == "every_nth") return Int(name, v, 1, INT64_MAX, &t.every_nth);
      if (field == "after") return Int(name, v, 0, INT64_MAX, &t.after);
      if (field == "from") return Time(name, v, &t.from_ms);
      if (field == "until") return Time(name, v, &t.until_ms);
    } else if (section == "effect") {
      if (field == "type") {
        std::optional<state::FaultKind> kind;
        if (v.is_string()) kind = state::FaultKindNamed(v.get<std::string>());
        if (!kind) {
          return Fail(name + " must be one of " + state::FaultKindNames());
        }
        e.kind = *kind;
        type_given_ = true;
        return true;
      }
      if (field == "code") {
        std::string code;
        if (!Text(name, v, &code)) return false;
        e.code = errors::FindByCode(code);
        if (!e.code) return Fail(name + ": " + code + " is not an error code of the API");
        return true;
      }
      if (field == "message") return Text(name, v, &e.message);
      if (field == "after_commit") {
        if (!v.is_boolean()) return Fail(name + " must be true or false");
        e.after_commit = v.get<bool>();
        return true;
      }
      if (field == "status") {
        int64_t s;
        if (!Whole(v, &s) || (s != 502 && s != 503 && s != 504)) {
          return Fail(name + " must be 502, 503 or 504");
        }
        e.http_status = static_cast<int>(s);
        return true;
      }
      if (field == "delay_ms") return Int(name, v, 0, state::kMaxFaultDelayMs, &e.delay_ms);
      if (field == "jitter_ms") return Int(name, v, 0, state::kMaxFaultDelayMs, &e.jitter_ms);
      if (field == "hold_ms") return Int(name, v, 1, state::kMaxFaultDelayMs, &e.hold_ms);
      if (field == "seconds") {
        if (!Int(name, v, 1, state::kMaxHideNewSeconds, &e.seconds)) return false;
        seconds_given_ = true;
        return true;
      }
      if (field == "phase") {
        if (!v.is_string() || !state::ParseState(v.get<std::string>(), &e.phase) ||
            !state::CanHoldPhase(e.phase)) {
          return Fail(name + " must be one of PENDING, STARTING, STOPPING, REBOOTING");
        }
        phase_given_ = true;
        return true;
      }
    }
    return Fail("unknown field " + name);
  }

  // What only the whole rule can tell.
  bool Check() {
    field_ = "effect";
    state::FaultEffect& e = rule_.effect;
    if (!type_given_ && e.code) e.kind = state::FaultKind::kError;
    if (!type_given_ && !e.code) return Fail("effect.type (or effect.code) is required");
    if (e.kind == state::FaultKind::kError && !e.code) {
      return Fail("effect.code is required for an error effect");
    }
    if (e.kind != state::FaultKind::kError && e.code) {
      return Fail("effect.code is only for an error effect");
    }
    if (e.kind == state::FaultKind::kLatency && e.after_commit) {
      return Fail("effect.after_commit does not apply to latency");
    }
    if (e.kind == state::FaultKind::kLatency &&
        e.delay_ms + e.jitter_ms > state::kMaxFaultDelayMs) {
      return Fail("effect.delay_ms + effect.jitter_ms must not exceed " +
                  std::to_string(state::kMaxFaultDelayMs));
    }
    // A truncated or malformed answer is the real one, mangled: the call is
    // applied first (D-213).
    if (e.kind == state::FaultKind::kTruncate || e.kind == state::FaultKind::kMalformed) {
      e.after_commit = true;
    }
    if (e.kind != state::FaultKind::kHideNew && seconds_given_) {
      return Fail("effect.seconds is only for a hide_new effect");
    }
    if (e.kind == state::FaultKind::kHideNew && !CheckHideNew()) return false;
    if (state::IsResourceFault(e.kind) && !CheckResourceFault()) return false;
    field_ = "trigger";
    const state::FaultTrigger& t = rule_.trigger;
    if (t.from_ms && t.until_ms && *t.until_ms <= *t.from_ms) {
      return Fail("trigger.until must be later than trigger.from");
    }
    return true;
  }

  // A resource fault is looked up as state is read, not drawn for a call:
  // it matches the resource's account, region and ID and holds within
  // from/until; nothing else of the match or trigger applies (D-218).
  bool CheckResourceFault() {
    const state::FaultEffect& e = rule_.effect;
    if (e.kind == state::FaultKind::kStuck && !phase_given_) {
      return Fail("effect.phase is required for a stuck effect");
    }
    if (e.after_commit) return Fail("effect.after_commit does not apply to " + Kind());
    field_ = "match";
    if (rule_.match.action != "*") return Fail("match.action does not apply to " + Kind());
    if (!rule_.match.secret_id.empty()) return Fail("match.secret_id does not apply to " + Kind());
    field_ = "trigger";
    const state::FaultTrigger& t = rule_.trigger;
    if (t.count != -1 || t.probability != 1 || t.every_nth != 1 || t.after != 0) {
      return Fail("trigger.count, probability, every_nth and after do not apply to " + Kind() +
                  " (from and until do)");
    }
    return true;
  }
  // A hide_new rule fires for Describe calls (HidesNewIn), with every
  // trigger; what it does is the listing's, not the answer's (D-219).
  bool CheckHideNew() {
    if (!seconds_given_) return Fail("effect.seconds is required for a hide_new effect");
    if (rule_.effect.after_commit) return Fail("effect.after_commit does not apply to " + Kind());
    field_ = "match";
    const std::string& action = rule_.match.action;
    if (action != "*" && !state::HidesNewIn(action)) {
      return Fail("match.action " + action +
                  " does not list resources: a hide_new effect applies to " +
                  state::HideNewActions() + " (or *)");
    }
    return true;
  }
  std::string Kind() const {
    return "a " + std::string(state::FaultKindName(rule_.effect.kind)) + " effect";
  }

  const FaultNames& names_;
  state::FaultRule& rule_;
  std::string& error_;
  std::string field_;
  bool type_given_ = false;
  bool phase_given_ = false;
  bool seconds_given_ = false;
};

}  // namespace

bool ReadFaultRule(const json& j, const FaultNames& names, state::FaultRule* out,
                   std::string* error, std::string* field) {
  *out = state::FaultRule{};
  RuleReader reader(names, out, error);
  if (reader.Read(j)) return true;
  if (field) *field = reader.field();
  return false;
}

bool ReadFaultRules(const json& j, const FaultNames& names, std::vector<state::FaultRule>* out,
                    std::string* error, std::string* field) {
  if (field) *field = "rules";
  const json* list = &j;
  if (j.is_object()) {
    if (!j.contains("rules") || j.size() != 1) {
      *error = "the rules file must be a JSON array of rules, or {\"rules\": [...]}";
      return false;
    }
    list = &j["rules"];
  }
  if (!list->is_array()) {
    *error = "rules must be a JSON array";
    return false;
  }
  out->clear();
  for (size_t i = 0; i < list->size(); ++i) {
    state::FaultRule rule;
    std::string why;
    if (!ReadFaultRule((*list)[i], names, &rule, &why)) {
      *error = "rules[" + std::to_string(i) + "]: " + why;
      return false;
    }
    out->push_back(std::move(rule));
  }
  return true;
}

json FaultRuleJson(const state::FaultRule& r) {
  json match = {{"action", r.match.action}};
  if (r.match.app_id) match["app_id"] = *r.match.app_id;
  if (!r.match.uin.empty()) match["uin"] = r.match.uin;
  if (!r.match.secret_id.empty()) match["secret_id"] = r.match.secret_id;
  if (!r.match.region.empty()) match["region"] = r.match.region;
  if (!r.match.resource_id.empty()) match["resource_id"] = r.match.resource_id;
  const state::FaultTrigger& t = r.trigger;
  json trigger = {{"count", t.count}, {"probability", t.probability}};
  if (t.every_nth != 1) trigger["every_nth"] = t.every_nth;
  if (t.after != 0) trigger["after"] = t.after;
  if (t.from_ms) trigger["from"] = state::FormatIso8601(*t.from_ms / 1000);
  if (t.until_ms) trigger["until"] = state::FormatIso8601(*t.until_ms / 1000);
  const state::FaultEffect& e = r.effect;
  json effect = {{"type", state::FaultKindName(e.kind)}};
  if (e.after_commit) effect["after_commit"] = true;
  switch (e.kind) {
    case state::FaultKind::kError:
      effect["code"] = e.code->code;
      if (!e.message.empty()) effect["message"] = e.message;
      break;
    case state::FaultKind::kLatency:
      effect["delay_ms"] = e.delay_ms;
      if (e.jitter_ms) effect["jitter_ms"] = e.jitter_ms;
      break;
    case state::FaultKind::kHold:
      effect["hold_ms"] = e.hold_ms;
      break;
    case state::FaultKind::kGateway:
      effect["status"] = e.http_status;
      break;
    case state::FaultKind::kStuck:
      effect["phase"] = state::StateName(e.phase);
      break;
    case state::FaultKind::kHideNew:
      effect["seconds"] = e.seconds;
      break;
    default:
      break;
  }
  return json{{"id", r.id},           {"match", match},   {"trigger", trigger},  {"effect", effect},
              {"matched", r.matched}, {"fired", r.fired}, {"active", r.active()}};
}

}  // namespace cvm::server
