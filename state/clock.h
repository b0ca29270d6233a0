// Time is injected. Resource time (timestamps, transitions, expiry) comes from
// one VirtualClock that tests and users can set, advance, freeze and resume.
// Only the signature window reads real time, because clients sign with their
// own clocks.
#pragma once

#include <cstdint>
#include <mutex>
#include <string>

namespace cvm::state {

// Milliseconds since the Unix epoch.
using TimeMs = int64_t;

class Clock {
 public:
  virtual ~Clock() = default;
  virtual TimeMs NowMs() const = 0;
  int64_t NowSeconds() const { return NowMs() / 1000; }
};

// The machine's wall clock.
class RealClock : public Clock {
 public:
  TimeMs NowMs() const override;
};

// A clock a test sets by hand.
class FakeClock : public Clock {
 public:
  explicit FakeClock(TimeMs now = 1'500'000'000'000) : now_(now) {}
  TimeMs NowMs() const override { return now_; }
  void Set(TimeMs now) { now_ = now; }
  void Advance(TimeMs delta) { now_ += delta; }

 private:
  TimeMs now_;
};

// Emulator time: `base` plus an offset, or frozen at one instant.
// Thread-safe.
class VirtualClock : public Clock {
 public:
  struct Snapshot {
    TimeMs offset_ms = 0;      // virtual - base while running
    bool frozen = false;
    TimeMs frozen_at_ms = 0;   // meaningful iff frozen
  };

  explicit VirtualClock(const Clock& base) : base_(base) {}

  TimeMs NowMs() const override;

  // Jumps to `t`; if frozen, stays frozen at `t`.
  void Set(TimeMs t);
  // Moves forward by `delta` (which may be 0). REQUIRES: delta >= 0.
  void Advance(TimeMs delta);
  // Stops time at the current instant. No-op when already frozen.
  void Freeze();
  // Lets time run again from the frozen instant. No-op when running.
  void Resume();
  // Back to base time, running.
  void Reset();

  Snapshot snapshot() const;
  void Restore(const Snapshot& s);

 private:
  const Clock& base_;
  mutable std::mutex mutex_;
  Snapshot s_;
};

// "YYYY-MM-DDThh:mm:ssZ" for a time in seconds.
std::string FormatIso8601(int64_t seconds);
// Parses "YYYY-MM-DDThh:mm:ssZ" (also with a fractional part or "+00:00").
// Returns false on anything else.
bool ParseIso8601(const std::string& text, int64_t* seconds);
// Days since the epoch for a civil UTC date (proleptic Gregorian).
int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d);

}  // namespace cvm::state
