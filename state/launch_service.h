// RunInstances beside the instance store: the request as given, its Plan
// (every check: combinations, the catalog, the image, disks, network, names,
// logins, the ActionTimer, the quota, the addresses, the ClientToken) and its
// Apply (IDs, addresses, disks, lifecycles, inserts). See state/scope.h.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "schema/errors.h"
#include "state/enums.h"
#include "state/instance.h"
#include "state/instance_service.h"
#include "state/network.h"
#include "state/scope.h"

namespace cvm::state {

// RunInstances' parameters, read but not yet checked.
struct LaunchRequest {
  struct SystemDisk {
    bool disk_id_given = false;
    std::optional<DiskType> type;
    std::optional<int64_t> size_gb;
  };
  struct DataDisk {
    bool disk_id_given = false;
    DiskType type = DiskType::kCloudBasic;
    int64_t size_gb = 0;  // 0: no disk
    bool delete_with_instance = true;
  };
  struct Vpc {
    std::string vpc_id, subnet_id;
    bool as_vpc_gateway = false;
    std::optional<std::vector<std::string>> private_ips;
  };
  struct Prepaid {
    int64_t period_months = 1;
    RenewFlag renew_flag = RenewFlag::kNotifyAndManualRenew;
  };
  struct ActionTimer {
    std::optional<std::string> action_time;  // "2018-5-29 11:26:40", Beijing time
  };

  // Where.
  std::string zone;
  int64_t project_id = 0;
  std::vector<std::string> host_ids;
  // How it is paid for.
  ChargeType charge_type = ChargeType::kPostpaidByHour;
  std::optional<Prepaid> prepaid;  // InstanceChargePrepaid
  bool market_options = false;     // InstanceMarketOptions given
  // What it runs.
  std::string instance_type;
  std::string image_id;
  std::optional<SystemDisk> system_disk;
  std::vector<DataDisk> data_disks;
  int64_t count = 1;
  // Network.
  std::optional<Vpc> vpc;
  int64_t bandwidth_out = 0;
  std::optional<bool> public_ip_assigned;
  std::optional<InternetChargeType> internet_charge_type;
  // Names, logins and the rest.
  std::optional<std::string> name, host_name;
  LoginRequest login;
  std::vector<std::string> security_group_ids;
  bool security_service = true, monitor_service = true;
  std::optional<std::string> user_data;
  std::optional<ActionTimer> action_timer;
  std::vector<std::string> disaster_recover_group_ids;
  std::vector<Tag> tags;  // of every TagSpecification, in order
  // Idempotency: the token (empty: none) and the request without it.
  std::string client_token;
  std::string canonical_request;
  // InquiryPriceRunInstances: RunInstances' checks with the inquiry's own
  // documented rules where they differ (D-160): PrivateIpAddresses only with
  // InstanceCount 1, and a ClientToken RunInstances used with the same
  // parameters is priced as a purchase, not replayed.
  bool inquiry = false;
};

// What RunInstances writes: `count()` instances made from one prototype.
struct LaunchChange {
  // A ClientToken seen before with the same request: the first call's
  // instance IDs, answered again; nothing else is planned or written.
  std::optional<std::vector<std::string>> replay;

  Instance prototype;              // everything but the IDs, names, addresses and lifecycle
  std::vector<std::string> names;  // one per instance
  // VPC addresses, one per instance: requested ones, or once planned, the
  // allocated ones. Empty in the basic network (they follow from row IDs).
  std::vector<std::string> private_ips;
  std::optional<SubnetRecord> subnet;  // the VPC subnet's record after the launch
  // CDHPAID: the hosts asked for (Placement.HostIds), and once planned, the
  // host of each instance (D-127).
  std::vector<std::string> requested_host_ids;
  std::vector<std::string> host_ids;
  bool public_ip = false;
  std::optional<TimeMs> terminate_at;    // ActionTimer
  std::optional<int64_t> period_months;  // PREPAID
  std::string client_token;              // empty: none to record
  std::string canonical_request;

  int64_t count() const { return static_cast<int64_t>(names.size()); }
};

// Every check of RunInstances (of InquiryPriceRunInstances when
// request.inquiry), in the order the API reports them; reads only.
Result<LaunchChange> PlanLaunch(const Scope& scope, const LaunchRequest& request);

// The part of the plan that needs the database: the account's instance quota
// (InstancesQuotaLimitExceeded), the dedicated hosts of a CDHPAID launch
// (PlanHostPlacement), the placement group's room (CheckGroupRoom) and the
// VPC addresses (VpcAddrNotInSubNet,
// VpcIpsUsed, InvalidParameterValue for a subnet of another VPC,
// ResourceInsufficient), which it fills in.
Status PlanLaunchCapacity(const Scope& scope, LaunchChange& change);

// Creates the instances PENDING: draws IDs, public addresses and disk IDs,
// inserts them, and records the ClientToken. Returns their IDs in order.
std::vector<std::string> ApplyLaunch(const Scope& scope, const LaunchChange& change);

}  // namespace cvm::state
