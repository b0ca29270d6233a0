// Error codes of the 12 instance actions' tables that the emulator cannot
// produce by itself, each injected through the fault path
// (Settings::AddFault, what POST /_emulator/faults does): the code comes back
// once, the refused call changes nothing, and the same call then succeeds.
//
// Codes that cannot be produced, and why:
//
//   RunInstances
//     AccountQualificationRestrictions  An account-level refusal (the
//                                       account has not passed the
//                                       qualification audit). Accounts carry
//                                       no audit status in the emulator.
//     InvalidPermission                 The account may not buy this
//                                       configuration. There is no permission
//                                       model besides the signature.
//   DescribeInstances, DescribeInstancesStatus, StartInstances,
//   StopInstances, RebootInstances, TerminateInstances, ResetInstance,
//   ResetInstancesPassword, ModifyInstancesAttribute, ModifyInstancesProject
//     InternalServerError               A failure of the real back end. The
//                                       emulator's own unexpected failures
//                                       are InternalError (pipeline
//                                       boundary), never this code.
//   StartInstances, StopInstances, RebootInstances, TerminateInstances,
//   ResetInstancesPassword, ModifyInstancesAttribute, ModifyInstancesProject
//     InvalidInstance.NotSupported      An instance of a kind the action does
//                                       not support (instances bound to a
//                                       load balancer for
//                                       ModifyInstancesProject). The
//                                       emulator has no CLB; CDH instances
//                                       (D-192) start, stop, reboot and so on
//                                       like any other; and a
//                                       wrong *state* is
//                                       UnsupportedOperation.InstanceState<S>
//                                       (D-105). (ResetInstance does
//                                       produce it: instance_actions_test.cpp.)
//   TerminateInstances
//     InvalidInstanceNotSupportedPrepaidInstance
//                                       A prepaid instance that does
//                                       not meet the refund rules. The
//                                       emulator has no refund rules: every
//                                       prepaid instance goes SHUTDOWN
//                                       (D-108).
//
// Every other code of the 12 tables is produced for real in
// run_instances_test.cpp, describe_instances_test.cpp and
// instance_actions_test.cpp.
#include <doctest/doctest.h>

#include <string>

#include "tests/handlers/instance_test_support.h"

namespace {

using namespace cvm::testing;
using namespace cvm::testing::instances;
using nlohmann::json;

// Injects `code` into the next call of a state-changing `action` on a fresh
// instance in `ready_state`; the faulted call must leave the instance as it
// was, the retry must move it to `after`.
void ExpectInjectedTransition(const std::string& action, const std::string& code, const std::string& ready_state,
                              const json& extra, const std::string& after) {
  TestApi api;
  std::string id = ready_state == "STOPPED" ? Stopped(api) : Running(api);
  json params = extra;
  params["InstanceIds"] = {id};
  json before = Describe(api, id);
  bool first = true;
  ExpectInjectedOnce(api, action, code, [&] {
    json r = api.Call(action, params);
    if (first) {
      // The faulted call changed nothing.
      CHECK(StateOf(api, id) == ready_state);
      CHECK(Describe(api, id) == before);
      first = false;
    }
    return r;
  });
  CHECK(StateOf(api, id) == after);
}

}  // namespace

