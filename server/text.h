// ASCII text helpers for header values and comma-separated lists, shared by
// the signature checks and the control plane's access checks.
#pragma once

#include <cctype>
#include <string>
#include <string_view>

namespace cvm::server {

// `s` with its letters lower-cased, byte by byte.
inline std::string AsciiLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// `s` without the spaces and tabs at either end (HTTP's optional whitespace).
inline std::string_view TrimSpacesAndTabs(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace cvm::server
