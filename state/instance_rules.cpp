#include "state/instance_rules.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <string_view>

namespace cvm::state {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAlnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || IsDigit(c);
}

struct PasswordRules {
  size_t min, max;
  int classes_needed;
  bool split_case;  // Windows counts upper and lower case separately
  std::string_view specials;
  bool no_leading_slash;
};

Status CheckPassword(const std::string& pw, bool windows, const std::string& path,
                     const PasswordRules& linux_rules, const PasswordRules& windows_rules) {
  const PasswordRules& r = windows ? windows_rules : linux_rules;
  const char* os = windows ? "Windows" : "Linux";
  if (pw.size() < r.min || pw.size() > r.max) {
    return ApiError::Make(errors::kInvalidPassword, path,
                          std::string(os) + " passwords have " + std::to_string(r.min) + " to " +
                              std::to_string(r.max) + " characters");
  }
  if (r.no_leading_slash && pw[0] == '/') {
    return ApiError::Make(errors::kInvalidPassword, path, "a password must not start with /");
  }
  bool lower = false, upper = false, digit = false, special = false;
  for (char c : pw) {
    if (c >= 'a' && c <= 'z') lower = true;
    else if (c >= 'A' && c <= 'Z') upper = true;
    else if (IsDigit(c)) digit = true;
    else if (r.specials.find(c) != std::string_view::npos) special = true;
    else {
      return ApiError::Make(errors::kInvalidPassword, path,
                            "it may only hold letters, digits and the characters " +
                                std::string(r.specials));
    }
  }
  int classes = r.split_case ? lower + upper + digit + special : (lower || upper) + digit + special;
  if (classes < r.classes_needed) {
    return ApiError::Make(errors::kInvalidPassword, path,
                          std::string(os) + " passwords need at least " +
                              std::to_string(r.classes_needed) +
                              (r.split_case ? " of lower-case letters, upper-case letters, digits "
                                              "and special characters"
                                            : " of letters, digits and special characters"));
  }
  return Status::Ok();
}

}  // namespace

Result<std::vector<std::string>> ExpandInstanceNames(const std::string* name, int64_t count) {
  std::vector<std::string> names;
  if (!name) {
    names.assign(static_cast<size_t>(count), "未命名");
    return names;
  }
  bool has_pattern = name->find("{R:") != std::string::npos;
  for (int64_t i = 0; i < count; ++i) {
    std::string out;
    if (has_pattern) {
      size_t pos = 0;
      while (pos < name->size()) {
        size_t open = name->find("{R:", pos);
        if (open == std::string::npos) {
          out += name->substr(pos);
          break;
        }
        out += name->substr(pos, open - pos);
        size_t close = name->find('}', open);
        std::string number = close == std::string::npos ? "" : name->substr(open + 3, close - open - 3);
        bool digits = !number.empty() && number.size() <= 9;
        for (char c : number) digits = digits && IsDigit(c);
        if (!digits) {
          return ApiError::Make(errors::kInvalidParameterValue, "InstanceName",
                                "a pattern is {R:x} with x a non-negative integer");
        }
        out += std::to_string(std::stoll(number) + i);
        pos = close + 1;
      }
    } else {
      out = *name;
      if (count > 1) out += std::to_string(i + 1);
    }
    if (out.size() > 60) {
      return ApiError::Make(errors::kInvalidInstanceNameTooLong, "InstanceName",
                            "the name `" + out + "` has " + std::to_string(out.size()) +
                                " bytes; at most 60 are allowed");
    }
    names.push_back(std::move(out));
  }
  return names;
}

Status CheckHostName(const std::string& h, bool windows) {
  auto bad = [&](const std::string& why) {
    return ApiError::Make(errors::kInvalidParameterValue, "HostName", why);
  };
  size_t max = windows ? 15 : 60;
  if (h.size() < 2 || h.size() > max) {
    return bad(std::string(windows ? "Windows" : "Linux") + " host names have 2 to " +
               std::to_string(max) + " characters");
  }
  bool all_digits = true;
  for (size_t i = 0; i < h.size(); ++i) {
    char c = h[i];
    bool sep = c == '.' || c == '-';
    if (!IsAlnum(c) && !sep) return bad("only letters, digits, '.' and '-' are allowed");
    if (windows && c == '.') return bad("Windows host names cannot contain '.'");
    if (sep && (i == 0 || i + 1 == h.size())) return bad("'.' and '-' cannot start or end it");
    if (sep && i > 0 && (h[i - 1] == '.' || h[i - 1] == '-')) {
      return bad("'.' and '-' cannot follow each other");
    }
    all_digits = all_digits && IsDigit(c);
  }
  if (windows && all_digits) return bad("a Windows host name cannot be all digits");
  return Status::Ok();
}

