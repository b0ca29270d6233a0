// What each zone sells: the offers behind RunInstances' zone check,
// DescribeInstanceTypeConfigs and DescribeZoneInstanceConfigInfos, and the
// indexes that answer their filters.
#include <algorithm>
#include <stdexcept>

#include "state/catalog.h"

namespace cvm::state {
namespace {

std::string Key(std::string_view zone, std::string_view second) {
  std::string key(zone);
  key += '/';
  key += second;
  return key;
}

}  // namespace

void OfferQuery::Narrow(std::optional<Values>& field, const std::vector<std::string>& values) {
  Values given(values.begin(), values.end());
  if (!field) {
    field = std::move(given);
    return;
  }
  Values both;
  for (const std::string& v : *field) {
    if (given.count(v)) both.insert(v);
  }
  field = std::move(both);
}

void Catalog::BuildOffers(
    const std::map<std::string, std::vector<std::string>, std::less<>>& offered,
    const std::map<std::string, std::vector<std::string>, std::less<>>& sold_out) {
  for (const auto& lists : {&offered, &sold_out}) {
    for (const auto& [zone, types] : *lists) {
      if (!FindZone(zone)) {
        throw std::runtime_error("zone_instance_types names an unknown zone " + zone);
      }
      for (const std::string& t : types) {
        if (!FindInstanceType(t)) {
          throw std::runtime_error("zone_instance_types names an unknown type " + t);
        }
      }
    }
  }
  for (const ZoneInfo& zone : zones_) {
    auto listed = offered.find(zone.zone);
    auto out = sold_out.find(zone.zone);
    for (const InstanceTypeInfo& type : types_) {
      auto has = [&](const auto& it, const auto& lists) {
        return it != lists.end() &&
               std::find(it->second.begin(), it->second.end(), type.type) != it->second.end();
      };
      if (listed != offered.end() && !has(listed, offered)) continue;  // every type unless listed
      SaleOffer offer;
      offer.index = offers_.size();
      offer.zone = &zone;
      offer.type = &type;
      offer.selling = zone.state == "AVAILABLE" && !has(out, sold_out);
      offers_by_zone_[zone.zone].push_back(offer.index);
      offers_by_family_[Key(zone.zone, type.family)].push_back(offer.index);
      offer_by_type_[Key(zone.zone, type.type)] = offer.index;
      offers_.push_back(offer);
    }
  }
}

const SaleOffer* Catalog::FindOffer(std::string_view zone, std::string_view type) const {
  auto it = offer_by_type_.find(Key(zone, type));
  return it == offer_by_type_.end() ? nullptr : &offers_[it->second];
}

bool Catalog::ZoneSells(const ZoneInfo& zone, std::string_view type) const {
  const SaleOffer* offer = FindOffer(zone.zone, type);
  return offer && offer->selling;
}

std::vector<const SaleOffer*> Catalog::FindOffers(std::string_view region,
                                                  const OfferQuery& query) const {
  std::vector<size_t> found;
  auto add = [&](const std::vector<size_t>* positions) {
    if (positions) found.insert(found.end(), positions->begin(), positions->end());
  };
  auto lookup = [](const auto& index, const std::string& key) {
    auto it = index.find(key);
    return it == index.end() ? nullptr : &it->second;
  };
  for (const ZoneInfo* zone : ZonesOf(region)) {
    if (query.zones && !query.zones->count(zone->zone)) continue;
    if (query.types) {
      for (const std::string& type : *query.types) {
        if (const size_t* at = lookup(offer_by_type_, Key(zone->zone, type))) found.push_back(*at);
      }
    } else if (query.families) {
      for (const std::string& family : *query.families) {
        add(lookup(offers_by_family_, Key(zone->zone, family)));
      }
    } else {
      add(lookup(offers_by_zone_, zone->zone));
    }
  }
  std::sort(found.begin(), found.end());
  std::vector<const SaleOffer*> out;
  out.reserve(found.size());
  for (size_t i : found) {
    const SaleOffer& offer = offers_[i];
    if (query.families && !query.families->count(offer.type->family)) continue;
    out.push_back(&offer);
  }
  return out;
}

}  // namespace cvm::state
