// DescribeRegions and DescribeZones: answered from the seeded catalog.
#include <map>

#include "handlers/registry.h"

namespace cvm::handlers {
namespace {

// The catalog never changes, so each answer is serialized once per catalog.
std::shared_ptr<const std::string> Members(const Json& object) {
  std::string text = object.dump();
  return std::make_shared<const std::string>(text.substr(1, text.size() - 2));
}

// The DescribeRegions answer, and the DescribeZones answer of each region.
struct RegionAnswers {
  explicit RegionAnswers(const state::Catalog& catalog) {
    Json region_set = Json::array();
    for (const state::RegionInfo& r : catalog.regions()) {
      region_set.push_back({{"Region", r.region}, {"RegionName", r.name}, {"RegionState", r.state}});
      Json zones = Json::array();
      for (const state::ZoneInfo* z : catalog.ZonesOf(r.region)) {
        zones.push_back({{"Zone", z->zone},
                         {"ZoneName", z->name},
                         {"ZoneId", z->zone_id},
                         {"ZoneState", z->state}});
      }
      zones_by_region[r.region] =
          Members(Json{{"TotalCount", zones.size()}, {"ZoneSet", std::move(zones)}});
    }
    regions = Members(Json{{"TotalCount", region_set.size()}, {"RegionSet", std::move(region_set)}});
  }

  std::shared_ptr<const std::string> regions;
  std::map<std::string, std::shared_ptr<const std::string>, std::less<>> zones_by_region;
};

HandlerResult DescribeRegions(RequestContext& ctx, const Json&) {
  return Output::Serialized(ctx.services.catalog.Derived<RegionAnswers>().regions);
}

HandlerResult DescribeZones(RequestContext& ctx, const Json&) {
  return Output::Serialized(
      ctx.services.catalog.Derived<RegionAnswers>().zones_by_region.at(ctx.region));
}

}  // namespace

void RegisterRegionHandlers(Registry& registry) {
  registry.Add("DescribeRegions", DescribeRegions, /*uses_database=*/false);
  registry.Add("DescribeZones", DescribeZones, /*uses_database=*/false);
}

}  // namespace cvm::handlers
