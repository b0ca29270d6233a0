// DescribeRegions and DescribeZones answer from the catalog of the services
// they are given; each answer is serialized once per catalog, not once per
// process.
#include <doctest/doctest.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "handlers/registry.h"
#include "schema/spec.h"
#include "state/accounts.h"
#include "state/catalog.h"
#include "state/clock.h"
#include "state/database.h"
#include "state/random.h"
#include "state/settings.h"

namespace {

using cvm::handlers::Registry;
using cvm::state::Catalog;
using nlohmann::json;

// A catalog of one region with one zone.
constexpr const char* kOneRegion = R"({
  "regions": [{"Region": "xx-one", "RegionName": "One", "RegionState": "AVAILABLE"}],
  "zones": [{"Region": "xx-one", "Zone": "xx-one-1", "ZoneId": "900001", "ZoneName": "One 1",
             "ZoneState": "AVAILABLE"}],
  "instance_families": [], "instance_types": [], "zone_instance_types": {}, "public_images": [],
  "import_image_os": {"ImportImageOsListSupported": {"Windows": [], "Linux": []},
                      "ImportImageOsVersionSet": []},
  "internet_charge_types": []})";

// Calls `action` in `region` with services over `catalog`; the answer's fields.
json Answer(const Catalog& catalog, const std::string& action, const std::string& region) {
  cvm::state::FakeClock base;
  cvm::state::VirtualClock clock(base);
  cvm::state::Database db(":memory:");
  cvm::state::Random random(1);
  cvm::state::AccountRegistry accounts = cvm::state::AccountRegistry::Default();
  cvm::state::Settings settings;
  cvm::handlers::Services services{db,       clock, random, catalog, accounts,
                                   cvm::schema::Schema::Builtin(), settings};
  const cvm::schema::ActionSpec* spec = services.schema.FindAction(action);
  REQUIRE(spec);
  cvm::handlers::RequestContext ctx{services, accounts.accounts().front(), region, *spec};
  cvm::handlers::HandlerResult result = Registry::Builtin().Find(action)(ctx, json::object());
  REQUIRE(result.ok());
  result->Render();
  REQUIRE(result->serialized);
  return json::parse("{" + *result->serialized + "}");
}

TEST_CASE("DescribeRegions: each catalog gets its own answer, whichever was asked first") {
  std::unique_ptr<Catalog> one = Catalog::Parse(kOneRegion);
  CHECK(Answer(Catalog::Builtin(), "DescribeRegions", "")["TotalCount"] == 19);
  json from_one = Answer(*one, "DescribeRegions", "");
  CHECK(from_one["TotalCount"] == 1);
  CHECK(from_one["RegionSet"][0]["Region"] == "xx-one");
  CHECK(Answer(Catalog::Builtin(), "DescribeRegions", "")["TotalCount"] == 19);
}

TEST_CASE("DescribeZones: each catalog gets its own answer") {
  std::unique_ptr<Catalog> one = Catalog::Parse(kOneRegion);
  CHECK(Answer(Catalog::Builtin(), "DescribeZones", "ap-guangzhou")["TotalCount"] == 4);
  json from_one = Answer(*one, "DescribeZones", "xx-one");
  CHECK(from_one["TotalCount"] == 1);
  CHECK(from_one["ZoneSet"][0]["ZoneId"] == "900001");
}

}  // namespace
