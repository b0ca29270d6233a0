// Structured logs: one JSON object per line on standard output.
#pragma once

#include <cstdint>
#include <mutex>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>

namespace cvm::server {

enum class LogLevel { kDebug = 0, kInfo = 1, kWarn = 2, kError = 3, kOff = 4 };

// Parses "debug", "info", "warn", "error", "off". Returns false otherwise.
bool ParseLogLevel(std::string_view text, LogLevel* out);

class Logger {
 public:
  explicit Logger(LogLevel level, std::FILE* out = stdout) : level_(level), out_(out) {}

  bool Enabled(LogLevel level) const { return level >= level_ && level_ != LogLevel::kOff; }
  // Writes `fields` plus "time" and "level" as one line. Thread-safe.
  void Write(LogLevel level, nlohmann::json fields);
  // A one-line event: {"event": event, ...fields}.
  void Event(LogLevel level, std::string_view event);
  void Event(LogLevel level, std::string_view event, nlohmann::json fields);

 private:
  LogLevel level_;
  std::FILE* out_;
  std::mutex mutex_;
};

}  // namespace cvm::server
