// DescribeRegions and DescribeZones: answered from the seeded catalog.
#include "handlers/registry.h"

namespace cvm::handlers {
namespace {

HandlerResult DescribeRegions(RequestContext& ctx, const Json&) {
  Json set = Json::array();
  for (const state::RegionInfo& r : ctx.services.catalog.regions()) {
    set.push_back({{"Region", r.region}, {"RegionName", r.name}, {"RegionState", r.state}});
  }
  return Json{{"TotalCount", set.size()}, {"RegionSet", std::move(set)}};
}

HandlerResult DescribeZones(RequestContext& ctx, const Json&) {
  Json set = Json::array();
  for (const state::ZoneInfo* z : ctx.services.catalog.ZonesOf(ctx.region)) {
    set.push_back({{"Zone", z->zone},
                   {"ZoneName", z->name},
                   {"ZoneId", z->zone_id},
                   {"ZoneState", z->state}});
  }
  return Json{{"TotalCount", set.size()}, {"ZoneSet", std::move(set)}};
}

}  // namespace

void RegisterRegionHandlers(Registry& registry) {
  registry.Add("DescribeRegions", DescribeRegions);
  registry.Add("DescribeZones", DescribeZones);
}

}  // namespace cvm::handlers
