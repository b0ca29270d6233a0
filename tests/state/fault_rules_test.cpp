// Fault rules (state/fault_rules.h): matching, triggers, counters, the
// per-rule seeded draws, and one count under concurrent callers.
#include "state/fault_rules.h"

#include <doctest/doctest.h>

#include <atomic>
#include <thread>

#include "state/settings.h"

namespace {

using cvm::state::FaultCall;
using cvm::state::FaultKind;
using cvm::state::FaultRule;
using cvm::state::FaultRules;

FaultRule ErrorRule(std::string id, std::string action, std::string_view code = "InternalError") {
  FaultRule r;
  r.id = std::move(id);
  r.match.action = std::move(action);
  r.effect.kind = FaultKind::kError;
  r.effect.code = cvm::errors::FindByCode(code);
  return r;
}

void AddAll(FaultRules& rules, std::vector<FaultRule> list) {
  std::string error;
  REQUIRE(rules.Add(std::move(list), &error, nullptr));
}

FaultCall CallOf(std::string_view action) {
  FaultCall c;
  c.action = action;
  c.region = "ap-guangzhou";
  c.app_id = 1250000000;
  c.uin = "100000000001";
  return c;
}

// The ID of the rule whose outcome the call takes, or "".
std::string Fired(FaultRules& rules, const FaultCall& call) {
  auto d = rules.Evaluate(call);
  return d.outcome ? d.outcome->rule_id : "";
}

}  // namespace

TEST_CASE("Fault rules: a rule with probability 0 that matches first does not hide a later rule") {
  FaultRules rules(7);
  FaultRule never = ErrorRule("never", "RunInstances");
  never.trigger.probability = 0;
  FaultRule once = ErrorRule("once", "RunInstances", "ResourceInsufficient");
  once.trigger.count = 1;
  AddAll(rules, {never, once});
  auto d = rules.Evaluate(CallOf("RunInstances"));
  REQUIRE(d.outcome);
  CHECK(d.outcome->rule_id == "once");
  CHECK(d.outcome->effect.code->code == "ResourceInsufficient");
  CHECK(Fired(rules, CallOf("RunInstances")) == "");
  auto listed = rules.rules();
  CHECK(listed[0].matched == 2);
  CHECK(listed[0].fired == 0);
  CHECK(listed[1].matched == 1);
  CHECK(listed[1].fired == 1);
  CHECK_FALSE(listed[1].active());
}

TEST_CASE("Fault rules: the simple form through Settings is a rule, and probability 0 hides nothing") {
  cvm::state::Settings settings;
  settings.AddFault({"StopInstances", cvm::errors::FindByCode("InternalError"), -1, 0.0});
  settings.AddFault({"StopInstances", cvm::errors::FindByCode("ResourceInsufficient"), 1, 1.0});
  auto d = settings.fault_rules().Evaluate(CallOf("StopInstances"));
  REQUIRE(d.outcome);
  CHECK(d.outcome->effect.code->code == "ResourceInsufficient");
}

TEST_CASE("Fault rules: match by action, account, key, region and resource ID") {
  FaultRules rules(1);
  FaultRule r = ErrorRule("r", "*");
  r.match.app_id = 1250000000;
  r.match.uin = "100000000001";
  r.match.secret_id = "AKIDa";
  r.match.region = "ap-guangzhou";
  r.match.resource_id = "ins-12345678";
  AddAll(rules, {r});
  FaultCall c = CallOf("StopInstances");
  c.secret_id = "AKIDa";
  c.body = R"({"InstanceIds":["ins-12345678"]})";
  CHECK(Fired(rules, c) == "r");
  FaultCall other_id = c;
  other_id.body = R"({"InstanceIds":["ins-87654321"]})";
  CHECK(Fired(rules, other_id) == "");
  FaultCall in_url = other_id;
  in_url.target = "/?Action=StopInstances&InstanceIds.0=ins-12345678";
  CHECK(Fired(rules, in_url) == "r");
  FaultCall other_region = c;
  other_region.region = "ap-beijing";
  CHECK(Fired(rules, other_region) == "");
  FaultCall other_key = c;
  other_key.secret_id = "AKIDb";
  CHECK(Fired(rules, other_key) == "");
  FaultCall other_account = c;
  other_account.app_id = 1;
  CHECK(Fired(rules, other_account) == "");
  FaultCall other_uin = c;
  other_uin.uin = "2";
  CHECK(Fired(rules, other_uin) == "");
}

