// An instance as the store keeps it, and its lifecycle: observed state is a
// pure function of the stored record and the clock (no timer thread flips
// rows). A record holds the transitional phases it is going through, each
// with the instant it ends, and the state it rests in afterwards.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "state/clock.h"
#include "state/enums.h"

namespace cvm::state {

enum class InstanceState {
  kPending,
  kLaunchFailed,
  kRunning,
  kStopped,
  kStarting,
  kStopping,
  kRebooting,
  kShutdown,
  kTerminating,
  kGone,  // terminated: no longer visible anywhere
};
template <>
struct EnumNames<InstanceState> {
  static constexpr EnumEntry<InstanceState> kNames[] = {
      {InstanceState::kPending, "PENDING"},
      {InstanceState::kLaunchFailed, "LAUNCH_FAILED"},
      {InstanceState::kRunning, "RUNNING"},
      {InstanceState::kStopped, "STOPPED"},
      {InstanceState::kStarting, "STARTING"},
      {InstanceState::kStopping, "STOPPING"},
      {InstanceState::kRebooting, "REBOOTING"},
      {InstanceState::kShutdown, "SHUTDOWN"},
      {InstanceState::kTerminating, "TERMINATING"},
      {InstanceState::kGone, "GONE"},
  };
};

// "PENDING", "RUNNING", ... ("GONE" for kGone, never shown to clients).
inline const char* StateName(InstanceState state) { return NameOf(state).data(); }
// The inverse of StateName; false for anything else.
inline bool ParseState(std::string_view name, InstanceState* out) {
  std::optional<InstanceState> s = ParseName<InstanceState>(name);
  if (s) *out = *s;
  return s.has_value();
}

struct Phase {
  InstanceState state;
  TimeMs until;  // the phase lasts while now < until
  bool operator==(const Phase&) const = default;
};

struct Lifecycle {
  std::vector<Phase> phases;  // in order; all ends after the previous one's
  InstanceState rest = InstanceState::kRunning;
  // ActionTimer: terminated at this instant (TERMINATING until gone_at, or
  // SHUTDOWN from then on when there is no gone_at: PREPAID).
  std::optional<TimeMs> timer_at;
  // When the instance disappears (terminated and past TERMINATING).
  std::optional<TimeMs> gone_at;

  InstanceState Observe(TimeMs now) const { return Observe(now, 0); }
  // As Observe(now), but a phase whose state is in `held` (a bit per state,
  // 1 << state) does not end once reached: a stuck transition (D-218).
  InstanceState Observe(TimeMs now, uint32_t held) const;
  bool Visible(TimeMs now) const { return !gone_at || now < *gone_at; }
  bool operator==(const Lifecycle&) const = default;

  // "STOPPING@1700000000000,STARTING@1700000005000" and back.
  std::string EncodePhases() const;
  static bool DecodePhases(std::string_view text, std::vector<Phase>* out);
};

struct Disk {
  DiskType type = DiskType::kCloudBasic;
  std::optional<std::string> disk_id;  // cloud disks only
  int64_t size_gb = 0;
  bool delete_with_instance = true;
  bool is_cloud() const { return IsCloudDisk(type); }
  bool operator==(const Disk&) const = default;
};

struct Tag {
  std::string key, value;
  bool operator==(const Tag&) const = default;
};

struct Instance {
  int64_t rowid = 0;
  int64_t app_id = 0;
  std::string region;
  std::string instance_id;
  std::string zone;
  int64_t project_id = 0;
  std::optional<std::string> host_id;  // CDH
  std::string instance_type;
  int64_t cpu = 0, memory = 0;
  std::string name;
  std::optional<std::string> host_name;
  ChargeType charge_type = ChargeType::kPostpaidByHour;
  std::optional<RenewFlag> renew_flag;
  std::optional<TimeMs> expired_at;
  std::string image_id;
  std::string os_name;
  bool windows = false;
  // The image's own description, kept for CreateImage.
  std::string image_platform, image_architecture = "x86_64";
  int64_t image_size_gb = 0;
  bool image_cloud_init = false;
  RestrictState restrict_state = RestrictState::kNormal;
  TimeMs created_at = 0;
  Lifecycle lifecycle;
  Disk system_disk;
  std::vector<Disk> data_disks;
  std::optional<std::string> vpc_id, subnet_id;  // null: the basic (classic) network
  bool as_vpc_gateway = false;
  std::string private_ip;
  std::optional<std::string> public_ip;
  std::optional<InternetChargeType> internet_charge_type;
  int64_t bandwidth_out = 0;
  bool security_service = true, monitor_service = true;
  bool keep_image_login = false;
  std::optional<std::string> user_data;
  std::optional<std::string> placement_group_id;
  std::vector<std::string> security_group_ids;
  std::vector<std::string> key_ids;
  std::vector<Tag> tags;

  InstanceState Observe(TimeMs now) const { return lifecycle.Observe(now); }
  // True iff it runs on a dedicated host (CDHPAID, D-127): it is paid for
  // through its host, so billing and renewal actions refuse it.
  bool is_cdh() const { return charge_type == ChargeType::kCdhPaid; }
  bool operator==(const Instance&) const = default;
};

}  // namespace cvm::state
