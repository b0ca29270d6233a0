// The accounts the emulator knows, and their API keys. Loaded once at start
// from a JSON file (see README "Accounts"), or the one default development
// account when there is no file. Immutable afterwards, so readers need no lock.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace cvm::state {

struct Credential {
  std::string secret_id;
  std::string secret_key;
  std::optional<std::string> token;  // set for temporary credentials
};

struct Account {
  int64_t app_id = 0;
  std::string uin;   // the account ID other accounts share images with
  std::string name;  // for logs only
  std::vector<Credential> keys;
};

// The default development account (README "Default credentials").
inline constexpr int64_t kDefaultAppId = 1250000000;
inline constexpr std::string_view kDefaultUin = "100000000001";
inline constexpr std::string_view kDefaultSecretId = "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE";
inline constexpr std::string_view kDefaultSecretKey = "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE";

class AccountRegistry {
 public:
  struct KeyRef {
    const Account* account;
    const Credential* credential;
  };

  // One account: the default development account.
  static AccountRegistry Default();
  // Parses an accounts file's text. Throws std::runtime_error with a readable
  // reason on malformed input (duplicate SecretId, AppId or Uin, a SecretId
  // not of the AKID form, missing fields).
  static AccountRegistry FromJson(std::string_view text);
  // Reads and parses `path`. Throws std::runtime_error.
  static AccountRegistry FromFile(const std::string& path);

  // Returns the key with this SecretId, or nullopt.
  std::optional<KeyRef> FindKey(std::string_view secret_id) const;
  const Account* FindByUin(std::string_view uin) const;
  const Account* FindByAppId(int64_t app_id) const;
  // The first account of the file (used when signature checking is off).
  const Account& primary() const { return accounts_.front(); }
  const std::vector<Account>& accounts() const { return accounts_; }

 private:
  explicit AccountRegistry(std::vector<Account> accounts);

  std::vector<Account> accounts_;
  std::unordered_map<std::string, std::pair<size_t, size_t>> by_secret_id_;
};

}  // namespace cvm::state
