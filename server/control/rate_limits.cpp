// GET/POST /_emulator/rate_limits: whether rate limits are on, and the
// per-action overrides (README "Rate limits", D-216, D-217).
#include <cmath>

#include "server/control/route.h"
#include "server/emulator.h"
#include "server/rate_limiter.h"

namespace cvm::server::control {
namespace {

using nlohmann::json;

// POST {"enabled": true, "limits": {"DescribeRegions": 5, "RunInstances":
// null}} switches them and sets (a whole number of calls per second, 1 to
// 1000000) or removes (null) overrides; all or nothing.
HttpResponse RateLimits(Call& call) {
  Args& args = call.args;
  RateLimiter& limiter = call.emulator.rate_limiter();
  std::optional<bool> enabled;
  std::vector<std::pair<std::string, std::optional<int64_t>>> changes;
  if (call.request.method == "POST") {
    // true/false, or the strings a query gives: on/off, true/false, 1/0.
    if (const json* v = args.Raw("enabled")) {
      if (v->is_boolean()) enabled = v->get<bool>();
      else if (*v == "on" || *v == "true" || *v == "1") enabled = true;
      else if (*v == "off" || *v == "false" || *v == "0") enabled = false;
      else args.Refuse("enabled", "enabled must be true or false");
    }
    if (const json* limits = args.Raw("limits")) {
      if (!limits->is_object()) {
        args.Refuse("limits", "limits must be a JSON object of action: calls per second");
      } else {
        for (const auto& [action, limit] : limits->items()) {
          if (!call.emulator.KnowsAction(action)) {
            args.Refuse("limits", "limits: unknown action " + action);
            break;
          }
          if (limit.is_null()) {
            changes.emplace_back(action, std::nullopt);
            continue;
          }
          std::optional<double> n = Args::ToNumber(limit);
          if (!n || *n != std::trunc(*n) || *n < 1 || *n > 1'000'000) {
            args.Refuse("limits." + action,
                        "limits." + action + " must be a whole number from 1 to 1000000, or null");
            break;
          }
          changes.emplace_back(action, static_cast<int64_t>(*n));
        }
      }
    }
  }
  if (auto refused = args.Refusal()) return *refused;
  for (const auto& [action, limit] : changes) {
    if (limit) limiter.set_override(action, *limit);
    else limiter.remove_override(action);
  }
  if (enabled) limiter.set_enabled(*enabled);
  json overrides = json::object();
  for (const auto& [action, limit] : limiter.overrides()) overrides[action] = limit;
  return Reply(200, json{{"enabled", limiter.enabled()}, {"limits", overrides}});
}

constexpr Route kRateLimitsRoutes[] = {
    {"rate_limits", "GET POST", &RateLimits},
};

}  // namespace

std::span<const Route> RateLimitsRoutes() { return kRateLimitsRoutes; }

}  // namespace cvm::server::control
