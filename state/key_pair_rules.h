// Request rules for key pairs (the document's CreateKeyPair and
// ModifyKeyPairAttribute input tables; D-30..D-32). Pure functions; each
// returns the documented error naming the parameter.
#pragma once

#include <cstdint>
#include <string>

#include "schema/errors.h"

namespace cvm::state {

// The longest key pair name (D-31).
inline constexpr size_t kMaxKeyPairName = 25;

// A key pair name at creation and import (D-31): non-empty, at most 25
// characters, letters, digits and underscores only. Error:
// InvalidKeyPairName.Empty / .IncludeIllegalChar / .TooLong naming `path`.
Status CheckKeyPairName(const std::string& name, const std::string& path);

// The same rule for ModifyKeyPairAttribute (the document's KeyName row), whose error table has
// only InvalidParameterValue for it (docs/decisions.md D-31).
Status CheckNewKeyPairName(const std::string& name, const std::string& path);

// Projects are not modelled: every non-negative project ID exists (D-32).
// Error: InvalidProjectId.NotFound.
Status CheckKeyPairProject(int64_t project_id);

}  // namespace cvm::state
