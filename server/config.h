// Start-up configuration from flags and environment variables (flags win).
// One table (config.cpp) defines every option, its variable, its default and
// its help text; `--help` prints that table.
#pragma once

#include <cstdint>
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
  EmulatorOptions emulator = [] {
    EmulatorOptions o;
    o.db_path.clear();  // resolved against data_dir unless --db is given
    return o;
  }();
};

// The longest transition duration (10 years), for the flags and for
// POST /_emulator/durations alike.
inline constexpr double kMaxDurationSeconds = 10.0 * 365 * 86400;

enum class ConfigOutcome { kRun, kExitOk, kExitError };

// Reads the environment, then `argv`. On --help/--version prints and returns
// kExitOk; on a bad value prints the reason to stderr and returns kExitError.
ConfigOutcome LoadConfig(int argc, char** argv, Config* config);

// The help text (also in README's configuration table).
std::string HelpText();

}  // namespace cvm::server
