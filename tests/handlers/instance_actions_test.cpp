// The actions on existing instances through the in-process API: Start, Stop,
// Reboot, Terminate, ResetInstance, ResetInstancesPassword,
// ModifyInstancesAttribute, ModifyInstancesProject, DescribeInstanceVncUrl.
// Every error code of their tables (and the codes docs/decisions.md adds),
// each refusal read back to show nothing changed (D-109: all or
// nothing), and every transition of D-105..D-108 with the
// default durations. Codes the emulator cannot produce are injected in
// instance_faults_test.cpp, which lists them with the reasons.
#include <doctest/doctest.h>

#include <set>
#include <string>
#include <vector>

#include "tests/handlers/instance_test_support.h"

namespace {

using namespace cvm::testing;
using namespace cvm::testing::instances;
using nlohmann::json;

// ---------------------------------------------------------------------------
// Instances in a given state

const std::vector<std::string> kAllStates = {"PENDING",  "LAUNCH_FAILED", "RUNNING",  "STOPPED",    "STARTING",
                                             "STOPPING", "REBOOTING",     "SHUTDOWN", "TERMINATING"};

// A fresh instance in `state` (transitional states just entered).
std::string InState(TestApi& api, const std::string& state) {
  std::string id;
  if (state == "PENDING") {
    id = LaunchOne(api);
  } else if (state == "LAUNCH_FAILED") {
    api.Control("/_emulator/faults", {{"launch_failure_probability", 1.0}});
    id = LaunchOne(api);
    api.Control("/_emulator/faults", {{"launch_failure_probability", 0}});
    api.Advance(kPending);
  } else if (state == "RUNNING") {
    id = Running(api);
  } else if (state == "STOPPED") {
    id = Stopped(api);
  } else if (state == "STARTING") {
    id = Stopped(api);
    Ok(api, "StartInstances", {{"InstanceIds", {id}}});
  } else if (state == "STOPPING") {
    id = Running(api);
    Ok(api, "StopInstances", {{"InstanceIds", {id}}});
  } else if (state == "REBOOTING") {
    id = Running(api);
    Ok(api, "RebootInstances", {{"InstanceIds", {id}}});
  } else if (state == "SHUTDOWN") {
    id = Running(api, {{"InstanceChargeType", "PREPAID"}, {"InstanceChargePrepaid", {{"Period", 1}}}});
    Ok(api, "TerminateInstances", {{"InstanceIds", {id}}});
  } else if (state == "TERMINATING") {
    id = Running(api);
    Ok(api, "TerminateInstances", {{"InstanceIds", {id}}});
  }
  REQUIRE(StateOf(api, id) == state);
  return id;
}

// "LAUNCH_FAILED" → "UnsupportedOperation.InstanceStateLaunchFailed" (D-105).
std::string WrongStateCode(const std::string& state) {
  std::string camel;
  bool upper = true;
  for (char c : state) {
    if (c == '_') {
      upper = true;
      continue;
    }
    camel += upper ? c : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    upper = false;
  }
  return "UnsupportedOperation.InstanceState" + camel;
}

// ---------------------------------------------------------------------------
// Refusals change nothing

// Calls `action` and checks the code; every instance in `watched` reads back
// exactly as before (DescribeInstances and DescribeInstancesStatus).
void ExpectRefused(TestApi& api, const std::string& action, const json& params, const std::string& code,
                   const std::vector<std::string>& watched) {
  std::vector<json> before;
  std::vector<std::string> states;
  for (const std::string& id : watched) {
    before.push_back(Describe(api, id));
    states.push_back(StateOf(api, id));
  }
  json r = api.Call(action, params);
  CHECK_MESSAGE(CodeOf(r) == code, action << " " << params.dump() << " → " << r.dump());
  for (size_t i = 0; i < watched.size(); ++i) {
    CAPTURE(watched[i]);
    CHECK(StateOf(api, watched[i]) == states[i]);
    CHECK(Describe(api, watched[i]) == before[i]);
  }
}

// One of the actions on existing instances: how to get an instance it
// accepts, and the rest of a valid request.
struct ActionCase {
  std::string action;
  std::string ready_state;  // a state the action accepts
  json extra;               // the other parameters of a valid request
  bool batch = true;        // InstanceIds (true) or InstanceId
};

const ActionCase kStart{"StartInstances", "STOPPED", json::object()};
const ActionCase kStop{"StopInstances", "RUNNING", json::object()};
const ActionCase kReboot{"RebootInstances", "RUNNING", json::object()};
const ActionCase kTerminate{"TerminateInstances", "RUNNING", json::object()};
const ActionCase kReset{"ResetInstance", "RUNNING", json::object(), false};
const ActionCase kResetPassword{"ResetInstancesPassword", "STOPPED", {{"Password", "abcd1234"}}};
const ActionCase kModifyAttribute{"ModifyInstancesAttribute", "RUNNING", {{"InstanceName", "renamed"}}};
const ActionCase kModifyProject{"ModifyInstancesProject", "RUNNING", {{"ProjectId", 3}}};
const ActionCase kVnc{"DescribeInstanceVncUrl", "RUNNING", json::object(), false};

json ParamsFor(const ActionCase& c, const std::vector<std::string>& ids) {
  json p = c.extra;
  if (c.batch) {
    p["InstanceIds"] = ids;
  } else {
    p["InstanceId"] = ids.front();
  }
  return p;
}

// A malformed ID (next to a valid one in a batch) → InvalidInstanceId.Malformed.
void CheckMalformed(const ActionCase& c) {
  TestApi api;
  std::string ok = InState(api, c.ready_state);
  std::vector<std::string> ids = c.batch ? std::vector<std::string>{ok, "ins-1122"} : std::vector<std::string>{"ins-1122"};
  ExpectRefused(api, c.action, ParamsFor(c, ids), "InvalidInstanceId.Malformed", {ok});
  ExpectRefused(api, c.action, ParamsFor(c, {"i-abcd1234"}), "InvalidInstanceId.Malformed", {ok});
  ExpectRefused(api, c.action, ParamsFor(c, {"ins-ABCD1234"}), "InvalidInstanceId.Malformed", {ok});
}

// A well-formed unknown ID (next to a valid one in a batch) →
// InvalidInstanceId.NotFound (D-109).
void CheckNotFound(const ActionCase& c) {
  TestApi api;
  std::string ok = InState(api, c.ready_state);
  std::vector<std::string> ids = c.batch ? std::vector<std::string>{ok, kUnknownId} : std::vector<std::string>{kUnknownId};
  ExpectRefused(api, c.action, ParamsFor(c, ids), "InvalidInstanceId.NotFound", {ok});
}

// 101 IDs → InvalidParameterValue.LimitExceeded; 100 are checked further.
void CheckLimitExceeded(const ActionCase& c) {
  TestApi api;
  std::string ok = InState(api, c.ready_state);
  json ids = UnknownIds(100);
  ids.push_back(ok);
  json p = c.extra;
  p["InstanceIds"] = ids;
  ExpectRefused(api, c.action, p, "InvalidParameterValue.LimitExceeded", {ok});
  ids.erase(0);
  p["InstanceIds"] = ids;  // 100: past the limit check, to the lookup
  ExpectRefused(api, c.action, p, "InvalidInstanceId.NotFound", {ok});
}

// No instance ID at all → MissingParameter.
void CheckMissingIds(const ActionCase& c) {
  TestApi api;
  std::string ok = InState(api, c.ready_state);
  ExpectRefused(api, c.action, c.extra, "MissingParameter", {ok});
}

// The example spellings InstanceId.0 / InstanceId are not aliases (D-101).
void CheckUnknownParameter(const ActionCase& c) {
  TestApi api;
  std::string ok = InState(api, c.ready_state);
  json p = ParamsFor(c, {ok});
  p[c.batch ? "InstanceId" : "InstanceIds"] = c.batch ? json(ok) : json::array({ok});
  ExpectRefused(api, c.action, p, "UnknownParameter", {ok});
  if (c.batch) {
    json r = api.CallFlat(c.action, {{"InstanceId.0", ok}});
    CHECK(CodeOf(r) == "UnknownParameter");
    CHECK(StateOf(api, ok) == c.ready_state);
  }
}

// Every state outside `allowed` is refused with its code; in a batch the
// accepted instance next to it stays as it was.
void CheckWrongStates(const ActionCase& c, const std::set<std::string>& allowed, bool vnc = false) {
  for (const std::string& state : kAllStates) {
    if (allowed.count(state)) continue;
    CAPTURE(state);
    TestApi api;
    std::string ok = InState(api, c.ready_state);
    std::string wrong = InState(api, state);
    std::vector<std::string> ids = c.batch ? std::vector<std::string>{ok, wrong} : std::vector<std::string>{wrong};
    ExpectRefused(api, c.action, ParamsFor(c, ids), vnc ? "InvalidInstanceState" : WrongStateCode(state), {ok, wrong});
  }
}

// Every state in `allowed` is accepted.
void CheckAcceptedStates(const ActionCase& c, const std::set<std::string>& allowed) {
  for (const std::string& state : allowed) {
    CAPTURE(state);
    TestApi api;
    std::string id = InState(api, state);
    json r = api.Call(c.action, ParamsFor(c, {id}));
    CHECK_MESSAGE(CodeOf(r) == "", r.dump());
  }
}

}  // namespace

