#include "state/key_pair_service.h"

#include <algorithm>
#include <set>

#include "state/instance_lifecycle.h"
#include "state/instance_service.h"
#include "state/instance_store.h"
#include "state/settings.h"

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

Result<KeyPair> AddKeyPair(Database& db, Random& random, const Settings& settings,
                           const NewKeyPair& request, const ErrorSpec& duplicate_name, TimeMs now) {
  KeyPairStore store(db);
  if (store.IdNamed(request.app_id, request.region, request.name)) {
    return ApiError::Make(duplicate_name, request.name);
  }
  if (auto holder = store.IdWithPublicKey(request.app_id, request.region, request.public_key)) {
    return ApiError::Make(errors::kInvalidPublicKeyDuplicate, *holder);
  }
  int64_t quota = settings.quotas(request.app_id).key_pairs;
  if (store.Count(request.app_id, request.region) >= quota) {
    return ApiError::Make(errors::kInvalidKeyPairLimitExceeded, quota);
  }
  KeyPair k;
  k.app_id = request.app_id;
  k.region = request.region;
  do {
    k.key_id = random.Id("skey-");
  } while (store.IdExists(k.key_id));
  k.name = request.name;
  k.project_id = request.project_id;
  k.public_key = request.public_key;
  k.created_at = now;
  store.Insert(k);
  return k;
}

Status DeleteKeyPairs(Database& db, int64_t app_id, const std::string& region,
                      const std::vector<std::string>& key_ids, TimeMs now) {
  KeyPairStore store(db);
  std::vector<KeyPair> keys = store.FindMany(app_id, region, key_ids);
  if (std::vector<std::string> missing = store.MissingKeys(app_id, region, key_ids); !missing.empty()) {
    return ApiError::Make(errors::kInvalidKeyPairIdNotFound, missing.front());
  }
  InstanceStore instances(db);
  for (const KeyPair& k : keys) {
    std::vector<std::string> holders = instances.InstancesWithKey(app_id, region, k.key_id, now);
    if (!holders.empty()) {
      return ApiError::Make(errors::kResourceInUse,
                            "The key pair " + k.key_id + " is still bound to instance " + holders.front() +
                                "; unbind it with DisassociateInstancesKeyPairs first. Nothing was deleted.");
    }
  }
  for (const KeyPair& k : keys) store.Delete(k.rowid);
  return Status::Ok();
}

Status ModifyKeyPair(Database& db, int64_t app_id, const std::string& region,
                     const std::string& key_id, const std::optional<std::string>& name,
                     const std::optional<std::string>& description) {
  KeyPairStore store(db);
  std::vector<KeyPair> found = store.FindMany(app_id, region, {key_id});
  if (found.empty()) return ApiError::Make(errors::kInvalidKeyIdNotFound, key_id);
  KeyPair k = std::move(found.front());
  if (name) {
    std::optional<std::string> holder = store.IdNamed(app_id, region, *name);
    if (holder && *holder != key_id) return ApiError::Make(errors::kInvalidKeyNameDuplicate, *name);
    k.name = *name;
  }
  if (description) k.description = *description;
  store.UpdateAttributes(k);
  return Status::Ok();
}

Status ChangeInstanceKeyPairs(Database& db, const Settings& settings, int64_t app_id,
                              const std::string& region, const std::vector<std::string>& instance_ids,
                              const std::vector<std::string>& key_ids, bool bind, bool force,
                              std::string_view action, TimeMs now) {
  CVM_ASSIGN_OR_RETURN(std::vector<Instance> instances,
                       LoadInstances(db, app_id, region, instance_ids, now));
  std::vector<std::string> missing = KeyPairStore(db).MissingKeys(app_id, region, key_ids);
  if (!missing.empty()) return ApiError::Make(errors::kInvalidKeyPairIdNotFound, missing.front());
  std::vector<std::string> keys = Unique(key_ids);
  for (const Instance& in : instances) {
    if (in.windows) return ApiError::Make(errors::kKeyPairUnsupportedWindows, in.instance_id);
  }
  if (!bind) {
    for (const Instance& in : instances) {
      for (const std::string& key : keys) {
        if (!Holds(in, key)) {
          return ApiError::Make(errors::kInvalidParameterValue, "KeyIds",
                                "the key pair " + key + " is not bound to instance " + in.instance_id);
        }
      }
    }
  }
  for (const Instance& in : instances) {
    CVM_RETURN_IF_ERROR(CheckNotImaging(db, Operation::kStopChangeStart, in, now));
    CVM_RETURN_IF_ERROR(CheckOperation(Operation::kStopChangeStart, in, in.Observe(now), force, action));
  }

  Durations durations = settings.durations();
  InstanceStore store(db);
  for (Instance& in : instances) {
    in.lifecycle = ApplyOperation(Operation::kStopChangeStart, in, in.Observe(now), now, durations);
    if (bind) {
      for (const std::string& key : keys) {
        if (!Holds(in, key)) in.key_ids.push_back(key);
      }
      in.keep_image_login = false;  // key login replaces the image's (S-LOGIN-1)
    } else {
      std::erase_if(in.key_ids, [&](const std::string& id) {
        return std::find(keys.begin(), keys.end(), id) != keys.end();
      });
    }
    store.Update(in);
  }
  return Status::Ok();
}

}  // namespace cvm::state
