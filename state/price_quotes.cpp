#include "state/price_quotes.h"

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

}  // namespace cvm::state
