// GET/POST /_emulator/faults and POST /_emulator/faults/clear: errors to
// inject into API calls, and launch failures of instances and of dedicated
// hosts.
#include "server/control/route.h"
#include "server/emulator.h"
#include "state/settings.h"

namespace cvm::server::control {
namespace {

using nlohmann::json;

HttpResponse List(Emulator& emu) {
  state::Settings& settings = emu.settings();
  json list = json::array();
  for (const auto& f : settings.faults()) {
    list.push_back({{"action", f.action},
                    {"code", f.code->code},
                    {"count", f.remaining},
                    {"probability", f.probability}});
  }
  return Reply(200, json{{"launch_failure_probability", settings.launch_failure_probability()},
                         {"host_launch_failure_probability", settings.host_launch_failure_probability()},
                         {"faults", list}});
}

HttpResponse Faults(Call& call) {
  if (call.request.method != "POST") {
    if (auto refused = call.args.Refusal()) return *refused;
    return List(call.emulator);
  }
  Args& args = call.args;
  std::optional<double> launch_failure = args.Number("launch_failure_probability", 0, 1);
  std::optional<double> host_launch_failure = args.Number("host_launch_failure_probability", 0, 1);
  std::optional<std::string> code_name = args.String("code");
  // The other fields describe the fault `code` adds.
  std::optional<state::InjectedFault> fault;
  if (code_name) {
    fault.emplace();
    fault->code = errors::FindByCode(*code_name);
    if (!fault->code) args.Refuse("code", "code must be an error code of the API");
    fault->action = args.String("action").value_or("*");
    if (fault->action != "*" && !call.emulator.KnowsAction(fault->action)) {
      args.Refuse("action", "unknown action " + fault->action);
    }
    fault->remaining = args.Integer("count", -1, INT64_MAX).value_or(1);
    if (fault->remaining == 0) args.Refuse("count", "count must be positive, or -1 for until cleared");
    fault->probability = args.Number("probability", 0, 1).value_or(1.0);
  }
  if (auto refused = args.Refusal()) return *refused;
  state::Settings& settings = call.emulator.settings();
  if (launch_failure) settings.set_launch_failure_probability(*launch_failure);
  if (host_launch_failure) settings.set_host_launch_failure_probability(*host_launch_failure);
  if (fault) settings.AddFault(std::move(*fault));
  return List(call.emulator);
}

HttpResponse Clear(Call& call) {
  if (auto refused = call.args.Refusal()) return *refused;
  call.emulator.settings().ClearFaults();
  call.emulator.settings().set_launch_failure_probability(0);
  call.emulator.settings().set_host_launch_failure_probability(0);
  return List(call.emulator);
}

constexpr Route kRoutes[] = {
    {"faults", "GET POST", &Faults},
    {"faults/clear", "POST", &Clear},
};

}  // namespace

std::span<const Route> FaultsRoutes() { return kRoutes; }

}  // namespace cvm::server::control
