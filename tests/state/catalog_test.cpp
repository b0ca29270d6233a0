// The seeded, read-only catalog (state/catalog.json, described in
// state/CATALOG.md) against the reference: tests/fixtures/reference/common.json.
#include <doctest/doctest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "state/catalog.h"

namespace {

using cvm::state::Catalog;

const Catalog& catalog() { return Catalog::Builtin(); }

nlohmann::json ReferenceCommon() {
  std::ifstream in(std::string(CVM_REFERENCE_DIR) + "/common.json");
  REQUIRE_MESSAGE(in.good(), "cannot read " << CVM_REFERENCE_DIR << "/common.json");
  return nlohmann::json::parse(in);
}

TEST_CASE("Catalog: the 19 regions of common.json, in its order, with its Chinese names, all AVAILABLE") {
  nlohmann::json reference = ReferenceCommon().at("regions");
  REQUIRE(reference.size() == 19);
  const auto& regions = catalog().regions();
  REQUIRE(regions.size() == 19);
  for (size_t i = 0; i < regions.size(); ++i) {
    INFO("region " << i << ": " << regions[i].region);
    CHECK(regions[i].region == reference[i]["region"].get<std::string>());
    CHECK(regions[i].name == reference[i]["name_zh"].get<std::string>());
    CHECK(regions[i].finance == reference[i]["finance"].get<bool>());
    CHECK(regions[i].state == "AVAILABLE");
  }
}

TEST_CASE("Catalog: FindRegion finds ap-guangzhou and the finance region ap-shanghai-fsi, not ap-nowhere-1") {
  REQUIRE(catalog().FindRegion("ap-guangzhou") != nullptr);
  CHECK(catalog().FindRegion("ap-guangzhou")->name == "华南地区(广州)");
  REQUIRE(catalog().FindRegion("ap-shanghai-fsi") != nullptr);
  CHECK(catalog().FindRegion("ap-shanghai-fsi")->finance);
  CHECK(catalog().FindRegion("ap-nowhere-1") == nullptr);
  CHECK(catalog().FindRegion("") == nullptr);
}

TEST_CASE("Catalog: every region has at least one AVAILABLE zone, each named after its region") {
  for (const auto& region : catalog().regions()) {
    INFO(region.region);
    std::vector<const cvm::state::ZoneInfo*> zones = catalog().ZonesOf(region.region);
    int available = 0;
    for (const auto* zone : zones) {
      CHECK(zone->region == region.region);
      CHECK(zone->zone.rfind(region.region + "-", 0) == 0);
      CHECK((zone->state == "AVAILABLE" || zone->state == "UNAVAILABLE"));
      available += zone->state == "AVAILABLE";
    }
    CHECK(available >= 1);
  }
  CHECK(catalog().ZonesOf("ap-nowhere-1").empty());
}

TEST_CASE("Catalog: zone names and zone IDs are unique across all regions") {
  std::set<std::string> names, ids;
  size_t total = 0;
  for (const auto& region : catalog().regions()) {
    for (const auto* zone : catalog().ZonesOf(region.region)) {
      INFO(zone->zone);
      CHECK(names.insert(zone->zone).second);
      CHECK(ids.insert(zone->zone_id).second);
      ++total;
    }
  }
  CHECK(total == 48);
}

TEST_CASE("Catalog: ap-guangzhou-1 is UNAVAILABLE; ap-guangzhou-2 and -3 are as DescribeZones documents them") {
  const auto* gz1 = catalog().FindZone("ap-guangzhou-1");
  REQUIRE(gz1 != nullptr);
  CHECK(gz1->state == "UNAVAILABLE");
  CHECK(gz1->zone_id == "100001");
  CHECK(gz1->name == "广州一区");
  const auto* gz3 = catalog().FindZone("ap-guangzhou-3");
  REQUIRE(gz3 != nullptr);
  CHECK(gz3->state == "AVAILABLE");
  CHECK(gz3->zone_id == "100003");
  CHECK(catalog().FindZone("ap-guangzhou-2")->zone_id == "100002");
  CHECK(catalog().FindZone("ap-guangzhou-9") == nullptr);
}

TEST_CASE("Catalog: instance types S1.SMALL1 and S5.MEDIUM2 exist with their families and sizes") {
  const auto* s1 = catalog().FindInstanceType("S1.SMALL1");
  REQUIRE(s1 != nullptr);
  CHECK(s1->family == "S1");
  CHECK(s1->cpu == 1);
  CHECK(s1->memory == 1);
  const auto* s5 = catalog().FindInstanceType("S5.MEDIUM2");
  REQUIRE(s5 != nullptr);
  CHECK(s5->family == "S5");
  CHECK(s5->cpu == 2);
  CHECK(s5->memory == 2);
  CHECK(catalog().FindInstanceType("S9.HUGE") == nullptr);
}

TEST_CASE("Catalog: every instance type belongs to a listed family and has a positive size") {
  std::set<std::string> families;
  for (const auto& f : catalog().families()) families.insert(f.family);
  CHECK(families.count("S5") == 1);
  for (const auto& t : catalog().instance_types()) {
    INFO(t.type);
    CHECK(families.count(t.family) == 1);
    CHECK(t.cpu > 0);
    CHECK(t.memory > 0);
  }
}

TEST_CASE("Catalog: img-eb30mz89 is a public Linux image") {
  const auto* image = catalog().FindPublicImage("img-eb30mz89");
  REQUIRE(image != nullptr);
  CHECK(image->os_type == "linux");
  CHECK_FALSE(image->windows());
  CHECK(image->os_name == "CentOS 7.5 64位");
  CHECK(image->platform == "CentOS");
  CHECK(catalog().FindPublicImage("img-00000000") == nullptr);
  std::set<std::string> ids;
  for (const auto& i : catalog().public_images()) CHECK(ids.insert(i.image_id).second);
}

TEST_CASE("Catalog::ZoneSells: an AVAILABLE zone sells every type unless its exception list says otherwise") {
  const auto& c = catalog();
  const auto* gz3 = c.FindZone("ap-guangzhou-3");
  REQUIRE(gz3 != nullptr);
  CHECK(c.ZoneSells(*gz3, "S5.MEDIUM2"));
  CHECK(c.ZoneSells(*gz3, "S1.SMALL1"));
  CHECK_FALSE(c.ZoneSells(*gz3, "S9.HUGE"));  // not a type at all

  const auto* gz1 = c.FindZone("ap-guangzhou-1");
  REQUIRE(gz1 != nullptr);
  CHECK_FALSE(c.ZoneSells(*gz1, "S5.MEDIUM2"));  // UNAVAILABLE sells nothing

  const auto* open1 = c.FindZone("ap-guangzhou-open-1");
  REQUIRE(open1 != nullptr);
  CHECK(c.ZoneSells(*open1, "S5.MEDIUM2"));
  CHECK_FALSE(c.ZoneSells(*open1, "S1.SMALL1"));  // not on its list
}

TEST_CASE("Catalog: import OS lists and internet charge types are loaded") {
  CHECK(catalog().importable_linux().size() == 8);
  CHECK(catalog().importable_windows().size() == 3);
  CHECK(catalog().import_versions().size() == 12);
  CHECK(catalog().internet_charge_types().size() == 5);
}

TEST_CASE("Catalog::Parse: malformed catalog text throws std::runtime_error") {
  CHECK_THROWS_AS(Catalog::Parse("not json"), std::runtime_error);
  CHECK_THROWS_WITH_AS(Catalog::Parse(R"({"regions":[]})"), doctest::Contains("malformed catalog"),
                       std::runtime_error);
}

}  // namespace
