// What each zone sells (Catalog offers): the one rule RunInstances'
// ZoneSells and the catalog Describe actions share, and the indexed
// FindOffers, checked against a plain walk over every offer.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "state/catalog.h"

extern const std::string_view kEmbeddedCatalog;

namespace {

using cvm::state::Catalog;
using cvm::state::OfferQuery;
using cvm::state::SaleOffer;

const Catalog& catalog() { return Catalog::Builtin(); }

std::vector<std::string> TypesOf(const std::vector<const SaleOffer*>& offers) {
  std::vector<std::string> out;
  for (const SaleOffer* o : offers) out.push_back(o->zone->zone + " " + o->type->type);
  return out;
}

// FindOffers by a walk over every offer: what the indexes must agree with.
std::vector<const SaleOffer*> Walk(const Catalog& c, const std::string& region, const OfferQuery& q) {
  std::vector<const SaleOffer*> out;
  for (const SaleOffer& o : c.offers()) {
    if (o.zone->region != region) continue;
    if (q.zones && !q.zones->count(o.zone->zone)) continue;
    if (q.families && !q.families->count(o.type->family)) continue;
    if (q.types && !q.types->count(o.type->type)) continue;
    out.push_back(&o);
  }
  return out;
}

std::unique_ptr<Catalog> Edited(void (*edit)(nlohmann::json& doc)) {
  nlohmann::json doc = nlohmann::json::parse(kEmbeddedCatalog);
  edit(doc);
  return Catalog::Parse(doc.dump());
}

}  // namespace

