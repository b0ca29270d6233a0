#include "state/bandwidth_service.h"

#include <algorithm>
#include <charconv>
#include <tuple>

#include "state/bandwidth_config_store.h"
#include "state/billing_service.h"
#include "state/instance_rules.h"
#include "state/instance_service.h"
#include "state/instance_store.h"

namespace cvm::state {
namespace {

constexpr TimeMs kDay = 86'400'000;
constexpr TimeMs kUtc8 = 8 * 3'600'000;

using IC = InternetChargeType;

std::string Name(IC charge) { return std::string(NameOf(charge)); }

// "YYYY-MM-DD" of the UTC+8 day that holds `t`.
std::string BeijingDate(TimeMs t) { return FormatIso8601((t + kUtc8) / 1000).substr(0, 10); }

// The kinds of instance whose bandwidth this action cannot change.
Status CheckChangeable(const Instance& in) {
  CVM_RETURN_IF_ERROR(CheckNotOnHost(in));
  auto refuse = [&](const std::string& why) {
    return ApiError::Make(errors::kInvalidInstanceNotSupported, in.instance_id, why);
  };
  if (!in.internet_charge_type) return refuse("it has no public network");
  if (*in.internet_charge_type == IC::kBandwidthPostpaidByMonth) {
    return refuse("BANDWIDTH_POSTPAID_BY_MONTH bandwidth cannot be changed");
  }
  if (!in.public_ip) return refuse("it has no public IP, so it has no public bandwidth to change");
  return Status::Ok();
}

// The batch's one charge type (a batch that mixes charge types is refused),
// and a single instance for the two types changed one instance at a time.
Result<IC> CommonChargeType(const std::vector<Instance>& instances) {
  IC charge = *instances.front().internet_charge_type;
  for (const Instance& in : instances) {
    if (*in.internet_charge_type != charge) {
      return ApiError::Make(
          errors::kInvalidParameterCombination,
          "InstanceIds with " + Name(charge) + " bandwidth (" + instances.front().instance_id + ")",
          "instances with " + Name(*in.internet_charge_type) + " bandwidth (" + in.instance_id +
              ") in one request");
    }
  }
  bool one_only = charge == IC::kBandwidthPrepaid || charge == IC::kBandwidthPostpaidByHour;
  if (one_only && instances.size() > 1) {
    return ApiError::Make(errors::kInvalidParameterCombination,
                          "InstanceIds of " + std::to_string(instances.size()) + " instances",
                          Name(charge) + " bandwidth (changed one instance at a time)");
  }
  return charge;
}

// StartTime and EndTime exactly for prepaid bandwidth; InternetAccessible
// says nothing but the bandwidth.
Status CheckParameters(const ResetBandwidthRequest& r, const Instance& first, IC charge) {
  if (charge == IC::kBandwidthPrepaid) {
    if (!r.start_time) return ApiError::Make(errors::kMissingParameter, "StartTime");
    if (!r.end_time) return ApiError::Make(errors::kMissingParameter, "EndTime");
  } else if (r.start_time || r.end_time) {
    return ApiError::Make(errors::kInvalidParameter,
                          std::string(r.start_time ? "StartTime" : "EndTime") +
                              " is only for BANDWIDTH_PREPAID bandwidth; " + Name(charge) +
                              " bandwidth changes at once");
  }
  if (r.internet_charge_type && *r.internet_charge_type != charge) {
    return ApiError::Make(errors::kInvalidParameter,
                          "InternetAccessible.InternetChargeType cannot be changed here (the "
                          "bandwidth is " +
                              Name(charge) + "); only InternetMaxBandwidthOut is");
  }
  if (r.public_ip_assigned && !*r.public_ip_assigned) {
    return ApiError::Make(errors::kInvalidParameter,
                          "InternetAccessible.PublicIpAssigned cannot be changed here (" +
                              first.instance_id +
                              " has a public IP); only "
                              "InternetMaxBandwidthOut is");
  }
  return Status::Ok();
}

// Within the type's maximum; prepaid bandwidth only goes up.
Status CheckBandwidth(const Scope& scope, const std::vector<Instance>& instances, IC charge,
                      int64_t bandwidth) {
  const char* path = "InternetAccessible.InternetMaxBandwidthOut";
  for (const Instance& in : instances) {
    const InstanceTypeInfo* type = scope.catalog.FindInstanceType(in.instance_type);
    if (type && bandwidth > type->max_bandwidth_out) {
      return ApiError::Make(errors::kInvalidParameterValueRange, path,
                            in.instance_type + " allows at most " +
                                std::to_string(type->max_bandwidth_out) + " Mbps (" +
                                in.instance_id + ")");
    }
    if (charge == IC::kBandwidthPrepaid && bandwidth <= in.bandwidth_out) {
      return ApiError::Make(errors::kInvalidParameterValueRange, path,
                            "BANDWIDTH_PREPAID bandwidth can only be raised: it must be above " +
                                std::to_string(in.bandwidth_out) + " Mbps (" + in.instance_id +
                                ")");
    }
  }
  return Status::Ok();
}

// StartTime and EndTime as calendar days (UTC+8), when given.
struct Days {
  std::optional<TimeMs> first, last;  // the instants they start
};

Result<Days> ParseDays(const ResetBandwidthRequest& r) {
  Days days;
  for (auto [text, day, path] : {std::tuple(&r.start_time, &days.first, "StartTime"),
                                 std::tuple(&r.end_time, &days.last, "EndTime")}) {
    if (!*text) continue;
    *day = BeijingDayStart(**text);
    if (!*day) {
      return ApiError::Make(errors::kInvalidParameterValue, path,
                            "`" + **text + "` is not a calendar date YYYY-MM-DD");
    }
  }
  if (days.first && days.last && *days.last < *days.first) {
    return ApiError::Make(errors::kInvalidParameterValue, "EndTime",
                          "it must not be before StartTime");
  }
  return days;
}

// The period of a prepaid raise: calendar days in UTC+8 from StartTime to
// EndTime inclusive, from now at the earliest, to ExpiredTime at the latest,
// over no configuration recorded before (D-180).
Status PlanPeriod(const Scope& scope, const Days& days, const Instance& in,
                  ResetBandwidthChange& change) {
  auto bad = [](const char* path, const std::string& why) {
    return ApiError::Make(errors::kInvalidParameterValue, path, why);
  };
  if (*days.first < BeijingDayStartOf(scope.now)) {
    return bad("StartTime", "it must not be before today, " + BeijingDate(scope.now) + " (UTC+8)");
  }
  std::optional<TimeMs> expired = ObserveBilling(in, scope.now).expired_at;
  BandwidthConfig c;
  c.start = std::max(*days.first, scope.now);
  c.end = *days.last + kDay;
  if (expired) {
    if (*days.last > BeijingDayStartOf(*expired) || *expired <= c.start) {
      return bad("EndTime", "it must not be after the instance's ExpiredTime, " +
                                FormatIso8601(*expired / 1000) + " (" + BeijingDate(*expired) +
                                " in UTC+8)");
    }
    c.end = std::min(*c.end, *expired);
  }
  for (const BandwidthConfig& old : BandwidthConfigStore(scope.db).ForInstance(in.rowid)) {
    if (old.start < *c.end && (!old.end || c.start < *old.end)) {
      return bad("StartTime", "the period overlaps the bandwidth of " +
                                  std::to_string(old.bandwidth_out) + " Mbps already set from " +
                                  FormatIso8601(old.start / 1000) + " to " +
                                  (old.end ? FormatIso8601(*old.end / 1000) : "its end"));
    }
  }
  c.internet_charge_type = IC::kBandwidthPrepaid;
  c.bandwidth_out = change.bandwidth_out;
  c.public_ip_assigned = in.public_ip.has_value();
  change.scheduled = c;
  change.days = (*days.last - *days.first) / kDay + 1;
  return Status::Ok();
}

PriceInput BandwidthInput(const ResetBandwidthChange& change, int64_t mbps) {
  PriceInput p;
  p.internet_charge_type = change.internet_charge_type;
  p.bandwidth_mbps = mbps;
  p.count = static_cast<int64_t>(change.instances.size());
  return p;
}

// `monthly` for `days` days of 30 a month, rounded half up to a fen.
Money ForDays(Money monthly, int64_t days) {
  return Money::Fen((monthly.fen() * days * 2 + 30) / 60);
}

}  // namespace

std::optional<TimeMs> BeijingDayStart(std::string_view date) {
  if (date.size() != 10 || date[4] != '-' || date[7] != '-') return std::nullopt;
  int y = 0, m = 0, d = 0;
  auto number = [&](size_t at, size_t n, int* out) {
    auto [ptr, ec] = std::from_chars(date.data() + at, date.data() + at + n, *out);
    return ec == std::errc() && ptr == date.data() + at + n;
  };
  if (!number(0, 4, &y) || !number(5, 2, &m) || !number(8, 2, &d)) return std::nullopt;
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  if (m < 1 || m > 12 || d < 1 || d > kDays[m - 1] + (m == 2 && leap)) return std::nullopt;
  return DaysFromCivil(y, static_cast<unsigned>(m), static_cast<unsigned>(d)) * kDay - kUtc8;
}

TimeMs BeijingDayStartOf(TimeMs t) {
  TimeMs local = t + kUtc8;
  TimeMs day = local >= 0 ? local / kDay : (local - kDay + 1) / kDay;
  return day * kDay - kUtc8;
}

Result<ResetBandwidthChange> PlanResetBandwidth(const Scope& scope,
                                                const ResetBandwidthRequest& request,
                                                std::string_view action) {
  // The dates alone first, then the instances.
  CVM_ASSIGN_OR_RETURN(Days days, ParseDays(request));
  ResetBandwidthChange change;
  CVM_ASSIGN_OR_RETURN(change.instances, LoadInstances(scope.db, scope.app_id(), scope.region,
                                                       request.instance_ids, scope.now));
  for (const Instance& in : change.instances) {
    CVM_RETURN_IF_ERROR(CheckChangeable(in));
    CVM_RETURN_IF_ERROR(CheckBillingState(in, scope.now, action));
  }
  CVM_ASSIGN_OR_RETURN(change.internet_charge_type, CommonChargeType(change.instances));
  const Instance& first = change.instances.front();
  CVM_RETURN_IF_ERROR(CheckParameters(request, first, change.internet_charge_type));
  change.bandwidth_out = request.bandwidth_out;
  CVM_RETURN_IF_ERROR(
      CheckBandwidth(scope, change.instances, change.internet_charge_type, change.bandwidth_out));
  if (change.internet_charge_type == IC::kBandwidthPrepaid) {
    CVM_RETURN_IF_ERROR(PlanPeriod(scope, days, first, change));
  }
  return change;
}

void ApplyResetBandwidth(const Scope& scope, const ResetBandwidthChange& change) {
  if (change.scheduled) {
    BandwidthConfigStore(scope.db).Insert(change.instances.front().rowid, *change.scheduled);
    return;
  }
  InstanceStore store(scope.db);
  for (Instance in : change.instances) {
    in.bandwidth_out = change.bandwidth_out;
    store.Update(in);
  }
}

Result<std::optional<ItemPrice>> PriceResetBandwidth(const Catalog& catalog,
                                                     const ResetBandwidthChange& change) {
  if (!change.scheduled)
    return PriceBandwidth(catalog, BandwidthInput(change, change.bandwidth_out));
  CVM_ASSIGN_OR_RETURN(std::optional<ItemPrice> after,
                       PriceBandwidth(catalog, BandwidthInput(change, change.bandwidth_out)));
  CVM_ASSIGN_OR_RETURN(
      std::optional<ItemPrice> before,
      PriceBandwidth(catalog, BandwidthInput(change, change.instances.front().bandwidth_out)));
  ItemPrice month = before ? Difference(*after, *before) : *after;
  return std::optional<ItemPrice>(ItemPrice::Prepaid(ForDays(*month.original_price, change.days),
                                                     ForDays(*month.discount_price, change.days)));
}

void ObserveBandwidth(Database& db, std::vector<Instance>& instances, TimeMs now) {
  std::vector<int64_t> rowids;
  for (const Instance& in : instances) {
    if (in.internet_charge_type == IC::kBandwidthPrepaid) rowids.push_back(in.rowid);
  }
  if (rowids.empty()) return;
  std::map<int64_t, BandwidthConfig> in_force = BandwidthConfigStore(db).InForce(rowids, now);
  for (Instance& in : instances) {
    auto it = in_force.find(in.rowid);
    if (it != in_force.end()) in.bandwidth_out = it->second.bandwidth_out;
  }
}

}  // namespace cvm::state