TEST_SUITE("handlers") {
  // =====================================================================
  // StartInstances

  TEST_CASE("StartInstances: a malformed ID gives InvalidInstanceId.Malformed and changes nothing") { CheckMalformed(kStart); }
  TEST_CASE("StartInstances: an unknown ID gives InvalidInstanceId.NotFound and changes nothing") { CheckNotFound(kStart); }
  TEST_CASE("StartInstances: more than 100 IDs gives InvalidParameterValue.LimitExceeded and changes nothing") {
    CheckLimitExceeded(kStart);
  }
  TEST_CASE("StartInstances: no InstanceIds gives MissingParameter and changes nothing") { CheckMissingIds(kStart); }
  TEST_CASE("StartInstances: InstanceId.0 is not an alias and gives UnknownParameter") { CheckUnknownParameter(kStart); }

  TEST_CASE("StartInstances: InstanceIds that are not a list of strings give InvalidParameterValue and change nothing") {
    TestApi api;
    std::string ok = Stopped(api);
    ExpectRefused(api, "StartInstances", {{"InstanceIds", ok}}, "InvalidParameterValue", {ok});
    ExpectRefused(api, "StartInstances", {{"InstanceIds", {1}}}, "InvalidParameterValue", {ok});
  }

  TEST_CASE("StartInstances: one STOPPED and one RUNNING instance gives UnsupportedOperation.InstanceStateRunning and the STOPPED one stays STOPPED") {
    TestApi api;
    std::string stopped = Stopped(api);
    std::string running = Running(api);
    ExpectRefused(api, "StartInstances", {{"InstanceIds", {stopped, running}}}, "UnsupportedOperation.InstanceStateRunning",
                  {stopped, running});
    api.Advance(kStarting);
    CHECK(StateOf(api, stopped) == "STOPPED");
  }

  TEST_CASE("StartInstances: every state but STOPPED is refused with UnsupportedOperation.InstanceState<State>") {
    CheckWrongStates(kStart, {"STOPPED"});
  }

  TEST_CASE("StartInstances: a STOPPED instance goes STARTING, then RUNNING") {
    TestApi api;
    std::string a = Stopped(api), b = Stopped(api);
    Ok(api, "StartInstances", {{"InstanceIds", {a, b, a}}});  // a repeated ID counts once
    CHECK(StateOf(api, a) == "STARTING");
    CHECK(StateOf(api, b) == "STARTING");
    CHECK(Describe(api, a)["InstanceState"] == "STARTING");
    api.Advance(kStarting - 1);
    CHECK(StateOf(api, a) == "STARTING");
    api.Advance(1);
    CHECK(StateOf(api, a) == "RUNNING");
    CHECK(StateOf(api, b) == "RUNNING");
  }

  // =====================================================================
  // StopInstances

  TEST_CASE("StopInstances: a malformed ID gives InvalidInstanceId.Malformed and changes nothing") { CheckMalformed(kStop); }
  TEST_CASE("StopInstances: an unknown ID gives InvalidInstanceId.NotFound and changes nothing") { CheckNotFound(kStop); }
  TEST_CASE("StopInstances: more than 100 IDs gives InvalidParameterValue.LimitExceeded and changes nothing") {
    CheckLimitExceeded(kStop);
  }
  TEST_CASE("StopInstances: no InstanceIds gives MissingParameter and changes nothing") { CheckMissingIds(kStop); }
  TEST_CASE("StopInstances: InstanceId.0 is not an alias and gives UnknownParameter") { CheckUnknownParameter(kStop); }

  TEST_CASE("StopInstances: an unknown StopType or a non-boolean ForceStop gives InvalidParameterValue and changes nothing") {
    TestApi api;
    std::string ok = Running(api);
    ExpectRefused(api, "StopInstances", {{"InstanceIds", {ok}}, {"StopType", "NOW"}}, "InvalidParameterValue", {ok});
    ExpectRefused(api, "StopInstances", {{"InstanceIds", {ok}}, {"ForceStop", "yes"}}, "InvalidParameterValue", {ok});
  }

  TEST_CASE("StopInstances: one RUNNING and one STOPPED instance gives UnsupportedOperation.InstanceStateStopped and the RUNNING one keeps running") {
    TestApi api;
    std::string running = Running(api);
    std::string stopped = Stopped(api);
    ExpectRefused(api, "StopInstances", {{"InstanceIds", {running, stopped}}}, "UnsupportedOperation.InstanceStateStopped",
                  {running, stopped});
  }

  TEST_CASE("StopInstances: every state but RUNNING is refused with UnsupportedOperation.InstanceState<State>") {
    CheckWrongStates(kStop, {"RUNNING"});
  }

  TEST_CASE("StopInstances: a RUNNING instance goes STOPPING, then STOPPED, with every StopType") {
    for (const char* stop_type : {"SOFT", "HARD", "SOFT_FIRST"}) {
      CAPTURE(stop_type);
      TestApi api;
      std::string id = Running(api);
      Ok(api, "StopInstances", {{"InstanceIds", {id}}, {"StopType", stop_type}, {"ForceStop", true}});
      CHECK(StateOf(api, id) == "STOPPING");
      CHECK(Describe(api, id)["InstanceState"] == "STOPPING");
      api.Advance(kStopping - 1);
      CHECK(StateOf(api, id) == "STOPPING");
      api.Advance(1);
      CHECK(StateOf(api, id) == "STOPPED");
      CHECK(Describe(api, id)["InstanceState"] == "STOPPED");
    }
  }

  // =====================================================================
  // RebootInstances

  TEST_CASE("RebootInstances: a malformed ID gives InvalidInstanceId.Malformed and changes nothing") { CheckMalformed(kReboot); }
  TEST_CASE("RebootInstances: an unknown ID gives InvalidInstanceId.NotFound and changes nothing") { CheckNotFound(kReboot); }
  TEST_CASE("RebootInstances: more than 100 IDs gives InvalidParameterValue.LimitExceeded and changes nothing") {
    CheckLimitExceeded(kReboot);
  }
  TEST_CASE("RebootInstances: no InstanceIds gives MissingParameter and changes nothing") { CheckMissingIds(kReboot); }
  TEST_CASE("RebootInstances: InstanceId.0 is not an alias and gives UnknownParameter") { CheckUnknownParameter(kReboot); }

  TEST_CASE("RebootInstances: a non-boolean ForceReboot gives InvalidParameterValue and changes nothing") {
    TestApi api;
    std::string ok = Running(api);
    ExpectRefused(api, "RebootInstances", {{"InstanceIds", {ok}}, {"ForceReboot", "TRUE"}}, "InvalidParameterValue", {ok});
    // In the v1 form TRUE is a boolean (D-123).
    json r = api.CallFlat("RebootInstances", {{"InstanceIds.0", ok}, {"ForceReboot", "TRUE"}});
    CHECK(CodeOf(r) == "");
    CHECK(StateOf(api, ok) == "REBOOTING");
  }

  TEST_CASE("RebootInstances: one RUNNING and one STOPPED instance gives UnsupportedOperation.InstanceStateStopped and nothing reboots") {
    TestApi api;
    std::string running = Running(api);
    std::string stopped = Stopped(api);
    ExpectRefused(api, "RebootInstances", {{"InstanceIds", {running, stopped}}},
                  "UnsupportedOperation.InstanceStateStopped", {running, stopped});
  }

  TEST_CASE("RebootInstances: every state but RUNNING is refused with UnsupportedOperation.InstanceState<State>") {
    CheckWrongStates(kReboot, {"RUNNING"});
  }

  TEST_CASE("RebootInstances: a RUNNING instance goes REBOOTING, then RUNNING") {
    TestApi api;
    std::string id = Running(api);
    Ok(api, "RebootInstances", {{"InstanceIds", {id}}, {"ForceReboot", true}});
    CHECK(StateOf(api, id) == "REBOOTING");
    CHECK(Describe(api, id)["InstanceState"] == "REBOOTING");
    api.Advance(kRebooting - 1);
    CHECK(StateOf(api, id) == "REBOOTING");
    api.Advance(1);
    CHECK(StateOf(api, id) == "RUNNING");
  }

  // =====================================================================
  // TerminateInstances

  TEST_CASE("TerminateInstances: a malformed ID gives InvalidInstanceId.Malformed and changes nothing") { CheckMalformed(kTerminate); }
  TEST_CASE("TerminateInstances: an unknown ID gives InvalidInstanceId.NotFound and terminates nothing (D-109)") {
    CheckNotFound(kTerminate);
  }
  TEST_CASE("TerminateInstances: more than 100 IDs gives InvalidParameterValue.LimitExceeded and changes nothing") {
    CheckLimitExceeded(kTerminate);
  }
  TEST_CASE("TerminateInstances: no InstanceIds gives MissingParameter and changes nothing") { CheckMissingIds(kTerminate); }
  TEST_CASE("TerminateInstances: InstanceId.0 is not an alias and gives UnknownParameter") { CheckUnknownParameter(kTerminate); }

  TEST_CASE("TerminateInstances: InstanceIds that are not a list give InvalidParameterValue and change nothing") {
    TestApi api;
    std::string ok = Running(api);
    ExpectRefused(api, "TerminateInstances", {{"InstanceIds", ok}}, "InvalidParameterValue", {ok});
    // DryRun was removed from TerminateInstances (D-143).
    ExpectRefused(api, "TerminateInstances", {{"InstanceIds", {ok}}, {"DryRun", true}}, "UnknownParameter", {ok});
  }

  TEST_CASE("TerminateInstances: one RUNNING and one PENDING instance gives UnsupportedOperation.InstanceStatePending and nothing is terminated") {
    TestApi api;
    std::string running = Running(api);
    std::string pending = LaunchOne(api);
    ExpectRefused(api, "TerminateInstances", {{"InstanceIds", {running, pending}}},
                  "UnsupportedOperation.InstanceStatePending", {running, pending});
    api.Advance(kTerminating);
    CHECK(StateOf(api, running) == "RUNNING");
  }

  TEST_CASE("TerminateInstances: PENDING, STARTING, STOPPING, REBOOTING and TERMINATING are refused with UnsupportedOperation.InstanceState<State>") {
    CheckWrongStates(kTerminate, {"RUNNING", "STOPPED", "LAUNCH_FAILED", "SHUTDOWN"});
  }

  TEST_CASE("TerminateInstances: RUNNING, STOPPED, LAUNCH_FAILED and SHUTDOWN are accepted (D-108)") {
    CheckAcceptedStates(kTerminate, {"RUNNING", "STOPPED", "LAUNCH_FAILED", "SHUTDOWN"});
  }

  TEST_CASE("TerminateInstances: a POSTPAID instance goes TERMINATING, then disappears from every Describe") {
    TestApi api;
    std::string id = Running(api);
    std::string other = Running(api);
    Ok(api, "TerminateInstances", {{"InstanceIds", {id}}});
    CHECK(StateOf(api, id) == "TERMINATING");
    CHECK(Describe(api, id)["InstanceState"] == "TERMINATING");
    CHECK(TotalCount(api) == 2);
    api.Advance(kTerminating - 1);
    CHECK(StateOf(api, id) == "TERMINATING");
    api.Advance(1);
    CHECK(StateOf(api, id) == "");
    CHECK(Describe(api, id).is_null());
    CHECK(TotalCount(api) == 1);
    json status = api.Call("DescribeInstancesStatus");
    CHECK(status["TotalCount"] == 1);
    CHECK(status["InstanceStatusSet"][0]["InstanceId"] == other);
    // Once gone, the ID is unknown to every action.
    json r = api.Call("StartInstances", {{"InstanceIds", {id}}});
    CHECK(CodeOf(r) == "InvalidInstanceId.NotFound");
    r = api.Call("TerminateInstances", {{"InstanceIds", {id}}});
    CHECK(CodeOf(r) == "InvalidInstanceId.NotFound");
  }

  TEST_CASE("TerminateInstances: a STOPPED POSTPAID instance and a SPOTPAID one go TERMINATING too") {
    TestApi api;
    std::string stopped = Stopped(api);
    std::string spot = Running(api, {{"InstanceChargeType", "SPOTPAID"},
                                     {"InstanceMarketOptions", {{"MarketType", "spot"}, {"SpotOptions", {{"MaxPrice", "1"}}}}}});
    Ok(api, "TerminateInstances", {{"InstanceIds", {stopped, spot}}});
    CHECK(StateOf(api, stopped) == "TERMINATING");
    CHECK(StateOf(api, spot) == "TERMINATING");
    api.Advance(kTerminating);
    CHECK(TotalCount(api) == 0);
  }

  TEST_CASE("TerminateInstances: a PREPAID instance goes SHUTDOWN and stays listed; terminating it again removes it") {
    TestApi api;
    std::string id = Running(api, {{"InstanceChargeType", "PREPAID"}, {"InstanceChargePrepaid", {{"Period", 1}}}});
    Ok(api, "TerminateInstances", {{"InstanceIds", {id}}});
    CHECK(StateOf(api, id) == "SHUTDOWN");
    api.Advance(3600);
    CHECK(StateOf(api, id) == "SHUTDOWN");
    json in = Describe(api, id);
    CHECK(in["InstanceState"] == "SHUTDOWN");
    CHECK(in["InstanceChargeType"] == "PREPAID");
    CHECK(TotalCount(api) == 1);
    // A SHUTDOWN instance cannot be started.
    ExpectRefused(api, "StartInstances", {{"InstanceIds", {id}}}, "UnsupportedOperation.InstanceStateShutdown", {id});
    Ok(api, "TerminateInstances", {{"InstanceIds", {id}}});
    CHECK(StateOf(api, id) == "TERMINATING");
    api.Advance(kTerminating);
    CHECK(StateOf(api, id) == "");
    CHECK(Describe(api, id).is_null());
    CHECK(TotalCount(api) == 0);
  }

  TEST_CASE("TerminateInstances: a mixed batch of POSTPAID and PREPAID instances ends TERMINATING and SHUTDOWN") {
    TestApi api;
    std::string post = Running(api);
    std::string pre = Running(api, {{"InstanceChargeType", "PREPAID"}, {"InstanceChargePrepaid", {{"Period", 1}}}});
    Ok(api, "TerminateInstances", {{"InstanceIds", {post, pre}}});
    CHECK(StateOf(api, post) == "TERMINATING");
    CHECK(StateOf(api, pre) == "SHUTDOWN");
  }

  // =====================================================================
  // ResetInstance

  TEST_CASE("ResetInstance: a malformed ID gives InvalidInstanceId.Malformed and changes nothing") { CheckMalformed(kReset); }
  TEST_CASE("ResetInstance: an unknown ID gives InvalidInstanceId.NotFound and changes nothing") { CheckNotFound(kReset); }
  TEST_CASE("ResetInstance: no InstanceId gives MissingParameter and changes nothing") { CheckMissingIds(kReset); }
  TEST_CASE("ResetInstance: InstanceIds is not its parameter and gives UnknownParameter") { CheckUnknownParameter(kReset); }

  TEST_CASE("ResetInstance: a Linux-Windows switch on a local system disk gives InvalidInstance.NotSupported and changes nothing (the document's ResetInstance)") {
    TestApi api;
    std::string id = Running(api, {{"SystemDisk", {{"DiskType", "LOCAL_BASIC"}, {"DiskSize", 50}}}});
    ExpectRefused(api, "ResetInstance", {{"InstanceId", id}, {"ImageId", kWindowsImage}}, "InvalidInstance.NotSupported", {id});
    // Another Linux image on the same local disk is fine.
    Ok(api, "ResetInstance", {{"InstanceId", id}, {"ImageId", "img-pi0ii46r"}});
  }

  TEST_CASE("ResetInstance: invalid values give InvalidParameterValue and change nothing") {
    TestApi api;
    std::string id = Running(api, {{"SystemDisk", {{"DiskType", "CLOUD_BASIC"}, {"DiskSize", 60}}}});
    SUBCASE("a smaller system disk (D-144)") {
      ExpectRefused(api, "ResetInstance", {{"InstanceId", id}, {"SystemDisk", {{"DiskSize", 50}}}}, "InvalidParameterValue", {id});
    }
    SUBCASE("another system disk type (D-144)") {
      ExpectRefused(api, "ResetInstance", {{"InstanceId", id}, {"SystemDisk", {{"DiskType", "CLOUD_SSD"}}}},
                    "InvalidParameterValue", {id});
    }
    SUBCASE("a system disk size that is not a number") {
      ExpectRefused(api, "ResetInstance", {{"InstanceId", id}, {"SystemDisk", {{"DiskSize", "big"}}}}, "InvalidParameterValue", {id});
    }
  }

  TEST_CASE("ResetInstance: docs/decisions.md's codes: an unknown image, a bad password, a key on Windows; nothing changes") {
    TestApi api;
    std::string id = Running(api);
    ExpectRefused(api, "ResetInstance", {{"InstanceId", id}, {"ImageId", "img-abcd1234"}}, "InvalidImageId.NotFound", {id});
    ExpectRefused(api, "ResetInstance", {{"InstanceId", id}, {"ImageId", "img-1122"}}, "InvalidImageId.Malformed", {id});
    ExpectRefused(api, "ResetInstance", {{"InstanceId", id}, {"LoginSettings", {{"Password", "short"}}}}, "InvalidPassword", {id});
    ExpectRefused(api, "ResetInstance",
                  {{"InstanceId", id}, {"LoginSettings", {{"Password", "abcd1234"}, {"KeyIds", {"skey-abcd1234"}}}}},
                  "InvalidParameterCombination", {id});
    ExpectRefused(api, "ResetInstance",
                  {{"InstanceId", id}, {"ImageId", kWindowsImage}, {"LoginSettings", {{"KeyIds", {"skey-abcd1234"}}}}},
                  "UnsupportedOperation.KeyPairUnsupportedWindows", {id});
  }

  TEST_CASE("ResetInstance: an unknown image is reported before the instance's state (D-136)") {
    // D-136: resource lookups (NotFound) come before
    // state checks.
    TestApi api;
    std::string pending = LaunchOne(api);
    ExpectRefused(api, "ResetInstance", {{"InstanceId", pending}, {"ImageId", "img-abcd1234"}}, "InvalidImageId.NotFound",
                  {pending});
    // A password no OS accepts is a parameter check, also before the state.
    ExpectRefused(api, "ResetInstance", {{"InstanceId", pending}, {"LoginSettings", {{"Password", "short"}}}},
                  "InvalidPassword", {pending});
  }

  TEST_CASE("ResetInstance: every state but RUNNING and STOPPED is refused with UnsupportedOperation.InstanceState<State>") {
    CheckWrongStates(kReset, {"RUNNING", "STOPPED"});
  }

  TEST_CASE("ResetInstance: a RUNNING or STOPPED instance shows REBOOTING while it is reinstalled, then RUNNING (D-106)") {
    for (const char* state : {"RUNNING", "STOPPED"}) {
      CAPTURE(state);
      TestApi api;
      std::string id = InState(api, state);
      Ok(api, "ResetInstance", {{"InstanceId", id}});
      CHECK(StateOf(api, id) == "REBOOTING");
      api.Advance(kResetting - 1);
      CHECK(StateOf(api, id) == "REBOOTING");
      api.Advance(1);
      CHECK(StateOf(api, id) == "RUNNING");
      json in = Describe(api, id);
      CHECK(in["ImageId"] == kImage);  // no ImageId: the current image again
      CHECK(in["OsName"] == kImageOs);
    }
  }

  TEST_CASE("ResetInstance: a new ImageId changes ImageId and OsName; the system disk may grow") {
    TestApi api;
    auto key = [&](const char* name) {
      json r = api.Call("CreateKeyPair", {{"KeyName", name}, {"ProjectId", 0}});
      REQUIRE_MESSAGE(CodeOf(r) == "", r.dump());
      return r["KeyPair"]["KeyId"].get<std::string>();
    };
    std::string first = key("first"), second = key("second");
    std::string id = Running(api, {{"LoginSettings", {{"KeyIds", {first}}}}});
    json before = Describe(api, id);
    Ok(api, "ResetInstance", {{"InstanceId", id},
                              {"ImageId", "img-pi0ii46r"},
                              {"SystemDisk", {{"DiskSize", 80}}},
                              {"LoginSettings", {{"KeyIds", {second}}}}});
    json in = Describe(api, id);
    CHECK(in["ImageId"] == "img-pi0ii46r");
    CHECK(in["OsName"] == "Ubuntu Server 18.04.1 LTS 64位");
    CHECK(in["SystemDisk"]["DiskSize"] == 80);
    CHECK(in["SystemDisk"]["DiskType"] == "CLOUD_BASIC");
    CHECK(in["SystemDisk"]["DiskId"] == before["SystemDisk"]["DiskId"]);  // same OS family: same disk
    CHECK(in["LoginSettings"]["KeyIds"] == json::array({second}));
    // Everything else is kept.
    for (const char* field : {"InstanceId", "InstanceName", "InstanceType", "Placement", "PrivateIpAddresses", "CreatedTime",
                              "InstanceChargeType", "DataDisks", "SecurityGroupIds", "Tags"}) {
      CAPTURE(field);
      CHECK(in[field] == before[field]);
    }
    // Keeping the size is fine too.
    api.Advance(kResetting);
    Ok(api, "ResetInstance", {{"InstanceId", id}, {"SystemDisk", {{"DiskSize", 80}}}});
  }

  TEST_CASE("ResetInstance: a Linux-Windows switch on a cloud system disk changes the system disk ID (the document's ResetInstance)") {
    // The document's ResetInstance: "such a switch changes the system disk ID".
    TestApi api;
    std::string id = Running(api);
    json before = Describe(api, id);
    Ok(api, "ResetInstance", {{"InstanceId", id}, {"ImageId", kWindowsImage}});
    json in = Describe(api, id);
    CHECK(in["OsName"] == "Windows Server 2016 数据中心版 64位中文版");
    REQUIRE(in["SystemDisk"]["DiskId"].is_string());
    CHECK(in["SystemDisk"]["DiskId"] != before["SystemDisk"]["DiskId"]);
  }

  TEST_CASE("ResetInstance: a Linux-Windows switch in an overseas region gives InvalidInstance.NotSupported (the document's ResetInstance)") {
    // The document's ResetInstance: the switch is only supported "not in overseas regions".
    TestApi api;
    const std::string region = "na-siliconvalley";
    std::string id = LaunchOne(api, {}, region);
    api.Advance(kPending);
    json r = api.Call("ResetInstance", {{"InstanceId", id}, {"ImageId", kWindowsImage}}, region);
    CHECK_MESSAGE(CodeOf(r) == "InvalidInstance.NotSupported", r.dump());
    CHECK(Describe(api, id, region)["OsName"] == kImageOs);
    CHECK(StateOf(api, id, region) == "RUNNING");
  }

  // =====================================================================
  // ResetInstancesPassword

  TEST_CASE("ResetInstancesPassword: a malformed ID gives InvalidInstanceId.Malformed and changes nothing") {
    CheckMalformed(kResetPassword);
  }
  TEST_CASE("ResetInstancesPassword: an unknown ID gives InvalidInstanceId.NotFound and changes nothing") {
    CheckNotFound(kResetPassword);
  }
  TEST_CASE("ResetInstancesPassword: more than 100 IDs gives InvalidParameterValue.LimitExceeded and changes nothing") {
    CheckLimitExceeded(kResetPassword);
  }
  TEST_CASE("ResetInstancesPassword: no InstanceIds gives MissingParameter and changes nothing") { CheckMissingIds(kResetPassword); }
  TEST_CASE("ResetInstancesPassword: InstanceId.0 is not an alias and gives UnknownParameter") {
    CheckUnknownParameter(kResetPassword);
  }

  TEST_CASE("ResetInstancesPassword: no Password gives MissingParameter and changes nothing") {
    TestApi api;
    std::string id = Stopped(api);
    ExpectRefused(api, "ResetInstancesPassword", {{"InstanceIds", {id}}}, "MissingParameter", {id});
  }

  TEST_CASE("ResetInstancesPassword: a UserName over 64 characters gives InvalidParameterValue.TooLong and changes nothing") {
    TestApi api;
    std::string id = Stopped(api);
    ExpectRefused(api, "ResetInstancesPassword",
                  {{"InstanceIds", {id}}, {"Password", "abcd1234"}, {"UserName", std::string(65, 'u')}},
                  "InvalidParameterValue.TooLong", {id});
    Ok(api, "ResetInstancesPassword", {{"InstanceIds", {id}}, {"Password", "abcd1234"}, {"UserName", std::string(64, 'u')}});
  }

  TEST_CASE("ResetInstancesPassword: a non-boolean ForceStop gives InvalidParameterValue and changes nothing") {
    TestApi api;
    std::string id = Running(api);
    ExpectRefused(api, "ResetInstancesPassword", {{"InstanceIds", {id}}, {"Password", "abcd1234"}, {"ForceStop", "TRUE"}},
                  "InvalidParameterValue", {id});
  }

  TEST_CASE("ResetInstancesPassword: a password that breaks the rules gives InvalidPassword and changes nothing (the document's Password row)") {
    TestApi api;
    std::string linux_id = Stopped(api);
    std::string windows_id = Stopped(api, {{"ImageId", kWindowsImage}});
    SUBCASE("7 characters") {
      ExpectRefused(api, "ResetInstancesPassword", {{"InstanceIds", {linux_id}}, {"Password", "abc123!"}}, "InvalidPassword",
                    {linux_id});
    }
    SUBCASE("a leading /") {
      ExpectRefused(api, "ResetInstancesPassword", {{"InstanceIds", {linux_id}}, {"Password", "/abcd1234"}}, "InvalidPassword",
                    {linux_id});
    }
    SUBCASE("one class only") {
      ExpectRefused(api, "ResetInstancesPassword", {{"InstanceIds", {linux_id}}, {"Password", "abcdefghij"}}, "InvalidPassword",
                    {linux_id});
    }
    SUBCASE("a mixed Linux/Windows batch follows the Windows rule") {
      ExpectRefused(api, "ResetInstancesPassword", {{"InstanceIds", {linux_id, windows_id}}, {"Password", "abcd1234"}},
                    "InvalidPassword", {linux_id, windows_id});
      Ok(api, "ResetInstancesPassword", {{"InstanceIds", {linux_id}}, {"Password", "abcd1234"}});
      Ok(api, "ResetInstancesPassword", {{"InstanceIds", {linux_id, windows_id}}, {"Password", "Abcd1234_xyz"}});
    }
    SUBCASE("the reset rule allows _ < > which LoginSettings does not") {
      Ok(api, "ResetInstancesPassword", {{"InstanceIds", {linux_id}}, {"Password", "abcd_<>1"}});
    }
  }

  TEST_CASE("ResetInstancesPassword: a password no OS accepts is reported before an unknown ID (D-136)") {
    // D-136: parameter checks come before lookups. A
    // 5-character password breaks the Linux and the Windows rule alike, so it
    // needs no lookup.
    TestApi api;
    std::string id = Stopped(api);
    ExpectRefused(api, "ResetInstancesPassword", {{"InstanceIds", {id, kUnknownId}}, {"Password", "abc12"}}, "InvalidPassword",
                  {id});
  }

  TEST_CASE("ResetInstancesPassword: a RUNNING instance without ForceStop gives UnsupportedOperation.InstanceStateRunning and the batch changes nothing") {
    TestApi api;
    std::string stopped = Stopped(api);
    std::string running = Running(api);
    ExpectRefused(api, "ResetInstancesPassword", {{"InstanceIds", {stopped, running}}, {"Password", "abcd1234"}},
                  "UnsupportedOperation.InstanceStateRunning", {stopped, running});
    ExpectRefused(api, "ResetInstancesPassword", {{"InstanceIds", {running}}, {"Password", "abcd1234"}, {"ForceStop", false}},
                  "UnsupportedOperation.InstanceStateRunning", {running});
  }

  TEST_CASE("ResetInstancesPassword: with ForceStop every state but RUNNING and STOPPED is refused with UnsupportedOperation.InstanceState<State>") {
    ActionCase forced = kResetPassword;
    forced.extra["ForceStop"] = true;
    CheckWrongStates(forced, {"RUNNING", "STOPPED"});
  }

  TEST_CASE("ResetInstancesPassword: a STOPPED instance stays STOPPED") {
    TestApi api;
    std::string id = Stopped(api);
    Ok(api, "ResetInstancesPassword", {{"InstanceIds", {id}}, {"Password", "abcd1234"}});
    CHECK(StateOf(api, id) == "STOPPED");
    api.Advance(kStopping + kStarting);
    CHECK(StateOf(api, id) == "STOPPED");
    CHECK(Describe(api, id)["LoginSettings"]["Password"].is_null());  // never shown (the document's DescribeInstances output)
  }

  TEST_CASE("ResetInstancesPassword: a RUNNING instance with ForceStop goes STOPPING, STARTING, then RUNNING (D-107)") {
    TestApi api;
    std::string running = Running(api);
    std::string stopped = Stopped(api);
    Ok(api, "ResetInstancesPassword", {{"InstanceIds", {running, stopped}}, {"Password", "abcd1234"}, {"ForceStop", true}});
    CHECK(StateOf(api, running) == "STOPPING");
    CHECK(StateOf(api, stopped) == "STOPPED");
    api.Advance(kStopping - 1);
    CHECK(StateOf(api, running) == "STOPPING");
    api.Advance(1);
    CHECK(StateOf(api, running) == "STARTING");
    api.Advance(kStarting - 1);
    CHECK(StateOf(api, running) == "STARTING");
    api.Advance(1);
    CHECK(StateOf(api, running) == "RUNNING");
    CHECK(StateOf(api, stopped) == "STOPPED");
  }

  // =====================================================================
  // ModifyInstancesAttribute

  TEST_CASE("ModifyInstancesAttribute: a malformed ID gives InvalidInstanceId.Malformed and changes nothing") {
    CheckMalformed(kModifyAttribute);
  }
  TEST_CASE("ModifyInstancesAttribute: an unknown ID gives InvalidInstanceId.NotFound and changes nothing") {
    CheckNotFound(kModifyAttribute);
  }
  TEST_CASE("ModifyInstancesAttribute: more than 100 IDs gives InvalidParameterValue.LimitExceeded and changes nothing") {
    CheckLimitExceeded(kModifyAttribute);
  }
  TEST_CASE("ModifyInstancesAttribute: no InstanceIds gives MissingParameter and changes nothing") {
    CheckMissingIds(kModifyAttribute);
  }
  TEST_CASE("ModifyInstancesAttribute: InstanceId.0 is not an alias and gives UnknownParameter") {
    CheckUnknownParameter(kModifyAttribute);
  }

  TEST_CASE("ModifyInstancesAttribute: neither InstanceName nor SecurityGroups gives MissingParameter.AtLeastOne and changes nothing") {
    TestApi api;
    std::string id = Running(api);
    ExpectRefused(api, "ModifyInstancesAttribute", {{"InstanceIds", {id}}}, "MissingParameter.AtLeastOne", {id});
  }

  TEST_CASE("ModifyInstancesAttribute: a name over 60 bytes gives InvalidInstanceName.TooLong and changes nothing") {
    TestApi api;
    std::string id = Running(api);
    ExpectRefused(api, "ModifyInstancesAttribute", {{"InstanceIds", {id}}, {"InstanceName", std::string(61, 'n')}},
                  "InvalidInstanceName.TooLong", {id});
    Ok(api, "ModifyInstancesAttribute", {{"InstanceIds", {id}}, {"InstanceName", std::string(60, 'n')}});
  }

  TEST_CASE("ModifyInstancesAttribute: a malformed security group gives InvalidParameterValue and changes nothing") {
    TestApi api;
    std::string id = Running(api, {{"SecurityGroupIds", {"sg-abcd1234"}}});
    ExpectRefused(api, "ModifyInstancesAttribute", {{"InstanceIds", {id}}, {"SecurityGroups", {"sg-1"}}},
                  "InvalidParameterValue", {id});
    ExpectRefused(api, "ModifyInstancesAttribute", {{"InstanceIds", {id}}, {"InstanceName", 7}}, "InvalidParameterValue", {id});
  }

  TEST_CASE("ModifyInstancesAttribute: a TERMINATING instance gives UnsupportedOperation.InstanceStateTerminating and the batch changes nothing") {
    TestApi api;
    std::string ok = Running(api);
    std::string terminating = InState(api, "TERMINATING");
    ExpectRefused(api, "ModifyInstancesAttribute", {{"InstanceIds", {ok, terminating}}, {"InstanceName", "x"}},
                  "UnsupportedOperation.InstanceStateTerminating", {ok, terminating});
  }

  TEST_CASE("ModifyInstancesAttribute: the new name and security groups show in DescribeInstances") {
    TestApi api;
    std::string a = Running(api, {{"InstanceName", "old"}, {"SecurityGroupIds", {"sg-aaaa1111"}}});
    std::string b = LaunchOne(api, {{"InstanceName", "old"}});  // PENDING may be renamed too
    Ok(api, "ModifyInstancesAttribute", {{"InstanceIds", {a, b}}, {"InstanceName", "新名字"}});
    CHECK(Describe(api, a)["InstanceName"] == "新名字");
    CHECK(Describe(api, b)["InstanceName"] == "新名字");
    CHECK(Describe(api, a)["SecurityGroupIds"] == json::array({"sg-aaaa1111"}));  // untouched
    Ok(api, "ModifyInstancesAttribute", {{"InstanceIds", {a}}, {"SecurityGroups", {"sg-bbbb2222", "sg-cccc3333"}}});
    json in = Describe(api, a);
    CHECK(in["SecurityGroupIds"] == json::array({"sg-bbbb2222", "sg-cccc3333"}));
    CHECK(in["InstanceName"] == "新名字");  // untouched
    Ok(api, "ModifyInstancesAttribute", {{"InstanceIds", {a}}, {"InstanceName", "both"}, {"SecurityGroups", {"sg-dddd4444"}}});
    in = Describe(api, a);
    CHECK(in["InstanceName"] == "both");
    CHECK(in["SecurityGroupIds"] == json::array({"sg-dddd4444"}));
    CHECK(in["InstanceState"] == "RUNNING");  // no state change
  }

  // =====================================================================
  // ModifyInstancesProject

  TEST_CASE("ModifyInstancesProject: a malformed ID gives InvalidInstanceId.Malformed and changes nothing") {
    CheckMalformed(kModifyProject);
  }
  TEST_CASE("ModifyInstancesProject: an unknown ID gives InvalidInstanceId.NotFound and changes nothing") {
    CheckNotFound(kModifyProject);
  }
  TEST_CASE("ModifyInstancesProject: more than 100 IDs gives InvalidParameterValue.LimitExceeded and changes nothing") {
    CheckLimitExceeded(kModifyProject);
  }
  TEST_CASE("ModifyInstancesProject: no InstanceIds or no ProjectId gives MissingParameter and changes nothing") {
    CheckMissingIds(kModifyProject);
    TestApi api;
    std::string id = Running(api);
    ExpectRefused(api, "ModifyInstancesProject", {{"InstanceIds", {id}}}, "MissingParameter", {id});
  }
  TEST_CASE("ModifyInstancesProject: InstanceId.0 is not an alias and gives UnknownParameter") {
    CheckUnknownParameter(kModifyProject);
  }

  TEST_CASE("ModifyInstancesProject: a negative or non-integer ProjectId gives InvalidParameterValue and changes nothing") {
    TestApi api;
    std::string id = Running(api, {{"SecurityGroupIds", {"sg-abcd1234"}}});
    ExpectRefused(api, "ModifyInstancesProject", {{"InstanceIds", {id}}, {"ProjectId", -1}}, "InvalidParameterValue", {id});
    ExpectRefused(api, "ModifyInstancesProject", {{"InstanceIds", {id}}, {"ProjectId", "one"}}, "InvalidParameterValue", {id});
  }

  TEST_CASE("ModifyInstancesProject: a TERMINATING instance gives UnsupportedOperation.InstanceStateTerminating and the batch changes nothing") {
    TestApi api;
    std::string ok = Running(api, {{"SecurityGroupIds", {"sg-abcd1234"}}});
    std::string terminating = InState(api, "TERMINATING");
    ExpectRefused(api, "ModifyInstancesProject", {{"InstanceIds", {ok, terminating}}, {"ProjectId", 4}},
                  "UnsupportedOperation.InstanceStateTerminating", {ok, terminating});
  }

  TEST_CASE("ModifyInstancesProject: the new project shows in DescribeInstances and the security groups are unbound (D-18)") {
    TestApi api;
    std::string a = Running(api, {{"SecurityGroupIds", {"sg-abcd1234", "sg-efgh5678"}}});
    std::string b = Stopped(api, {{"SecurityGroupIds", {"sg-abcd1234"}}});
    std::string untouched = Running(api, {{"SecurityGroupIds", {"sg-abcd1234"}}});
    Ok(api, "ModifyInstancesProject", {{"InstanceIds", {a, b}}, {"ProjectId", 1005}});
    for (const std::string& id : {a, b}) {
      json in = Describe(api, id);
      CHECK(in["Placement"]["ProjectId"] == 1005);
      CHECK(in["SecurityGroupIds"] == json::array());
    }
    CHECK(StateOf(api, a) == "RUNNING");
    CHECK(StateOf(api, b) == "STOPPED");
    json other = Describe(api, untouched);
    CHECK(other["Placement"]["ProjectId"] == 0);
    CHECK(other["SecurityGroupIds"] == json::array({"sg-abcd1234"}));
    json r = api.Call("DescribeInstances", {{"Filters", {{{"Name", "project-id"}, {"Values", {"1005"}}}}}});
    CHECK(r["TotalCount"] == 2);
  }

  // =====================================================================
  // DescribeInstanceVncUrl

  TEST_CASE("DescribeInstanceVncUrl: a malformed ID gives InvalidInstanceId.Malformed") { CheckMalformed(kVnc); }
  TEST_CASE("DescribeInstanceVncUrl: an unknown ID gives InvalidInstanceId.NotFound") { CheckNotFound(kVnc); }
  TEST_CASE("DescribeInstanceVncUrl: no InstanceId gives MissingParameter") { CheckMissingIds(kVnc); }
  TEST_CASE("DescribeInstanceVncUrl: InstanceIds is not its parameter and gives UnknownParameter") { CheckUnknownParameter(kVnc); }

  TEST_CASE("DescribeInstanceVncUrl: a STOPPED instance gives InvalidInstanceState") {
    TestApi api;
    std::string id = Stopped(api);
    ExpectRefused(api, "DescribeInstanceVncUrl", {{"InstanceId", id}}, "InvalidInstanceState", {id});
  }

  TEST_CASE("DescribeInstanceVncUrl: every state but RUNNING gives InvalidInstanceState (D-105)") {
    CheckWrongStates(kVnc, {"RUNNING"}, /*vnc=*/true);
  }

  TEST_CASE("DescribeInstanceVncUrl: a RUNNING instance gets a wss:// URL that differs on every call") {
    TestApi api;
    std::string id = Running(api);
    std::set<std::string> urls;
    for (int i = 0; i < 3; ++i) {
      json r = api.Call("DescribeInstanceVncUrl", {{"InstanceId", id}});
      REQUIRE_MESSAGE(CodeOf(r) == "", r.dump());
      std::string url = r["InstanceVncUrl"];
      CHECK(url.rfind("wss://", 0) == 0);
      urls.insert(url);
    }
    CHECK(urls.size() == 3);
    CHECK(StateOf(api, id) == "RUNNING");
  }
}
