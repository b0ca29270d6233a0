// How an instance looks in responses: the Instance structure of the
// document's tables (D-125), with null for values it does not have
// and [] for empty lists (docs/decisions.md D-09). Written straight to text:
// DescribeInstances pages are the largest answers the emulator gives.
#pragma once

#include "handlers/json_writer.h"
#include "state/instance.h"

namespace cvm::handlers {

void WriteInstance(JsonWriter& out, const state::Instance& instance, state::InstanceState state,
                   state::TimeMs now);

}  // namespace cvm::handlers
