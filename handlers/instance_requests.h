// Reading the instance actions' validated parameters into state/'s requests.
// An action and its price inquiry read theirs with the same function, so the
// two plans see the same request (D-134).
#pragma once

#include "handlers/context.h"
#include "state/instance_service.h"
#include "state/launch_service.h"
#include "state/reconfiguration_service.h"

namespace cvm::handlers {

// RunInstances and InquiryPriceRunInstances (whose inputs are a subset).
state::LaunchRequest ReadLaunchRequest(const Json& params);

// ResetInstance and InquiryPriceResetInstance.
state::ResetInstanceRequest ReadResetInstanceRequest(const Json& params);

// ResetInstancesType and InquiryPriceResetInstancesType.
state::ResetInstancesTypeRequest ReadResetInstancesTypeRequest(const Json& params);

// ResizeInstanceDisks and InquiryPriceResizeInstanceDisks.
state::ResizeInstanceDisksRequest ReadResizeInstanceDisksRequest(const Json& params);

}  // namespace cvm::handlers
