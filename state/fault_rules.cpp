#include "state/fault_rules.h"

#include <algorithm>

#include "state/random.h"

namespace cvm::state {
namespace {

struct KindName {
  FaultKind kind;
  std::string_view name;
};
constexpr KindName kKindNames[] = {
    {FaultKind::kError, "error"},       {FaultKind::kLatency, "latency"},
    {FaultKind::kReset, "reset"},       {FaultKind::kClose, "close"},
    {FaultKind::kHold, "hold"},         {FaultKind::kGateway, "gateway"},
    {FaultKind::kTruncate, "truncate"}, {FaultKind::kMalformed, "malformed"},
    {FaultKind::kStuck, "stuck"},       {FaultKind::kHideNew, "hide_new"},
};

constexpr std::string_view kListingActions[] = {
    "DescribeInstances", "DescribeInstancesStatus", "DescribeImages",
    "DescribeKeyPairs",  "DescribeHosts",           "DescribeDisasterRecoverGroups",
};

// FNV-1a: a rule ID's stream number, the same on every platform and run.
uint64_t StreamNumber(std::string_view id) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : id) h = (h ^ c) * 0x100000001b3ULL;
  return h;
}

bool Matches(const FaultMatch& m, const FaultCall& call) {
  if (m.action != "*" && m.action != call.action) return false;
  if (m.app_id && *m.app_id != call.app_id) return false;
  if (!m.uin.empty() && m.uin != call.uin) return false;
  if (!m.secret_id.empty() && m.secret_id != call.secret_id) return false;
  if (!m.region.empty() && m.region != call.region) return false;
  if (!m.resource_id.empty() && call.target.find(m.resource_id) == std::string_view::npos &&
      call.body.find(m.resource_id) == std::string_view::npos) {
    return false;
  }
  return true;
}

// Uniform in [0, 1) from one draw.
double Unit(std::mt19937_64& stream) { return static_cast<double>(stream() >> 11) * 0x1p-53; }

}  // namespace

std::string_view FaultKindName(FaultKind kind) {
  for (const KindName& k : kKindNames) {
    if (k.kind == kind) return k.name;
  }
  return "error";
}

std::optional<FaultKind> FaultKindNamed(std::string_view name) {
  for (const KindName& k : kKindNames) {
    if (k.name == name) return k.kind;
  }
  return std::nullopt;
}

std::string FaultKindNames() {
  std::string out;
  for (const KindName& k : kKindNames) out += (out.empty() ? "" : ", ") + std::string(k.name);
  return out;
}

std::string HideNewActions() {
  std::string out;
  for (size_t i = 0; i < std::size(kListingActions); ++i) {
    if (i > 0) out += i + 1 == std::size(kListingActions) ? " and " : ", ";
    out += kListingActions[i];
  }
  return out;
}

bool HidesNewIn(std::string_view action) {
  return std::find(std::begin(kListingActions), std::end(kListingActions), action) !=
         std::end(kListingActions);
}

bool CanHoldPhase(InstanceState state) {
  switch (state) {
    case InstanceState::kPending:
    case InstanceState::kStarting:
    case InstanceState::kStopping:
    case InstanceState::kRebooting:
      return true;
    default:
      return false;
  }
}

void FaultRules::Reseed(uint64_t seed) {
  std::lock_guard lock(mutex_);
  seed_ = seed;
  for (Entry& e : entries_) e.stream = StreamFor(e.rule.id);
}

std::mt19937_64 FaultRules::StreamFor(const std::string& id) const {
  uint64_t seed = Random::DerivedSeed(seed_, StreamNumber(id));
  if (seed == 0) {
    std::random_device rd;
    seed = (static_cast<uint64_t>(rd()) << 32) ^ rd();
  }
  return std::mt19937_64(seed);
}

