// A dedicated host (CDH) as the store keeps it, and its state on the clock:
// like an instance's, a pure function of the stored record and the instant
// (D-126). A host has no action that releases it: it lives until reset.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "state/clock.h"
#include "state/enums.h"

namespace cvm::state {

// HostItem.HostState.
enum class HostState { kPending, kLaunchFailure, kRunning, kExpired };
template <>
struct EnumNames<HostState> {
  static constexpr EnumEntry<HostState> kNames[] = {
      {HostState::kPending, "PENDING"},
      {HostState::kLaunchFailure, "LAUNCH_FAILURE"},
      {HostState::kRunning, "RUNNING"},
      {HostState::kExpired, "EXPIRED"},
  };
};

// What an HS1 host has in all (D-126: the DescribeHosts example's numbers).
struct HostCapacity {
  int64_t cpu = 0, memory_gb = 0, disk_gb = 0;
};
HostCapacity CapacityOf(HostType type);

struct Host {
  int64_t rowid = 0;
  int64_t app_id = 0;
  std::string region;
  std::string host_id;
  std::string zone;
  int64_t project_id = 0;
  std::string host_name;
  HostType host_type = HostType::kHs1;
  RenewFlag renew_flag = RenewFlag::kNotifyAndAutoRenew;
  TimeMs created_at = 0;
  TimeMs running_at = 0;  // PENDING while now < running_at
  TimeMs expired_at = 0;  // as stored; see ObservedExpiry
  bool launch_failed = false;
  std::string host_ip;
  int64_t cpu = 0, memory_gb = 0, disk_gb = 0;  // in all

  // LAUNCH_FAILURE if the launch failed; PENDING until running_at; EXPIRED
  // from ExpiredTime on unless it renews itself; RUNNING otherwise.
  HostState Observe(TimeMs now) const;
  // ExpiredTime at `now`: a host that renews itself (NOTIFY_AND_AUTO_RENEW)
  // has done so a month at a time, as a PREPAID instance does.
  TimeMs ObservedExpiry(TimeMs now) const;
  bool operator==(const Host&) const = default;
};

// What the instances on a host take from it, and which they are (visible
// ones, oldest first).
struct HostUsage {
  int64_t cpu = 0, memory_gb = 0, disk_gb = 0;
  std::vector<std::string> instance_ids;
};

}  // namespace cvm::state
