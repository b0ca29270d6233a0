// The seeded, read-only world every account sees: regions, zones, instance
// families and types, what each zone sells, prices, public images,
// importable operating systems and network charge types. Loaded from the
// embedded state/catalog.json (see CATALOG.md).
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <typeindex>
#include <unordered_map>
#include <vector>

#include "state/enums.h"
#include "state/money.h"
#include "state/price_table.h"

namespace cvm::state {

struct RegionInfo {
  std::string region, name, state;
  bool finance = false;
  bool overseas = false;  // outside the Chinese mainland (the document's ResetInstance description)
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
  Money hourly_price, monthly_price;  // POSTPAID_BY_HOUR per hour; PREPAID per month
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

// An instance type a zone offers: a row of DescribeInstanceTypeConfigs, and
// one row per sale charge type of DescribeZoneInstanceConfigInfos.
struct SaleOffer {
  size_t index = 0;  // its position in Catalog::offers(), for caches kept beside them
  const ZoneInfo* zone = nullptr;
  const InstanceTypeInfo* type = nullptr;
  bool selling = false;  // SELL; otherwise listed SOLD_OUT, and not for sale
};

// The zone, instance-family and instance-type filters of the catalog
// Describe actions. nullopt accepts anything, else the values in the set.
struct OfferQuery {
  using Values = std::set<std::string, std::less<>>;
  std::optional<Values> zones, families, types;

  // One more filter on `field`: values OR within it, filters AND, so the
  // accepted values become those also in `values`.
  static void Narrow(std::optional<Values>& field, const std::vector<std::string>& values);
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

  // Every offer, grouped by zone (catalog order), then by type (catalog order).
  const std::vector<SaleOffer>& offers() const { return offers_; }
  // The offer of `type` in `zone`, SELL or SOLD_OUT, or nullptr when the zone
  // does not list the type.
  const SaleOffer* FindOffer(std::string_view zone, std::string_view type) const;
  // True iff `zone` sells `type` now: its offer is SELL. The one rule both
  // RunInstances and DescribeZoneInstanceConfigInfos follow; an UNAVAILABLE
  // zone sells nothing.
  bool ZoneSells(const ZoneInfo& zone, std::string_view type) const;
  // The offers of `region` that pass `query`, in offers() order. Visits only
  // the zones, families and types the query names (indexes by zone, zone and
  // family, zone and type), so a narrow query stays cheap.
  std::vector<const SaleOffer*> FindOffers(std::string_view region, const OfferQuery& query) const;
  // The instance charge types every offer is sold under (PREPAID,
  // POSTPAID_BY_HOUR).
  const std::vector<ChargeType>& sale_charge_types() const { return sale_charge_types_; }
  const PriceTable& prices() const { return prices_; }

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
  // Builds offers_ and its indexes from zones_, types_ and the sale lists.
  void BuildOffers(const std::map<std::string, std::vector<std::string>, std::less<>>& offered,
                   const std::map<std::string, std::vector<std::string>, std::less<>>& sold_out);

  std::vector<RegionInfo> regions_;
  std::vector<ZoneInfo> zones_;
  std::vector<InstanceFamilyInfo> families_;
  std::vector<InstanceTypeInfo> types_;
  std::unordered_map<std::string_view, const ZoneInfo*> zone_index_;
  std::unordered_map<std::string_view, const InstanceTypeInfo*> type_index_;
  std::vector<ChargeType> sale_charge_types_;
  std::vector<SaleOffer> offers_;
  // Offer positions by zone, by zone + "/" + family, by zone + "/" + type.
  std::unordered_map<std::string, std::vector<size_t>> offers_by_zone_, offers_by_family_;
  std::unordered_map<std::string, size_t> offer_by_type_;
  PriceTable prices_;
  std::vector<PublicImageInfo> images_;
  std::vector<std::string> import_windows_, import_linux_;
  std::vector<ImportOsVersion> import_versions_;
  std::vector<InternetChargeTypeInfo> charge_types_;

  mutable std::mutex derived_mutex_;
  mutable std::map<std::type_index, std::shared_ptr<const void>> derived_;
};

}  // namespace cvm::state