TEST_SUITE("state") {
  TEST_CASE("Catalog offers: grouped by zone, then type, in catalog order, each knowing its position") {
    const auto& offers = catalog().offers();
    REQUIRE_FALSE(offers.empty());
    for (size_t i = 0; i < offers.size(); ++i) {
      CHECK(offers[i].index == i);
      REQUIRE(offers[i].zone != nullptr);
      REQUIRE(offers[i].type != nullptr);
      if (i > 0 && offers[i].zone == offers[i - 1].zone) CHECK(offers[i].type > offers[i - 1].type);
      if (i > 0 && offers[i].zone != offers[i - 1].zone) CHECK(offers[i].zone > offers[i - 1].zone);
    }
    CHECK(offers.front().zone->zone == "ap-bangkok-1");
    CHECK(offers.front().type->type == "S1.SMALL1");
  }

  TEST_CASE("Catalog offers: ZoneSells is exactly 'the zone lists the type and it is SELL', for every zone and type") {
    for (const auto& region : catalog().regions()) {
      for (const auto* zone : catalog().ZonesOf(region.region)) {
        for (const auto& type : catalog().instance_types()) {
          const SaleOffer* offer = catalog().FindOffer(zone->zone, type.type);
          INFO(zone->zone << " " << type.type);
          CHECK(catalog().ZoneSells(*zone, type.type) == (offer && offer->selling));
          if (zone->state != "AVAILABLE") CHECK_FALSE(catalog().ZoneSells(*zone, type.type));
        }
      }
    }
  }

  TEST_CASE("Catalog offers: ap-guangzhou-1 (UNAVAILABLE) lists nothing; ap-guangzhou-4 lists the GN8 types SOLD_OUT") {
    OfferQuery gz1;
    OfferQuery::Narrow(gz1.zones, {"ap-guangzhou-1"});
    CHECK(catalog().FindOffers("ap-guangzhou", gz1).empty());
    const auto* gz4 = catalog().FindZone("ap-guangzhou-4");
    REQUIRE(gz4 != nullptr);
    for (const char* type : {"GN8.LARGE56", "GN8.3XLARGE112"}) {
      const SaleOffer* offer = catalog().FindOffer("ap-guangzhou-4", type);
      REQUIRE(offer != nullptr);
      CHECK_FALSE(offer->selling);
      CHECK_FALSE(catalog().ZoneSells(*gz4, type));
      CHECK(catalog().FindOffer("ap-guangzhou-3", type)->selling);
    }
    CHECK(catalog().ZoneSells(*gz4, "GN2.7XLARGE56"));
  }

  TEST_CASE("Catalog offers: an UNAVAILABLE zone lists what it offers as SOLD_OUT and sells none of it") {
    auto c = Edited([](nlohmann::json& doc) {
      for (auto& z : doc["zones"]) {
        if (z["Zone"] == "ap-guangzhou-3") z["ZoneState"] = "UNAVAILABLE";
      }
    });
    const auto* gz3 = c->FindZone("ap-guangzhou-3");
    OfferQuery q;
    OfferQuery::Narrow(q.zones, {"ap-guangzhou-3"});
    auto offers = c->FindOffers("ap-guangzhou", q);
    CHECK(offers.size() == c->instance_types().size());
    for (const SaleOffer* o : offers) {
      CHECK_FALSE(o->selling);
      CHECK_FALSE(c->ZoneSells(*gz3, o->type->type));
    }
  }

  TEST_CASE("Catalog offers: FindOffers by zone, family and type, each filter narrowing") {
    OfferQuery all;
    auto region = catalog().FindOffers("ap-guangzhou", all);
    // gz2, gz3 and gz4 sell every type; gz1 nothing.
    CHECK(region.size() == 3 * catalog().instance_types().size());

    OfferQuery i1;
    OfferQuery::Narrow(i1.zones, {"ap-guangzhou-2"});
    OfferQuery::Narrow(i1.families, {"I1"});
    CHECK(TypesOf(catalog().FindOffers("ap-guangzhou", i1)) ==
          std::vector<std::string>{"ap-guangzhou-2 I1.MEDIUM4", "ap-guangzhou-2 I1.MEDIUM8",
                                   "ap-guangzhou-2 I1.MEDIUM16", "ap-guangzhou-2 I1.LARGE8"});

    OfferQuery typed;
    OfferQuery::Narrow(typed.types, {"S5.MEDIUM2", "S1.SMALL1"});
    CHECK(TypesOf(catalog().FindOffers("ap-guangzhou-open", typed)) ==
          std::vector<std::string>{"ap-guangzhou-open-1 S5.MEDIUM2", "ap-guangzhou-open-2 S5.MEDIUM2"});

    // Two zone filters AND: only what both accept.
    OfferQuery both;
    OfferQuery::Narrow(both.zones, {"ap-guangzhou-2", "ap-guangzhou-3"});
    OfferQuery::Narrow(both.zones, {"ap-guangzhou-3", "ap-guangzhou-4"});
    CHECK(*both.zones == OfferQuery::Values{"ap-guangzhou-3"});
    OfferQuery::Narrow(both.zones, {"ap-guangzhou-2"});
    CHECK(catalog().FindOffers("ap-guangzhou", both).empty());

    OfferQuery unknown;
    OfferQuery::Narrow(unknown.families, {"ZZ9"});
    CHECK(catalog().FindOffers("ap-guangzhou", unknown).empty());
    OfferQuery mismatch;  // a type and a family it is not of
    OfferQuery::Narrow(mismatch.families, {"S2"});
    OfferQuery::Narrow(mismatch.types, {"S1.SMALL1"});
    CHECK(catalog().FindOffers("ap-guangzhou", mismatch).empty());
    // Zones of another region are never visited.
    OfferQuery foreign;
    OfferQuery::Narrow(foreign.zones, {"ap-shanghai-1"});
    CHECK(catalog().FindOffers("ap-guangzhou", foreign).empty());
  }

  TEST_CASE("Catalog offers: the indexed FindOffers agrees with a walk over every offer, for every region and many queries") {
    std::vector<std::vector<std::string>> zones = {{}, {"ap-guangzhou-2"}, {"ap-guangzhou-open-1", "ap-guangzhou-3"},
                                                   {"ap-beijing-5", "ap-beijing-1"}, {"ap-guangzhou-1"}};
    std::vector<std::vector<std::string>> families = {{}, {"S1"}, {"S5", "M2", "GN8"}, {"N1"}, {"CDH"}};
    std::vector<std::vector<std::string>> types = {{}, {"S1.SMALL1"}, {"S5.MEDIUM2", "C3.LARGE8", "GN8.LARGE56"},
                                                   {"S9.HUGE"}};
    size_t compared = 0;
    for (const auto& region : catalog().regions()) {
      for (const auto& z : zones) {
        for (const auto& f : families) {
          for (const auto& t : types) {
            OfferQuery q;
            if (!z.empty()) OfferQuery::Narrow(q.zones, z);
            if (!f.empty()) OfferQuery::Narrow(q.families, f);
            if (!t.empty()) OfferQuery::Narrow(q.types, t);
            CHECK(catalog().FindOffers(region.region, q) == Walk(catalog(), region.region, q));
            ++compared;
          }
        }
      }
    }
    CHECK(compared == 19 * 5 * 5 * 4);
  }

  TEST_CASE("Catalog offers: every family an offer has is a listed family") {
    std::set<std::string> families;
    for (const auto& f : catalog().families()) families.insert(f.family);
    for (const SaleOffer& o : catalog().offers()) CHECK(families.count(o.type->family) == 1);
  }

  TEST_CASE("Catalog offers: sale lists naming an unknown zone or type are refused when the catalog loads") {
    CHECK_THROWS_AS(Edited([](nlohmann::json& doc) {
                      doc["zone_instance_types"]["sold_out"]["ap-nowhere-1"] = {"S1.SMALL1"};
                    }),
                    std::runtime_error);
    CHECK_THROWS_AS(Edited([](nlohmann::json& doc) {
                      doc["zone_instance_types"]["exceptions"]["ap-guangzhou-2"] = {"S9.HUGE"};
                    }),
                    std::runtime_error);
    CHECK_THROWS_AS(Edited([](nlohmann::json& doc) { doc["zone_instance_types"].erase("charge_types"); }),
                    std::runtime_error);
  }
}
