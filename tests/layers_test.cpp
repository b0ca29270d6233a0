// The layers, bottom up: crypto/ and schema/, state/, handlers/, server/; the
// socket layer server/net/ knows only the plain HTTP values. Each folder's
// files include nothing from a layer above it.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
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

// The files of `folders` (recursively) that include `header`, as
// "folder/file" paths.
std::vector<std::string> Includers(const std::string& header,
                                   const std::vector<std::string>& folders) {
  std::vector<std::string> out;
  for (const std::string& folder : folders) {
    for (const auto& entry : fs::recursive_directory_iterator(fs::path(CVM_SOURCE_DIR) / folder)) {
      std::string ext = entry.path().extension().string();
      if (ext != ".h" && ext != ".cpp") continue;
      for (const std::string& include : ProjectIncludes(entry.path())) {
        if (include == header) {
          out.push_back(fs::relative(entry.path(), CVM_SOURCE_DIR).string());
        }
      }
    }
  }
  return out;
}

std::string Joined(const std::vector<std::string>& files) {
  std::string out;
  for (const std::string& f : files) out += f + " ";
  return out;
}

// The Settings class changes with the control plane; business rules read
// SettingsView (state/setting_values.h), tests change settings through the
// control endpoints, so that a change to it recompiles few units. No header
// includes it (which would spread it), the product's sources that do are
// the settings themselves, their control routes, snapshots, the emulator
// and the handlers' context, and the tests that do are in one unity group
// (server_control in tests/CMakeLists.txt).
TEST_CASE("Build: state/settings.h is included by no header and by few sources") {
  std::vector<std::string> product =
      Includers("state/settings.h", {"crypto", "schema", "state", "handlers", "server", "bench"});
  std::vector<std::string> tests = Includers("state/settings.h", {"tests"});
  for (const auto& f : product) CHECK_MESSAGE(f.ends_with(".cpp"), f);
  for (const auto& f : tests) CHECK_MESSAGE(f.ends_with(".cpp"), f);
  CHECK_MESSAGE(product.size() <= 6, Joined(product));
  CHECK_MESSAGE(tests.size() <= 4, Joined(tests));
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


// The files a folder's CMakeLists.txt puts in compile groups (the
// `cvm_group(<target> <group> <file>...)` calls), as "folder/file" paths.
std::vector<std::string> GroupedFiles(const std::string& folder) {
  std::ifstream in(fs::path(CVM_SOURCE_DIR) / folder / "CMakeLists.txt");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  static const std::regex kGroup(R"re(cvm_group\(([^)]*)\))re");
  static const std::regex kWord(R"re(\S+)re");
  std::vector<std::string> out;
  for (std::sregex_iterator g(text.begin(), text.end(), kGroup), end; g != end; ++g) {
    std::string args = (*g)[1];
    int index = 0;
    for (std::sregex_iterator w(args.begin(), args.end(), kWord); w != end; ++w) {
      if (index++ >= 2) out.push_back(folder + "/" + w->str());  // after target and group
    }
  }
  return out;
}

// The libraries and the unit tests compile in groups (cmake/groups.cmake);
// a source left out compiles alone, parsing again everything its group
// would have shared, and a few such files undo much of what the groups
// save. The exceptions: the executable's main, the socket layer (Beast,
// kept apart from the product), doctest's own main (built without the
// precompiled header), the tests' shared support, and the fuzz targets.
TEST_CASE("Build: every source of the libraries and unit tests is in a compile group") {
  const std::vector<std::string> kAlone = {
      "server/main.cpp",  "server/net/http_server.cpp",    "server/net/tls_certificate.cpp",
      "tests/main.cpp",   "tests/support/test_api.cpp",    "tests/fuzz/control_fuzz.cpp",
      "tests/fuzz/decoder_fuzz.cpp"};
  for (const std::string folder : {"schema", "state", "handlers", "server", "tests"}) {
    std::vector<std::string> grouped = GroupedFiles(folder);
    CHECK_MESSAGE(!grouped.empty(), folder);
    for (const auto& entry : fs::recursive_directory_iterator(fs::path(CVM_SOURCE_DIR) / folder)) {
      if (entry.path().extension() != ".cpp") continue;
      std::string file = fs::relative(entry.path(), CVM_SOURCE_DIR).string();
      if (std::find(kAlone.begin(), kAlone.end(), file) != kAlone.end()) continue;
      CHECK_MESSAGE(std::find(grouped.begin(), grouped.end(), file) != grouped.end(),
                    (file + " is in no cvm_group of " + folder + "/CMakeLists.txt"));
    }
  }
}

}  // namespace
