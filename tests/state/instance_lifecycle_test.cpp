// The instance state machine (state/instance_lifecycle.h, the document's
// action descriptions, D-105..D-109, D-114, D-118): which operation each observed state
// allows, the exact code for the others, and the timeline each allowed
// operation starts. Every time is an explicit TimeMs; nothing reads a clock.
#include <doctest/doctest.h>

#include <optional>
#include <string>
#include <vector>

#include "state/instance.h"
#include "state/instance_lifecycle.h"
#include "state/setting_values.h"
#include "tests/state/test_durations.h"

namespace {

using cvm::state::ApplyOperation;
using cvm::state::CheckOperation;
using cvm::state::Durations;
using cvm::state::Instance;
using cvm::state::InstanceState;
using cvm::state::LaunchLifecycle;
using cvm::state::Lifecycle;
using cvm::state::Operation;
using cvm::state::ParseState;
using cvm::state::Phase;
using cvm::state::StateName;
using cvm::state::TimeMs;
using S = InstanceState;

constexpr TimeMs kNow = 1'700'000'000'000;
constexpr TimeMs kLongAfter = 1'000'000'000;  // far beyond every duration

using cvm::testing::TestDurations;

// The nine states a client can observe, in the matrix's column order.
constexpr InstanceState kObservedStates[] = {S::kPending,  S::kLaunchFailed, S::kRunning,
                                             S::kStopped,  S::kStarting,     S::kStopping,
                                             S::kRebooting, S::kShutdown,    S::kTerminating};

// A stored lifecycle that is observed in `state` at kNow. Transitional states
// end 1.5 s after kNow; resting states keep a phase that already ended, as a
// record that went through a transition does.
Lifecycle ObservedAs(InstanceState state) {
  Lifecycle l;
  switch (state) {
    case S::kPending: l.phases = {{S::kPending, kNow + 1'500}}; l.rest = S::kRunning; break;
    case S::kLaunchFailed: l.phases = {{S::kPending, kNow - 500}}; l.rest = S::kLaunchFailed; break;
    case S::kRunning: l.rest = S::kRunning; break;
    case S::kStopped: l.phases = {{S::kStopping, kNow - 500}}; l.rest = S::kStopped; break;
    case S::kStarting: l.phases = {{S::kStarting, kNow + 1'500}}; l.rest = S::kRunning; break;
    case S::kStopping: l.phases = {{S::kStopping, kNow + 1'500}}; l.rest = S::kStopped; break;
    case S::kRebooting: l.phases = {{S::kRebooting, kNow + 1'500}}; l.rest = S::kRunning; break;
    case S::kShutdown: l.rest = S::kShutdown; break;
    case S::kTerminating:
      l.phases = {{S::kTerminating, kNow + 1'500}};
      l.rest = S::kGone;
      l.gone_at = kNow + 1'500;
      break;
    case S::kGone: l.rest = S::kGone; l.gone_at = kNow - 1; break;
  }
  return l;
}

Instance MakeInstance(const std::string& charge_type, const Lifecycle& lifecycle) {
  Instance in;
  in.app_id = 1250000000;
  in.region = "ap-guangzhou";
  in.instance_id = "ins-lc000001";
  in.charge_type = *cvm::state::ParseName<cvm::state::ChargeType>(charge_type);
  in.lifecycle = lifecycle;
  return in;
}

// Everything a lifecycle holds, as one comparable line.
std::string Describe(const Lifecycle& l) {
  return "phases=" + l.EncodePhases() + " rest=" + StateName(l.rest) +
         " timer_at=" + (l.timer_at ? std::to_string(*l.timer_at) : "null") +
         " gone_at=" + (l.gone_at ? std::to_string(*l.gone_at) : "null");
}

// The exact code for an operation refused in `state` (D-105).
std::string WrongStateCodeOf(InstanceState state) {
  switch (state) {
    case S::kPending: return "UnsupportedOperation.InstanceStatePending";
    case S::kLaunchFailed: return "UnsupportedOperation.InstanceStateLaunchFailed";
    case S::kRunning: return "UnsupportedOperation.InstanceStateRunning";
    case S::kStopped: return "UnsupportedOperation.InstanceStateStopped";
    case S::kStarting: return "UnsupportedOperation.InstanceStateStarting";
    case S::kStopping: return "UnsupportedOperation.InstanceStateStopping";
    case S::kRebooting: return "UnsupportedOperation.InstanceStateRebooting";
    case S::kShutdown: return "UnsupportedOperation.InstanceStateShutdown";
    case S::kTerminating: return "UnsupportedOperation.InstanceStateTerminating";
    case S::kGone: return "UnsupportedOperation.InstanceStateTerminating";
  }
  return "";
}

// ---------------------------------------------------------------------------
// The whole matrix: which observed state each operation allows.
// Y = allowed; n = refused with the wrong-state code (InvalidInstanceState for
// DescribeInstanceVncUrl).
constexpr bool Y = true;
constexpr bool n = false;

struct Row {
  const char* label;
  Operation op;
  bool force;               // ForceStop / ForcePoweroff
  const char* charge_type;  // matters for TerminateInstances only
  const char* action;
  bool allowed[9];          // in kObservedStates order
};

// clang-format off
const Row kMatrix[] = {
  //                                                                                          PEND LFAIL RUN STOPD STRTG STOPG REBT SHUT TERM
  {"Start",                     Operation::kStart,           false, "POSTPAID_BY_HOUR", "StartInstances",           {n,   n,    n,  Y,    n,    n,    n,   n,   n}},
  {"Stop",                      Operation::kStop,            false, "POSTPAID_BY_HOUR", "StopInstances",            {n,   n,    Y,  n,    n,    n,    n,   n,   n}},
  {"Reboot",                    Operation::kReboot,          false, "POSTPAID_BY_HOUR", "RebootInstances",          {n,   n,    Y,  n,    n,    n,    n,   n,   n}},
  {"Reset (D-106)",             Operation::kReset,           false, "POSTPAID_BY_HOUR", "ResetInstance",            {n,   n,    Y,  Y,    n,    n,    n,   n,   n}},
  {"StopChangeStart (D-107)",   Operation::kStopChangeStart, false, "POSTPAID_BY_HOUR", "ResetInstancesPassword",   {n,   n,    n,  Y,    n,    n,    n,   n,   n}},
  {"StopChangeStart, forced",   Operation::kStopChangeStart, true,  "POSTPAID_BY_HOUR", "ResetInstancesPassword",   {n,   n,    Y,  Y,    n,    n,    n,   n,   n}},
  {"Terminate POSTPAID (D-108)", Operation::kTerminate,      false, "POSTPAID_BY_HOUR", "TerminateInstances",       {n,   Y,    Y,  Y,    n,    n,    n,   n,   n}},
  {"Terminate PREPAID (D-108)",  Operation::kTerminate,      false, "PREPAID",          "TerminateInstances",       {n,   Y,    Y,  Y,    n,    n,    n,   Y,   n}},
  {"Modify",                    Operation::kModify,          false, "POSTPAID_BY_HOUR", "ModifyInstancesAttribute", {Y,   Y,    Y,  Y,    Y,    Y,    Y,   Y,   n}},
  {"Vnc",                       Operation::kVnc,             false, "POSTPAID_BY_HOUR", "DescribeInstanceVncUrl",   {n,   n,    Y,  n,    n,    n,    n,   n,   n}},
  {"CreateImage (D-114)",       Operation::kCreateImage,     false, "POSTPAID_BY_HOUR", "CreateImage",              {n,   n,    n,  Y,    n,    n,    n,   n,   n}},
  {"CreateImage, forced",       Operation::kCreateImage,     true,  "POSTPAID_BY_HOUR", "CreateImage",              {n,   n,    Y,  Y,    n,    n,    n,   n,   n}},
};
// clang-format on

// One step of an expected timeline: from `at` ms after the operation on, the
// instance is observed in `state` (until the next step's `at`).
struct Step {
  TimeMs at;
  InstanceState state;
};

// The timeline an allowed operation starts, or nullopt when it leaves the
// lifecycle exactly as it was (Modify, Vnc).
std::optional<std::vector<Step>> ExpectedTimeline(const Row& row, const std::string& charge_type,
                                                  InstanceState from, const Durations& d) {
  switch (row.op) {
    case Operation::kStart: return std::vector<Step>{{0, S::kStarting}, {d.starting, S::kRunning}};
    case Operation::kStop: return std::vector<Step>{{0, S::kStopping}, {d.stopping, S::kStopped}};
    case Operation::kReboot:
      return std::vector<Step>{{0, S::kRebooting}, {d.rebooting, S::kRunning}};
    case Operation::kReset:  // reinstalling shows REBOOTING and ends RUNNING, even from STOPPED
      return std::vector<Step>{{0, S::kRebooting}, {d.resetting, S::kRunning}};
    case Operation::kStopChangeStart:
      if (from == S::kStopped) return std::vector<Step>{{0, S::kStopped}};
      return std::vector<Step>{{0, S::kStopping},
                               {d.stopping, S::kStarting},
                               {d.stopping + d.starting, S::kRunning}};
    case Operation::kCreateImage:  // stays STOPPED while the image is taken
      if (from == S::kStopped) return std::vector<Step>{{0, S::kStopped}};
      return std::vector<Step>{{0, S::kStopping},
                               {d.stopping, S::kStopped},
                               {d.stopping + d.image_creating, S::kStarting},
                               {d.stopping + d.image_creating + d.starting, S::kRunning}};
    case Operation::kTerminate:
      if (charge_type == "PREPAID" && from != S::kShutdown) return std::vector<Step>{{0, S::kShutdown}};
      return std::vector<Step>{{0, S::kTerminating}, {d.terminating, S::kGone}};
    case Operation::kModify:
    case Operation::kVnc: return std::nullopt;
  }
  return std::nullopt;
}

void CheckTimeline(const Lifecycle& l, const std::vector<Step>& steps) {
  for (size_t i = 0; i < steps.size(); ++i) {
    const Step& s = steps[i];
    bool visible = s.state != S::kGone;
    CAPTURE(i);
    CHECK(StateName(l.Observe(kNow + s.at)) == std::string(StateName(s.state)));
    CHECK(StateName(l.Observe(kNow + s.at + 1)) == std::string(StateName(s.state)));
    CHECK(l.Visible(kNow + s.at) == visible);
    if (i + 1 < steps.size()) {
      TimeMs end = kNow + steps[i + 1].at;
      CHECK(StateName(l.Observe(end - 1)) == std::string(StateName(s.state)));
      CHECK(l.Visible(end - 1) == visible);
    } else {
      CHECK(StateName(l.Observe(kNow + s.at + kLongAfter)) == std::string(StateName(s.state)));
      CHECK(l.Visible(kNow + s.at + kLongAfter) == visible);
    }
  }
}

// Checks one cell of the matrix with one spelling of force and charge type.
void CheckCell(const Row& row, size_t column, bool force, const std::string& charge_type) {
  InstanceState from = kObservedStates[column];
  bool allowed = row.allowed[column];
  INFO("row.label := " << std::string(row.label));
  INFO("StateName(from) := " << std::string(StateName(from)));
  CAPTURE(force);
  CAPTURE(charge_type);
  Instance in = MakeInstance(charge_type, ObservedAs(from));
  REQUIRE(in.Observe(kNow) == from);

  auto status = CheckOperation(row.op, in, from, force, row.action);
  if (!allowed) {
    REQUIRE_FALSE(status.ok());
    if (row.op == Operation::kVnc) {
      CHECK(status.error().code() == "InvalidInstanceState");
      CHECK(status.error().message() == "The instance ins-lc000001 is in state " +
                                            std::string(StateName(from)) +
                                            ", which does not allow this operation.");
    } else {
      CHECK(status.error().code() == WrongStateCodeOf(from));
      CHECK(status.error().message() == "The instance ins-lc000001 is " +
                                            std::string(StateName(from)) +
                                            ", which does not allow " + row.action + ".");
    }
    return;
  }
  REQUIRE(status.ok());
  Durations d = TestDurations();
  Lifecycle after = ApplyOperation(row.op, in, from, kNow, d);
  auto timeline = ExpectedTimeline(row, charge_type, from, d);
  if (!timeline) {
    CHECK(Describe(after) == Describe(in.lifecycle));
  } else {
    CheckTimeline(after, *timeline);
  }
}

bool ForceMatters(Operation op) {
  return op == Operation::kStopChangeStart || op == Operation::kCreateImage;
}

TEST_CASE("CheckOperation and ApplyOperation: every operation against every observed state follows the matrix") {
  int cells = 0;
  for (const Row& row : kMatrix) {
    for (size_t column = 0; column < std::size(kObservedStates); ++column) {
      CheckCell(row, column, row.force, row.charge_type);
      ++cells;
      // Operations without a force flag ignore it; only TerminateInstances
      // looks at the charge type.
      if (!ForceMatters(row.op)) CheckCell(row, column, !row.force, row.charge_type);
      if (row.op != Operation::kTerminate) CheckCell(row, column, row.force, "PREPAID");
      // SPOTPAID and CDHPAID instances terminate like POSTPAID_BY_HOUR ones (D-108).
      if (row.op == Operation::kTerminate && std::string(row.charge_type) == "POSTPAID_BY_HOUR") {
        CheckCell(row, column, row.force, "SPOTPAID");
        CheckCell(row, column, row.force, "CDHPAID");
      }
    }
  }
  CHECK(cells == 12 * 9);
}

TEST_CASE("CheckOperation: the matrix names every observed state once and every operation") {
  CHECK(std::size(kObservedStates) == 9);
  for (size_t i = 0; i < std::size(kObservedStates); ++i) {
    for (size_t j = i + 1; j < std::size(kObservedStates); ++j) {
      CHECK(kObservedStates[i] != kObservedStates[j]);
    }
  }
  for (Operation op : {Operation::kStart, Operation::kStop, Operation::kReboot, Operation::kReset,
                       Operation::kStopChangeStart, Operation::kTerminate, Operation::kModify,
                       Operation::kVnc, Operation::kCreateImage}) {
    bool listed = false;
    for (const Row& row : kMatrix) listed = listed || row.op == op;
    CHECK(listed);
  }
}

TEST_CASE("StopInstances: a RUNNING instance is STOPPING from now until now+stopping, then STOPPED") {
  Durations d = TestDurations();
  Instance in = MakeInstance("POSTPAID_BY_HOUR", ObservedAs(S::kRunning));
  Lifecycle l = ApplyOperation(Operation::kStop, in, S::kRunning, kNow, d);
  CHECK(l.Observe(kNow) == S::kStopping);
  CHECK(l.Observe(kNow + 6'999) == S::kStopping);
  CHECK(l.Observe(kNow + 7'000) == S::kStopped);
  CHECK(l.Visible(kNow + kLongAfter));
}

TEST_CASE("ResetInstancesPassword with ForceStop: a RUNNING instance stops, then starts again, and ends RUNNING") {
  Durations d = TestDurations();
  Instance in = MakeInstance("POSTPAID_BY_HOUR", ObservedAs(S::kRunning));
  REQUIRE(CheckOperation(Operation::kStopChangeStart, in, S::kRunning, true, "ResetInstancesPassword").ok());
  Lifecycle l = ApplyOperation(Operation::kStopChangeStart, in, S::kRunning, kNow, d);
  CHECK(l.Observe(kNow) == S::kStopping);
  CHECK(l.Observe(kNow + 6'999) == S::kStopping);
  CHECK(l.Observe(kNow + 7'000) == S::kStarting);
  CHECK(l.Observe(kNow + 9'999) == S::kStarting);
  CHECK(l.Observe(kNow + 10'000) == S::kRunning);
}

TEST_CASE("ResetInstancesPassword: a STOPPED instance stays STOPPED, with or without ForceStop") {
  Durations d = TestDurations();
  Instance in = MakeInstance("POSTPAID_BY_HOUR", ObservedAs(S::kStopped));
  for (bool force : {false, true}) {
    CAPTURE(force);
    REQUIRE(CheckOperation(Operation::kStopChangeStart, in, S::kStopped, force, "ResetInstancesPassword").ok());
    Lifecycle l = ApplyOperation(Operation::kStopChangeStart, in, S::kStopped, kNow, d);
    CHECK(l.Observe(kNow) == S::kStopped);
    CHECK(l.Observe(kNow + kLongAfter) == S::kStopped);
  }
}

TEST_CASE("TerminateInstances: a POSTPAID_BY_HOUR instance is TERMINATING until now+terminating, then gone and invisible") {
  Durations d = TestDurations();
  Instance in = MakeInstance("POSTPAID_BY_HOUR", ObservedAs(S::kRunning));
  Lifecycle l = ApplyOperation(Operation::kTerminate, in, S::kRunning, kNow, d);
  CHECK(l.Observe(kNow) == S::kTerminating);
  CHECK(l.Observe(kNow + 22'999) == S::kTerminating);
  CHECK(l.Visible(kNow + 22'999));
  CHECK(l.Observe(kNow + 23'000) == S::kGone);
  CHECK_FALSE(l.Visible(kNow + 23'000));
  REQUIRE(l.gone_at.has_value());
  CHECK(*l.gone_at == kNow + 23'000);
}

TEST_CASE("TerminateInstances: a PREPAID instance is SHUTDOWN at once and stays listed; terminated again it is TERMINATING, then gone") {
  Durations d = TestDurations();
  Instance in = MakeInstance("PREPAID", ObservedAs(S::kRunning));
  Lifecycle shut = ApplyOperation(Operation::kTerminate, in, S::kRunning, kNow, d);
  CHECK(shut.Observe(kNow) == S::kShutdown);
  CHECK(shut.Observe(kNow + kLongAfter) == S::kShutdown);
  CHECK(shut.Visible(kNow + kLongAfter));
  CHECK_FALSE(shut.gone_at.has_value());

  const TimeMs later = kNow + 60'000;
  in.lifecycle = shut;
  REQUIRE(CheckOperation(Operation::kTerminate, in, S::kShutdown, false, "TerminateInstances").ok());
  Lifecycle gone = ApplyOperation(Operation::kTerminate, in, S::kShutdown, later, d);
  CHECK(gone.Observe(later) == S::kTerminating);
  CHECK(gone.Observe(later + 22'999) == S::kTerminating);
  CHECK(gone.Observe(later + 23'000) == S::kGone);
  CHECK_FALSE(gone.Visible(later + 23'000));
}

TEST_CASE("TerminateInstances: a POSTPAID_BY_HOUR instance in SHUTDOWN is refused with InstanceStateShutdown") {
  Instance in = MakeInstance("POSTPAID_BY_HOUR", ObservedAs(S::kShutdown));
  auto status = CheckOperation(Operation::kTerminate, in, S::kShutdown, false, "TerminateInstances");
  REQUIRE_FALSE(status.ok());
  CHECK(status.error().code() == "UnsupportedOperation.InstanceStateShutdown");
}

TEST_CASE("WrongStateCode: each observed state has its own code, and a gone instance counts as terminating") {
  for (InstanceState s : kObservedStates) {
    INFO("StateName(s) := " << std::string(StateName(s)));
    CHECK(std::string(cvm::state::WrongStateCode(s).code) == WrongStateCodeOf(s));
  }
  CHECK(std::string(cvm::state::WrongStateCode(S::kGone).code) ==
        "UnsupportedOperation.InstanceStateTerminating");
}

// --- Launch ------------------------------------------------------------------

TEST_CASE("LaunchLifecycle: a new instance is PENDING until now+pending, then RUNNING") {
  Durations d = TestDurations();
  Lifecycle l = LaunchLifecycle(kNow, d, false);
  CHECK(l.Observe(kNow) == S::kPending);
  CHECK(l.Observe(kNow + 1'999) == S::kPending);
  CHECK(l.Observe(kNow + 2'000) == S::kRunning);
  CHECK(l.Observe(kNow + kLongAfter) == S::kRunning);
  CHECK_FALSE(l.timer_at.has_value());
  CHECK_FALSE(l.gone_at.has_value());
  CHECK(l.Visible(kNow + kLongAfter));
}

TEST_CASE("LaunchLifecycle: a launch that fails is PENDING until now+pending, then LAUNCH_FAILED for good") {
  Durations d = TestDurations();
  Lifecycle l = LaunchLifecycle(kNow, d, true);
  CHECK(l.Observe(kNow + 1'999) == S::kPending);
  CHECK(l.Observe(kNow + 2'000) == S::kLaunchFailed);
  CHECK(l.Observe(kNow + kLongAfter) == S::kLaunchFailed);
  CHECK(l.Visible(kNow + kLongAfter));
}

// --- ActionTimer -------------------------------------------------------------

TEST_CASE("ActionTimer: from timer_at the instance is TERMINATING whatever its phases say, and gone at gone_at") {
  Lifecycle l;
  l.phases = {{S::kStopping, kNow + 50'000}, {S::kStarting, kNow + 60'000}};
  l.rest = S::kRunning;
  l.timer_at = kNow + 10'000;
  l.gone_at = kNow + 20'000;
  CHECK(l.Observe(kNow + 9'999) == S::kStopping);
  CHECK(l.Observe(kNow + 10'000) == S::kTerminating);
  CHECK(l.Observe(kNow + 19'999) == S::kTerminating);
  CHECK(l.Visible(kNow + 19'999));
  CHECK(l.Observe(kNow + 20'000) == S::kGone);
  CHECK_FALSE(l.Visible(kNow + 20'000));
  CHECK(l.Observe(kNow + 55'000) == S::kGone);
}

TEST_CASE("ActionTimer: a STOPPED instance with a timer turns TERMINATING at timer_at") {
  Lifecycle l = ObservedAs(S::kStopped);
  l.timer_at = kNow + 5'000;
  l.gone_at = kNow + 8'000;
  CHECK(l.Observe(kNow + 4'999) == S::kStopped);
  CHECK(l.Observe(kNow + 5'000) == S::kTerminating);
  CHECK(l.Observe(kNow + 8'000) == S::kGone);
}

TEST_CASE("ActionTimer: without a gone_at (PREPAID) the instance is SHUTDOWN from timer_at on, and stays visible") {
  Lifecycle l = ObservedAs(S::kRunning);
  l.timer_at = kNow + 5'000;
  CHECK(l.Observe(kNow + 4'999) == S::kRunning);
  CHECK(l.Observe(kNow + 5'000) == S::kShutdown);
  CHECK(l.Observe(kNow + kLongAfter) == S::kShutdown);
  CHECK(l.Visible(kNow + kLongAfter));
}

TEST_CASE("ActionTimer: once the timer has fired, the instance is refused as TERMINATING") {
  Lifecycle l = ObservedAs(S::kRunning);
  l.timer_at = kNow - 1;
  l.gone_at = kNow + 22'999;
  Instance in = MakeInstance("POSTPAID_BY_HOUR", l);
  REQUIRE(in.Observe(kNow) == S::kTerminating);
  for (Operation op : {Operation::kStop, Operation::kTerminate, Operation::kModify}) {
    auto status = CheckOperation(op, in, in.Observe(kNow), false, "StopInstances");
    REQUIRE_FALSE(status.ok());
    CHECK(status.error().code() == "UnsupportedOperation.InstanceStateTerminating");
  }
}

TEST_CASE("ActionTimer: StopInstances keeps the instance's timer") {
  Durations d = TestDurations();
  Lifecycle before = ObservedAs(S::kRunning);
  before.timer_at = kNow + 100'000;
  before.gone_at = kNow + 123'000;
  Instance in = MakeInstance("POSTPAID_BY_HOUR", before);
  Lifecycle l = ApplyOperation(Operation::kStop, in, S::kRunning, kNow, d);
  CHECK(l.timer_at == std::optional<TimeMs>(kNow + 100'000));
  CHECK(l.gone_at == std::optional<TimeMs>(kNow + 123'000));
  CHECK(l.Observe(kNow + 7'000) == S::kStopped);
  CHECK(l.Observe(kNow + 100'000) == S::kTerminating);
  CHECK(l.Observe(kNow + 123'000) == S::kGone);
}

TEST_CASE("TerminateInstances: when an ActionTimer would end the instance earlier, the earlier gone_at is kept") {
  Durations d = TestDurations();  // terminating: 23 s
  Lifecycle before = ObservedAs(S::kRunning);
  before.timer_at = kNow + 1'000;
  before.gone_at = kNow + 9'000;  // earlier than kNow + 23'000
  Instance in = MakeInstance("POSTPAID_BY_HOUR", before);
  REQUIRE(in.Observe(kNow) == S::kRunning);
  Lifecycle l = ApplyOperation(Operation::kTerminate, in, S::kRunning, kNow, d);
  CHECK(l.gone_at == std::optional<TimeMs>(kNow + 9'000));
  CHECK(l.Observe(kNow) == S::kTerminating);
  CHECK(l.Observe(kNow + 8'999) == S::kTerminating);
  CHECK(l.Observe(kNow + 9'000) == S::kGone);
  CHECK_FALSE(l.Visible(kNow + 9'000));
}

TEST_CASE("TerminateInstances: when an ActionTimer would end the instance later, it is gone at now+terminating") {
  Durations d = TestDurations();
  Lifecycle before = ObservedAs(S::kRunning);
  before.timer_at = kNow + 40'000;
  before.gone_at = kNow + 63'000;
  Instance in = MakeInstance("POSTPAID_BY_HOUR", before);
  Lifecycle l = ApplyOperation(Operation::kTerminate, in, S::kRunning, kNow, d);
  CHECK(l.gone_at == std::optional<TimeMs>(kNow + 23'000));
  CHECK(l.Observe(kNow + 22'999) == S::kTerminating);
  CHECK(l.Observe(kNow + 23'000) == S::kGone);
}

// --- Encoding ----------------------------------------------------------------

TEST_CASE("EncodePhases: phases are written as STATE@until, comma-separated, and decode to the same phases") {
  Lifecycle l;
  l.phases = {{S::kStopping, 1'700'000'000'000}, {S::kStarting, 1'700'000'005'000}};
  CHECK(l.EncodePhases() == "STOPPING@1700000000000,STARTING@1700000005000");
  std::vector<Phase> back;
  REQUIRE(Lifecycle::DecodePhases(l.EncodePhases(), &back));
  REQUIRE(back.size() == 2);
  CHECK(back[0].state == S::kStopping);
  CHECK(back[0].until == 1'700'000'000'000);
  CHECK(back[1].state == S::kStarting);
  CHECK(back[1].until == 1'700'000'005'000);
}

TEST_CASE("EncodePhases: no phases is the empty text, which decodes to no phases") {
  Lifecycle l;
  CHECK(l.EncodePhases() == "");
  std::vector<Phase> back = {{S::kPending, 1}};
  REQUIRE(Lifecycle::DecodePhases("", &back));
  CHECK(back.empty());
}

TEST_CASE("EncodePhases: every state round-trips, with the extreme instants") {
  for (InstanceState s : kObservedStates) {
    for (TimeMs until : {TimeMs{0}, TimeMs{1}, kNow, TimeMs{9'223'372'036'854'775'807}}) {
      Lifecycle l;
      l.phases = {{s, until}};
      std::vector<Phase> back;
      CAPTURE(l.EncodePhases());
      REQUIRE(Lifecycle::DecodePhases(l.EncodePhases(), &back));
      REQUIRE(back.size() == 1);
      CHECK(back[0].state == s);
      CHECK(back[0].until == until);
    }
  }
}

TEST_CASE("DecodePhases: malformed text is rejected") {
  for (const char* text :
       {"STOPPING", "STOPPING@", "@5", "stopping@5", "STOPING@5", "STOPPING@5x", "STOPPING@x5",
        "STOPPING@ 5", "STOPPING@5 ", " STOPPING@5", "STOPPING@+5", "STOPPING@5.0",
        "STOPPING@5,,STARTING@6", ",STOPPING@5", "STOPPING@5;STARTING@6", "STOPPING=5",
        "STOPPING@5@6", "STOPPING@99999999999999999999"}) {
    INFO("text := " << std::string(text));
    std::vector<Phase> out;
    CHECK_FALSE(Lifecycle::DecodePhases(text, &out));
  }
}

TEST_CASE("DecodePhases: a trailing comma is malformed") {
  std::vector<Phase> out;
  CHECK_FALSE(Lifecycle::DecodePhases("STOPPING@5,", &out));
}

// --- Names -------------------------------------------------------------------

TEST_CASE("StateName: each state has its API spelling, and ParseState reads it back") {
  struct Named {
    InstanceState state;
    const char* name;
  };
  const Named kNames[] = {
      {S::kPending, "PENDING"},        {S::kLaunchFailed, "LAUNCH_FAILED"},
      {S::kRunning, "RUNNING"},        {S::kStopped, "STOPPED"},
      {S::kStarting, "STARTING"},      {S::kStopping, "STOPPING"},
      {S::kRebooting, "REBOOTING"},    {S::kShutdown, "SHUTDOWN"},
      {S::kTerminating, "TERMINATING"}, {S::kGone, "GONE"},
  };
  for (const Named& named : kNames) {
    INFO("named.name := " << std::string(named.name));
    CHECK(std::string(StateName(named.state)) == named.name);
    InstanceState parsed = named.state == S::kGone ? S::kPending : S::kGone;
    REQUIRE(ParseState(named.name, &parsed));
    CHECK(parsed == named.state);
  }
}

TEST_CASE("ParseState: anything but an exact state name is refused, and the output is left alone") {
  for (const char* text : {"", "running", "Running", "RUNNING ", " RUNNING", "LAUNCH_FAILURE",
                           "TERMINATED", "STOP", "PENDINGX"}) {
    INFO("text := " << std::string(text));
    InstanceState out = S::kStarting;
    CHECK_FALSE(ParseState(text, &out));
    CHECK(out == S::kStarting);
  }
}

}  // namespace
