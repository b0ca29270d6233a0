// DescribeRegions and DescribeZones answer from the catalog of the services
// they are given; each answer is serialized once per catalog, not once per
// process.
#include <doctest/doctest.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "handlers/registry.h"
#include "schema/spec.h"
#include "state/catalog.h"
#include "tests/support/test_api.h"

extern const std::string_view kEmbeddedCatalog;

namespace {

using cvm::handlers::Registry;
using cvm::state::Catalog;
using nlohmann::json;

// A catalog of one region with one zone: the built-in catalog's types,
// images and prices over other regions and zones.
std::unique_ptr<Catalog> OneRegion() {
  json doc = json::parse(kEmbeddedCatalog);
  doc["regions"] = json::parse(R"([{"Region": "xx-one", "RegionName": "One", "RegionState": "AVAILABLE"}])");
  doc["zones"] = json::parse(R"([{"Region": "xx-one", "Zone": "xx-one-1", "ZoneId": "900001",
                                  "ZoneName": "One 1", "ZoneState": "AVAILABLE"}])");
  doc["zone_instance_types"]["exceptions"] = json::object();
  doc["zone_instance_types"]["sold_out"] = json::object();
  return Catalog::Parse(doc.dump());
}

// Calls `action` in `region` with an emulator's services, but over `catalog`;
// the answer's fields.
json Answer(const Catalog& catalog, const std::string& action, const std::string& region) {
  cvm::testing::TestApi api;
  const cvm::handlers::Services& s = api.emulator().services();
  cvm::handlers::Services services{s.db,       s.clock,  s.random, catalog,
                                   s.accounts, s.schema, s.settings};
  const cvm::schema::ActionSpec* spec = services.schema.FindAction(action);
  REQUIRE(spec);
  cvm::handlers::RequestContext ctx{services, s.accounts.accounts().front(), region, *spec};
  cvm::handlers::HandlerResult result = Registry::Builtin().Find(action)(ctx, json::object());
  REQUIRE(result.ok());
  result->Render();
  REQUIRE(result->serialized);
  return json::parse("{" + *result->serialized + "}");
}

TEST_CASE("DescribeRegions: each catalog gets its own answer, whichever was asked first") {
  std::unique_ptr<Catalog> one = OneRegion();
  CHECK(Answer(Catalog::Builtin(), "DescribeRegions", "")["TotalCount"] == 19);
  json from_one = Answer(*one, "DescribeRegions", "");
  CHECK(from_one["TotalCount"] == 1);
  CHECK(from_one["RegionSet"][0]["Region"] == "xx-one");
  CHECK(Answer(Catalog::Builtin(), "DescribeRegions", "")["TotalCount"] == 19);
}

TEST_CASE("DescribeZones: each catalog gets its own answer") {
  std::unique_ptr<Catalog> one = OneRegion();
  CHECK(Answer(Catalog::Builtin(), "DescribeZones", "ap-guangzhou")["TotalCount"] == 4);
  json from_one = Answer(*one, "DescribeZones", "xx-one");
  CHECK(from_one["TotalCount"] == 1);
  CHECK(from_one["ZoneSet"][0]["ZoneId"] == "900001");
}

}  // namespace
