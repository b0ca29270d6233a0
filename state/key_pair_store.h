// The key_pairs table. Every read is scoped to one account and one region.
// A key pair's bindings to instances are the instances' own child rows
// (instance_key_pairs, InstanceStore). Callers hold a UnitOfWork.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "state/clock.h"
#include "state/database.h"
#include "state/listing.h"

namespace cvm::state {

struct KeyPair {
  int64_t rowid = 0;
  int64_t app_id = 0;
  std::string region;
  std::string key_id;
  std::string name;
  std::optional<std::string> description;
  int64_t project_id = 0;
  std::string public_key;  // OpenSSH "<type> <base64>", without a comment
  TimeMs created_at = 0;
  bool operator==(const KeyPair&) const = default;
};

struct TableColumns;

// One DescribeKeyPairs filter: `name` is project-id (values are decimal
// integers) or key-name (exact); the values are ORed, the filters ANDed.
struct KeyPairCondition {
  std::string name;
  std::vector<std::string> values;
};

struct KeyPairQuery {
  std::optional<std::vector<std::string>> key_ids;  // KeyIds
  std::vector<KeyPairCondition> conditions;
  int64_t offset = 0;
  int64_t limit = 20;
  // Key pairs created then are left out: too new to be seen (D-219).
  std::optional<CreatedWindow> hidden_created;
};

struct KeyPairPage {
  int64_t total = 0;  // every match, across pages
  std::vector<KeyPair> items;
};

class KeyPairStore {
 public:
  explicit KeyPairStore(Database& db) : db_(db) {}

  // The columns of key_pairs, as the store writes them.
  static std::vector<TableColumns> Columns();
  // KeyIds ("key-id") and DescribeKeyPairs' filters, and how the store finds
  // their matches (state/listing.h).
  static std::span<const FilterSpec> Filters();

  // Inserts `key_pair` and sets its rowid.
  void Insert(KeyPair& key_pair);
  // Rewrites the name and description.
  void UpdateAttributes(const KeyPair& key_pair);
  void Delete(int64_t rowid);

  // True iff any key pair, of any account, has this ID.
  bool IdExists(const std::string& key_id);
  // Key pairs of the account in the region.
  int64_t Count(int64_t app_id, const std::string& region);
  // The ID of the account's key pair in the region named `name`, if any.
  std::optional<std::string> IdNamed(int64_t app_id, const std::string& region, const std::string& name);
  // The ID of the account's key pair in the region whose public key is
  // `public_key` ("<type> <base64>"), if any.
  std::optional<std::string> IdWithPublicKey(int64_t app_id, const std::string& region,
                                             const std::string& public_key);

  // The account's key pairs in the region among `key_ids`, in the order of
  // `key_ids`, duplicates and missing ones left out.
  std::vector<KeyPair> FindMany(int64_t app_id, const std::string& region,
                                const std::vector<std::string>& key_ids);
  // The IDs among `key_ids` that are not the account's in the region, in
  // order, each once.
  std::vector<std::string> MissingKeys(int64_t app_id, const std::string& region,
                                       const std::vector<std::string>& key_ids);
  // One page of matches, oldest first, and the number of all matches; a
  // filter costs what it matches (D-250).
  // REQUIRES: conditions name project-id or key-name only.
  KeyPairPage List(int64_t app_id, const std::string& region, const KeyPairQuery& query);

 private:
  Database& db_;
};

}  // namespace cvm::state
