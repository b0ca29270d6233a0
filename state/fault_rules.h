// Fault rules (POST /_emulator/faults; README "Fault injection"): each rule
// has an ID, a match (which calls it looks at), a trigger (which of those it
// fires on) and an effect (what a firing does to the call). Every matching
// rule is considered for every call (docs/decisions.md D-210); a call takes
// at most one outcome (an error, or a transport fault), at most one latency
// and at most one hide_new (a Describe call's, D-219), each from the first
// rule, in the order the rules were added, that fires for it.
// Thread-safe. With no rules, Evaluate costs one atomic load.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "schema/errors.h"
#include "state/clock.h"
#include "state/instance.h"

namespace cvm::state {

// Which calls a rule looks at. Empty / unset fields match anything.
struct FaultMatch {
  std::string action = "*";        // an action's name, or "*"
  std::optional<int64_t> app_id;   // the caller's account
  std::string uin;
  std::string secret_id;           // the key the call was signed with
  std::string region;
  std::string resource_id;         // appears anywhere in the request (URL or body)
};

// Which of the matching calls the rule fires on: all of these must agree.
struct FaultTrigger {
  int64_t count = -1;              // fires at most this often; -1: until deleted
  double probability = 1.0;        // each remaining candidate, drawn from the rule's stream
  int64_t every_nth = 1;           // the Nth, 2Nth, … candidate (after `after`)
  int64_t after = 0;               // the first `after` matching calls go through
  std::optional<TimeMs> from_ms;   // emulator time window [from, until)
  std::optional<TimeMs> until_ms;
};

enum class FaultKind {
  kError,      // an API error, HTTP 200 (code, message)
  kLatency,    // a delay before the answer (delay_ms, jitter_ms)
  kReset,      // the connection is reset (TCP RST), no answer
  kClose,      // the connection is closed, no answer
  kHold,       // no answer; closed after hold_ms (the client gives up first)
  kGateway,    // HTTP 502/503/504 with an HTML body, as a gateway answers
  kTruncate,   // the answer cut in half
  kMalformed,  // an answer that is not JSON
  // Resource faults: not fired by calls but looked up when state is read.
  kStuck,      // an instance's transition `phase` does not end (D-218)
  // Fired by a Describe call (HidesNewIn): resources created less than
  // `seconds` ago are left out of its answer (eventual consistency, D-219).
  kHideNew,
};

// The effect's name as the control endpoint and the log say it ("error", …).
std::string_view FaultKindName(FaultKind kind);
// The kind named `name`, or nullopt.
std::optional<FaultKind> FaultKindNamed(std::string_view name);
// Every kind's name, in order: "error, latency, …, hide_new" (for messages).
std::string FaultKindNames();

struct FaultEffect {
  FaultKind kind = FaultKind::kError;
  // The request is applied and committed first, then the effect acts on the
  // answer (kError, kReset, kClose, kHold, kGateway, kTruncate, kMalformed).
  bool after_commit = false;
  const ErrorSpec* code = nullptr;  // kError
  std::string message;              // kError; empty: the error table's template
  int http_status = 503;            // kGateway
  int64_t delay_ms = 0;             // kLatency: fixed part
  int64_t jitter_ms = 0;            // kLatency: plus uniform [0, jitter]
  int64_t hold_ms = 30'000;         // kHold
  InstanceState phase = InstanceState::kStopping;  // kStuck
  int64_t seconds = 0;              // kHideNew: how long a new resource stays unseen
};

// True iff `kind` acts on resources as state is read, not on calls.
inline bool IsResourceFault(FaultKind kind) { return kind == FaultKind::kStuck; }

// The transitional states a stuck rule may hold (D-218).
bool CanHoldPhase(InstanceState state);

// A set of instance states, one bit each (1 << state).
using StateMask = uint32_t;
inline StateMask MaskOf(InstanceState s) { return StateMask{1} << static_cast<int>(s); }

// The longest latency and hold a rule may ask for (D-214).
inline constexpr int64_t kMaxFaultDelayMs = 300'000;
// The longest a hide_new rule may keep a new resource unseen: a day (D-219).
inline constexpr int64_t kMaxHideNewSeconds = 86'400;

// True iff `action` answers with a listing a hide_new rule acts on:
// DescribeInstances, DescribeInstancesStatus, DescribeImages,
// DescribeKeyPairs, DescribeHosts, DescribeDisasterRecoverGroups (D-219).
bool HidesNewIn(std::string_view action);
// Those actions, for messages: "DescribeInstances, … and
// DescribeDisasterRecoverGroups".
std::string HideNewActions();

struct FaultRule {
  std::string id;  // given, or assigned ("fault-1", …)
  FaultMatch match;
  FaultTrigger trigger;
  FaultEffect effect;
  // Counters (read-only for callers of Add).
  int64_t matched = 0;  // calls that matched
  int64_t fired = 0;    // calls it acted on
  bool active() const { return trigger.count < 0 || fired < trigger.count; }
};

// What the rules see of one call (after it was authenticated and validated).
struct FaultCall {
  std::string_view action, region, secret_id, uin;
  int64_t app_id = 0;
  std::string_view target, body;  // searched for a rule's resource_id
  TimeMs now = 0;                 // emulator time
};

// One rule that fired for a call.
struct FiredFault {
  std::string rule_id;
  FaultEffect effect;
  int64_t delay_ms = 0;  // kLatency: the drawn delay
};

// What the rules decided for one call.
struct FaultDecision {
  std::optional<FiredFault> outcome;  // error or transport fault
  std::optional<FiredFault> latency;
  std::optional<FiredFault> hide_new;  // a listing leaves out new resources (D-219)
  bool empty() const { return !outcome && !latency && !hide_new; }
  // How long, in emulator milliseconds, a new resource stays out of this
  // call's answer; 0 when no hide_new rule fired.
  TimeMs hide_new_ms() const { return hide_new ? hide_new->effect.seconds * 1000 : 0; }
  // The outcome, if it acts before dispatch (nothing is applied).
  const FiredFault* before_dispatch() const {
    return outcome && !outcome->effect.after_commit ? &*outcome : nullptr;
  }
  const FiredFault* after_commit() const {
    return outcome && outcome->effect.after_commit ? &*outcome : nullptr;
  }
};

class FaultRules {
 public:
  // `seed` fixes every rule's draws (0: seeded from the operating system).
  explicit FaultRules(uint64_t seed = 0) : seed_(seed) {}
  FaultRules(const FaultRules&) = delete;
  FaultRules& operator=(const FaultRules&) = delete;

