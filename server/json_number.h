// Numbers in control input: the control endpoints, the --faults file, flags
// and environment variables give them as JSON numbers or as strings.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <optional>

namespace cvm::server {

// A finite number: a JSON number, or a string that is one number as a whole
// (std::stod's syntax); nullopt otherwise.
std::optional<double> FiniteNumber(const nlohmann::json& value);

}  // namespace cvm::server