TEST_CASE("Fault rules: every Nth call, after N calls, and a window of emulator time") {
  FaultRules rules(1);
  FaultRule nth = ErrorRule("nth", "DescribeRegions");
  nth.trigger.every_nth = 3;
  nth.trigger.after = 2;
  AddAll(rules, {nth});
  std::string seen;
  for (int i = 0; i < 11; ++i) seen += Fired(rules, CallOf("DescribeRegions")).empty() ? '.' : 'F';
  // Calls 1-2 pass (after), then every third of the rest: calls 5, 8, 11.
  CHECK(seen == "....F..F..F");

  FaultRules windowed(1);
  FaultRule w = ErrorRule("w", "*");
  w.trigger.from_ms = 1000;
  w.trigger.until_ms = 2000;
  AddAll(windowed, {w});
  FaultCall c = CallOf("DescribeZones");
  c.now = 999;
  CHECK(Fired(windowed, c) == "");
  c.now = 1000;
  CHECK(Fired(windowed, c) == "w");
  c.now = 1999;
  CHECK(Fired(windowed, c) == "w");
  c.now = 2000;
  CHECK(Fired(windowed, c) == "");
}

TEST_CASE("Fault rules: the same seed fires the same sequence; a rule's draws do not depend on other rules") {
  auto sequence = [](uint64_t seed, bool with_other_rule) {
    FaultRules rules(seed);
    std::vector<FaultRule> list;
    if (with_other_rule) {
      FaultRule other = ErrorRule("other", "DescribeZones");
      other.trigger.probability = 0.5;
      list.push_back(other);
    }
    FaultRule half = ErrorRule("half", "DescribeRegions");
    half.trigger.probability = 0.5;
    list.push_back(half);
    std::string error;
    rules.Add(std::move(list), &error, nullptr);
    std::string seen;
    for (int i = 0; i < 64; ++i) {
      if (with_other_rule) rules.Evaluate(CallOf("DescribeZones"));
      seen += Fired(rules, CallOf("DescribeRegions")).empty() ? '.' : 'F';
    }
    return seen;
  };
  std::string a = sequence(42, false);
  CHECK(a == sequence(42, false));
  CHECK(a == sequence(42, true));
  CHECK(a != sequence(43, false));
  CHECK(a.find('F') != std::string::npos);
  CHECK(a.find('.') != std::string::npos);
}

TEST_CASE("Fault rules: latency and an outcome compose; a second outcome rule is counted, not drawn") {
  FaultRules rules(3);
  FaultRule slow;
  slow.id = "slow";
  slow.effect.kind = FaultKind::kLatency;
  slow.effect.delay_ms = 100;
  slow.effect.jitter_ms = 50;
  FaultRule first = ErrorRule("first", "*");
  FaultRule second = ErrorRule("second", "*");
  second.trigger.count = 1;
  AddAll(rules, {slow, first, second});
  auto d = rules.Evaluate(CallOf("DescribeRegions"));
  REQUIRE(d.latency);
  CHECK(d.latency->delay_ms >= 100);
  CHECK(d.latency->delay_ms <= 150);
  REQUIRE(d.outcome);
  CHECK(d.outcome->rule_id == "first");
  auto listed = rules.rules();
  CHECK(listed[2].matched == 1);
  CHECK(listed[2].fired == 0);
  CHECK(listed[2].active());
}

TEST_CASE("Fault rules: IDs are assigned, a taken ID is refused and nothing is added; delete and clear") {
  FaultRules rules(1);
  std::vector<std::string> ids;
  std::string error;
  REQUIRE(rules.Add({ErrorRule("", "*"), ErrorRule("mine", "*")}, &error, &ids));
  CHECK(ids == std::vector<std::string>{"fault-1", "mine"});
  CHECK_FALSE(rules.Add({ErrorRule("new", "*"), ErrorRule("mine", "*")}, &error, nullptr));
  CHECK(error == "id mine is taken by another rule");
  CHECK(rules.rules().size() == 2);
  CHECK(rules.Remove("mine"));
  CHECK_FALSE(rules.Remove("mine"));
  CHECK(rules.rules().size() == 1);
  rules.Clear();
  CHECK(rules.empty());
}

TEST_CASE("Fault rules: a count-1 rule fires exactly once under 16 concurrent callers") {
  FaultRules rules(5);
  FaultRule once = ErrorRule("once", "RunInstances");
  once.trigger.count = 1;
  AddAll(rules, {once});
  std::atomic<int> fired{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 16; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 50; ++i) {
        if (rules.Evaluate(CallOf("RunInstances")).outcome) ++fired;
      }
    });
  }
  for (auto& t : threads) t.join();
  CHECK(fired == 1);
  CHECK(rules.rules()[0].fired == 1);
}

