// The instances table and its children (disks, tags, security groups, key
// pairs). Every read is scoped to one account and one region. Callers hold
// the database lock and, for writes, a Transaction.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "state/database.h"
#include "state/instance.h"
#include "state/listing.h"

namespace cvm::state {

struct TableColumns;

// One DescribeInstances filter: `name` as the API spells it (zone,
// project-id, host-id, vpc-id, instance-id, security-group-id, instance-name,
// instance-charge-type, private-ip-address, public-ip-address, tag-key,
// tag-value, tag:<key>); the values are ORed, the filters ANDed.
struct InstanceCondition {
  std::string name;
  std::vector<std::string> values;
};

struct InstanceQuery {
  std::optional<std::vector<std::string>> instance_ids;  // InstanceIds
  std::vector<InstanceCondition> conditions;
  int64_t offset = 0;
  int64_t limit = 20;
  // Instances created then are left out: too new to be seen (D-219).
  std::optional<CreatedWindow> hidden_created;
};

struct InstancePage {
  int64_t total = 0;  // every match, across pages
  std::vector<Instance> items;
};

class InstanceStore {
 public:
  explicit InstanceStore(Database& db) : db_(db) {}

  // The columns of instances and its child tables, as the store writes them.
  static std::vector<TableColumns> Columns();
  // DescribeInstances' filters and how the store finds their matches
  // (state/listing.h); InstanceIds is the first, instance-id.
  static std::span<const FilterSpec> Filters();
  // What Purge reads before it deletes (each binds one instant), so that
  // tests can ask SQLite for their plans: they start from the gone
  // instances, never from every row.
  static std::vector<const char*> PurgeReads();

  // Deletes every instance whose gone_at has passed, with its child rows, and
  // keeps the per-account counts right. Returns how many were deleted.
  int64_t Purge(TimeMs now);
  // True iff some instance's gone_at has passed (a cheap index probe).
  bool HasGone(TimeMs now);

  // Instances of the account in the region, from a counter that Insert and
  // Purge keep. REQUIRES: Purge(now) ran in this transaction (UnitOfWork
  // does that), so the counter holds only visible instances.
  int64_t Count(int64_t app_id, const std::string& region);

  // True iff any instance, of any account, has this ID.
  bool IdExists(const std::string& instance_id);
  // True iff a visible or not yet purged instance of the account holds `ip`
  // in `vpc_id`.
  bool PrivateIpUsed(int64_t app_id, const std::string& region, const std::string& vpc_id,
                     const std::string& ip);
  // The row ID the next insert gets when it names none (max + 1).
  int64_t NextRowId();
  bool PublicIpUsed(const std::string& ip);

  // Inserts `instance` and its children; uses its rowid if set (> 0), else
  // sets it.
  void Insert(Instance& instance);
  // Rewrites every column and child row of an existing instance.
  void Update(const Instance& instance);
  // Rewrites only the lifecycle columns.
  void UpdateLifecycle(const Instance& instance);

  // The visible instance with this ID in the account and region.
  std::optional<Instance> Find(int64_t app_id, const std::string& region,
                               const std::string& instance_id, TimeMs now);
  // The visible instances among `ids`, in the order of `ids` (missing ones
  // are left out).
  std::vector<Instance> FindMany(int64_t app_id, const std::string& region,
                                 const std::vector<std::string>& ids, TimeMs now);
  // One page of matches, oldest first, and the number of all matches. A
  // filter costs what it matches, not what the account holds (D-250).
  InstancePage List(int64_t app_id, const std::string& region, const InstanceQuery& query,
                    TimeMs now);

  // Instance IDs of the account in the region that hold `key_id`, oldest first.
  std::vector<std::string> InstancesWithKey(int64_t app_id, const std::string& region,
                                            const std::string& key_id, TimeMs now);

 private:
  void InsertChildren(const Instance& instance);
  void LoadChildren(std::vector<Instance>& instances);
  // The rows with these row IDs, in row ID order.
  std::vector<Instance> ReadRows(const std::vector<int64_t>& rowids);

  Database& db_;
};

// A JSON array of strings, for binding a list to `json_each(?)`.
std::string JsonStringArray(const std::vector<std::string>& values);

}  // namespace cvm::state
