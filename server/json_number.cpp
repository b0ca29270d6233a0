#include "server/json_number.h"

#include <cmath>
#include <nlohmann/json.hpp>
#include <string>

namespace cvm::server {

std::optional<double> FiniteNumber(const nlohmann::json& value) {
  double d;
  if (value.is_number()) {
    d = value.get<double>();
  } else if (value.is_string()) {
    const std::string& s = value.get_ref<const std::string&>();
    try {
      size_t used = 0;
      d = std::stod(s, &used);
      if (used != s.size()) return std::nullopt;
    } catch (const std::exception&) {
      return std::nullopt;
    }
  } else {
    return std::nullopt;
  }
  if (!std::isfinite(d)) return std::nullopt;
  return d;
}

}  // namespace cvm::server
