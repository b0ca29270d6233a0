// Idempotency records for actions that take a ClientToken (D-102):
// scoped to (account, region, action, token), kept 24 hours of emulator time.
#pragma once

#include <optional>
#include <string>

#include "state/clock.h"
#include "state/database.h"

namespace cvm::state {

inline constexpr TimeMs kClientTokenLifetime = 24LL * 3600 * 1000;

class ClientTokenStore {
 public:
  struct Record {
    std::string request;   // the canonical parameters of the first call
    std::string response;  // what the first call answered
  };

  explicit ClientTokenStore(Database& db) : db_(db) {}

  // The live record for this token, or nullopt (none, or older than 24 h).
  std::optional<Record> Find(int64_t app_id, const std::string& region, const std::string& action,
                             const std::string& token, TimeMs now);
  // Records (or replaces an expired record of) the token.
  void Put(int64_t app_id, const std::string& region, const std::string& action,
           const std::string& token, const Record& record, TimeMs now);

 private:
  Database& db_;
};

}  // namespace cvm::state