bool FaultRules::Add(std::vector<FaultRule> rules, std::string* error,
                     std::vector<std::string>* ids) {
  std::lock_guard lock(mutex_);
  auto taken = [&](const std::string& id, size_t before) {
    for (const Entry& e : entries_) {
      if (e.rule.id == id) return true;
    }
    for (size_t i = 0; i < before; ++i) {
      if (rules[i].id == id) return true;
    }
    return false;
  };
  for (size_t i = 0; i < rules.size(); ++i) {
    if (rules[i].id.empty()) {
      do {
        rules[i].id = "fault-" + std::to_string(next_id_++);
      } while (taken(rules[i].id, i));
    } else if (taken(rules[i].id, i)) {
      *error = "id " + rules[i].id + " is taken by another rule";
      return false;
    }
  }
  for (FaultRule& r : rules) {
    r.matched = r.fired = 0;
    if (ids) ids->push_back(r.id);
    std::mt19937_64 stream = StreamFor(r.id);
    entries_.push_back(Entry{std::move(r), stream});
  }
  has_rules_.store(!entries_.empty(), std::memory_order_release);
  return true;
}

bool FaultRules::Remove(std::string_view id) {
  std::lock_guard lock(mutex_);
  size_t removed = std::erase_if(entries_, [&](const Entry& e) { return e.rule.id == id; });
  has_rules_.store(!entries_.empty(), std::memory_order_release);
  return removed > 0;
}

void FaultRules::Clear() {
  std::lock_guard lock(mutex_);
  entries_.clear();
  next_id_ = 1;
  has_rules_.store(false, std::memory_order_release);
}

std::vector<FaultRule> FaultRules::rules() const {
  std::lock_guard lock(mutex_);
  std::vector<FaultRule> out;
  out.reserve(entries_.size());
  for (const Entry& e : entries_) out.push_back(e.rule);
  return out;
}

FaultDecision FaultRules::Evaluate(const FaultCall& call) {
  FaultDecision decision;
  if (!has_rules_.load(std::memory_order_acquire)) return decision;  // the common case
  std::lock_guard lock(mutex_);
  for (Entry& e : entries_) {
    FaultRule& r = e.rule;
    if (IsResourceFault(r.effect.kind) || !r.active() || !Matches(r.match, call)) continue;
    bool hide_new = r.effect.kind == FaultKind::kHideNew;
    if (hide_new && !HidesNewIn(call.action)) continue;  // "*" matches listings only
    ++r.matched;
    bool latency = r.effect.kind == FaultKind::kLatency;
    std::optional<FiredFault>& slot = latency    ? decision.latency
                                      : hide_new ? decision.hide_new
                                                 : decision.outcome;
    // A slot already taken: this rule is counted as matched, not drawn.
    if (slot.has_value()) continue;
    const FaultTrigger& t = r.trigger;
    if (t.from_ms && call.now < *t.from_ms) continue;
    if (t.until_ms && call.now >= *t.until_ms) continue;
    if (r.matched <= t.after) continue;
    if ((r.matched - t.after) % t.every_nth != 0) continue;
    // The draw is taken whenever the rule is a candidate, so a rule's Nth
    // candidate always gets its stream's Nth draw (D-211).
    if (Unit(e.stream) >= t.probability) continue;
    ++r.fired;
    FiredFault fired{r.id, r.effect, 0};
    if (latency) {
      fired.delay_ms = r.effect.delay_ms;
      if (r.effect.jitter_ms > 0) {
        fired.delay_ms += static_cast<int64_t>(e.stream() % static_cast<uint64_t>(r.effect.jitter_ms + 1));
      }
    }
    slot = std::move(fired);
  }
  return decision;
}

StateMask FaultRules::HeldPhases(int64_t app_id, std::string_view uin, std::string_view region,
                                 std::string_view instance_id, TimeMs now) const {
  if (!has_rules_.load(std::memory_order_acquire)) return 0;  // the common case
  StateMask held = 0;
  std::lock_guard lock(mutex_);
  for (const Entry& e : entries_) {
    const FaultRule& r = e.rule;
    if (r.effect.kind != FaultKind::kStuck) continue;
    const FaultMatch& m = r.match;
    if (m.app_id && *m.app_id != app_id) continue;
    if (!m.uin.empty() && m.uin != uin) continue;
    if (!m.region.empty() && m.region != region) continue;
    if (!m.resource_id.empty() && m.resource_id != instance_id) continue;
    if (r.trigger.from_ms && now < *r.trigger.from_ms) continue;
    if (r.trigger.until_ms && now >= *r.trigger.until_ms) continue;
    held |= MaskOf(r.effect.phase);
  }
  return held;
}

}  // namespace cvm::state
