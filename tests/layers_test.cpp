// The layers, bottom up: crypto/ and schema/, state/, handlers/, server/; the
// socket layer server/net/ knows only the plain HTTP values. Each folder's
// files include nothing from a layer above it.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;

// The project headers `file` includes ("state/clock.h", ...).
std::vector<std::string> ProjectIncludes(const fs::path& file) {
  static const std::regex kInclude(R"re(^\s*#\s*include\s+"([^"]+)")re");
  std::vector<std::string> out;
  std::ifstream in(file);
  std::string line;
  std::smatch m;
  while (std::getline(in, line)) {
    if (std::regex_search(line, m, kInclude)) out.push_back(m[1]);
  }
  return out;
}

// Every include in `folder` (recursively) that starts with none of `allowed`,
// as "file includes header; ...", or "".
std::string IncludesOutside(const std::string& folder, const std::vector<std::string>& allowed) {
  std::string bad;
  for (const auto& entry : fs::recursive_directory_iterator(fs::path(CVM_SOURCE_DIR) / folder)) {
    std::string ext = entry.path().extension().string();
    if (ext != ".h" && ext != ".cpp" && ext != ".def") continue;
    for (const std::string& include : ProjectIncludes(entry.path())) {
      bool ok = false;
      for (const std::string& prefix : allowed) ok |= include.rfind(prefix, 0) == 0;
      if (!ok) bad += entry.path().filename().string() + " includes " + include + "; ";
    }
  }
  return bad;
}

TEST_CASE("Layers: server/net/ includes only the plain HTTP values and itself") {
  CHECK(IncludesOutside("server/net", {"server/net/", "server/http_message.h"}) == "");
}

TEST_CASE("Layers: handlers/ never includes server/") {
  CHECK(IncludesOutside("handlers", {"handlers/", "state/", "schema/", "crypto/"}) == "");
}

TEST_CASE("Layers: state/ includes only state/, schema/ and crypto/") {
  CHECK(IncludesOutside("state", {"state/", "schema/", "crypto/"}) == "");
}

TEST_CASE("Layers: schema/ and crypto/ include only themselves") {
  CHECK(IncludesOutside("schema", {"schema/"}) == "");
  CHECK(IncludesOutside("crypto", {"crypto/"}) == "");
}

}  // namespace
