// Start-up configuration from flags and environment variables (flags win).
// One table defines every option: config.cpp for the server's own, plus
// state/settings.def for the run-time durations and quotas; each row gives
// the flag, the variable, the range and the help text, and the default is
// the one Config holds. `--help` and README's table print it.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "server/emulator.h"
#include "server/request_log.h"

namespace cvm::server {

struct Config {
  std::string host = "127.0.0.1";
  int port = 8100;
  std::string port_file;
  std::string data_dir = "./cvm-emulator-data";
  std::string tls_cert, tls_key;
  int threads = 0;  // 0: one per core
  LogLevel log_level = LogLevel::kInfo;
  int idle_timeout_seconds = 60;
  int request_timeout_seconds = 30;
  int max_connections = 0;  // 0: below the open-file limit (net::DefaultMaxConnections)
  EmulatorOptions emulator = [] {
    EmulatorOptions o;
    o.db_path.clear();  // resolved against data_dir unless --db is given
    return o;
  }();
};

enum class ConfigOutcome { kRun, kExitOk, kExitError };

// Reads the environment, then `argv`. On --help/--version prints and returns
// kExitOk; on a bad value prints the reason to `errors` and returns kExitError.
ConfigOutcome LoadConfig(int argc, char** argv, Config* config, std::FILE* errors = stderr);

// The help text: every option (server/config.cpp) and run-time setting
// (state/settings.def), with its environment variable and default.
std::string HelpText();
// The same as README's configuration table (Markdown), which a test keeps
// equal to it.
std::string ConfigurationTable();

}  // namespace cvm::server
