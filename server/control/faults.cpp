// GET/POST /_emulator/faults, POST /_emulator/faults/delete and
// /_emulator/faults/clear: the fault rules (README "Fault injection",
// D-210..D-215) and launch failures of instances and of dedicated hosts.
#include "server/control/route.h"
#include "server/emulator.h"
#include "server/fault_control.h"
#include "state/settings.h"

namespace cvm::server::control {
namespace {

using nlohmann::json;

FaultNames NamesOf(Emulator& emu) {
  return FaultNames{[&emu](std::string_view a) { return emu.KnowsAction(a); },
                    [&emu](std::string_view r) { return emu.KnowsRegion(r); }};
}

// "rules": every rule with its counters; "faults": those still active (a
// rule whose count is spent stays listed in "rules"); "added": the IDs a POST
// added.
HttpResponse List(Emulator& emu, const std::vector<std::string>& added = {}) {
  state::Settings& settings = emu.settings();
  json rules = json::array(), active = json::array();
  for (const state::FaultRule& r : settings.fault_rules().rules()) {
    json one = FaultRuleJson(r);
    if (r.active()) active.push_back(one);
    rules.push_back(std::move(one));
  }
  json out = {{"launch_failure_probability", settings.launch_failure_probability()},
              {"host_launch_failure_probability", settings.host_launch_failure_probability()},
              {"rules", std::move(rules)},
              {"faults", std::move(active)}};
  if (!added.empty()) out["added"] = added;
  return Reply(200, out);
}

// GET: the rules. POST: adds one rule (its fields at the top level) or
// several ({"rules": [...]}), and/or sets launch_failure_probability and
// host_launch_failure_probability; all or
// nothing. The rule's fields are read by ReadFaultRule, which refuses the
// unknown ones and names the field as given.
HttpResponse Faults(Call& call) {
  Args& args = call.args;
  if (call.request.method != "POST") {
    if (auto refused = args.Refusal()) return *refused;
    return List(call.emulator);
  }
  // The two launch-failure probabilities are settings, not rules.
  std::optional<double> launch, host_launch;
  for (auto [name, value] : {std::pair{"launch_failure_probability", &launch},
                             std::pair{"host_launch_failure_probability", &host_launch}}) {
    const json* p = args.Raw(name);
    if (!p) continue;
    *value = Args::ToNumber(*p);
    if (!*value || **value < 0 || **value > 1) {
      args.Refuse(name, std::string(name) + " must be between 0 and 1");
    }
  }
  json rule_args = json::object();
  for (const std::string& name : args.Names()) {
    if (name != "launch_failure_probability" && name != "host_launch_failure_probability") {
      rule_args[name] = *args.Raw(name);
    }
  }
  std::vector<state::FaultRule> rules;
  std::string error, field;
  if (rule_args.contains("rules")) {
    if (!ReadFaultRules(rule_args, NamesOf(call.emulator), &rules, &error, &field)) {
      args.Refuse(field, error);
    }
  } else if (!rule_args.empty()) {
    state::FaultRule rule;
    if (ReadFaultRule(rule_args, NamesOf(call.emulator), &rule, &error, &field)) {
      rules.push_back(std::move(rule));
    } else {
      args.Refuse(field, error);
    }
  } else if (!args.Raw("launch_failure_probability") &&
             !args.Raw("host_launch_failure_probability")) {
    args.Refuse("rules",
                "give a rule, rules, launch_failure_probability or host_launch_failure_probability");
  }
  if (auto refused = args.Refusal()) return *refused;
  state::Settings& settings = call.emulator.settings();
  std::vector<std::string> ids;
  if (!settings.fault_rules().Add(std::move(rules), &error, &ids)) {
    return Reply(400, json{{"error", error}, {"field", "id"}});
  }
  if (launch) settings.set_launch_failure_probability(*launch);
  if (host_launch) settings.set_host_launch_failure_probability(*host_launch);
  return List(call.emulator, ids);
}

// {"id": "..."}: deletes that rule (404 if there is none).
HttpResponse Delete(Call& call) {
  std::optional<std::string> id = call.args.String("id", Args::kRequired);
  if (auto refused = call.args.Refusal()) return *refused;
  if (!call.emulator.settings().fault_rules().Remove(*id)) {
    return Problem(404, "no fault rule has the id " + *id);
  }
  return List(call.emulator);
}

HttpResponse Clear(Call& call) {
  if (auto refused = call.args.Refusal()) return *refused;
  call.emulator.settings().ClearFaults();
  call.emulator.settings().set_launch_failure_probability(0);
  call.emulator.settings().set_host_launch_failure_probability(0);
  return List(call.emulator);
}

constexpr Route kFaultsRoutes[] = {
    {"faults", "GET POST", &Faults},
    {"faults/delete", "POST", &Delete},
    {"faults/clear", "POST", &Clear},
};

}  // namespace

std::span<const Route> FaultsRoutes() { return kFaultsRoutes; }

}  // namespace cvm::server::control
