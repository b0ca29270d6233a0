// GET /_emulator/resources: what one account holds in one region, read
// through the stores (not the signed API), for the console: instances with
// their state on the emulator clock, images, key pairs, dedicated hosts and
// placement groups. Without app_id and
// region: the accounts and regions to choose from.
#include <nlohmann/json.hpp>

#include "handlers/context.h"
#include "server/control/route.h"
#include "server/emulator.h"
#include "state/accounts.h"
#include "state/catalog.h"
#include "state/host_store.h"
#include "state/image_store.h"
#include "state/instance_store.h"
#include "state/key_pair_store.h"
#include "state/placement_group_store.h"

namespace cvm::server::control {
namespace {

using nlohmann::json;

// The most of each kind one answer lists.
constexpr int64_t kMaxListed = 1000;

json Choices(Emulator& emu) {
  json accounts = json::array();
  for (const state::Account& a : emu.accounts().accounts()) {
    accounts.push_back({{"app_id", a.app_id}, {"uin", a.uin}, {"name", a.name}});
  }
  json regions = json::array();
  for (const state::RegionInfo& r : emu.services().catalog.regions()) {
    regions.push_back({{"region", r.region}, {"name", r.name}});
  }
  return json{{"accounts", std::move(accounts)}, {"regions", std::move(regions)}};
}

HttpResponse Resources(Call& call) {
  Emulator& emu = call.emulator;
  std::optional<int64_t> app_id = call.args.Integer("app_id", 0, INT64_MAX);
  std::optional<std::string> region = call.args.String("region");
  if (app_id && !emu.accounts().FindByAppId(*app_id))
    call.args.Refuse("app_id", "app_id names no account");
  if (region && !emu.services().catalog.FindRegion(*region))
    call.args.Refuse("region", "unknown region " + *region);
  if (app_id.has_value() != region.has_value())
    call.args.Refuse(app_id ? "region" : "app_id", "give both app_id and region, or neither");
  if (auto refused = call.args.Refusal()) return *refused;
  json out = Choices(emu);
  if (!app_id) return Reply(200, out);

  state::TimeMs now = emu.clock().NowMs();
  json instances = json::array(), images = json::array(), key_pairs = json::array();
  json hosts = json::array(), groups = json::array();
  int64_t total_instances = 0;
  {
    auto lock = emu.db().Lock();
    state::InstanceQuery query;
    query.limit = kMaxListed;
    state::InstancePage page = state::InstanceStore(emu.db()).List(*app_id, *region, query, now);
    total_instances = page.total;
    for (const state::Instance& i : page.items) {
      instances.push_back({{"InstanceId", i.instance_id},
                           {"InstanceName", i.name},
                           {"InstanceState", state::StateName(i.Observe(now))},
                           {"Zone", i.zone},
                           {"InstanceType", i.instance_type},
                           {"ImageId", i.image_id},
                           {"PrivateIpAddress", i.private_ip},
                           {"CreatedTime", state::FormatIso8601(i.created_at / 1000)}});
    }
    state::ImageQuery iq;
    iq.limit = kMaxListed;
    for (const auto& v : state::ImageStore(emu.db()).ListVisible(*app_id, *region, iq, now).items) {
      images.push_back({{"ImageId", v.image.image_id},
                        {"ImageName", v.image.name},
                        {"ImageState", std::string(state::NameOf(v.image.State(now)))},
                        {"Shared", v.shared}});
    }
    state::KeyPairQuery kq;
    kq.limit = kMaxListed;
    for (const state::KeyPair& k : state::KeyPairStore(emu.db()).List(*app_id, *region, kq).items) {
      key_pairs.push_back({{"KeyId", k.key_id}, {"KeyName", k.name}});
    }
    state::HostQuery hq;
    hq.limit = kMaxListed;
    for (const state::Host& h : state::HostStore(emu.db()).List(*app_id, *region, hq, now).items) {
      hosts.push_back({{"HostId", h.host_id},
                       {"HostName", h.host_name},
                       {"HostState", state::NameOf(h.Observe(now))},
                       {"HostType", state::NameOf(h.host_type)},
                       {"Zone", h.zone}});
    }
    state::PlacementGroupQuery gq;
    gq.limit = kMaxListed;
    for (const state::PlacementGroup& g :
         state::PlacementGroupStore(emu.db()).List(*app_id, *region, gq).items) {
      groups.push_back({{"DisasterRecoverGroupId", g.group_id},
                        {"Name", g.name},
                        {"Type", state::NameOf(g.type)}});
    }
  }
  out["app_id"] = *app_id;
  out["region"] = *region;
  out["now"] = state::FormatIso8601(now / 1000);
  out["instances"] = std::move(instances);
  out["instance_count"] = total_instances;
  out["images"] = std::move(images);
  out["key_pairs"] = std::move(key_pairs);
  out["hosts"] = std::move(hosts);
  out["placement_groups"] = std::move(groups);
  return Reply(200, out);
}

constexpr Route kResourcesRoutes[] = {{"resources", "GET", &Resources}};

}  // namespace

std::span<const Route> ResourcesRoutes() { return kResourcesRoutes; }

}  // namespace cvm::server::control
