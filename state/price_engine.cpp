#include "state/price_engine.h"

#include <algorithm>

namespace cvm::state {
namespace {

// What `mbps` cost under `tiers`, each Mbps at the price of its tier.
Rate Tiered(const std::vector<BandwidthTier>& tiers, int64_t mbps) {
  Rate total;
  int64_t priced = 0;
  for (const BandwidthTier& t : tiers) {
    int64_t upto = t.up_to_mbps ? std::min(*t.up_to_mbps, mbps) : mbps;
    if (upto > priced) total += t.per_mbps * (upto - priced);
    priced = std::max(priced, upto);
  }
  return total;
}

// A prepaid item: one instance's month, for the period, discounted, times count.
ItemPrice PrepaidItem(const PriceTable& table, Rate month, const PriceInput& in) {
  Money original = month.RoundToFen() * in.period_months;
  Money discounted = original.Percent(table.DiscountPercent(in.period_months));
  return ItemPrice::Prepaid(original * in.count, discounted * in.count);
}

// One instance's disks beyond what its type's price covers, per hour and per month.
struct DiskCost {
  Rate hourly, monthly;
};

Result<DiskCost> DisksCost(const PriceTable& table, const PriceInput& in) {
  DiskCost cost;
  auto add = [&](const DiskSpec& disk, int64_t included_gb, const char* path) -> Status {
    const DiskRate* rate = table.FindDisk(disk.type);
    if (!rate) {
      return ApiError::Make(errors::kInvalidParameterValue, path,
                            "the price table has no rate for " + std::string(NameOf(disk.type)));
    }
    int64_t gb = std::max<int64_t>(0, disk.size_gb - included_gb);
    cost.hourly += rate->hourly_per_gb * gb;
    cost.monthly += rate->monthly_per_gb * gb;
    return Status::Ok();
  };
  CVM_RETURN_IF_ERROR(add(in.system_disk, table.system_disk_included_gb, "SystemDisk.DiskType"));
  for (const DiskSpec& d : in.data_disks) CVM_RETURN_IF_ERROR(add(d, 0, "DataDisks.DiskType"));
  return cost;
}

}  // namespace

const char* ChargeUnitName(ChargeUnit unit) { return unit == ChargeUnit::kHour ? "HOUR" : "GB"; }

ItemPrice ItemPrice::PerUnit(Money unit_price, ChargeUnit unit) {
  ItemPrice p;
  p.unit_price = unit_price;
  p.charge_unit = unit;
  return p;
}

ItemPrice ItemPrice::Prepaid(Money original, Money discounted) {
  ItemPrice p;
  p.original_price = original;
  p.discount_price = discounted;
  return p;
}

Result<ItemPrice> PriceInstances(const Catalog& catalog, const PriceInput& in) {
  const InstanceTypeInfo* type = catalog.FindInstanceType(in.instance_type);
  if (!type) {
    return ApiError::Make(errors::kInvalidParameterValue, "InstanceType",
                          "the price table has no instance type " + in.instance_type);
  }
  const PriceTable& table = catalog.prices();
  CVM_ASSIGN_OR_RETURN(DiskCost disks, DisksCost(table, in));
  if (in.instance_charge_type == ChargeType::kPostpaidByHour) {
    Money hour = (Rate::Of(type->hourly_price) + disks.hourly).RoundToFen();
    return ItemPrice::PerUnit(hour * in.count, ChargeUnit::kHour);
  }
  if (in.instance_charge_type == ChargeType::kPrepaid) {
    if (in.period_months < 1) {
      return ApiError::Make(errors::kInvalidParameterValue, "InstanceChargePrepaid.Period",
                            "a prepaid period is at least one month");
    }
    return PrepaidItem(table, Rate::Of(type->monthly_price) + disks.monthly, in);
  }
  return ApiError::Make(errors::kInvalidParameterValue, "InstanceChargeType",
                        std::string(NameOf(in.instance_charge_type)) + " instances are not priced");
}

Result<std::optional<ItemPrice>> PriceBandwidth(const Catalog& catalog, const PriceInput& in) {
  using I = InternetChargeType;
  const PriceTable& table = catalog.prices();
  const I charge = in.internet_charge_type;
  if (charge == I::kBandwidthPostpaidByMonth) {
    return ApiError::Make(errors::kInvalidParameterValue, "InternetAccessible.InternetChargeType",
                          "BANDWIDTH_POSTPAID_BY_MONTH bandwidth cannot be bought");
  }
  if (in.bandwidth_mbps <= 0 || charge == I::kBandwidthPackage) return std::optional<ItemPrice>();
  if (charge == I::kTrafficPostpaidByHour) {
    return std::optional<ItemPrice>(
        ItemPrice::PerUnit(table.traffic_per_gb.RoundToFen() * in.count, ChargeUnit::kGb));
  }
  if (charge == I::kBandwidthPostpaidByHour) {
    Money hour = Tiered(table.bandwidth_per_mbps_hour, in.bandwidth_mbps).RoundToFen();
    return std::optional<ItemPrice>(ItemPrice::PerUnit(hour * in.count, ChargeUnit::kHour));
  }
  if (in.period_months < 1) {
    return ApiError::Make(errors::kInvalidParameterValue, "InstanceChargePrepaid.Period",
                          "a prepaid period is at least one month");
  }
  return std::optional<ItemPrice>(
      PrepaidItem(table, Tiered(table.bandwidth_per_mbps_month, in.bandwidth_mbps), in));
}

Result<Price> PriceOf(const Catalog& catalog, const PriceInput& in) {
  Price price;
  CVM_ASSIGN_OR_RETURN(price.instance, PriceInstances(catalog, in));
  CVM_ASSIGN_OR_RETURN(price.bandwidth, PriceBandwidth(catalog, in));
  return price;
}

ItemPrice Difference(const ItemPrice& after, const ItemPrice& before) {
  auto less = [](const std::optional<Money>& a,
                 const std::optional<Money>& b) -> std::optional<Money> {
    if (!a) return std::nullopt;
    return std::max(Money(), *a - b.value_or(Money()));
  };
  ItemPrice d = after;
  d.unit_price = less(after.unit_price, before.unit_price);
  d.original_price = less(after.original_price, before.original_price);
  d.discount_price = less(after.discount_price, before.discount_price);
  return d;
}

}  // namespace cvm::state
