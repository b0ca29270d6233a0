// The placement_groups table (spread placement groups, D-129). Every read is
// scoped to one account and one region. A group's members are the instances
// whose placement_group_id names it (the partial index
// instances_by_placement_group: at most the group's capacity of rows).
// Callers hold a UnitOfWork.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "state/clock.h"
#include "state/database.h"
#include "state/enums.h"
#include "state/listing.h"

namespace cvm::state {

// DisasterRecoverGroup.Type: how far apart its instances are kept.
enum class PlacementGroupType { kHost, kSw, kRack };
template <>
struct EnumNames<PlacementGroupType> {
  static constexpr EnumEntry<PlacementGroupType> kNames[] = {
      {PlacementGroupType::kHost, "HOST"},
      {PlacementGroupType::kSw, "SW"},
      {PlacementGroupType::kRack, "RACK"},
  };
};

struct PlacementGroup {
  int64_t rowid = 0;
  int64_t app_id = 0;
  std::string region;
  std::string group_id;
  std::string name;
  PlacementGroupType type = PlacementGroupType::kHost;
  TimeMs created_at = 0;
  bool operator==(const PlacementGroup&) const = default;
};

struct TableColumns;

struct PlacementGroupQuery {
  std::optional<std::vector<std::string>> group_ids;  // DisasterRecoverGroupIds
  std::optional<std::string> name_contains;           // Name: a substring
  int64_t offset = 0;
  int64_t limit = 20;
  // Groups created then are left out: too new to be seen (D-219).
  std::optional<CreatedWindow> hidden_created;
};

struct PlacementGroupPage {
  int64_t total = 0;  // every match, across pages
  std::vector<PlacementGroup> items;
};

class PlacementGroupStore {
 public:
  explicit PlacementGroupStore(Database& db) : db_(db) {}

  static std::vector<TableColumns> Columns();

  // Inserts `group` and sets its rowid.
  void Insert(PlacementGroup& group);
  void UpdateName(const PlacementGroup& group);
  void Delete(int64_t rowid);

  // True iff any group, of any account, has this ID.
  bool IdExists(const std::string& group_id);
  // Groups of the account in the region.
  int64_t Count(int64_t app_id, const std::string& region);
  // The account's groups in the region among `group_ids`, in the order of
  // `group_ids`, duplicates and missing ones left out.
  std::vector<PlacementGroup> FindMany(int64_t app_id, const std::string& region,
                                       const std::vector<std::string>& group_ids);
  // One page of matches, oldest first, and the number of all matches.
  PlacementGroupPage List(int64_t app_id, const std::string& region,
                          const PlacementGroupQuery& query);
  // The visible instances in each of `group_ids`, oldest first; a group
  // without any has an empty entry.
  std::map<std::string, std::vector<std::string>> Members(int64_t app_id, const std::string& region,
                                                          const std::vector<std::string>& group_ids,
                                                          TimeMs now);

 private:
  Database& db_;
};

}  // namespace cvm::state