  void Reseed(uint64_t seed);

  // Adds `rules` (all or none): false with *error set iff an ID is taken
  // (by a rule here or earlier in `rules`). Rules without an ID get one.
  // Returns the IDs, in order, through `ids` (may be null).
  bool Add(std::vector<FaultRule> rules, std::string* error, std::vector<std::string>* ids);
  // False iff no rule has `id`.
  bool Remove(std::string_view id);
  void Clear();
  std::vector<FaultRule> rules() const;
  // True iff there are no rules (one atomic load).
  bool empty() const { return !has_rules_.load(std::memory_order_acquire); }

  // Considers every rule for `call`, counting matches and firings. Resource
  // faults (IsResourceFault) are never considered, nor hide_new rules for
  // an action that is not HidesNewIn.
  FaultDecision Evaluate(const FaultCall& call);

  // The phases active stuck rules hold for instance `instance_id` of
  // (app_id, uin, region) at emulator time `now` (D-218). 0 when there are
  // none (one atomic load when there are no rules).
  StateMask HeldPhases(int64_t app_id, std::string_view uin, std::string_view region,
                       std::string_view instance_id, TimeMs now) const;

 private:
  struct Entry {
    FaultRule rule;
    std::mt19937_64 stream;  // this rule's draws (seed and ID fix it)
  };
  std::mt19937_64 StreamFor(const std::string& id) const;  // REQUIRES: mutex_ held

  mutable std::mutex mutex_;
  uint64_t seed_;
  int64_t next_id_ = 1;
  std::vector<Entry> entries_;
  std::atomic<bool> has_rules_{false};
};

}  // namespace cvm::state
