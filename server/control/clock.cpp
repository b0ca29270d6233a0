// GET /_emulator/clock, POST /_emulator/clock/{set,advance,freeze,resume}.
#include "server/control/clock.h"

#include <array>
#include <cstdio>

#include "server/control/route.h"
#include "server/emulator.h"

namespace cvm::server::control {
namespace {

using nlohmann::json;

// The emulator clock's range: 1970-01-01T00:00:00Z to 9999-12-31T23:59:59Z
// (the last millisecond of it), so every time has a four-digit ISO 8601 form.
constexpr state::TimeMs kLatestMs = 253'402'300'799'999;
constexpr const char* kClockRange = "between 1970-01-01T00:00:00Z and 9999-12-31T23:59:59Z";

// An ISO 8601 UTC time (the forms state::ParseIso8601 reads) whose fields
// name a real instant: "2024-02-30" or "23:59:60" are refused, not rolled
// over into the next day or minute.
bool ExactIso8601(const std::string& text, int64_t* seconds) {
  if (!state::ParseIso8601(text, seconds)) return false;
  auto fields = [](const std::string& t) {
    std::array<int, 6> f{};
    std::sscanf(t.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d", &f[0], &f[1], &f[2], &f[3], &f[4], &f[5]);
    return f;
  };
  return fields(text) == fields(state::FormatIso8601(*seconds));
}

HttpResponse Changed(Call& call) {
  call.emulator.SaveClock();
  return Reply(200, ClockJson(call.emulator));
}

HttpResponse Get(Call& call) {
  if (auto refused = call.args.Refusal()) return *refused;
  return Reply(200, ClockJson(call.emulator));
}

// {"time": Unix seconds} or {"time": "2024-01-01T00:00:00Z"}.
HttpResponse Set(Call& call) {
  constexpr const char* kGive = "give time: Unix seconds or an ISO 8601 UTC time";
  const json* time = call.args.Raw("time");
  if (!time) call.args.Refuse("time", kGive);
  if (auto refused = call.args.Refusal()) return *refused;
  int64_t t;
  if (time->is_string() && state::ParseIso8601(time->get<std::string>(), &t)) {
    const std::string& text = time->get_ref<const std::string&>();
    if (t < 0 || t > kLatestMs / 1000) return Problem(400, std::string("time must be ") + kClockRange);
    if (!ExactIso8601(text, &t)) return Problem(400, "time " + text + " is not a calendar date and time");
    call.emulator.clock().Set(t * 1000);
    return Changed(call);
  }
  std::optional<double> seconds = Args::ToNumber(*time);
  if (!seconds) return Problem(400, kGive);
  if (!(*seconds >= 0 && *seconds * 1000 <= kLatestMs)) {
    return Problem(400, std::string("time must be ") + kClockRange);
  }
  call.emulator.clock().Set(static_cast<int64_t>(*seconds * 1000));
  return Changed(call);
}

HttpResponse Advance(Call& call) {
  const json* raw = call.args.Raw("seconds");
  double seconds = raw ? Args::ToNumber(*raw).value_or(-1) : -1;
  if (seconds < 0) {
    call.args.Refuse("seconds", "give seconds: a finite, non-negative number of seconds");
  }
  if (auto refused = call.args.Refusal()) return *refused;
  if (seconds * 1000 > static_cast<double>(kLatestMs - call.emulator.clock().NowMs())) {
    return Problem(400, std::string("the clock must stay ") + kClockRange);
  }
  call.emulator.clock().Advance(static_cast<int64_t>(seconds * 1000));
  return Changed(call);
}

HttpResponse Freeze(Call& call) {
  if (auto refused = call.args.Refusal()) return *refused;
  call.emulator.clock().Freeze();
  return Changed(call);
}

HttpResponse Resume(Call& call) {
  if (auto refused = call.args.Refusal()) return *refused;
  call.emulator.clock().Resume();
  return Changed(call);
}

constexpr Route kClockRoutes[] = {
    {"clock", "GET", &Get},
    {"clock/set", "POST", &Set},
    {"clock/advance", "POST", &Advance},
    {"clock/freeze", "POST", &Freeze},
    {"clock/resume", "POST", &Resume},
};

}  // namespace

json ClockJson(Emulator& emulator) {
  state::VirtualClock& clock = emulator.clock();
  auto s = clock.snapshot();
  int64_t now = clock.NowMs();
  return json{{"now", now / 1000},
              {"now_ms", now},
              {"iso", state::FormatIso8601(now / 1000)},
              {"frozen", s.frozen},
              {"offset_seconds", static_cast<double>(s.offset_ms) / 1000.0}};
}

std::span<const Route> ClockRoutes() { return kClockRoutes; }

}  // namespace cvm::server::control