Status CheckLoginPassword(const std::string& password, bool windows, const std::string& path) {
  static const PasswordRules kLinux{8, 16, 2, false, "()~!@#$%^&*-+=|{}[]:;',.?/", false};
  static const PasswordRules kWindows{12, 16, 3, true, "()~!@#$%^&*-+={}[]:;',.?/", false};
  return CheckPassword(password, windows, path, kLinux, kWindows);
}

Status CheckResetPassword(const std::string& password, bool windows, const std::string& path) {
  static const PasswordRules kLinux{8, 16, 2, false, "()`~!@#$%^&*-+=_|{}[];'<>,.?/", true};
  static const PasswordRules kWindows{12, 16, 3, true, "()`~!@#$%^&*-+=_|{}[];'<>,.?/", true};
  return CheckPassword(password, windows, path, kLinux, kWindows);
}

bool IsInstanceTypeShape(const std::string& type) {
  size_t dot = type.find('.');
  if (dot == std::string::npos || dot == 0 || dot + 1 == type.size()) return false;
  for (size_t i = 0; i < type.size(); ++i) {
    if (i != dot && !IsAlnum(type[i])) return false;
  }
  return std::isupper(static_cast<unsigned char>(type[0])) != 0;
}

namespace {
// Reads one or more decimal digits at `pos`; false if there are none.
bool Digits(std::string_view s, size_t* pos, int64_t* value) {
  size_t start = *pos;
  *value = 0;
  while (*pos < s.size() && IsDigit(s[*pos]) && *pos - start < 9) {
    *value = *value * 10 + (s[*pos] - '0');
    ++*pos;
  }
  return *pos > start && (*pos == s.size() || !IsDigit(s[*pos]));
}

bool Expect(std::string_view s, size_t* pos, char c) {
  if (*pos >= s.size() || s[*pos] != c) return false;
  ++*pos;
  return true;
}
}  // namespace

bool IsCdhTypeShape(const std::string& type) {
  std::string_view s = type;
  if (s.substr(0, 4) != "CDH_") return false;
  size_t pos = 4;
  int64_t cpu, mem;
  return Digits(s, &pos, &cpu) && Expect(s, &pos, 'C') && Digits(s, &pos, &mem) &&
         Expect(s, &pos, 'G') && pos == s.size() && cpu > 0 && mem > 0;
}

Status CheckSystemDisk(const Disk& disk, const InstanceTypeInfo& type) {
  if (disk.is_cloud()) {
    if (disk.size_gb < 50 || disk.size_gb > 500 || disk.size_gb % 10 != 0) {
      return ApiError::Make(errors::kInvalidParameterValueRange, "SystemDisk.DiskSize",
                            "a cloud system disk has 50 to 500 GB, in steps of 10 GB");
    }
    return Status::Ok();
  }
  for (const LocalDiskTypeInfo& l : type.local_disks) {
    if (l.type == NameOf(disk.type) && l.partition_type == "ROOT") {
      if (disk.size_gb < l.min_size || disk.size_gb > l.max_size) {
        return ApiError::Make(errors::kInvalidParameterValueRange, "SystemDisk.DiskSize",
                              "a " + std::string(NameOf(disk.type)) + " system disk of " + type.type + " has " +
                                  std::to_string(l.min_size) + " to " + std::to_string(l.max_size) +
                                  " GB");
      }
      return Status::Ok();
    }
  }
  return ApiError::Make(errors::kInvalidParameterValue, "SystemDisk.DiskType",
                        "the instance type " + type.type + " has no " + std::string(NameOf(disk.type)) +
                            " system disk");
}

