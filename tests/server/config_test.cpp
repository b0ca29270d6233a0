// The one table of settings: the server's options (server/config.cpp) and the
// run-time durations and quotas (state/settings.def). Every row's flag and
// environment variable set it, --help and README's table show it, and the
// control endpoints read and change the run-time ones by their names. The
// checks walk the table, so a new row is covered the day it is added.
#include <doctest/doctest.h>

#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "server/config.h"
#include "server/setting_table.h"
#include "tests/support/test_api.h"

namespace {

using cvm::server::Config;
using cvm::server::ConfigOutcome;
using cvm::server::RunSetting;
using cvm::server::RunSettings;
using cvm::server::SettingKind;
using nlohmann::json;

// LoadConfig with these arguments; its complaints go nowhere.
ConfigOutcome Load(std::vector<std::string> args, Config* config) {
  args.insert(args.begin(), "cvm-emulator");
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  std::FILE* errors = std::tmpfile();
  REQUIRE(errors);
  ConfigOutcome outcome =
      cvm::server::LoadConfig(static_cast<int>(argv.size()), argv.data(), config, errors);
  std::fclose(errors);
  return outcome;
}

int64_t ValueIn(const RunSetting& s, const Config& c) {
  return s.In(c.emulator.durations, c.emulator.quotas);
}

// A value of the setting's kind that is no default: its text and stored value.
std::pair<std::string, int64_t> OtherValue(const RunSetting& s) {
  return s.kind == SettingKind::kDuration ? std::pair<std::string, int64_t>{"1.5", 1500}
                                          : std::pair<std::string, int64_t>{"7", 7};
}

std::string ReadmeText() {
  std::ifstream in(std::string(CVM_SOURCE_DIR) + "/README.md");
  REQUIRE(in.good());
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// README's lines from the one that starts with `first` to the table's end.
std::string ReadmeTable(const std::string& first) {
  std::istringstream in(ReadmeText());
  std::string line, table;
  bool inside = false;
  while (std::getline(in, line)) {
    if (line.rfind(first, 0) == 0) inside = true;
    if (inside && line.rfind("|", 0) != 0) break;
    if (inside) table += line + "\n";
  }
  return table;
}

// The last `{…}` code span of README's line that mentions `endpoint`.
json ReadmeExample(const std::string& endpoint) {
  std::istringstream in(ReadmeText());
  std::string line;
  while (std::getline(in, line)) {
    if (line.find("`POST " + endpoint + "`") == std::string::npos) continue;
    size_t start = line.rfind("`{");
    REQUIRE(start != std::string::npos);
    return json::parse(line.substr(start + 1, line.find("}`", start) - start));
  }
  FAIL("README has no row for " << endpoint);
  return json();
}

TEST_CASE("Configuration: README's table is the one --help describes, row for row") {
  std::string expected = cvm::server::ConfigurationTable();
  INFO("README.md \"Configuration\" should hold exactly:\n" << expected);
  CHECK(ReadmeTable("| flag | environment | default | meaning |") == expected);
}

TEST_CASE("Configuration: README's control endpoints show the default durations and quotas") {
  cvm::testing::TestApi api;
  auto get = [&](const std::string& path) {
    cvm::server::HttpRequest req;
    req.method = "GET";
    req.target = path;
    return json::parse(api.emulator().Handle(req).body);
  };
  CHECK(ReadmeExample("/_emulator/durations") == get("/_emulator/durations"));
  CHECK(ReadmeExample("/_emulator/quotas") == get("/_emulator/quotas")["default"]);
}

TEST_CASE("Settings table: names, flags and environment variables are unique, and each variable is CVM_EMULATOR_ and the flag in capitals") {
  std::set<std::string> names, flags;
  for (const RunSetting& s : RunSettings()) {
    INFO(s.flag);
    CHECK(names.insert(std::to_string(static_cast<int>(s.kind)) + s.name).second);
    CHECK(flags.insert(s.flag).second);
    std::string env = "CVM_EMULATOR_";
    for (const char* c = s.flag; *c; ++c) {
      env += *c == '-' ? '_' : static_cast<char>(std::toupper(*c));
    }
    CHECK(env == s.env);
  }
}

TEST_CASE("Settings table: every run-time setting's flag sets it, both --flag=value and --flag value") {
  for (const RunSetting& s : RunSettings()) {
    INFO(s.flag);
    auto [text, value] = OtherValue(s);
    Config joined, split;
    REQUIRE(Load({std::string("--") + s.flag + "=" + text}, &joined) == ConfigOutcome::kRun);
    REQUIRE(Load({std::string("--") + s.flag, text}, &split) == ConfigOutcome::kRun);
    CHECK(ValueIn(s, joined) == value);
    CHECK(ValueIn(s, split) == value);
    CHECK(ValueIn(s, Config{}) == s.default_value);
  }
}

TEST_CASE("Settings table: every run-time setting's environment variable sets it, and its flag wins") {
  for (const RunSetting& s : RunSettings()) {
    INFO(s.env);
    auto [text, value] = OtherValue(s);
    REQUIRE(::setenv(s.env, text.c_str(), 1) == 0);
    Config from_env, from_flag;
    ConfigOutcome env_outcome = Load({}, &from_env);
    ConfigOutcome flag_outcome = Load({std::string("--") + s.flag + "=0"}, &from_flag);
    ::unsetenv(s.env);
    REQUIRE(env_outcome == ConfigOutcome::kRun);
    REQUIRE(flag_outcome == ConfigOutcome::kRun);
    CHECK(ValueIn(s, from_env) == value);
    CHECK(ValueIn(s, from_flag) == 0);
  }
}

TEST_CASE("Settings table: a flag value that is not of the setting's kind or is out of range stops the start") {
  for (const RunSetting& s : RunSettings()) {
    INFO(s.flag);
    std::vector<std::string> bad = {"-1", "x", "", "1x"};
    if (s.kind == SettingKind::kDuration) {
      bad.insert(bad.end(), {"315360000.5", "inf", "nan"});
    } else {
      bad.insert(bad.end(), {"1.5", "9223372036854775808"});
    }
    for (const std::string& v : bad) {
      INFO(v);
      Config config;
      CHECK(Load({std::string("--") + s.flag + "=" + v}, &config) == ConfigOutcome::kExitError);
    }
    Config longest;
    std::string top = s.kind == SettingKind::kDuration ? "315360000" : "9223372036854775807";
    CHECK(Load({std::string("--") + s.flag + "=" + top}, &longest) == ConfigOutcome::kRun);
  }
}

TEST_CASE("Settings table: --help names every setting's flag, variable and default") {
  std::string help = cvm::server::HelpText();
  for (const RunSetting& s : RunSettings()) {
    INFO(s.flag);
    CHECK(help.find(std::string("--") + s.flag + "=") != std::string::npos);
    std::string env_line = std::string("env ") + s.env + ", default " +
                           cvm::server::FormatSetting(s.kind, s.default_value) + "\n";
    CHECK(help.find(env_line) != std::string::npos);
  }
}

// POST to a control endpoint; the status and the JSON answer.
std::pair<int, json> Post(cvm::testing::TestApi& api, const std::string& path, const json& body) {
  cvm::server::HttpRequest req;
  req.method = "POST";
  req.target = path;
  req.body = body.dump();
  req.headers.emplace_back("content-type", "application/json");
  cvm::server::HttpResponse r = api.emulator().Handle(req);
  return {r.status, json::parse(r.body)};
}

// GET of a control endpoint: the JSON answer.
json Get(cvm::testing::TestApi& api, const std::string& path) {
  cvm::server::HttpRequest req;
  req.method = "GET";
  req.target = path;
  return json::parse(api.emulator().Handle(req).body);
}

TEST_CASE("Settings table: /_emulator/durations and /_emulator/quotas change every setting by its name, for the default and for one account") {
  cvm::testing::TestApi api;
  const std::string app_b = "1250000001";
  for (const RunSetting& s : RunSettings()) {
    INFO(s.name);
    auto [text, value] = OtherValue(s);
    json shown = cvm::server::SettingToJson(s.kind, value);
    if (s.kind == SettingKind::kDuration) {
      auto [status, body] = Post(api, "/_emulator/durations", {{s.name, std::stod(text)}});
      CHECK(status == 200);
      CHECK(body[s.name] == shown);
      CHECK(Get(api, "/_emulator/durations")[s.name] == shown);
    } else {
      auto [status, body] = Post(api, "/_emulator/quotas", {{s.name, std::stoll(text)}});
      CHECK(status == 200);
      CHECK(body["default"][s.name] == shown);
      auto [account_status, account_body] =
          Post(api, "/_emulator/quotas", {{"app_id", std::stoll(app_b)}, {s.name, 3}});
      CHECK(account_status == 200);
      json now = Get(api, "/_emulator/quotas");
      CHECK(now["accounts"][app_b][s.name] == 3);
      CHECK(now["default"][s.name] == shown);
    }
  }
}

TEST_CASE("Settings table: the control endpoints refuse a value out of range by the setting's name, and change nothing") {
  cvm::testing::TestApi api;
  for (const RunSetting& s : RunSettings()) {
    INFO(s.name);
    bool duration = s.kind == SettingKind::kDuration;
    std::string path = duration ? "/_emulator/durations" : "/_emulator/quotas";
    auto [status, body] = Post(api, path, {{s.name, -1}});
    CHECK(status == 400);
    CHECK(body["error"] == cvm::server::SettingRangeProblem(s.kind, s.name));
    CHECK(body["error"].get<std::string>().rfind(std::string(s.name) + " must be", 0) == 0);
    json now = duration ? Get(api, path) : Get(api, path)["default"];
    CHECK(now[s.name] == cvm::server::SettingToJson(s.kind, s.default_value));
  }
}

}  // namespace
