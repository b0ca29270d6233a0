#include "state/price_quotes.h"

#include "state/instance_rules.h"

namespace cvm::state {
namespace {

DiskSpec SpecOf(const Disk& disk) { return DiskSpec{disk.type, disk.size_gb}; }

}  // namespace

PriceInput InstancePriceInput(const Instance& instance, int64_t period_months) {
  PriceInput in;
  in.zone = instance.zone;
  in.instance_type = instance.instance_type;
  in.instance_charge_type = instance.charge_type == ChargeType::kSpotPaid
                                ? ChargeType::kPostpaidByHour
                                : instance.charge_type;
  in.period_months = period_months;
  in.system_disk = SpecOf(instance.system_disk);
  for (const Disk& d : instance.data_disks) in.data_disks.push_back(SpecOf(d));
  in.internet_charge_type =
      instance.internet_charge_type.value_or(InternetChargeType::kTrafficPostpaidByHour);
  in.bandwidth_mbps = instance.public_ip ? instance.bandwidth_out : 0;
  return in;
}

Result<Price> QuoteLaunch(const Catalog& catalog, const LaunchChange& change) {
  PriceInput in = InstancePriceInput(change.prototype, change.period_months.value_or(1));
  in.bandwidth_mbps = change.public_ip ? change.prototype.bandwidth_out : 0;
  in.count = change.count();
  return PriceOf(catalog, in);
}

int64_t RemainingMonths(TimeMs now, TimeMs expired_at) {
  int64_t months = 1;
  while (AddMonths(now, months) < expired_at) ++months;
  return months;
}

Result<Price> QuoteChange(const Catalog& catalog, const Instance& before, const Instance& after,
                          TimeMs now) {
  int64_t months = 1;
  if (before.charge_type == ChargeType::kPrepaid) {
    std::optional<TimeMs> expired_at = ObserveBilling(before, now).expired_at;
    if (expired_at) months = RemainingMonths(now, *expired_at);
  }
  CVM_ASSIGN_OR_RETURN(ItemPrice was, PriceInstances(catalog, InstancePriceInput(before, months)));
  CVM_ASSIGN_OR_RETURN(ItemPrice will, PriceInstances(catalog, InstancePriceInput(after, months)));
  return Price{Difference(will, was), std::nullopt};
}

}  // namespace cvm::state
