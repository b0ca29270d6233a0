#include "state/key_pair_rules.h"

namespace cvm::state {
namespace {

bool NameChar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

// The first character that is not allowed, quoted for a message, or "".
std::string IllegalChar(const std::string& name) {
  for (size_t i = 0; i < name.size(); ++i) {
    if (NameChar(name[i])) continue;
    // Quote the whole UTF-8 sequence the byte starts.
    size_t len = 1;
    while (i + len < name.size() && (static_cast<unsigned char>(name[i + len]) & 0xC0) == 0x80) ++len;
    return "`" + name.substr(i, len) + "`";
  }
  return "";
}

}  // namespace

Status CheckKeyPairName(const std::string& name, const std::string& path) {
  if (name.empty()) return ApiError::Make(errors::kInvalidKeyPairNameEmpty, path);
  if (std::string bad = IllegalChar(name); !bad.empty()) {
    return ApiError::Make(errors::kInvalidKeyPairNameIncludeIllegalChar, path, bad + " is not allowed");
  }
  if (name.size() > kMaxKeyPairName) {
    return ApiError::Make(errors::kInvalidKeyPairNameTooLong, path,
                          "at most " + std::to_string(kMaxKeyPairName) + " characters are allowed");
  }
  return Status::Ok();
}

Status CheckNewKeyPairName(const std::string& name, const std::string& path) {
  if (name.empty()) return ApiError::Make(errors::kInvalidParameterValue, path, "a key pair name must not be empty");
  if (std::string bad = IllegalChar(name); !bad.empty()) {
    return ApiError::Make(errors::kInvalidParameterValue, path,
                          "a key pair name may only hold letters, digits and underscores (" + bad +
                              " is not allowed)");
  }
  if (name.size() > kMaxKeyPairName) {
    return ApiError::Make(errors::kInvalidParameterValue, path,
                          "at most " + std::to_string(kMaxKeyPairName) + " characters are allowed");
  }
  return Status::Ok();
}

Status CheckKeyPairProject(int64_t project_id) {
  if (project_id < 0) return ApiError::Make(errors::kInvalidProjectIdNotFound, project_id);
  return Status::Ok();
}

}  // namespace cvm::state
