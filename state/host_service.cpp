#include "state/host_service.h"

#include <nlohmann/json.hpp>
#include <set>

#include "state/client_token_store.h"
#include "state/host_store.h"
#include "state/instance_rules.h"
#include "state/random.h"
#include "state/setting_values.h"

namespace cvm::state {
namespace {

constexpr const char* kAllocateHosts = "AllocateHosts";

// A host's address: one per row, from a range no instance address uses.
std::string HostAddress(int64_t rowid) {
  int64_t n = rowid - 1;
  return "172.16." + std::to_string(n / 253 % 256) + "." + std::to_string(n % 253 + 1);
}

std::string Free(int64_t cpu, int64_t memory_gb, int64_t disk_gb) {
  return std::to_string(cpu) + " vCPU, " + std::to_string(memory_gb) + " GiB memory and " +
         std::to_string(disk_gb) + " GiB local disk";
}

}  // namespace

Result<AllocateHostsChange> PlanAllocateHosts(const Scope& scope, const AllocateHostsRequest& r) {
  AllocateHostsChange change;
  change.client_token = r.client_token;
  change.canonical_request = r.canonical_request;
  if (!r.client_token.empty()) {
    auto seen = ClientTokenStore(scope.db).Find(scope.app_id(), scope.region, kAllocateHosts,
                                                r.client_token, scope.now);
    if (seen) {
      if (seen->request != r.canonical_request) {
        return ApiError::Make(errors::kInvalidParameterValue, "ClientToken",
                              "the token was already used with other parameters");
      }
      change.replay =
          nlohmann::json::parse(seen->response).at("HostIdSet").get<std::vector<std::string>>();
      return change;
    }
  }
  const ZoneInfo* zone = scope.catalog.FindZone(r.zone);
  if (!zone || zone->region != scope.region) {
    return ApiError::Make(errors::kInvalidZoneMismatchRegion, "Placement.Zone",
                          "`" + r.zone + "` is not a zone of " + scope.region);
  }
  if (r.project_id < 0) return ApiError::Make(errors::kInvalidProjectIdNotFound, r.project_id);
  if (!r.period_months) return ApiError::Make(errors::kMissingParameter, "HostChargePrepaid");
  std::optional<HostType> type = ParseName<HostType>(r.host_type);
  if (!type) {
    return ApiError::Make(errors::kInvalidParameterValue, "HostType",
                          "`" + r.host_type + "` is not a host type; HS1 is the only one");
  }
  Host& h = change.prototype;
  h.app_id = scope.app_id();
  h.region = scope.region;
  h.zone = r.zone;
  h.project_id = r.project_id;
  h.host_name = "未命名";  // as an instance without a name (D-190)
  h.host_type = *type;
  h.renew_flag = r.renew_flag;
  h.created_at = scope.now;
  h.running_at = scope.now + scope.settings.durations().host_pending;
  h.expired_at = AddMonths(scope.now, *r.period_months);
  HostCapacity capacity = CapacityOf(*type);
  h.cpu = capacity.cpu;
  h.memory_gb = capacity.memory_gb;
  h.disk_gb = capacity.disk_gb;
  change.count = r.count;
  return change;
}

std::vector<std::string> ApplyAllocateHosts(const Scope& scope, const AllocateHostsChange& change) {
  if (change.replay) return *change.replay;
  HostStore store(scope.db);
  double failure = scope.settings.host_launch_failure_probability();
  std::vector<std::string> ids;
  for (int64_t i = 0; i < change.count; ++i) {
    Host h = change.prototype;
    h.host_id =
        scope.random.FreshId("host-", [&](const std::string& id) { return store.IdExists(id); });
    h.host_ip = HostAddress(store.NextRowId());
    h.launch_failed =
        failure > 0 && static_cast<double>(scope.random.Below(1'000'000)) / 1e6 < failure;
    store.Insert(h);
    ids.push_back(h.host_id);
  }
  if (!change.client_token.empty()) {
    ClientTokenStore(scope.db).Put(
        scope.app_id(), scope.region, kAllocateHosts, change.client_token,
        {change.canonical_request, nlohmann::json{{"HostIdSet", ids}}.dump()}, scope.now);
  }
  return ids;
}

Result<std::vector<Host>> LoadHosts(const Scope& scope, const std::vector<std::string>& host_ids) {
  std::vector<Host> hosts = HostStore(scope.db).FindMany(scope.app_id(), scope.region, host_ids);
  std::set<std::string> found;
  for (const Host& h : hosts) found.insert(h.host_id);
  for (const std::string& id : host_ids) {
    if (!found.count(id)) return ApiError::Make(errors::kInvalidHostIdNotFound, id);
  }
  return hosts;
}

Result<HostsChange> PlanModifyHosts(const Scope& scope, const std::vector<std::string>& host_ids,
                                    const std::optional<std::string>& host_name,
                                    const std::optional<RenewFlag>& renew_flag) {
  if (!host_name && !renew_flag) {
    return ApiError::Make(errors::kMissingParameterAtLeastOne, "HostName, RenewFlag");
  }
  if (host_name && host_name->empty()) {
    return ApiError::Make(errors::kInvalidParameterValue, "HostName",
                          "a host name cannot be empty");
  }
  CVM_ASSIGN_OR_RETURN(std::vector<Host> hosts, LoadHosts(scope, host_ids));
  for (Host& h : hosts) {
    if (host_name) h.host_name = *host_name;
    if (renew_flag) {
      h.expired_at = h.ObservedExpiry(scope.now);
      h.renew_flag = *renew_flag;
    }
  }
  return HostsChange{std::move(hosts)};
}

Result<HostsChange> PlanRenewHosts(const Scope& scope, const std::vector<std::string>& host_ids,
                                   int64_t period_months) {
  CVM_ASSIGN_OR_RETURN(std::vector<Host> hosts, LoadHosts(scope, host_ids));
  for (Host& h : hosts) h.expired_at = AddMonths(h.ObservedExpiry(scope.now), period_months);
  return HostsChange{std::move(hosts)};
}

void ApplyHostsChange(const Scope& scope, const HostsChange& change) {
  HostStore store(scope.db);
  for (const Host& h : change.hosts) store.UpdateTerms(h);
}

std::optional<InstanceTypeInfo> CdhInstanceType(const std::string& name) {
  if (!IsCdhTypeShape(name)) return std::nullopt;
  InstanceTypeInfo t;
  t.type = name;
  t.family = "CDH";
  t.type_name = name;
  size_t c = name.find('C', 4);
  t.cpu = std::stoll(name.substr(4, c - 4));
  t.memory = std::stoll(name.substr(c + 1, name.size() - c - 2));
  t.max_bandwidth_out = 100;
  // Local disks come out of the host's 1,200 GiB (D-192).
  t.local_disks = {{"LOCAL_BASIC", "ROOT", 50, 500}, {"LOCAL_BASIC", "DATA", 10, 1200}};
  return t;
}

Result<std::vector<std::string>> PlanHostPlacement(const Scope& scope,
                                                   const std::vector<std::string>& host_ids,
                                                   const std::string& zone, int64_t cpu,
                                                   int64_t memory_gb, int64_t disk_gb,
                                                   int64_t count) {
  CVM_ASSIGN_OR_RETURN(std::vector<Host> hosts, LoadHosts(scope, host_ids));
  for (const Host& h : hosts) {
    if (h.zone != zone) {
      return ApiError::Make(errors::kInvalidParameterValue, "Placement.HostIds",
                            "the host " + h.host_id + " is in " + h.zone + ", not in " + zone);
    }
    HostState state = h.Observe(scope.now);
    if (state != HostState::kRunning) {
      return ApiError::Make(errors::kInvalidParameterValue, "Placement.HostIds",
                            "the host " + h.host_id + " is " + std::string(NameOf(state)) +
                                "; instances go only on RUNNING hosts");
    }
  }
  std::map<std::string, HostUsage> usage =
      HostStore(scope.db).Usage(scope.app_id(), scope.region, host_ids, scope.now);
  struct Room {
    const Host* host;
    int64_t cpu, memory_gb, disk_gb;
  };
  std::vector<Room> rooms;
  for (const Host& h : hosts) {
    const HostUsage& u = usage[h.host_id];
    rooms.push_back({&h, h.cpu - u.cpu, h.memory_gb - u.memory_gb, h.disk_gb - u.disk_gb});
  }
  std::vector<std::string> placed;
  for (int64_t i = 0; i < count; ++i) {
    Room* fit = nullptr;
    for (Room& r : rooms) {
      if (r.cpu >= cpu && r.memory_gb >= memory_gb && r.disk_gb >= disk_gb) {
        fit = &r;
        break;
      }
    }
    if (!fit) {
      std::string free;
      for (const Room& r : rooms) {
        if (!free.empty()) free += "; ";
        std::string shortage;
        if (r.cpu < cpu) shortage += " vCPU";
        if (r.memory_gb < memory_gb) shortage += " memory";
        if (r.disk_gb < disk_gb) shortage += " local disk";
        free += r.host->host_id + " has " + Free(r.cpu, r.memory_gb, r.disk_gb) +
                " left (short of" + shortage + ")";
      }
      return ApiError::Make(errors::kInvalidParameterValue, "Placement.HostIds",
                            std::to_string(count) + " instance(s) of " +
                                Free(cpu, memory_gb, disk_gb) + " each do not fit: " + free +
                                " after placing " + std::to_string(i) + "; nothing was created");
    }
    fit->cpu -= cpu;
    fit->memory_gb -= memory_gb;
    fit->disk_gb -= disk_gb;
    placed.push_back(fit->host->host_id);
  }
  return placed;
}

}  // namespace cvm::state
