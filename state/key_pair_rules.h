// Request rules for key pairs (RULES.md CKP-2, CKP-3, MKP-1). Pure
// functions; each returns the documented error naming the parameter.
#pragma once

#include <cstdint>
#include <string>

#include "schema/errors.h"

namespace cvm::state {

// The longest key pair name (CKP-2).
inline constexpr size_t kMaxKeyPairName = 25;

// A key pair name at creation and import (CKP-2): non-empty, at most 25
// characters, letters, digits and underscores only. Error:
// InvalidKeyPairName.Empty / .IncludeIllegalChar / .TooLong naming `path`.
Status CheckKeyPairName(const std::string& name, const std::string& path);

// The same rule for ModifyKeyPairAttribute (MKP-1), whose error table has
// only InvalidParameterValue for it (docs/decisions.md D-31).
Status CheckNewKeyPairName(const std::string& name, const std::string& path);

// Projects are not modelled: every non-negative project ID exists (D-32).
// Error: InvalidProjectId.NotFound.
Status CheckKeyPairProject(int64_t project_id);

}  // namespace cvm::state
