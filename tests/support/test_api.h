// An in-process emulator for handler tests: a ":memory:" database, a fake
// clock, signature checks off (requests name their account by SecretId), and
// every success response checked against the output schema.
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "server/emulator.h"
#include "server/request_log.h"
#include "state/clock.h"

namespace cvm::testing {

// Two accounts, A (the default key) and B.
inline constexpr const char* kSecretA = "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE";
inline constexpr const char* kSecretB = "AKIDbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";
inline constexpr const char* kUinA = "100000000001";
inline constexpr const char* kUinB = "100000000002";

class TestApi {
 public:
  // `configure` may change the options before the emulator starts.
  explicit TestApi(void (*configure)(server::EmulatorOptions&) = nullptr);

  // Calls `action` with a TC3-style JSON body. Returns the "Response" object.
  nlohmann::json Call(const std::string& action, const nlohmann::json& params = nlohmann::json::object(),
                      const std::string& region = "ap-guangzhou", const std::string& secret_id = kSecretA);
  // Same, in the v1 flattened form (`params` are already flat name/value pairs).
  nlohmann::json CallFlat(const std::string& action,
                          const std::vector<std::pair<std::string, std::string>>& params,
                          const std::string& region = "ap-guangzhou",
                          const std::string& secret_id = kSecretA);

  // POSTs `body` to the control endpoint `path` (/_emulator/...) and returns
  // its answer; throws if the endpoint refuses it.
  nlohmann::json Control(const std::string& path, const nlohmann::json& body);

  // Emulator time.
  void Advance(double seconds);
  int64_t NowSeconds() { return emulator_->clock().NowSeconds(); }

  server::Emulator& emulator() { return *emulator_; }
  state::FakeClock& base_clock() { return base_; }

 private:
  state::FakeClock base_{1'700'000'000'000};
  state::FakeClock wall_{1'700'000'000'000};
  server::Logger logger_{server::LogLevel::kOff};
  std::string accounts_path_;
  std::unique_ptr<server::Emulator> emulator_;
};

// The error code of a response, or "" on success.
std::string CodeOf(const nlohmann::json& response);

}  // namespace cvm::testing
