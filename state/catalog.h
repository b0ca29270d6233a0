// The seeded, read-only world every account sees: regions, zones, instance
// families and types, public images, importable operating systems and network
// charge types. Loaded from the embedded state/catalog.json (see CATALOG.md).
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <typeindex>
#include <vector>

namespace cvm::state {

struct RegionInfo {
  std::string region, name, state;
  bool finance = false;
  bool overseas = false;  // outside the Chinese mainland (RST-3)
};

struct ZoneInfo {
  std::string region, zone, zone_id, name, state;
};

struct InstanceFamilyInfo {
  std::string family, name;
};

struct LocalDiskTypeInfo {
  std::string type, partition_type;
  int64_t min_size = 0, max_size = 0;
};

struct InstanceTypeInfo {
  std::string type, family, type_name;
  int64_t cpu = 0, memory = 0, gpu = 0, fpga = 0, network_card = 0, max_bandwidth_out = 0;
  double hourly_price = 0, monthly_price = 0;
  std::vector<LocalDiskTypeInfo> local_disks;
};

struct PublicImageInfo {
  std::string image_id, os_name, image_name, description, platform, os_type, architecture,
      created_time;
  int64_t image_size = 0;
  bool cloud_init = false;
  bool windows() const { return os_type == "windows"; }
};

struct ImportOsVersion {
  std::string os_name;
  std::vector<std::string> versions, architectures;
};

struct InternetChargeTypeInfo {
  std::string type, description;
};

class Catalog {
 public:
  // The catalog compiled into this binary, parsed on first use.
  static const Catalog& Builtin();
  // Throws std::runtime_error on malformed text.
  static std::unique_ptr<Catalog> Parse(std::string_view text);

  const std::vector<RegionInfo>& regions() const { return regions_; }
  const RegionInfo* FindRegion(std::string_view region) const;

  // Zones of `region`, in catalog order.
  std::vector<const ZoneInfo*> ZonesOf(std::string_view region) const;
  const ZoneInfo* FindZone(std::string_view zone) const;

  const std::vector<InstanceFamilyInfo>& families() const { return families_; }
  const std::vector<InstanceTypeInfo>& instance_types() const { return types_; }
  const InstanceTypeInfo* FindInstanceType(std::string_view type) const;
  // True iff `zone` is AVAILABLE and sells `type`.
  bool ZoneSells(const ZoneInfo& zone, std::string_view type) const;

  const std::vector<PublicImageInfo>& public_images() const { return images_; }
  const PublicImageInfo* FindPublicImage(std::string_view image_id) const;

  const std::vector<std::string>& importable_windows() const { return import_windows_; }
  const std::vector<std::string>& importable_linux() const { return import_linux_; }
  const std::vector<ImportOsVersion>& import_versions() const { return import_versions_; }
  const std::vector<InternetChargeTypeInfo>& internet_charge_types() const {
    return charge_types_;
  }

  // A value another layer derives from this catalog (pre-rendered answers),
  // made as T(*this) on first use and kept as long as the catalog lives: one
  // per type T. Thread-safe.
  template <typename T>
  const T& Derived() const {
    std::lock_guard<std::mutex> lock(derived_mutex_);
    std::shared_ptr<const void>& slot = derived_[std::type_index(typeid(T))];
    if (!slot) slot = std::make_shared<const T>(*this);
    return *static_cast<const T*>(slot.get());
  }

  Catalog(const Catalog&) = delete;
  Catalog& operator=(const Catalog&) = delete;

 private:
  Catalog() = default;

  std::vector<RegionInfo> regions_;
  std::vector<ZoneInfo> zones_;
  std::vector<InstanceFamilyInfo> families_;
  std::vector<InstanceTypeInfo> types_;
  std::map<std::string, std::vector<std::string>, std::less<>> zone_exceptions_;
  std::vector<PublicImageInfo> images_;
  std::vector<std::string> import_windows_, import_linux_;
  std::vector<ImportOsVersion> import_versions_;
  std::vector<InternetChargeTypeInfo> charge_types_;
  mutable std::mutex derived_mutex_;
  mutable std::map<std::type_index, std::shared_ptr<const void>> derived_;
};

}  // namespace cvm::state
