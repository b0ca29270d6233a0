// The hosts table. Every read is scoped to one account and one region. What
// a host's instances take from it is read from the instances on it (the
// partial index instances_by_host: at most one row per vCPU of the host).
// Callers hold a UnitOfWork.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "state/database.h"
#include "state/host.h"
#include "state/listing.h"

namespace cvm::state {

struct TableColumns;

// One DescribeHosts filter: `name` is zone, project-id (decimal integers),
// host-id, host-name (exact, D-119) or host-state (PENDING, LAUNCH_FAILURE,
// RUNNING, EXPIRED: REQUIRES those names); values ORed, filters ANDed.
struct HostCondition {
  std::string name;
  std::vector<std::string> values;
};

struct HostQuery {
  std::vector<HostCondition> conditions;
  int64_t offset = 0;
  int64_t limit = 20;
  // Hosts allocated then are left out: too new to be seen (D-219).
  std::optional<CreatedWindow> hidden_created;
};

struct HostPage {
  int64_t total = 0;  // every match, across pages
  std::vector<Host> items;
};

class HostStore {
 public:
  explicit HostStore(Database& db) : db_(db) {}

  static std::vector<TableColumns> Columns();

  // Inserts `host` and sets its rowid.
  void Insert(Host& host);
  // Rewrites the name, renewal flag and expiry.
  void UpdateTerms(const Host& host);

  // Hosts of the account in the region, from a counter Insert keeps.
  int64_t Count(int64_t app_id, const std::string& region);
  // Hosts of the account in the region in any of `states` (HostState names)
  // at `now`: the rare states counted on their partial indexes, RUNNING as
  // the rest of Count, so the cost follows the hosts not RUNNING.
  int64_t CountInStates(int64_t app_id, const std::string& region,
                        const std::vector<std::string>& states, TimeMs now);

  // True iff any host, of any account, has this ID.
  bool IdExists(const std::string& host_id);
  // The row ID the next insert gets (max + 1), for the host's address.
  int64_t NextRowId();

  // The account's hosts in the region among `host_ids`, in the order of
  // `host_ids`, duplicates and missing ones left out.
  std::vector<Host> FindMany(int64_t app_id, const std::string& region,
                             const std::vector<std::string>& host_ids);
  // One page of matches, oldest first, and the number of all matches.
  HostPage List(int64_t app_id, const std::string& region, const HostQuery& query, TimeMs now);

  // What the visible instances on each of `host_ids` take from it; a host
  // without instances has an empty entry.
  std::map<std::string, HostUsage> Usage(int64_t app_id, const std::string& region,
                                         const std::vector<std::string>& host_ids, TimeMs now);

 private:
  Database& db_;
};

}  // namespace cvm::state
