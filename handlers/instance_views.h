// How an instance looks in responses: the Instance structure of the
// document's tables (DECISIONS Q-25), with null for values it does not have
// and [] for empty lists (docs/decisions.md D-09).
#pragma once

#include <nlohmann/json.hpp>

#include "state/instance.h"

namespace cvm::handlers {

nlohmann::json InstanceView(const state::Instance& instance, state::TimeMs now);

}  // namespace cvm::handlers