TEST_CASE("Fault rules: a stuck rule holds its phase for the instance it names, in its window, and is never a call's fault") {
  using cvm::state::InstanceState;
  using cvm::state::MaskOf;
  FaultRules rules;
  FaultRule stuck;
  stuck.id = "stuck";
  stuck.match.region = "ap-guangzhou";
  stuck.match.resource_id = "ins-00000001";
  stuck.effect.kind = FaultKind::kStuck;
  stuck.effect.phase = InstanceState::kStopping;
  stuck.trigger.until_ms = 5000;
  std::string error;
  REQUIRE(rules.Add({stuck}, &error, nullptr));
  CHECK(rules.HeldPhases(1, "u", "ap-guangzhou", "ins-00000001", 0) == MaskOf(InstanceState::kStopping));
  CHECK(rules.HeldPhases(1, "u", "ap-guangzhou", "ins-00000002", 0) == 0);
  CHECK(rules.HeldPhases(1, "u", "ap-shanghai", "ins-00000001", 0) == 0);
  CHECK(rules.HeldPhases(1, "u", "ap-guangzhou", "ins-00000001", 5000) == 0);
  FaultCall call;
  call.action = "StopInstances";
  call.region = "ap-guangzhou";
  call.body = "ins-00000001";
  CHECK(rules.Evaluate(call).empty());
  CHECK(rules.rules().front().matched == 0);
}

TEST_CASE("Lifecycle: a held phase does not end once reached; phases before it still do") {
  using cvm::state::InstanceState;
  using cvm::state::Lifecycle;
  using cvm::state::MaskOf;
  Lifecycle l;
  l.phases = {{InstanceState::kStopping, 100}, {InstanceState::kStarting, 200}};
  l.rest = InstanceState::kRunning;
  CHECK(l.Observe(300, MaskOf(InstanceState::kStarting)) == InstanceState::kStarting);
  CHECK(l.Observe(50, MaskOf(InstanceState::kStarting)) == InstanceState::kStopping);
  CHECK(l.Observe(300, MaskOf(InstanceState::kStopping)) == InstanceState::kStopping);
  CHECK(l.Observe(300, MaskOf(InstanceState::kRebooting)) == InstanceState::kRunning);
  CHECK(l.Observe(300) == InstanceState::kRunning);
}

TEST_CASE("Fault rules: a hide_new rule fires for the listing actions only, in its own slot, with its triggers") {
  FaultRules rules(7);
  FaultRule hide;
  hide.id = "lag";
  hide.effect.kind = FaultKind::kHideNew;
  hide.effect.seconds = 30;
  hide.trigger.count = 2;
  FaultRule error = ErrorRule("boom", "DescribeKeyPairs");
  AddAll(rules, {hide, error});
  // "*" covers the six listings, not other actions: not even counted.
  CHECK(rules.Evaluate(CallOf("RunInstances")).empty());
  CHECK(rules.Evaluate(CallOf("DescribeInstanceVncUrl")).empty());
  CHECK(rules.rules()[0].matched == 0);
  auto d = rules.Evaluate(CallOf("DescribeKeyPairs"));
  REQUIRE(d.hide_new);
  CHECK(d.hide_new->rule_id == "lag");
  CHECK(d.hide_new_ms() == 30'000);
  REQUIRE(d.outcome);  // an error rule for the same call takes its own slot
  CHECK(d.outcome->rule_id == "boom");
  CHECK(rules.Evaluate(CallOf("DescribeDisasterRecoverGroups")).hide_new_ms() == 30'000);
  // The count is spent: the third listing sees everything.
  auto third = rules.Evaluate(CallOf("DescribeInstances"));
  CHECK_FALSE(third.hide_new);
  CHECK(third.hide_new_ms() == 0);
  CHECK(rules.rules()[0].fired == 2);
  CHECK_FALSE(rules.rules()[0].active());
}

TEST_CASE("Fault rules: the first hide_new rule that fires decides; a window of emulator time and an account") {
  FaultRules rules(7);
  FaultRule other_account;
  other_account.id = "other";
  other_account.match.app_id = 1250000001;
  other_account.effect.kind = FaultKind::kHideNew;
  other_account.effect.seconds = 600;
  FaultRule windowed;
  windowed.id = "windowed";
  windowed.match.action = "DescribeImages";
  windowed.effect.kind = FaultKind::kHideNew;
  windowed.effect.seconds = 5;
  windowed.trigger.from_ms = 1000;
  windowed.trigger.until_ms = 2000;
  FaultRule later;
  later.id = "later";
  later.effect.kind = FaultKind::kHideNew;
  later.effect.seconds = 60;
  AddAll(rules, {other_account, windowed, later});
  FaultCall call = CallOf("DescribeImages");  // app 1250000000
  call.now = 1500;
  CHECK(rules.Evaluate(call).hide_new->rule_id == "windowed");
  call.now = 2000;
  CHECK(rules.Evaluate(call).hide_new->rule_id == "later");
  call.app_id = 1250000001;
  CHECK(rules.Evaluate(call).hide_new->rule_id == "other");
  CHECK(cvm::state::HidesNewIn("DescribeInstancesStatus"));
  CHECK_FALSE(cvm::state::HidesNewIn("DescribeZones"));
}
