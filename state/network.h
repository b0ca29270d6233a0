// Addresses. The emulator cannot see VPCs or subnets (they belong to another
// API), so it models each subnet it meets as a /24 (docs/decisions.md D-13):
// the /24 of the first address placed in it, or a /24 of 10.0.0.0/8 derived
// from the subnet ID. In the basic (classic) network an instance's address
// follows from its row ID, so no two live instances share one. Public
// addresses come from 43.0.0.0/8 and never repeat while in use.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "schema/errors.h"
#include "state/database.h"
#include "state/instance_store.h"
#include "state/random.h"

namespace cvm::state {

// What the emulator remembers of a VPC subnet: its /24 and the next host
// number to try.
struct SubnetRecord {
  std::string subnet_id, vpc_id, prefix;
  int64_t next_host = 2;
  bool operator==(const SubnetRecord&) const = default;
};

class Network {
 public:
  Network(Database& db, InstanceStore& instances, Random& random)
      : db_(db), instances_(instances), random_(random) {}

  // `count` VPC addresses for new instances: `requested` ones (checked:
  // inside the subnet, not in use, not repeated), or chosen when `requested`
  // is empty. Addresses in `freed` count as free although an instance holds
  // them (the instances being moved give them up). Reads only: `*subnet` is
  // what the subnet's record becomes, for SaveSubnet.
  // Errors: VpcAddrNotInSubNet, VpcIpsUsed, InvalidParameterValue (the subnet
  // belongs to another VPC), ResourceInsufficient (the subnet is full).
  Result<std::vector<std::string>> PlanPrivateIps(int64_t app_id, const std::string& region,
                                                  const std::string& vpc_id,
                                                  const std::string& subnet_id,
                                                  const std::vector<std::string>& requested,
                                                  size_t count, SubnetRecord* subnet,
                                                  const std::set<std::string>& freed = {});
  void SaveSubnet(int64_t app_id, const std::string& region, const SubnetRecord& subnet);
  // The subnet as the emulator has met it, or nullopt if never.
  std::optional<SubnetRecord> FindSubnet(int64_t app_id, const std::string& region,
                                         const std::string& subnet_id);

  // A public address not held by any instance.
  std::string PublicIp();

 private:
  Database& db_;
  InstanceStore& instances_;
  Random& random_;
};

// True iff `ip` lies in 10/8, 172.16/12 or 192.168/16.
bool IsPrivateIpv4(const std::string& ip);

// The basic-network address of the instance with this row ID: 10.a.b.c,
// hosts 1..253 of each /24.
std::string ClassicAddress(int64_t rowid);

}  // namespace cvm::state
