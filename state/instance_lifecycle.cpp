#include "state/instance_lifecycle.h"

#include <algorithm>
#include <charconv>
#include <initializer_list>

#include "state/setting_values.h"

namespace cvm::state {
namespace {

bool In(InstanceState s, std::initializer_list<InstanceState> allowed) {
  return std::find(allowed.begin(), allowed.end(), s) != allowed.end();
}

// Ends the instance at `now + terminating` (or earlier, if an ActionTimer
// already ends it sooner).
Lifecycle Terminated(const Lifecycle& before, TimeMs now, const Durations& d) {
  Lifecycle l;
  TimeMs gone = now + d.terminating;
  if (before.gone_at && *before.gone_at < gone) gone = *before.gone_at;
  l.phases = {{InstanceState::kTerminating, gone}};
  l.rest = InstanceState::kGone;
  l.gone_at = gone;
  return l;
}

}  // namespace

InstanceState Lifecycle::Observe(TimeMs now, uint32_t held) const {
  if (gone_at && now >= *gone_at) return InstanceState::kGone;
  // The ActionTimer fired: terminating until gone, or SHUTDOWN for good when
  // it has no end (a PREPAID instance, D-108).
  if (timer_at && now >= *timer_at) return gone_at ? InstanceState::kTerminating : InstanceState::kShutdown;
  for (const Phase& p : phases) {
    if (now < p.until || (held & (uint32_t{1} << static_cast<int>(p.state)))) return p.state;
  }
  return rest;
}

InstanceState ObservedState(const Scope& scope, const Instance& in) {
  uint32_t held = scope.settings.HeldPhases(scope.app_id(), scope.account.uin, scope.region,
                                            in.instance_id, scope.now);
  return in.lifecycle.Observe(scope.now, held);
}

std::string Lifecycle::EncodePhases() const {
  std::string out;
  for (const Phase& p : phases) {
    if (!out.empty()) out += ',';
    out += StateName(p.state);
    out += '@';
    out += std::to_string(p.until);
  }
  return out;
}

bool Lifecycle::DecodePhases(std::string_view text, std::vector<Phase>* out) {
  out->clear();
  if (!text.empty() && text.back() == ',') return false;
  while (!text.empty()) {
    size_t comma = text.find(',');
    std::string_view item = text.substr(0, comma);
    text = comma == std::string_view::npos ? std::string_view() : text.substr(comma + 1);
    size_t at = item.find('@');
    if (at == std::string_view::npos) return false;
    Phase p;
    if (!ParseState(item.substr(0, at), &p.state)) return false;
    std::string_view number = item.substr(at + 1);
    auto [ptr, ec] = std::from_chars(number.data(), number.data() + number.size(), p.until);
    if (ec != std::errc() || ptr != number.data() + number.size()) return false;
    out->push_back(p);
  }
  return true;
}

const ErrorSpec& WrongStateCode(InstanceState state) {
  switch (state) {
    case InstanceState::kPending: return errors::kInstanceStatePending;
    case InstanceState::kLaunchFailed: return errors::kInstanceStateLaunchFailed;
    case InstanceState::kRunning: return errors::kInstanceStateRunning;
    case InstanceState::kStopped: return errors::kInstanceStateStopped;
    case InstanceState::kStarting: return errors::kInstanceStateStarting;
    case InstanceState::kStopping: return errors::kInstanceStateStopping;
    case InstanceState::kRebooting: return errors::kInstanceStateRebooting;
    case InstanceState::kShutdown: return errors::kInstanceStateShutdown;
    case InstanceState::kTerminating:
    case InstanceState::kGone: return errors::kInstanceStateTerminating;
  }
  return errors::kInstanceStateTerminating;
}

Status CheckOperation(Operation op, const Instance& instance, InstanceState s, bool force,
                      std::string_view action) {
  using S = InstanceState;
  bool ok = false;
  switch (op) {
    case Operation::kStart: ok = s == S::kStopped; break;
    case Operation::kStop: ok = s == S::kRunning; break;
    case Operation::kReboot: ok = s == S::kRunning; break;
    case Operation::kReset: ok = In(s, {S::kRunning, S::kStopped}); break;
    case Operation::kStopChangeStart:
    case Operation::kCreateImage: ok = s == S::kStopped || (s == S::kRunning && force); break;
    case Operation::kTerminate:
      ok = In(s, {S::kRunning, S::kStopped, S::kLaunchFailed}) ||
           (s == S::kShutdown && instance.charge_type == ChargeType::kPrepaid);
      break;
    case Operation::kModify: ok = s != S::kTerminating && s != S::kGone; break;
    case Operation::kVnc:
      if (s == S::kRunning) return Status::Ok();
      return ApiError::Make(errors::kInvalidInstanceState, instance.instance_id, StateName(s));
  }
  if (ok) return Status::Ok();
  return ApiError::Make(WrongStateCode(s), instance.instance_id, action);
}

Lifecycle ApplyOperation(Operation op, const Instance& instance, InstanceState s, TimeMs now,
                         const Durations& d) {
  using S = InstanceState;
  const Lifecycle& before = instance.lifecycle;
  Lifecycle l;
  l.timer_at = before.timer_at;
  l.gone_at = before.gone_at;
  switch (op) {
    case Operation::kStart:
      l.phases = {{S::kStarting, now + d.starting}};
      l.rest = S::kRunning;
      return l;
    case Operation::kStop:
      l.phases = {{S::kStopping, now + d.stopping}};
      l.rest = S::kStopped;
      return l;
    case Operation::kReboot:
      l.phases = {{S::kRebooting, now + d.rebooting}};
      l.rest = S::kRunning;
      return l;
    case Operation::kReset:
      l.phases = {{S::kRebooting, now + d.resetting}};
      l.rest = S::kRunning;
      return l;
    case Operation::kStopChangeStart:
      if (s == S::kStopped) {
        l.rest = S::kStopped;
      } else {  // RUNNING with force: stop, change, start again (D-107)
        l.phases = {{S::kStopping, now + d.stopping}, {S::kStarting, now + d.stopping + d.starting}};
        l.rest = S::kRunning;
      }
      return l;
    case Operation::kCreateImage:
      if (s == S::kStopped) {
        l.rest = S::kStopped;
      } else {  // RUNNING with force: stop, stay stopped while imaged, start again (D-114)
        TimeMs stopped = now + d.stopping, imaged = stopped + d.image_creating;
        l.phases = {{S::kStopping, stopped}, {S::kStopped, imaged}, {S::kStarting, imaged + d.starting}};
        l.rest = S::kRunning;
      }
      return l;
    case Operation::kTerminate:
      if (instance.charge_type == ChargeType::kPrepaid && s != S::kShutdown) {
        l.rest = S::kShutdown;  // isolated, still listed (D-108)
        return l;
      }
      return Terminated(before, now, d);
    case Operation::kModify:
    case Operation::kVnc:
      return before;
  }
  return before;
}

bool ChangeInProgress(const Lifecycle& l, InstanceState s) {
  // The lifecycle ApplyOperation gives kStopChangeStart on a RUNNING instance.
  bool stop_change_start = l.phases.size() == 2 && l.phases[0].state == InstanceState::kStopping &&
                           l.phases[1].state == InstanceState::kStarting &&
                           l.rest == InstanceState::kRunning;
  return stop_change_start && (s == InstanceState::kStopping || s == InstanceState::kStarting);
}

Lifecycle LaunchLifecycle(TimeMs now, const Durations& d, bool launch_fails) {
  Lifecycle l;
  l.phases = {{InstanceState::kPending, now + d.pending}};
  l.rest = launch_fails ? InstanceState::kLaunchFailed : InstanceState::kRunning;
  return l;
}

}  // namespace cvm::state
