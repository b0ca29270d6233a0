// ResetInstancesInternetMaxBandwidth beside the instance and bandwidth
// stores: the request as given, its Plan (every check), its Apply, and the
// price its inquiry shows (D-132, D-180..D-182). Pay-as-you-go bandwidth
// (TRAFFIC_POSTPAID_BY_HOUR, BANDWIDTH_POSTPAID_BY_HOUR, BANDWIDTH_PACKAGE)
// changes at once; BANDWIDTH_PREPAID bandwidth is raised for a period of
// calendar days (UTC+8) and returns to the instance's own afterwards.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "schema/errors.h"
#include "state/bandwidth_configs.h"
#include "state/catalog.h"
#include "state/database.h"
#include "state/instance.h"
#include "state/price_engine.h"
#include "state/scope.h"

namespace cvm::state {

// "YYYY-MM-DD" read as a calendar day in UTC+8: the instant it starts
// (00:00:00+08:00). nullopt for text that is not such a date (2024-02-30).
std::optional<TimeMs> BeijingDayStart(std::string_view date);
// The start of the UTC+8 calendar day that holds `t`.
TimeMs BeijingDayStartOf(TimeMs t);

// ResetInstancesInternetMaxBandwidth's parameters, read but not yet checked.
struct ResetBandwidthRequest {
  std::vector<std::string> instance_ids;
  int64_t bandwidth_out = 0;  // InternetAccessible.InternetMaxBandwidthOut
  // The other members of InternetAccessible, when given: they may only say
  // what the instances already have.
  std::optional<InternetChargeType> internet_charge_type;
  std::optional<bool> public_ip_assigned;
  std::optional<std::string> start_time, end_time;  // YYYY-MM-DD, UTC+8
};

// What the change writes.
struct ResetBandwidthChange {
  InternetChargeType internet_charge_type = InternetChargeType::kTrafficPostpaidByHour;
  std::vector<Instance> instances;  // as they are now
  int64_t bandwidth_out = 0;        // the new bandwidth
  // BANDWIDTH_PREPAID: the configuration recorded for the one instance, and
  // the calendar days StartTime..EndTime it is bought for. Otherwise every
  // instance's own bandwidth becomes `bandwidth_out` now.
  std::optional<BandwidthConfig> scheduled;
  int64_t days = 0;
};

// Checks, in order (D-181): the dates parse; the instances exist; each is
// of a kind whose bandwidth can change (InvalidInstance.NotSupported: on a
// dedicated host, bandwidth BANDWIDTH_POSTPAID_BY_MONTH, no public IP) and
// not SHUTDOWN or TERMINATING; one charge type in the batch, and one
// instance for BANDWIDTH_PREPAID and BANDWIDTH_POSTPAID_BY_HOUR
// (InvalidParameterCombination); StartTime and EndTime exactly for
// BANDWIDTH_PREPAID (MissingParameter, InvalidParameter); InternetAccessible
// asks for nothing but the bandwidth (InvalidParameter); the type's
// maximum, and for BANDWIDTH_PREPAID only upwards
// (InvalidParameterValue.Range); the dates: calendar dates, StartTime not
// before today, EndTime not before StartTime nor after ExpiredTime, no
// overlap with a configuration already recorded (InvalidParameterValue).
Result<ResetBandwidthChange> PlanResetBandwidth(const Scope& scope,
                                                const ResetBandwidthRequest& request,
                                                std::string_view action);
void ApplyResetBandwidth(const Scope& scope, const ResetBandwidthChange& change);

// The BandwidthPrice of the change (its inquiry has no InstancePrice), or
// nullopt when there is none (BANDWIDTH_PACKAGE, 0 Mbps). Pay-as-you-go: the
// new bandwidth's price (per GB of traffic, or per hour for all the
// instances). BANDWIDTH_PREPAID: the monthly price of the new bandwidth less
// that of the instance's own, for change.days days of 30 a month, rounded
// half up to a fen (D-182).
Result<std::optional<ItemPrice>> PriceResetBandwidth(const Catalog& catalog,
                                                     const ResetBandwidthChange& change);

// Sets each instance's bandwidth_out to the bandwidth in force at `now`
// (a recorded configuration's, else its own), as DescribeInstances shows it.
void ObserveBandwidth(Database& db, std::vector<Instance>& instances, TimeMs now);

}  // namespace cvm::state
