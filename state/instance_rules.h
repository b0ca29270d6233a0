// Request rules for instances that depend on more than one parameter or on
// the catalog (the document's RunInstances input table, LoginSettings
// structure and ResetInstancesPassword Password row): names, host names,
// passwords, disks, the ActionTimer. Pure functions; each returns the
// documented error naming the parameter.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "schema/errors.h"
#include "state/catalog.h"
#include "state/clock.h"
#include "state/instance.h"

namespace cvm::state {

// Names for `count` new instances (the document's RunInstances InstanceName
// row): each {R:x} becomes x, x+1, ...; without a pattern and with count > 1,
// suffixes 1..count are appended.
// An absent name is "未命名" for all. Error: InvalidInstanceName.TooLong when
// an expanded name exceeds 60 bytes; InvalidParameterValue for a malformed
// pattern.
Result<std::vector<std::string>> ExpandInstanceNames(const std::string* name, int64_t count);

// HostName rules for Linux or Windows (the document's RunInstances HostName row).
// Error: InvalidParameterValue.
Status CheckHostName(const std::string& host_name, bool windows);

// Password complexity at purchase and reinstall (the document's LoginSettings Password row).
// Error: InvalidPassword naming `path`.
Status CheckLoginPassword(const std::string& password, bool windows, const std::string& path);
// Password complexity of ResetInstancesPassword (its Password row in the
// document): a wider special set, and no leading '/'.
Status CheckResetPassword(const std::string& password, bool windows, const std::string& path);

// Instance type spellings (the document's RunInstances InstanceType row):
// "S1.SMALL1" for the ordinary families, "CDH_<cpu>C<mem>G" for CDHPAID.
bool IsInstanceTypeShape(const std::string& type);
bool IsCdhTypeShape(const std::string& type);

// The system disk (the document's SystemDisk structure): cloud 50..500 GB in
// steps of 10 (Windows 50 at least); local only where the instance type has a
// local root disk.
// Error: InvalidParameterValue / InvalidParameterValue.Range.
Status CheckSystemDisk(const Disk& disk, const InstanceTypeInfo& type);
// Data disks at purchase (the document's RunInstances DataDisks row and
// DataDisk structure): at most one local and ten cloud disks, sizes in steps
// of 10 GB within the kind's range.
Status CheckDataDisks(const std::vector<Disk>& disks, const InstanceTypeInfo& type);

// ActionTimer.ActionTime "2018-5-29 11:26:40" is Beijing time (UTC+8), as in
// the live API. Returns false on malformed text.
bool ParseActionTime(const std::string& text, TimeMs* out);

// `months` later than `t`, on the same day of the month (clamped).
TimeMs AddMonths(TimeMs t, int64_t months);

// What an instance's billing shows at `now`. A PREPAID instance past its
// ExpiredTime is EXPIRED (Instance.RestrictState), unless its RenewFlag is
// NOTIFY_AND_AUTO_RENEW: then it has renewed itself a month at a time and
// ExpiredTime is the end of the month it is in. Others show what is stored.
struct Billing {
  RestrictState restrict_state = RestrictState::kNormal;
  std::optional<TimeMs> expired_at;
};
Billing ObserveBilling(const Instance& in, TimeMs now);

}  // namespace cvm::state
