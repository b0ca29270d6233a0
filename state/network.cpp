#include "state/network.h"

#include <cstdio>
#include <algorithm>
#include <functional>
#include <set>

namespace cvm::state {
namespace {

constexpr char kLoadSubnet[] =
    "SELECT vpc_id, prefix, next_host FROM subnets WHERE app_id = ? AND region = ? AND subnet_id = ?";
constexpr char kSaveSubnet[] =
    "INSERT INTO subnets (app_id, region, subnet_id, vpc_id, prefix, next_host) "
    "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (app_id, region, subnet_id) DO UPDATE SET "
    "next_host = excluded.next_host";

bool ParseIpv4(const std::string& ip, unsigned out[4]) {
  char tail;
  return std::sscanf(ip.c_str(), "%u.%u.%u.%u%c", &out[0], &out[1], &out[2], &out[3], &tail) == 4 &&
         out[0] < 256 && out[1] < 256 && out[2] < 256 && out[3] < 256;
}

std::string Prefix24(const std::string& ip) { return ip.substr(0, ip.rfind('.') + 1); }

}  // namespace

std::string ClassicAddress(int64_t rowid) {
  int64_t n = rowid - 1;
  int64_t per_24 = 253;  // hosts 1..253 of every /24
  int64_t block = n / per_24, host = n % per_24 + 1;
  return "10." + std::to_string(block / 256 % 256) + "." + std::to_string(block % 256) + "." +
         std::to_string(host);
}

bool IsPrivateIpv4(const std::string& ip) {
  unsigned o[4];
  if (!ParseIpv4(ip, o)) return false;
  return o[0] == 10 || (o[0] == 172 && o[1] >= 16 && o[1] <= 31) || (o[0] == 192 && o[1] == 168);
}

std::optional<SubnetRecord> Network::FindSubnet(int64_t app_id, const std::string& region,
                                                const std::string& subnet_id) {
  Statement st = db_.Cached(kLoadSubnet);
  st.Bind(1, app_id).Bind(2, region).Bind(3, subnet_id);
  if (!st.Step()) return std::nullopt;
  return SubnetRecord{subnet_id, st.Text(0), st.Text(1), st.Int(2)};
}

void Network::SaveSubnet(int64_t app_id, const std::string& region, const SubnetRecord& s) {
  db_.Cached(kSaveSubnet)
      .Bind(1, app_id)
      .Bind(2, region)
      .Bind(3, s.subnet_id)
      .Bind(4, s.vpc_id)
      .Bind(5, s.prefix)
      .Bind(6, s.next_host)
      .Run();
}

Result<std::vector<std::string>> Network::PlanPrivateIps(int64_t app_id, const std::string& region,
                                                         const std::string& vpc_id,
                                                         const std::string& subnet_key,
                                                         const std::vector<std::string>& requested,
                                                         size_t count, SubnetRecord* out_subnet,
                                                         const std::set<std::string>& freed) {
  auto used = [&](const std::string& ip) {
    return !freed.count(ip) && instances_.PrivateIpUsed(app_id, region, vpc_id, ip);
  };
  std::vector<std::string> out;
  std::optional<SubnetRecord> known = FindSubnet(app_id, region, subnet_key);
  if (known && known->vpc_id != vpc_id) {
    return ApiError::Make(errors::kInvalidParameterValue, "VirtualPrivateCloud.SubnetId",
                          "the subnet " + subnet_key + " belongs to " + known->vpc_id + ", not " +
                              vpc_id);
  }
  SubnetRecord subnet;
  if (known) {
    subnet = *known;
  } else {
    subnet = SubnetRecord{subnet_key, vpc_id, "", 2};
    if (!requested.empty()) {
      subnet.prefix = Prefix24(requested.front());
    } else {
      size_t h = std::hash<std::string>{}(subnet_key);
      subnet.prefix = "10." + std::to_string(h % 256) + "." + std::to_string(h / 256 % 256) + ".";
    }
  }
  if (!requested.empty()) {
    std::set<std::string> seen;
    for (const std::string& ip : requested) {
      unsigned o[4];
      ParseIpv4(ip, o);
      if (!IsPrivateIpv4(ip) || Prefix24(ip) != subnet.prefix || o[3] < 2 || o[3] > 254) {
        return ApiError::Make(errors::kVpcAddrNotInSubNet, ip, subnet_key + " (" + subnet.prefix + "0/24)");
      }
      if (!seen.insert(ip).second || used(ip)) {
        return ApiError::Make(errors::kVpcIpsUsed, ip, vpc_id);
      }
      out.push_back(ip);
    }
    *out_subnet = subnet;
    return out;
  }
  for (int tries = 0; out.size() < count && tries < 253; ++tries) {
    int64_t host = subnet.next_host;
    subnet.next_host = host >= 254 ? 2 : host + 1;
    std::string ip = subnet.prefix + std::to_string(host);
    if (!used(ip) && std::find(out.begin(), out.end(), ip) == out.end()) {
      out.push_back(ip);
    }
  }
  if (out.size() < count) {
    return ApiError::Make(errors::kResourceInsufficient,
                          "the subnet " + subnet_key + " has no free address left");
  }
  *out_subnet = subnet;
  return out;
}

std::string Network::PublicIp() {
  while (true) {
    uint64_t r = random_.Next();
    std::string ip = "43." + std::to_string(r % 256) + "." + std::to_string(r / 256 % 256) + "." +
                     std::to_string(1 + r / 65536 % 254);
    if (!instances_.PublicIpUsed(ip)) return ip;
  }
}

}  // namespace cvm::state
