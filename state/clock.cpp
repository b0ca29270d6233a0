#include "state/clock.h"

#include <chrono>
#include <cstdio>

namespace cvm::state {

TimeMs RealClock::NowMs() const {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

TimeMs VirtualClock::NowMs() const {
  std::lock_guard lock(mutex_);
  return s_.frozen ? s_.frozen_at_ms : base_.NowMs() + s_.offset_ms;
}

void VirtualClock::Set(TimeMs t) {
  std::lock_guard lock(mutex_);
  if (s_.frozen) {
    s_.frozen_at_ms = t;
  } else {
    s_.offset_ms = t - base_.NowMs();
  }
}

void VirtualClock::Advance(TimeMs delta) {
  std::lock_guard lock(mutex_);
  if (s_.frozen) {
    s_.frozen_at_ms += delta;
  } else {
    s_.offset_ms += delta;
  }
}

void VirtualClock::Freeze() {
  std::lock_guard lock(mutex_);
  if (s_.frozen) return;
  s_.frozen_at_ms = base_.NowMs() + s_.offset_ms;
  s_.frozen = true;
}

void VirtualClock::Resume() {
  std::lock_guard lock(mutex_);
  if (!s_.frozen) return;
  s_.offset_ms = s_.frozen_at_ms - base_.NowMs();
  s_.frozen = false;
}

void VirtualClock::Reset() {
  std::lock_guard lock(mutex_);
  s_ = Snapshot{};
}

VirtualClock::Snapshot VirtualClock::snapshot() const {
  std::lock_guard lock(mutex_);
  return s_;
}

void VirtualClock::Restore(const Snapshot& s) {
  std::lock_guard lock(mutex_);
  s_ = s;
}

// Howard Hinnant's civil-date algorithms.
int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

static void CivilFromDays(int64_t z, int64_t* y, unsigned* m, unsigned* d) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  *d = doy - (153 * mp + 2) / 5 + 1;
  *m = mp < 10 ? mp + 3 : mp - 9;
  *y = static_cast<int64_t>(yoe) + era * 400 + (*m <= 2);
}

std::string FormatIso8601(int64_t seconds) {
  int64_t days = seconds >= 0 ? seconds / 86400 : (seconds - 86399) / 86400;
  int64_t rem = seconds - days * 86400;
  int64_t y;
  unsigned m, d;
  CivilFromDays(days, &y, &m, &d);
  // Room for any value of the fields' types, so no output can be cut short
  // (and -Wformat-truncation can prove it).
  char buf[128];
  std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02lld:%02lld:%02lldZ",
                static_cast<long long>(y), m, d, static_cast<long long>(rem / 3600),
                static_cast<long long>(rem / 60 % 60), static_cast<long long>(rem % 60));
  return buf;
}

bool ParseIso8601(const std::string& text, int64_t* seconds) {
  int y, mo, d, h, mi, s, consumed = 0;
  if (std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &s,
                  &consumed) != 6) {
    return false;
  }
  std::string rest = text.substr(consumed);
  if (!rest.empty() && rest[0] == '.') {
    size_t i = 1;
    while (i < rest.size() && rest[i] >= '0' && rest[i] <= '9') ++i;
    rest = rest.substr(i);
  }
  if (rest != "Z" && rest != "+00:00" && rest != "") return false;
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) return false;
  *seconds = DaysFromCivil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s;
  return true;
}

}  // namespace cvm::state
