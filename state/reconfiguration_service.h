// Changing what an existing instance is: ResetInstancesType (its type),
// ResizeInstanceDisks (a data disk) and ModifyInstancesVpcAttribute (its VPC,
// subnet and address), beside the instance store. Each is a Plan (every
// check, reads only) and one Apply (writes only) over a Scope
// (state/scope.h); InquiryPriceResetInstancesType and
// InquiryPriceResizeInstanceDisks price the same plans (state/price_quotes.h).
//
// The stored record changes at once, in the request's transaction; the
// lifecycle is a stop-change-start (D-107, D-131, D-133, D-171): a STOPPED
// instance changes and stays STOPPED; a RUNNING one needs ForceStop and
// shows STOPPING, then STARTING, then RUNNING on the emulator clock.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "schema/errors.h"
#include "state/instance.h"
#include "state/network.h"
#include "state/scope.h"

namespace cvm::state {

// What a reconfiguration writes: every instance of the batch before and as it
// will be stored (all of them or none), and for a VPC move the target
// subnet's record afterwards.
struct ReconfigurationChange {
  std::vector<Instance> before, after;
  std::optional<SubnetRecord> subnet;
};
void ApplyReconfiguration(const Scope& scope, const ReconfigurationChange& change);

// ResetInstancesType, as given (the schema allows one instance).
struct ResetInstancesTypeRequest {
  std::vector<std::string> instance_ids;
  std::string instance_type;
  bool force_stop = false;
};
// Checks, in order: the type is shaped FAMILY.SIZE (InvalidParameterValue);
// the instances exist; none is a CDH instance or has a local system disk
// (InvalidInstance.NotSupported); the type is in the catalog, of the
// instance's family, sold in its zone, not the instance's own type, allows
// its bandwidth and holds its local data disks (InvalidParameterValue); no
// task runs on it (MutexOperation.TaskRunning); STOPPED, or RUNNING with
// ForceStop (UnsupportedOperation.InstanceState<State>). The instance
// afterwards has the type's name, CPU and memory.
Result<ReconfigurationChange> PlanResetInstancesType(const Scope& scope,
                                                     const ResetInstancesTypeRequest& request,
                                                     std::string_view action);

// ResizeInstanceDisks, as given (the schema allows one data disk).
struct ResizeInstanceDisksRequest {
  struct DataDisk {
    std::optional<std::string> disk_id;
    int64_t size_gb = 0;  // the new size; DataDisk.DiskType is not read
  };
  std::string instance_id;
  std::vector<DataDisk> data_disks;
  bool force_stop = false;
};
// Checks, in order: the instance exists; it is not a CDH instance
// (InvalidInstance.NotSupported); the disk: the data disk with DiskId, or
// without one the instance's only cloud data disk (InvalidParameterValue,
// D-112); the size grows, in steps of 10 GB, up to 16000 GB
// (InvalidParameterValue.Range); no task runs on it; STOPPED, or RUNNING with
// ForceStop.
Result<ReconfigurationChange> PlanResizeInstanceDisks(const Scope& scope,
                                                      const ResizeInstanceDisksRequest& request,
                                                      std::string_view action);

// ModifyInstancesVpcAttribute, as given.
struct ModifyInstancesVpcRequest {
  std::vector<std::string> instance_ids;
  std::string vpc_id, subnet_id;
  bool as_vpc_gateway = false;
  std::optional<std::vector<std::string>> private_ips;  // one per instance, in order
  bool force_stop = true;                               // the document's default
};
// Checks, in order: PrivateIpAddresses, when given, number as many as
// InstanceIds and name each instance once (InvalidParameterValue); the
// instances exist; the subnet is not one met in another VPC
// (VpcIdNotMatch); AsVpcGateway only for instances with a public IP
// (InvalidParameterCombination); the addresses (VpcAddrNotInSubNet,
// VpcIpsUsed, ResourceInsufficient, D-13); no task runs on an instance;
// each is STOPPED, or RUNNING with ForceStop. Without PrivateIpAddresses an
// instance already in the subnet keeps its address and the others get free
// ones of the subnet (D-174).
Result<ReconfigurationChange> PlanModifyInstancesVpcAttribute(
    const Scope& scope, const ModifyInstancesVpcRequest& request, std::string_view action);

}  // namespace cvm::state
