// Business operations on dedicated hosts, beside their store (D-126..D-128):
// AllocateHosts, ModifyHostsAttribute, RenewHosts, and placing CDHPAID
// instances on hosts (D-127). Each mutating action is a Plan (checks only)
// and an Apply (writes only) over a Scope (state/scope.h).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "schema/errors.h"
#include "state/catalog.h"
#include "state/host.h"
#include "state/scope.h"

namespace cvm::state {

// AllocateHosts' parameters, read but not yet checked.
struct AllocateHostsRequest {
  std::string zone;
  int64_t project_id = 0;
  std::string host_type = "HS1";
  int64_t count = 1;
  // HostChargePrepaid: nullopt when absent.
  std::optional<int64_t> period_months;
  RenewFlag renew_flag = RenewFlag::kNotifyAndAutoRenew;
  // Idempotency (D-102): the token (empty: none) and the request without it.
  std::string client_token;
  std::string canonical_request;
};

// What AllocateHosts writes: `count` hosts made from one prototype.
struct AllocateHostsChange {
  // A ClientToken seen before with the same request: the first call's host
  // IDs, answered again; nothing is written.
  std::optional<std::vector<std::string>> replay;
  Host prototype;  // everything but the ID, address and launch outcome
  int64_t count = 0;
  std::string client_token;
  std::string canonical_request;
};

// Checks, in order: the ClientToken (a replay, or InvalidParameterValue when
// it was used with other parameters), the zone (InvalidZone.MismatchRegion),
// the project (InvalidProjectId.NotFound), HostChargePrepaid
// (MissingParameter), the host type (InvalidParameterValue).
Result<AllocateHostsChange> PlanAllocateHosts(const Scope& scope,
                                              const AllocateHostsRequest& request);
// Inserts the hosts PENDING (or LAUNCH_FAILURE, with the fault probability)
// and records the token. Returns their IDs in order.
std::vector<std::string> ApplyAllocateHosts(const Scope& scope, const AllocateHostsChange& change);

// ModifyHostsAttribute and RenewHosts: the hosts as they will be.
struct HostsChange {
  std::vector<Host> hosts;
};

// The account's hosts in the region among `host_ids`, in order, each once;
// InvalidHostId.NotFound naming the first unknown one.
Result<std::vector<Host>> LoadHosts(const Scope& scope, const std::vector<std::string>& host_ids);

// Exactly one of the two (D-128: neither → MissingParameter.AtLeastOne; the
// schema refuses both); every host exists. A new RenewFlag keeps the
// ExpiredTime the host shows now.
Result<HostsChange> PlanModifyHosts(const Scope& scope, const std::vector<std::string>& host_ids,
                                    const std::optional<std::string>& host_name,
                                    const std::optional<RenewFlag>& renew_flag);
// RenewHosts: every host exists; each ExpiredTime (as shown now) moves on by
// `period_months`. The RenewFlag stays as it is (D-193).
Result<HostsChange> PlanRenewHosts(const Scope& scope, const std::vector<std::string>& host_ids,
                                   int64_t period_months);
void ApplyHostsChange(const Scope& scope, const HostsChange& change);

// CDHPAID: the instance type a CDH_<cpu>C<mem>G name stands for (D-192), or
// nullopt when the name is not of that shape.
std::optional<InstanceTypeInfo> CdhInstanceType(const std::string& name);

// Where `count` CDHPAID instances of `cpu` vCPU, `memory_gb` GiB and
// `disk_gb` GiB of local disk go (D-127, D-192): every host of `host_ids` is
// the account's (InvalidHostId.NotFound), in `zone` and RUNNING
// (InvalidParameterValue); each instance goes to the first listed host with
// room left for it. All of them fit, or InvalidParameterValue names the
// hosts and what is short. Returns one host ID per instance.
Result<std::vector<std::string>> PlanHostPlacement(const Scope& scope,
                                                   const std::vector<std::string>& host_ids,
                                                   const std::string& zone, int64_t cpu,
                                                   int64_t memory_gb, int64_t disk_gb,
                                                   int64_t count);

}  // namespace cvm::state
