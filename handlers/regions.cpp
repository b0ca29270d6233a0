// DescribeRegions and DescribeZones: answered from the seeded catalog.
#include <map>

#include "handlers/registry.h"

namespace cvm::handlers {
namespace {

// The catalog never changes, so each answer is serialized once.
std::shared_ptr<const std::string> Members(const Json& object) {
  std::string text = object.dump();
  return std::make_shared<const std::string>(text.substr(1, text.size() - 2));
}

HandlerResult DescribeRegions(RequestContext& ctx, const Json&) {
  static const auto answer = [&] {
    Json set = Json::array();
    for (const state::RegionInfo& r : ctx.services.catalog.regions()) {
      set.push_back({{"Region", r.region}, {"RegionName", r.name}, {"RegionState", r.state}});
    }
    return Members(Json{{"TotalCount", set.size()}, {"RegionSet", std::move(set)}});
  }();
  return Output::Serialized(answer);
}

HandlerResult DescribeZones(RequestContext& ctx, const Json&) {
  static const auto answers = [&] {
    std::map<std::string, std::shared_ptr<const std::string>, std::less<>> by_region;
    for (const state::RegionInfo& r : ctx.services.catalog.regions()) {
      Json set = Json::array();
      for (const state::ZoneInfo* z : ctx.services.catalog.ZonesOf(r.region)) {
        set.push_back({{"Zone", z->zone},
                       {"ZoneName", z->name},
                       {"ZoneId", z->zone_id},
                       {"ZoneState", z->state}});
      }
      by_region[r.region] = Members(Json{{"TotalCount", set.size()}, {"ZoneSet", std::move(set)}});
    }
    return by_region;
  }();
  return Output::Serialized(answers.at(ctx.region));
}

}  // namespace

void RegisterRegionHandlers(Registry& registry) {
  registry.Add("DescribeRegions", DescribeRegions, /*uses_database=*/false);
  registry.Add("DescribeZones", DescribeZones, /*uses_database=*/false);
}

}  // namespace cvm::handlers
