// Business operations on key pairs, beside their store: creation within the
// quota, all-or-nothing deletion, renaming, and binding key pairs to
// instances (DECISIONS ). Callers run them inside a
// UnitOfWork, which they commit only if everything succeeded; a failed
// operation has written nothing.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "schema/errors.h"
#include "state/database.h"
#include "state/key_pair_store.h"
#include "state/random.h"

namespace cvm::state {

class Settings;

struct NewKeyPair {
  int64_t app_id = 0;
  std::string region;
  std::string name;        // REQUIRES: passed CheckKeyPairName
  int64_t project_id = 0;  // REQUIRES: passed CheckKeyPairProject
  std::string public_key;  // "<type> <base64>"
};

// Inserts a key pair with a new skey- ID. Checks, in order: the name is
// unused in the account and region (`duplicate_name`), the public key is
// unused there (InvalidPublicKey.Duplicate), and the account's quota has
// room (InvalidKeyPair.LimitExceeded).
Result<KeyPair> AddKeyPair(Database& db, Random& random, const Settings& settings,
                           const NewKeyPair& request, const ErrorSpec& duplicate_name, TimeMs now);

// Deletes every key pair of `key_ids` or none: InvalidKeyPairId.NotFound
// naming the first unknown one; ResourceInUse when one is still bound to an
// instance (DECISIONS Q-17).
Status DeleteKeyPairs(Database& db, int64_t app_id, const std::string& region,
                      const std::vector<std::string>& key_ids, TimeMs now);

// ModifyKeyPairAttribute: InvalidKeyId.NotFound; a name another key pair of
// the account has → InvalidKeyName.Duplicate. Absent values stay.
Status ModifyKeyPair(Database& db, int64_t app_id, const std::string& region,
                     const std::string& key_id, const std::optional<std::string>& name,
                     const std::optional<std::string>& description);

// Binds (`bind`) or unbinds every key of `key_ids` to or from every instance
// of `instance_ids`, or changes nothing. Checks, in order: every instance
// exists (InvalidInstanceId.NotFound), every key pair is the account's in the
// region (InvalidKeyPairId.NotFound), no instance runs Windows
// (UnsupportedOperation.KeyPairUnsupportedWindows), when unbinding every key
// is bound to every instance (InvalidParameterValue), and every instance is
// STOPPED, or RUNNING with `force` (UnsupportedOperation.InstanceState<S>).
// A RUNNING instance then stops, changes and starts again. Binding a key an
// instance already holds is not an error; binding clears KeepImageLogin.
Status ChangeInstanceKeyPairs(Database& db, const Settings& settings, int64_t app_id,
                              const std::string& region, const std::vector<std::string>& instance_ids,
                              const std::vector<std::string>& key_ids, bool bind, bool force,
                              std::string_view action, TimeMs now);

}  // namespace cvm::state
