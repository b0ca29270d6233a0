// The instance state machine (the document's action descriptions; D-105..D-108, D-114, D-118):
// which operation each observed state allows, and the lifecycle each
// operation starts. Pure functions; the store applies what they return.
#pragma once

#include <string_view>

#include "schema/errors.h"
#include "state/instance.h"
#include "state/scope.h"
#include "state/setting_values.h"

namespace cvm::state {

enum class Operation {
  kStart,
  kStop,
  kReboot,
  kReset,            // ResetInstance: reinstall
  kStopChangeStart,  // ResetInstancesPassword, key pair (dis)association: STOPPED, or RUNNING with ForceStop
  kTerminate,
  kModify,           // ModifyInstancesAttribute / ModifyInstancesProject
  kVnc,              // DescribeInstanceVncUrl
  kCreateImage,      // STOPPED, or RUNNING with ForcePoweroff (D-114)
};

// OK iff `op` may run on `instance`, observed in `state`. `force` is
// ForceStop / ForcePoweroff where the operation has one. `action` names the
// API action for the message. The error is the documented one for a wrong
// state (D-105): UnsupportedOperation.InstanceState<State>, or
// InvalidInstanceState for DescribeInstanceVncUrl.
Status CheckOperation(Operation op, const Instance& instance, InstanceState state, bool force,
                      std::string_view action);

// The lifecycle after `op` starts at `now`. REQUIRES: CheckOperation passed.
Lifecycle ApplyOperation(Operation op, const Instance& instance, InstanceState state, TimeMs now,
                         const Durations& durations);

// True iff the instance, showing `observed` (ObservedState), is in the
// middle of a stop-change-start: a change made with ForceStop (a password,
// key pairs, a type, a disk, a VPC) that stopped it and has yet to start it
// again.
bool ChangeInProgress(const Lifecycle& lifecycle, InstanceState observed);

// The lifecycle of a new instance: PENDING, then RUNNING, or LAUNCH_FAILED
// when `launch_fails`.
Lifecycle LaunchLifecycle(TimeMs now, const Durations& durations, bool launch_fails);

// The wrong-state error for `state` (D-105).
const ErrorSpec& WrongStateCode(InstanceState state);

// The state `instance` shows to the caller of `scope` at scope.now: its
// record and the clock, with any phase a stuck fault rule holds for it
// (D-218). Every check and every answer reads state through this.
InstanceState ObservedState(const Scope& scope, const Instance& instance);

}  // namespace cvm::state
