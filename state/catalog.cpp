#include "state/catalog.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <stdexcept>

extern const std::string_view kEmbeddedCatalog;

namespace cvm::state {

const Catalog& Catalog::Builtin() {
  static const std::unique_ptr<Catalog> catalog = Parse(kEmbeddedCatalog);
  return *catalog;
}

std::unique_ptr<Catalog> Catalog::Parse(std::string_view text) {
  using nlohmann::json;
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
      info.hourly_price = t.value("HourlyPrice", 0.0);
      info.monthly_price = t.value("MonthlyPrice", 0.0);
      for (const auto& d : t.value("LocalDiskTypes", json::array())) {
        info.local_disks.push_back(
            LocalDiskTypeInfo{d.at("Type"), d.at("PartitionType"), d.at("MinSize"), d.at("MaxSize")});
      }
      c->types_.push_back(std::move(info));
    }
    const json& zit = doc.at("zone_instance_types");
    const json exceptions = zit.value("exceptions", json::object());
    for (const auto& [zone, types] : exceptions.items()) {
      c->zone_exceptions_[zone] = types.get<std::vector<std::string>>();
    }
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
  for (const ZoneInfo& z : zones_) {
    if (z.zone == zone) return &z;
  }
  return nullptr;
}

const InstanceTypeInfo* Catalog::FindInstanceType(std::string_view type) const {
  for (const InstanceTypeInfo& t : types_) {
    if (t.type == type) return &t;
  }
  return nullptr;
}

bool Catalog::ZoneSells(const ZoneInfo& zone, std::string_view type) const {
  if (zone.state != "AVAILABLE") return false;
  auto it = zone_exceptions_.find(zone.zone);
  if (it == zone_exceptions_.end()) return FindInstanceType(type) != nullptr;
  return std::find(it->second.begin(), it->second.end(), type) != it->second.end();
}

const PublicImageInfo* Catalog::FindPublicImage(std::string_view image_id) const {
  for (const PublicImageInfo& i : images_) {
    if (i.image_id == image_id) return &i;
  }
  return nullptr;
}

}  // namespace cvm::state