Status CheckDataDisks(const std::vector<Disk>& disks, const InstanceTypeInfo& type) {
  int local = 0, cloud = 0;
  for (size_t i = 0; i < disks.size(); ++i) {
    const Disk& d = disks[i];
    std::string path = "DataDisks." + std::to_string(i);
    if (d.size_gb % 10 != 0) {
      return ApiError::Make(errors::kInvalidParameterValueRange, path + ".DiskSize",
                            "disk sizes go in steps of 10 GB");
    }
    if (d.is_cloud()) {
      ++cloud;
      int64_t min = d.type == DiskType::kCloudSsd ? 100 : 10;
      if (d.size_gb < min || d.size_gb > 16000) {
        return ApiError::Make(errors::kInvalidParameterValueRange, path + ".DiskSize",
                              "a " + std::string(NameOf(d.type)) + " data disk has " + std::to_string(min) +
                                  " to 16000 GB");
      }
      continue;
    }
    ++local;
    const LocalDiskTypeInfo* spec = nullptr;
    for (const LocalDiskTypeInfo& l : type.local_disks) {
      if (l.type == NameOf(d.type) && l.partition_type == "DATA") spec = &l;
    }
    if (!spec) {
      return ApiError::Make(errors::kInvalidParameterValue, path + ".DiskType",
                            "the instance type " + type.type + " has no " + std::string(NameOf(d.type)) +
                                " data disk");
    }
    if (d.size_gb < std::max<int64_t>(spec->min_size, 10) || d.size_gb > spec->max_size) {
      return ApiError::Make(errors::kInvalidParameterValueRange, path + ".DiskSize",
                            "a " + std::string(NameOf(d.type)) + " data disk of " + type.type + " has " +
                                std::to_string(std::max<int64_t>(spec->min_size, 10)) + " to " +
                                std::to_string(spec->max_size) + " GB");
    }
  }
  if (local > 1 || cloud > 10) {
    return ApiError::Make(errors::kInvalidParameterValue, "DataDisks",
                          "at most one local and ten cloud data disks can be bought with an instance");
  }
  return Status::Ok();
}

bool ParseActionTime(const std::string& text, TimeMs* out) {
  // Exactly Y-M-D h:m:s with one separator each; digits only.
  std::string_view s = text;
  size_t pos = 0;
  int64_t y, mo, d, h, mi, sec;
  if (!(Digits(s, &pos, &y) && Expect(s, &pos, '-') && Digits(s, &pos, &mo) &&
        Expect(s, &pos, '-') && Digits(s, &pos, &d) && Expect(s, &pos, ' ') &&
        Digits(s, &pos, &h) && Expect(s, &pos, ':') && Digits(s, &pos, &mi) &&
        Expect(s, &pos, ':') && Digits(s, &pos, &sec) && pos == s.size())) {
    return false;
  }
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (y < 1970 || mo < 1 || mo > 12 || h > 23 || mi > 59 || sec > 59) return false;
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  if (d < 1 || d > kDays[mo - 1] + (mo == 2 && leap)) return false;
  int64_t seconds = DaysFromCivil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d)) * 86400 +
                    h * 3600 + mi * 60 + sec - 8 * 3600;  // Beijing time is UTC+8
  *out = seconds * 1000;
  return true;
}

Billing ObserveBilling(const Instance& in, TimeMs now) {
  Billing b{in.restrict_state, in.expired_at};
  if (in.charge_type != ChargeType::kPrepaid || !in.expired_at || now < *in.expired_at) return b;
  if (in.renew_flag != RenewFlag::kNotifyAndAutoRenew) {
    b.restrict_state = RestrictState::kExpired;
    return b;
  }
  // Whole months from the stored expiry (counted from it each time, so a
  // day clamped in a short month does not drift further).
  for (int64_t months = 1; *b.expired_at <= now; ++months) b.expired_at = AddMonths(*in.expired_at, months);
  return b;
}

TimeMs AddMonths(TimeMs t, int64_t months) {
  int64_t seconds = t / 1000, ms = t % 1000;
  int64_t days = seconds / 86400, rem = seconds % 86400;
  // Civil date of `days`.
  int64_t z = days + 719468;
  int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  unsigned doe = static_cast<unsigned>(z - era * 146097);
  unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  unsigned mp = (5 * doy + 2) / 153;
  unsigned d = doy - (153 * mp + 2) / 5 + 1;
  unsigned m = mp < 10 ? mp + 3 : mp - 9;
  int64_t y = static_cast<int64_t>(yoe) + era * 400 + (m <= 2);
  int64_t total = y * 12 + (m - 1) + months;
  int64_t ny = total / 12;
  unsigned nm = static_cast<unsigned>(total % 12 + 1);
  static const unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  unsigned last = kDays[nm - 1] + (nm == 2 && ((ny % 4 == 0 && ny % 100 != 0) || ny % 400 == 0));
  if (d > last) d = last;
  return (DaysFromCivil(ny, nm, d) * 86400 + rem) * 1000 + ms;
}

}  // namespace cvm::state
