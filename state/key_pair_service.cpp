#include "state/key_pair_service.h"

#include <algorithm>
#include <set>

#include "state/instance_lifecycle.h"
#include "state/instance_store.h"
#include "state/key_pair_rules.h"
#include "state/random.h"
#include "state/setting_values.h"

namespace cvm::state {
namespace {

bool Holds(const Instance& in, const std::string& key_id) {
  return std::find(in.key_ids.begin(), in.key_ids.end(), key_id) != in.key_ids.end();
}

std::vector<std::string> Unique(const std::vector<std::string>& ids) {
  std::vector<std::string> out;
  std::set<std::string> seen;
  for (const std::string& id : ids) {
    if (seen.insert(id).second) out.push_back(id);
  }
  return out;
}

}  // namespace

Result<AddKeyPairChange> PlanAddKeyPair(const Scope& scope, const NewKeyPair& request,
                                        const ErrorSpec& duplicate_name) {
  KeyPairStore store(scope.db);
  if (store.IdNamed(scope.app_id(), scope.region, request.name)) {
    return ApiError::Make(duplicate_name, request.name);
  }
  if (auto holder = store.IdWithPublicKey(scope.app_id(), scope.region, request.public_key)) {
    return ApiError::Make(errors::kInvalidPublicKeyDuplicate, *holder);
  }
  int64_t quota = scope.settings.quotas(scope.app_id()).key_pairs;
  if (store.Count(scope.app_id(), scope.region) >= quota) {
    return ApiError::Make(errors::kInvalidKeyPairLimitExceeded, quota);
  }
  AddKeyPairChange change;
  KeyPair& k = change.key_pair;
  k.app_id = scope.app_id();
  k.region = scope.region;
  k.name = request.name;
  k.project_id = request.project_id;
  k.public_key = request.public_key;
  k.created_at = scope.now;
  return change;
}

KeyPair ApplyAddKeyPair(const Scope& scope, const AddKeyPairChange& change) {
  KeyPairStore store(scope.db);
  KeyPair k = change.key_pair;
  k.key_id =
      scope.random.FreshId("skey-", [&](const std::string& id) { return store.IdExists(id); });
  store.Insert(k);
  return k;
}

Result<DeleteKeyPairsChange> PlanDeleteKeyPairs(const Scope& scope,
                                                const std::vector<std::string>& key_ids) {
  KeyPairStore store(scope.db);
  DeleteKeyPairsChange change{store.FindMany(scope.app_id(), scope.region, key_ids)};
  if (std::vector<std::string> missing = store.MissingKeys(scope.app_id(), scope.region, key_ids);
      !missing.empty()) {
    return ApiError::Make(errors::kInvalidKeyPairIdNotFound, missing.front());
  }
  InstanceStore instances(scope.db);
  for (const KeyPair& k : change.key_pairs) {
    std::vector<std::string> holders =
        instances.InstancesWithKey(scope.app_id(), scope.region, k.key_id, scope.now);
    if (!holders.empty()) {
      return ApiError::Make(
          errors::kResourceInUse,
          "The key pair " + k.key_id + " is still bound to instance " + holders.front() +
              "; unbind it with DisassociateInstancesKeyPairs first. Nothing was deleted.");
    }
  }
  return change;
}

void ApplyDeleteKeyPairs(const Scope& scope, const DeleteKeyPairsChange& change) {
  KeyPairStore store(scope.db);
  for (const KeyPair& k : change.key_pairs) store.Delete(k.rowid);
}

Result<ModifyKeyPairChange> PlanModifyKeyPair(const Scope& scope, const std::string& key_id,
                                              const std::optional<std::string>& name,
                                              const std::optional<std::string>& description) {
  if (!name && !description) {
    return ApiError::Make(errors::kMissingParameterAtLeastOne, "KeyName, Description");
  }
  if (name) CVM_RETURN_IF_ERROR(CheckNewKeyPairName(*name, "KeyName"));
  KeyPairStore store(scope.db);
  std::vector<KeyPair> found = store.FindMany(scope.app_id(), scope.region, {key_id});
  if (found.empty()) return ApiError::Make(errors::kInvalidKeyIdNotFound, key_id);
  ModifyKeyPairChange change{std::move(found.front())};
  if (name) {
    std::optional<std::string> holder = store.IdNamed(scope.app_id(), scope.region, *name);
    if (holder && *holder != key_id) return ApiError::Make(errors::kInvalidKeyNameDuplicate, *name);
    change.key_pair.name = *name;
  }
  if (description) change.key_pair.description = *description;
  return change;
}

void ApplyModifyKeyPair(const Scope& scope, const ModifyKeyPairChange& change) {
  KeyPairStore(scope.db).UpdateAttributes(change.key_pair);
}

Result<InstancesChange> PlanChangeInstanceKeyPairs(const Scope& scope,
                                                   const std::vector<std::string>& instance_ids,
                                                   const std::vector<std::string>& key_ids,
                                                   bool bind, bool force, std::string_view action) {
  CVM_ASSIGN_OR_RETURN(
      std::vector<Instance> instances,
      LoadInstances(scope.db, scope.app_id(), scope.region, instance_ids, scope.now));
  std::vector<std::string> missing =
      KeyPairStore(scope.db).MissingKeys(scope.app_id(), scope.region, key_ids);
  if (!missing.empty()) return ApiError::Make(errors::kInvalidKeyPairIdNotFound, missing.front());
  std::vector<std::string> keys = Unique(key_ids);
  for (const Instance& in : instances) {
    if (in.windows) return ApiError::Make(errors::kKeyPairUnsupportedWindows, in.instance_id);
  }
  if (!bind) {
    for (const Instance& in : instances) {
      for (const std::string& key : keys) {
        if (!Holds(in, key)) {
          return ApiError::Make(
              errors::kInvalidParameterValue, "KeyIds",
              "the key pair " + key + " is not bound to instance " + in.instance_id);
        }
      }
    }
  }
  for (const Instance& in : instances) {
    CVM_RETURN_IF_ERROR(CheckNotImaging(scope.db, Operation::kStopChangeStart, in, scope.now));
    CVM_RETURN_IF_ERROR(
        CheckOperation(Operation::kStopChangeStart, in, ObservedState(scope, in), force, action));
  }

  Durations durations = scope.settings.durations();
  for (Instance& in : instances) {
    in.lifecycle = ApplyOperation(Operation::kStopChangeStart, in, ObservedState(scope, in), scope.now,
                                  durations);
    if (bind) {
      for (const std::string& key : keys) {
        if (!Holds(in, key)) in.key_ids.push_back(key);
      }
      in.keep_image_login = false;  // a key login replaces the image's
    } else {
      std::erase_if(in.key_ids, [&](const std::string& id) {
        return std::find(keys.begin(), keys.end(), id) != keys.end();
      });
    }
  }
  return InstancesChange{Operation::kStopChangeStart, std::move(instances),
                         /*lifecycle_only=*/false};
}

}  // namespace cvm::state
