// Business operations on key pairs, beside their store: creation within the
// quota, all-or-nothing deletion, renaming, and binding key pairs to
// instances (D-107, D-117, D-118). Each mutating action is a Plan (checks
// only) and an Apply (writes only) over a Scope (state/scope.h).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "schema/errors.h"
#include "state/instance_service.h"
#include "state/key_pair_store.h"
#include "state/scope.h"

namespace cvm::state {

class Settings;

struct NewKeyPair {
  std::string name;        // REQUIRES: passed CheckKeyPairName
  int64_t project_id = 0;  // REQUIRES: passed CheckKeyPairProject
  std::string public_key;  // "<type> <base64>"
};

// CreateKeyPair and ImportKeyPair: the key pair to insert (no ID yet).
struct AddKeyPairChange {
  KeyPair key_pair;
};
// Checks, in order: the name is unused in the account and region
// (`duplicate_name`), the public key is unused there
// (InvalidPublicKey.Duplicate), and the account's quota has room
// (InvalidKeyPair.LimitExceeded).
Result<AddKeyPairChange> PlanAddKeyPair(const Scope& scope, const NewKeyPair& request,
                                        const ErrorSpec& duplicate_name);
// Inserts it with a new skey- ID; returns it as stored.
KeyPair ApplyAddKeyPair(const Scope& scope, const AddKeyPairChange& change);

// DeleteKeyPairs: every key pair of `key_ids` or none.
struct DeleteKeyPairsChange {
  std::vector<KeyPair> key_pairs;
};
// InvalidKeyPairId.NotFound naming the first unknown one; ResourceInUse when
// one is still bound to an instance (D-117).
Result<DeleteKeyPairsChange> PlanDeleteKeyPairs(const Scope& scope,
                                                const std::vector<std::string>& key_ids);
void ApplyDeleteKeyPairs(const Scope& scope, const DeleteKeyPairsChange& change);

// ModifyKeyPairAttribute: the key pair as it will be.
struct ModifyKeyPairChange {
  KeyPair key_pair;
};
// At least one of the two (MissingParameter.AtLeastOne); the name's rule;
// InvalidKeyId.NotFound; a name another key pair of the account has is
// InvalidKeyName.Duplicate. Absent values stay.
Result<ModifyKeyPairChange> PlanModifyKeyPair(const Scope& scope, const std::string& key_id,
                                              const std::optional<std::string>& name,
                                              const std::optional<std::string>& description);
void ApplyModifyKeyPair(const Scope& scope, const ModifyKeyPairChange& change);

// Associate/DisassociateInstancesKeyPairs: binds (`bind`) or unbinds every
// key of `key_ids` to or from every instance of `instance_ids`. Checks, in
// order: every instance exists (InvalidInstanceId.NotFound), every key pair
// is the account's in the region (InvalidKeyPairId.NotFound), no instance
// runs Windows (UnsupportedOperation.KeyPairUnsupportedWindows), when
// unbinding every key is bound to every instance (InvalidParameterValue), no
// image is being taken from one, and every instance is STOPPED, or RUNNING
// with `force` (UnsupportedOperation.InstanceState<S>). A RUNNING instance
// then stops, changes and starts again. Binding a key an instance already
// holds is not an error; binding clears KeepImageLogin. Apply with
// ApplyInstancesChange.
Result<InstancesChange> PlanChangeInstanceKeyPairs(const Scope& scope,
                                                   const std::vector<std::string>& instance_ids,
                                                   const std::vector<std::string>& key_ids,
                                                   bool bind, bool force, std::string_view action);

}  // namespace cvm::state
