// GET/POST /_emulator/durations and /_emulator/quotas: the run-time settings
// of state/settings.def.
#include "server/control/route.h"
#include "server/emulator.h"
#include "server/setting_table.h"
#include "state/accounts.h"
#include "state/settings.h"

namespace cvm::server::control {
namespace {

using nlohmann::json;

// Reads every setting of `kind` the call gives into `d` or `q`; a value out
// of range is refused in call.args.
void ReadSettingArgs(Call& call, SettingKind kind, state::Durations& d, state::Quotas& q) {
  for (const RunSetting& s : RunSettings()) {
    if (s.kind != kind) continue;
    const json* value = call.args.Raw(s.name);
    if (!value) continue;
    std::optional<int64_t> v = SettingFromJson(kind, *value);
    if (!v) {
      call.args.Refuse(s.name, SettingRangeProblem(kind, s.name));
      continue;
    }
    s.In(d, q) = *v;
  }
}

HttpResponse Durations(Call& call) {
  state::Settings& settings = call.emulator.settings();
  state::Durations d = settings.durations();
  state::Quotas unused;
  if (call.request.method == "POST") ReadSettingArgs(call, SettingKind::kDuration, d, unused);
  if (auto refused = call.args.Refusal()) return *refused;
  if (call.request.method == "POST") settings.set_durations(d);
  return Reply(200, SettingsToJson(SettingKind::kDuration, settings.durations(), unused));
}

HttpResponse Quotas(Call& call) {
  state::Settings& settings = call.emulator.settings();
  if (call.request.method == "POST") {
    const state::AccountRegistry& accounts = call.emulator.accounts();
    std::optional<int64_t> app_id = call.args.Integer("app_id", INT64_MIN, INT64_MAX);
    const json* uin = call.args.Raw("uin");
    if (app_id && !accounts.FindByAppId(*app_id)) call.args.Refuse("app_id", "app_id names no account");
    if (!app_id && uin) {
      // A Uin is a string of digits; a JSON number is read as its digits.
      const state::Account* account =
          accounts.FindByUin(uin->is_string() ? uin->get<std::string>() : uin->dump());
      if (account) {
        app_id = account->app_id;
      } else {
        call.args.Refuse("uin", "uin names no account");
      }
    }
    state::Quotas q = app_id ? settings.quotas(*app_id) : settings.default_quotas();
    state::Durations unused;
    ReadSettingArgs(call, SettingKind::kQuota, unused, q);
    if (auto refused = call.args.Refusal()) return *refused;
    if (app_id) {
      settings.set_account_quotas(*app_id, q);
    } else {
      settings.set_default_quotas(q);
    }
  } else if (auto refused = call.args.Refusal()) {
    return *refused;
  }
  state::Durations unused;
  json accounts = json::object();
  for (const auto& [id, q] : settings.account_quotas()) {
    accounts[std::to_string(id)] = SettingsToJson(SettingKind::kQuota, unused, q);
  }
  return Reply(
      200, json{{"default", SettingsToJson(SettingKind::kQuota, unused, settings.default_quotas())},
                {"accounts", accounts}});
}

constexpr Route kSettingsRoutes[] = {
    {"durations", "GET POST", &Durations},
    {"quotas", "GET POST", &Quotas},
};

}  // namespace

std::span<const Route> SettingsRoutes() { return kSettingsRoutes; }

}  // namespace cvm::server::control