TEST_SUITE("handlers") {
  // ---------------------------------------------------------------------
  // RunInstances

  TEST_CASE("RunInstances: an injected AccountQualificationRestrictions comes back once and creates nothing") {
    TestApi api;
    ExpectInjectedOnce(api, "RunInstances", "AccountQualificationRestrictions", [&] {
      json r = api.Call("RunInstances", RunParams());
      if (CodeOf(r) != "") CHECK(TotalCount(api) == 0);
      return r;
    });
    CHECK(TotalCount(api) == 1);
  }

  TEST_CASE("RunInstances: an injected InvalidPermission comes back once and creates nothing") {
    TestApi api;
    ExpectInjectedOnce(api, "RunInstances", "InvalidPermission", [&] {
      json r = api.Call("RunInstances", RunParams());
      if (CodeOf(r) != "") CHECK(TotalCount(api) == 0);
      return r;
    });
    CHECK(TotalCount(api) == 1);
  }

  TEST_CASE("RunInstances: an injected fault does not use up the ClientToken") {
    TestApi api;
    json params = RunParams({{"ClientToken", "faulted"}});
    ExpectInjectedOnce(api, "RunInstances", "InvalidPermission", [&] { return api.Call("RunInstances", params); });
    CHECK(TotalCount(api) == 1);
  }

  TEST_CASE("RunInstances: a fault injected for another action leaves RunInstances alone") {
    TestApi api;
    api.Control("/_emulator/faults",
                {{"action", "StopInstances"}, {"code", "InternalServerError"}, {"count", 1}});
    CHECK(CodeOf(api.Call("RunInstances", RunParams())) == "");
    api.Control("/_emulator/faults/clear", json::object());
  }

  // ---------------------------------------------------------------------
  // Reads

  TEST_CASE("DescribeInstances: an injected InternalServerError comes back once") {
    TestApi api;
    LaunchOne(api);
    ExpectInjectedOnce(api, "DescribeInstances", "InternalServerError", [&] { return api.Call("DescribeInstances"); });
  }

  TEST_CASE("DescribeInstancesStatus: an injected InternalServerError comes back once") {
    TestApi api;
    LaunchOne(api);
    ExpectInjectedOnce(api, "DescribeInstancesStatus", "InternalServerError",
                       [&] { return api.Call("DescribeInstancesStatus"); });
  }

  // ---------------------------------------------------------------------
  // State changes: InternalServerError

  TEST_CASE("StartInstances: an injected InternalServerError comes back once and changes nothing") {
    ExpectInjectedTransition("StartInstances", "InternalServerError", "STOPPED", json::object(), "STARTING");
  }
  TEST_CASE("StopInstances: an injected InternalServerError comes back once and changes nothing") {
    ExpectInjectedTransition("StopInstances", "InternalServerError", "RUNNING", json::object(), "STOPPING");
  }
  TEST_CASE("RebootInstances: an injected InternalServerError comes back once and changes nothing") {
    ExpectInjectedTransition("RebootInstances", "InternalServerError", "RUNNING", json::object(), "REBOOTING");
  }
  TEST_CASE("TerminateInstances: an injected InternalServerError comes back once and changes nothing") {
    ExpectInjectedTransition("TerminateInstances", "InternalServerError", "RUNNING", json::object(), "TERMINATING");
  }
  TEST_CASE("ResetInstancesPassword: an injected InternalServerError comes back once and changes nothing") {
    ExpectInjectedTransition("ResetInstancesPassword", "InternalServerError", "RUNNING",
                             {{"Password", "abcd1234"}, {"ForceStop", true}}, "STOPPING");
  }
  TEST_CASE("ModifyInstancesAttribute: an injected InternalServerError comes back once and changes nothing") {
    ExpectInjectedTransition("ModifyInstancesAttribute", "InternalServerError", "RUNNING", {{"InstanceName", "x"}}, "RUNNING");
  }
  TEST_CASE("ModifyInstancesProject: an injected InternalServerError comes back once and changes nothing") {
    ExpectInjectedTransition("ModifyInstancesProject", "InternalServerError", "RUNNING", {{"ProjectId", 2}}, "RUNNING");
  }

  TEST_CASE("ResetInstance: an injected InternalServerError comes back once and changes nothing") {
    TestApi api;
    std::string id = Running(api);
    json before = Describe(api, id);
    bool first = true;
    ExpectInjectedOnce(api, "ResetInstance", "InternalServerError", [&] {
      json r = api.Call("ResetInstance", {{"InstanceId", id}, {"ImageId", "img-pi0ii46r"}});
      if (first) {
        CHECK(Describe(api, id) == before);
        first = false;
      }
      return r;
    });
    CHECK(StateOf(api, id) == "REBOOTING");
    CHECK(Describe(api, id)["ImageId"] == "img-pi0ii46r");
  }

  // ---------------------------------------------------------------------
  // State changes: InvalidInstance.NotSupported

  TEST_CASE("StartInstances: an injected InvalidInstance.NotSupported comes back once and changes nothing") {
    ExpectInjectedTransition("StartInstances", "InvalidInstance.NotSupported", "STOPPED", json::object(), "STARTING");
  }
  TEST_CASE("StopInstances: an injected InvalidInstance.NotSupported comes back once and changes nothing") {
    ExpectInjectedTransition("StopInstances", "InvalidInstance.NotSupported", "RUNNING", json::object(), "STOPPING");
  }
  TEST_CASE("RebootInstances: an injected InvalidInstance.NotSupported comes back once and changes nothing") {
    ExpectInjectedTransition("RebootInstances", "InvalidInstance.NotSupported", "RUNNING", json::object(), "REBOOTING");
  }
  TEST_CASE("TerminateInstances: an injected InvalidInstance.NotSupported comes back once and changes nothing") {
    ExpectInjectedTransition("TerminateInstances", "InvalidInstance.NotSupported", "RUNNING", json::object(), "TERMINATING");
  }
  TEST_CASE("ResetInstancesPassword: an injected InvalidInstance.NotSupported comes back once and changes nothing") {
    ExpectInjectedTransition("ResetInstancesPassword", "InvalidInstance.NotSupported", "STOPPED", {{"Password", "abcd1234"}},
                             "STOPPED");
  }
  TEST_CASE("ModifyInstancesAttribute: an injected InvalidInstance.NotSupported comes back once and changes nothing") {
    ExpectInjectedTransition("ModifyInstancesAttribute", "InvalidInstance.NotSupported", "RUNNING", {{"InstanceName", "x"}},
                             "RUNNING");
  }
  TEST_CASE("ModifyInstancesProject: an injected InvalidInstance.NotSupported comes back once and changes nothing") {
    ExpectInjectedTransition("ModifyInstancesProject", "InvalidInstance.NotSupported", "RUNNING", {{"ProjectId", 2}}, "RUNNING");
  }

  // ---------------------------------------------------------------------
  // TerminateInstances: InvalidInstanceNotSupportedPrepaidInstance

  TEST_CASE("TerminateInstances: an injected InvalidInstanceNotSupportedPrepaidInstance comes back once and the prepaid instance keeps running") {
    TestApi api;
    std::string id = Running(api, {{"InstanceChargeType", "PREPAID"}, {"InstanceChargePrepaid", {{"Period", 1}}}});
    bool first = true;
    ExpectInjectedOnce(api, "TerminateInstances", "InvalidInstanceNotSupportedPrepaidInstance", [&] {
      json r = api.Call("TerminateInstances", {{"InstanceIds", {id}}});
      if (first) {
        CHECK(StateOf(api, id) == "RUNNING");
        first = false;
      }
      return r;
    });
    CHECK(StateOf(api, id) == "SHUTDOWN");
  }
}
