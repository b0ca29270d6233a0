// How an instance looks in responses: the Instance structure of the
// document's tables (D-125), with null for values it does not have
// and [] for empty lists (docs/decisions.md D-09). Written straight to text:
// DescribeInstances pages are the largest answers the emulator gives.
#pragma once

#include <optional>
#include <string_view>

#include "handlers/json_writer.h"
#include "state/clock.h"
#include "state/instance.h"

namespace cvm::handlers {

// A Timestamp member, "YYYY-MM-DDThh:mm:ssZ", or null: an instance's
// CreatedTime and ExpiredTime, a bandwidth configuration's StartTime and EndTime.
void WriteTime(JsonWriter& out, std::string_view name, std::optional<state::TimeMs> ms);

void WriteInstance(JsonWriter& out, const state::Instance& instance, state::InstanceState state,
                   state::TimeMs now);

}  // namespace cvm::handlers
