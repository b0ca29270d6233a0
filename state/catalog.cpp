#include "state/catalog.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <stdexcept>

extern const std::string_view kEmbeddedCatalog;

namespace cvm::state {
namespace {

using nlohmann::json;

Money MoneyField(const json& object, const char* key) {
  std::optional<Money> m = Money::ParseYuan(object.at(key).get<std::string>());
  if (!m) throw std::runtime_error(std::string(key) + " is not an amount like \"0.34\"");
  return *m;
}

Rate RateField(const json& object, const char* key) {
  std::optional<Rate> r = Rate::ParseYuan(object.at(key).get<std::string>());
  if (!r) throw std::runtime_error(std::string(key) + " is not a rate like \"0.0004\"");
  return *r;
}

std::vector<BandwidthTier> Tiers(const json& list, const char* key) {
  std::vector<BandwidthTier> tiers;
  for (const json& t : list) {
    BandwidthTier tier{std::nullopt, RateField(t, "Price")};
    if (t.contains("UpToMbps")) tier.up_to_mbps = t.at("UpToMbps").get<int64_t>();
    if (!tiers.empty()) {
      const std::optional<int64_t>& before = tiers.back().up_to_mbps;
      if (!before || (tier.up_to_mbps && *tier.up_to_mbps <= *before)) {
        throw std::runtime_error(std::string(key) + ": tier bounds must rise");
      }
    }
    tiers.push_back(tier);
  }
  if (tiers.empty() || tiers.back().up_to_mbps) {
    throw std::runtime_error(std::string(key) + ": the last tier must have no UpToMbps");
  }
  return tiers;
}

PriceTable ParsePrices(const json& p) {
  PriceTable table;
  table.system_disk_included_gb = p.at("SystemDiskIncludedGB").get<int64_t>();
  for (const auto& [name, rate] : p.at("DiskPerGB").items()) {
    std::optional<DiskType> type = ParseName<DiskType>(name);
    if (!type) throw std::runtime_error("DiskPerGB: " + name + " is not a disk type");
    table.disk_per_gb[*type] = DiskRate{RateField(rate, "Hourly"), RateField(rate, "Monthly")};
  }
  table.traffic_per_gb = RateField(p, "TrafficPerGB");
  table.bandwidth_per_mbps_hour = Tiers(p.at("BandwidthPerMbpsHour"), "BandwidthPerMbpsHour");
  table.bandwidth_per_mbps_month = Tiers(p.at("BandwidthPerMbpsMonth"), "BandwidthPerMbpsMonth");
  for (const json& d : p.at("PrepaidDiscounts")) {
    PrepaidDiscount discount{d.at("FromMonths").get<int64_t>(), d.at("Percent").get<int64_t>()};
    const PrepaidDiscount* last =
        table.prepaid_discounts.empty() ? nullptr : &table.prepaid_discounts.back();
    bool periods_rise = last ? discount.from_months > last->from_months : discount.from_months == 1;
    bool percents_fall = discount.percent >= 1 && discount.percent <= (last ? last->percent : 100);
    if (!periods_rise || !percents_fall) {
      throw std::runtime_error(
          "PrepaidDiscounts: from 1 month, periods rising, percents 1..100 never rising");
    }
    table.prepaid_discounts.push_back(discount);
  }
  return table;
}

}  // namespace

const Catalog& Catalog::Builtin() {
  static const std::unique_ptr<Catalog> catalog = Parse(kEmbeddedCatalog);
  return *catalog;
}

std::unique_ptr<Catalog> Catalog::Parse(std::string_view text) {
  std::unique_ptr<Catalog> c(new Catalog());
  try {
    json doc = json::parse(text);
    for (const auto& r : doc.at("regions")) {
      c->regions_.push_back(RegionInfo{r.at("Region"), r.at("RegionName"), r.at("RegionState"),
                                       r.value("Finance", false), r.value("Overseas", false)});
    }
    for (const auto& z : doc.at("zones")) {
      c->zones_.push_back(
          ZoneInfo{z.at("Region"), z.at("Zone"), z.at("ZoneId"), z.at("ZoneName"), z.at("ZoneState")});
    }
    for (const auto& f : doc.at("instance_families")) {
      c->families_.push_back(InstanceFamilyInfo{f.at("InstanceFamily"), f.at("InstanceFamilyName")});
    }
    for (const auto& t : doc.at("instance_types")) {
      InstanceTypeInfo info;
      info.type = t.at("InstanceType");
      info.family = t.at("InstanceFamily");
      info.type_name = t.value("TypeName", info.family);
      info.cpu = t.at("CPU");
      info.memory = t.at("Memory");
      info.gpu = t.value("GPU", 0);
      info.fpga = t.value("FPGA", 0);
      info.network_card = t.value("NetworkCard", 0);
      info.max_bandwidth_out = t.value("MaxBandwidthOut", 100);
      info.hourly_price = MoneyField(t, "HourlyPrice");
      info.monthly_price = MoneyField(t, "MonthlyPrice");
      for (const auto& d : t.value("LocalDiskTypes", json::array())) {
        info.local_disks.push_back(
            LocalDiskTypeInfo{d.at("Type"), d.at("PartitionType"), d.at("MinSize"), d.at("MaxSize")});
      }
      c->types_.push_back(std::move(info));
    }
    for (const ZoneInfo& z : c->zones_) c->zone_index_[z.zone] = &z;
    for (const InstanceTypeInfo& t : c->types_) c->type_index_[t.type] = &t;
    const json& zit = doc.at("zone_instance_types");
    for (const std::string& name : zit.at("charge_types").get<std::vector<std::string>>()) {
      std::optional<ChargeType> charge = ParseName<ChargeType>(name);
      if (!charge) throw std::runtime_error("charge_types: " + name + " is not a charge type");
      c->sale_charge_types_.push_back(*charge);
    }
    std::map<std::string, std::vector<std::string>, std::less<>> offered, sold_out;
    const json exceptions = zit.value("exceptions", json::object());
    for (const auto& [zone, types] : exceptions.items()) {
      offered[zone] = types.get<std::vector<std::string>>();
    }
    const json out = zit.value("sold_out", json::object());
    for (const auto& [zone, types] : out.items()) sold_out[zone] = types.get<std::vector<std::string>>();
    c->BuildOffers(offered, sold_out);
    c->prices_ = ParsePrices(doc.at("prices"));
    for (const auto& i : doc.at("public_images")) {
      PublicImageInfo img;
      img.image_id = i.at("ImageId");
      img.os_name = i.at("OsName");
      img.image_name = i.at("ImageName");
      img.description = i.value("ImageDescription", "");
      img.platform = i.at("Platform");
      img.os_type = i.at("OsType");
      img.architecture = i.at("Architecture");
      img.image_size = i.at("ImageSize");
      img.cloud_init = i.value("IsSupportCloudinit", false);
      img.created_time = i.at("CreatedTime");
      c->images_.push_back(std::move(img));
    }
    const json& os = doc.at("import_image_os");
    c->import_windows_ = os.at("ImportImageOsListSupported").at("Windows").get<std::vector<std::string>>();
    c->import_linux_ = os.at("ImportImageOsListSupported").at("Linux").get<std::vector<std::string>>();
    for (const auto& v : os.at("ImportImageOsVersionSet")) {
      c->import_versions_.push_back(ImportOsVersion{v.at("OsName"),
                                                    v.at("OsVersions").get<std::vector<std::string>>(),
                                                    v.at("Architecture").get<std::vector<std::string>>()});
    }
    for (const auto& t : doc.at("internet_charge_types")) {
      c->charge_types_.push_back(InternetChargeTypeInfo{t.at("InternetChargeType"), t.at("Description")});
    }
  } catch (const nlohmann::json::exception& e) {
    throw std::runtime_error(std::string("malformed catalog: ") + e.what());
  }
  return c;
}

const RegionInfo* Catalog::FindRegion(std::string_view region) const {
  for (const RegionInfo& r : regions_) {
    if (r.region == region) return &r;
  }
  return nullptr;
}

std::vector<const ZoneInfo*> Catalog::ZonesOf(std::string_view region) const {
  std::vector<const ZoneInfo*> out;
  for (const ZoneInfo& z : zones_) {
    if (z.region == region) out.push_back(&z);
  }
  return out;
}

const ZoneInfo* Catalog::FindZone(std::string_view zone) const {
  auto it = zone_index_.find(zone);
  return it == zone_index_.end() ? nullptr : it->second;
}

const InstanceTypeInfo* Catalog::FindInstanceType(std::string_view type) const {
  auto it = type_index_.find(type);
  return it == type_index_.end() ? nullptr : it->second;
}

const PublicImageInfo* Catalog::FindPublicImage(std::string_view image_id) const {
  for (const PublicImageInfo& i : images_) {
    if (i.image_id == image_id) return &i;
  }
  return nullptr;
}

}  // namespace cvm::state
