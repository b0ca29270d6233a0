// Request rules for instances (state/instance_rules.h, which names the parts
// of the document each follows): instance names, host names, passwords,
// instance type spellings, disks, the ActionTimer's time (D-14) and month
// arithmetic for prepaid periods.
#include <doctest/doctest.h>

#include <ostream>
#include <string>
#include <vector>

#include "state/catalog.h"
#include "state/clock.h"
#include "state/instance.h"
#include "state/instance_rules.h"

namespace {

using cvm::state::AddMonths;
using cvm::state::CheckDataDisks;
using cvm::state::CheckHostName;
using cvm::state::CheckLoginPassword;
using cvm::state::CheckResetPassword;
using cvm::state::CheckSystemDisk;
using cvm::state::Disk;
using cvm::state::DiskType;
using cvm::state::ExpandInstanceNames;
using cvm::state::InstanceTypeInfo;
using cvm::state::IsCdhTypeShape;
using cvm::state::IsInstanceTypeShape;
using cvm::state::LocalDiskTypeInfo;
using cvm::state::ParseActionTime;
using cvm::state::TimeMs;

// A list of strings that doctest can print when a check fails.
struct Names : std::vector<std::string> {
  using std::vector<std::string>::vector;
};
std::ostream& operator<<(std::ostream& os, const Names& list) {
  os << "{";
  for (size_t i = 0; i < list.size(); ++i) os << (i ? ", " : "") << '"' << list[i] << '"';
  return os << "}";
}

// A UTC instant, in milliseconds.
TimeMs At(int64_t y, unsigned mo, unsigned d, int64_t h = 0, int64_t mi = 0, int64_t s = 0, int64_t ms = 0) {
  return ((cvm::state::DaysFromCivil(y, mo, d) * 86'400) + h * 3'600 + mi * 60 + s) * 1'000 + ms;
}

Names Expand(const std::string& name, int64_t count) {
  auto r = ExpandInstanceNames(&name, count);
  REQUIRE(r.ok());
  return Names(r->begin(), r->end());
}

std::string ExpandError(const std::string& name, int64_t count) {
  auto r = ExpandInstanceNames(&name, count);
  REQUIRE_FALSE(r.ok());
  return std::string(r.error().code());
}

// --- ExpandInstanceNames ------------------------------------------------------

TEST_CASE("ExpandInstanceNames: {R:3} for three instances becomes 3, 4 and 5") {
  CHECK(Expand("web-{R:3}", 3) == Names{"web-3", "web-4", "web-5"});
}

TEST_CASE("ExpandInstanceNames: every pattern of a name is expanded alike, each from its own start") {
  CHECK(Expand("{R:1}-rack{R:10}-x", 2) == Names{"1-rack10-x", "2-rack11-x"});
  CHECK(Expand("a{R:0}b{R:0}", 3) == Names{"a0b0", "a1b1", "a2b2"});
}

TEST_CASE("ExpandInstanceNames: a pattern counts past its width, 9 then 10") {
  CHECK(Expand("n{R:9}", 2) == Names{"n9", "n10"});
}

TEST_CASE("ExpandInstanceNames: without a pattern, several instances get suffixes 1 to n") {
  CHECK(Expand("server_", 3) == Names{"server_1", "server_2", "server_3"});
}

TEST_CASE("ExpandInstanceNames: one instance keeps its name without a suffix, and a pattern still expands") {
  CHECK(Expand("server_", 1) == Names{"server_"});
  CHECK(Expand("server_{R:3}", 1) == Names{"server_3"});
}

TEST_CASE("ExpandInstanceNames: text that only looks like a pattern is kept, and suffixes are added") {
  CHECK(Expand("{r:3}", 2) == Names{"{r:3}1", "{r:3}2"});
  CHECK(Expand("R:3}", 2) == Names{"R:3}1", "R:3}2"});
}

TEST_CASE("ExpandInstanceNames: an absent name is 未命名 for every instance") {
  auto one = ExpandInstanceNames(nullptr, 1);
  REQUIRE(one.ok());
  CHECK(Names(one->begin(), one->end()) == Names{"未命名"});
  auto three = ExpandInstanceNames(nullptr, 3);
  REQUIRE(three.ok());
  CHECK(Names(three->begin(), three->end()) == Names{"未命名", "未命名", "未命名"});
}

TEST_CASE("ExpandInstanceNames: 60 bytes are allowed, 61 are InvalidInstanceName.TooLong") {
  CHECK(Expand(std::string(60, 'a'), 1) == Names{std::string(60, 'a')});
  CHECK(ExpandError(std::string(61, 'a'), 1) == "InvalidInstanceName.TooLong");
}

TEST_CASE("ExpandInstanceNames: the limit applies after expansion") {
  // 59 bytes + "9" is 60; + "10" is 61.
  CHECK(Expand(std::string(59, 'a'), 9).back() == std::string(59, 'a') + "9");
  CHECK(ExpandError(std::string(59, 'a'), 10) == "InvalidInstanceName.TooLong");
  CHECK(Expand(std::string(58, 'a') + "{R:9}", 1) == Names{std::string(58, 'a') + "9"});
  CHECK(Expand(std::string(58, 'a') + "{R:98}", 2).back() == std::string(58, 'a') + "99");
  CHECK(ExpandError(std::string(58, 'a') + "{R:99}", 2) == "InvalidInstanceName.TooLong");
}

TEST_CASE("ExpandInstanceNames: the limit counts bytes, not characters") {
  std::string twenty;  // 20 characters of 3 bytes each: 60 bytes
  for (int i = 0; i < 20; ++i) twenty += "名";
  CHECK(Expand(twenty, 1) == Names{twenty});
  CHECK(ExpandError(twenty + "名", 1) == "InvalidInstanceName.TooLong");
  CHECK(ExpandError(twenty, 2) == "InvalidInstanceName.TooLong");
}

TEST_CASE("ExpandInstanceNames: the TooLong message names InstanceName and the byte count") {
  std::string name(61, 'a');
  auto r = ExpandInstanceNames(&name, 1);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message().find("InstanceName") != std::string::npos);
  CHECK(r.error().message().find("61 bytes") != std::string::npos);
}

TEST_CASE("ExpandInstanceNames: a malformed {R:x} is InvalidParameterValue") {
  for (const char* name : {"web-{R:}", "web-{R:x}", "web-{R:3", "web-{R:-1}", "web-{R:+1}", "web-{R: 3}",
                           "web-{R:3 }", "web-{R:1.5}", "web-{R:3}-{R:", "web-{R:1234567890}"}) {
    INFO("name := " << std::string(name));
    CHECK(ExpandError(name, 2) == "InvalidParameterValue");
    CHECK(ExpandError(name, 1) == "InvalidParameterValue");
  }
}

// --- CheckHostName ------------------------------------------------------------

TEST_CASE("CheckHostName: Linux host names of 2 to 60 letters, digits, dots and hyphens are accepted") {
  for (const std::string& h : {std::string("ab"), std::string("web-01"), std::string("web.example.com"),
                               std::string("a1.b2-c3"), std::string("123"), std::string("A-b.C-d"),
                               std::string(60, 'h')}) {
    CAPTURE(h);
    CHECK(CheckHostName(h, false).ok());
  }
}

TEST_CASE("CheckHostName: Linux host names that break a rule are InvalidParameterValue") {
  for (const std::string& h :
       {std::string(""), std::string("a"), std::string(61, 'h'), std::string("-ab"), std::string("ab-"),
        std::string(".ab"), std::string("ab."), std::string("a..b"), std::string("a--b"), std::string("a.-b"),
        std::string("a-.b"), std::string("a_b"), std::string("a b"), std::string("ab!"), std::string("名字ab"),
        std::string("a/b")}) {
    CAPTURE(h);
    auto status = CheckHostName(h, false);
    REQUIRE_FALSE(status.ok());
    CHECK(status.error().code() == "InvalidParameterValue");
    CHECK(status.error().message().find("HostName") != std::string::npos);
  }
}

TEST_CASE("CheckHostName: Windows host names of 2 to 15 letters, digits and hyphens, not all digits, are accepted") {
  for (const std::string& h : {std::string("ab"), std::string("win-01"), std::string("1a"),
                               std::string("a1"), std::string(15, 'w')}) {
    CAPTURE(h);
    CHECK(CheckHostName(h, true).ok());
  }
}

TEST_CASE("CheckHostName: Windows host names that break a rule are InvalidParameterValue") {
  for (const std::string& h : {std::string("a"), std::string(16, 'w'), std::string("a.b"), std::string("web.01"),
                               std::string("1234"), std::string("12"), std::string("-ab"), std::string("ab-"),
                               std::string("a--b"), std::string("a_b"), std::string("a b")}) {
    CAPTURE(h);
    auto status = CheckHostName(h, true);
    REQUIRE_FALSE(status.ok());
    CHECK(status.error().code() == "InvalidParameterValue");
  }
}

// --- Passwords -----------------------------------------------------------------

struct PasswordCase {
  const char* password;
  bool ok;
};

void CheckPasswords(bool reset, bool windows, const std::vector<PasswordCase>& cases) {
  for (const PasswordCase& c : cases) {
    INFO("c.password := " << std::string(c.password));
    auto status = reset ? CheckResetPassword(c.password, windows, "Password")
                        : CheckLoginPassword(c.password, windows, "LoginSettings.Password");
    CHECK(status.ok() == c.ok);
    if (!status.ok()) {
      CHECK(status.error().code() == "InvalidPassword");
      CHECK(status.error().message().find(reset ? "Password" : "LoginSettings.Password") != std::string::npos);
    }
  }
}

TEST_CASE("CheckLoginPassword: Linux needs 8 to 16 characters of two classes of letters, digits and ()~!@#$%^&*-+=|{}[]:;',.?/") {
  CheckPasswords(false, false, {
      {"abcd1234", true},           // letters and digits
      {"ABCD1234", true},
      {"abc!defg", true},           // letters and a special
      {"1234!@#$", true},           // digits and specials
      {"abcdEFGH", false},          // letters only: one class on Linux
      {"12345678", false},
      {"!@#$%^&*", false},
      {"abc1234", false},           // 7 characters
      {"abcdefgh12345678", true},   // 16
      {"abcdefgh123456789", false}, // 17
      {"abcd123:", true},           // ':' is a LoginSettings special
      {"abcd123|", true},
      {"/abcd1234", true},          // a leading '/' is fine at purchase
      {"abcd123_", false},          // '_' is not
      {"abcd12<>", false},
      {"abcd123`", false},
      {"abcd 1234", false},
      {"abcd1234é", false},
      {"", false},
  });
}

TEST_CASE("CheckLoginPassword: Windows needs 12 to 16 characters of three of lower, upper, digits and ()~!@#$%^&*-+={}[]:;',.?/") {
  CheckPasswords(false, true, {
      {"Abcdefgh1234", true},       // lower, upper, digits
      {"abcdefgh12!@", true},       // lower, digits, specials
      {"ABCDEFGH12!@", true},
      {"abcdefgh1234", false},      // two classes
      {"ABCDEFGHabcd", false},
      {"Abcdefgh123", false},       // 11 characters
      {"Abcdefgh12345678", true},   // 16
      {"Abcdefgh123456789", false}, // 17
      {"Abcd1234|xyz", false},      // '|' is not a Windows special
      {"Abcd1234:xyz", true},
      {"Abcd1234_xyz", false},
  });
}

TEST_CASE("CheckResetPassword: Linux takes the wider set ()`~!@#$%^&*-+=_|{}[];'<>,.?/ and refuses a leading /") {
  CheckPasswords(true, false, {
      {"abcd1234", true},
      {"abcd123_", true},
      {"abcd12<>", true},
      {"abcd123`", true},
      {"abcd123|", true},
      {"abcd123:", false},          // ':' is not in ResetInstancesPassword's set
      {"/abcd1234", false},         // leading '/'
      {"abcd/1234", true},          // '/' elsewhere is a special
      {"abcdefgh", false},
      {"abc1234", false},
      {"abcdefgh123456789", false},
  });
}

TEST_CASE("CheckResetPassword: Windows takes the wider set, three classes, 12 to 16, no leading /") {
  CheckPasswords(true, true, {
      {"Abcdefgh12_|", true},
      {"Abcdefgh12<>", true},
      {"/Abcdefgh1234", false},
      {"abcdefgh1234", false},
      {"Abcdefgh123", false},
      {"Abcdefgh12:x", false},
  });
}

TEST_CASE("CheckResetPassword: the leading-slash message says so") {
  auto status = CheckResetPassword("/abcd1234", false, "Password");
  REQUIRE_FALSE(status.ok());
  CHECK(status.error().code() == "InvalidPassword");
  CHECK(status.error().message() ==
        "The password in Password does not meet the complexity rules: a password must not start with /");
}

// --- Instance type spellings -------------------------------------------------------

TEST_CASE("IsInstanceTypeShape: FAMILY.SIZE with an upper-case start is an instance type") {
  for (const char* t : {"S1.SMALL1", "S2.MEDIUM4", "SA2.LARGE16", "GN7.2XLARGE32", "M5.8XLARGE64"}) {
    INFO("t := " << std::string(t));
    CHECK(IsInstanceTypeShape(t));
  }
  for (const char* t : {"", "S1", "S1.", ".SMALL1", "s1.small1", "1S.SMALL1", "S1.SMALL.1", "S1_SMALL1",
                        "S1.SMALL 1", "S1..SMALL1", "CDH_1C1G", "S1.SMALL1 "}) {
    INFO("t := " << std::string(t));
    CHECK_FALSE(IsInstanceTypeShape(t));
  }
}

TEST_CASE("IsCdhTypeShape: CDH_<cpu>C<mem>G with positive numbers is a CDH type") {
  for (const char* t : {"CDH_1C1G", "CDH_32C128G", "CDH_2C4G"}) {
    INFO("t := " << std::string(t));
    CHECK(IsCdhTypeShape(t));
  }
  for (const char* t : {"", "CDH_", "CDH_0C1G", "CDH_1C0G", "CDH_1C1", "CDH_C1G", "CDH_1G1C", "cdh_1C1G",
                        "CDH_1C1GB", "CDH1C1G", "S1.SMALL1", "CDH_1c1g", "CDH_1C1G "}) {
    INFO("t := " << std::string(t));
    CHECK_FALSE(IsCdhTypeShape(t));
  }
}

TEST_CASE("IsCdhTypeShape: signs and spaces inside the numbers are not a CDH type") {
  for (const char* t : {"CDH_-1C1G", "CDH_1C-1G", "CDH_+1C1G", "CDH_ 1C1G", "CDH_1C 1G"}) {
    INFO("t := " << std::string(t));
    CHECK_FALSE(IsCdhTypeShape(t));
  }
}

// --- Disks -----------------------------------------------------------------------

InstanceTypeInfo WithLocalDisks() {
  InstanceTypeInfo t;
  t.type = "S1.SMALL1";
  t.local_disks = {LocalDiskTypeInfo{"LOCAL_BASIC", "ROOT", 50, 50},
                   LocalDiskTypeInfo{"LOCAL_BASIC", "DATA", 0, 500}};
  return t;
}

InstanceTypeInfo CloudOnly() {
  InstanceTypeInfo t;
  t.type = "S5.MEDIUM4";
  return t;
}

std::string SystemDiskCode(const Disk& d, const InstanceTypeInfo& t) {
  auto status = CheckSystemDisk(d, t);
  return status.ok() ? "OK" : std::string(status.error().code());
}

std::string DataDisksCode(const std::vector<Disk>& disks, const InstanceTypeInfo& t) {
  auto status = CheckDataDisks(disks, t);
  return status.ok() ? "OK" : std::string(status.error().code());
}

Disk Cloud(const char* type, int64_t size) {
  return Disk{*cvm::state::ParseName<DiskType>(type), std::nullopt, size, true};
}

TEST_CASE("CheckSystemDisk: a cloud system disk has 50 to 500 GB in steps of 10") {
  for (const char* type : {"CLOUD_BASIC", "CLOUD_PREMIUM", "CLOUD_SSD"}) {
    INFO("type := " << std::string(type));
    CHECK(SystemDiskCode(Cloud(type, 50), CloudOnly()) == "OK");
    CHECK(SystemDiskCode(Cloud(type, 60), CloudOnly()) == "OK");
    CHECK(SystemDiskCode(Cloud(type, 500), CloudOnly()) == "OK");
    CHECK(SystemDiskCode(Cloud(type, 40), CloudOnly()) == "InvalidParameterValue.Range");
    CHECK(SystemDiskCode(Cloud(type, 510), CloudOnly()) == "InvalidParameterValue.Range");
    CHECK(SystemDiskCode(Cloud(type, 55), CloudOnly()) == "InvalidParameterValue.Range");
    CHECK(SystemDiskCode(Cloud(type, 0), CloudOnly()) == "InvalidParameterValue.Range");
  }
}

TEST_CASE("CheckSystemDisk: a local system disk needs a ROOT local disk of the type, within its range") {
  CHECK(SystemDiskCode(Disk{DiskType::kLocalBasic, std::nullopt, 50, true}, WithLocalDisks()) == "OK");
  CHECK(SystemDiskCode(Disk{DiskType::kLocalBasic, std::nullopt, 60, true}, WithLocalDisks()) ==
        "InvalidParameterValue.Range");
  CHECK(SystemDiskCode(Disk{DiskType::kLocalBasic, std::nullopt, 50, true}, CloudOnly()) == "InvalidParameterValue");
  CHECK(SystemDiskCode(Disk{DiskType::kLocalSsd, std::nullopt, 50, true}, WithLocalDisks()) == "InvalidParameterValue");
  auto status = CheckSystemDisk(Disk{DiskType::kLocalSsd, std::nullopt, 50, true}, WithLocalDisks());
  REQUIRE_FALSE(status.ok());
  CHECK(status.error().message().find("SystemDisk.DiskType") != std::string::npos);
}

TEST_CASE("CheckDataDisks: cloud data disks have 10 (CLOUD_SSD 100) to 16000 GB, in steps of 10") {
  CHECK(DataDisksCode({}, CloudOnly()) == "OK");
  CHECK(DataDisksCode({Cloud("CLOUD_BASIC", 10)}, CloudOnly()) == "OK");
  CHECK(DataDisksCode({Cloud("CLOUD_PREMIUM", 16000)}, CloudOnly()) == "OK");
  CHECK(DataDisksCode({Cloud("CLOUD_SSD", 100)}, CloudOnly()) == "OK");
  CHECK(DataDisksCode({Cloud("CLOUD_SSD", 90)}, CloudOnly()) == "InvalidParameterValue.Range");
  CHECK(DataDisksCode({Cloud("CLOUD_BASIC", 0)}, CloudOnly()) == "InvalidParameterValue.Range");
  CHECK(DataDisksCode({Cloud("CLOUD_BASIC", 16010)}, CloudOnly()) == "InvalidParameterValue.Range");
  CHECK(DataDisksCode({Cloud("CLOUD_BASIC", 15)}, CloudOnly()) == "InvalidParameterValue.Range");
}

TEST_CASE("CheckDataDisks: the error names the offending disk's path") {
  auto status = CheckDataDisks({Cloud("CLOUD_BASIC", 10), Cloud("CLOUD_BASIC", 25)}, CloudOnly());
  REQUIRE_FALSE(status.ok());
  CHECK(status.error().message().find("DataDisks.1.DiskSize") != std::string::npos);
}

TEST_CASE("CheckDataDisks: a local data disk needs a DATA local disk of the type, 10 GB at least, within its range") {
  Disk local{DiskType::kLocalBasic, std::nullopt, 100, true};
  CHECK(DataDisksCode({local}, WithLocalDisks()) == "OK");
  local.size_gb = 500;
  CHECK(DataDisksCode({local}, WithLocalDisks()) == "OK");
  local.size_gb = 510;
  CHECK(DataDisksCode({local}, WithLocalDisks()) == "InvalidParameterValue.Range");
  local.size_gb = 0;  // the catalog says 0; a disk has 10 GB at least
  CHECK(DataDisksCode({local}, WithLocalDisks()) == "InvalidParameterValue.Range");
  local.size_gb = 100;
  CHECK(DataDisksCode({local}, CloudOnly()) == "InvalidParameterValue");
  CHECK(DataDisksCode({Disk{DiskType::kLocalSsd, std::nullopt, 100, true}}, WithLocalDisks()) == "InvalidParameterValue");
}

TEST_CASE("CheckDataDisks: one local and ten cloud disks are allowed; a second local or an eleventh cloud disk is not") {
  Disk local{DiskType::kLocalBasic, std::nullopt, 100, true};
  std::vector<Disk> disks = {local};
  for (int i = 0; i < 10; ++i) disks.push_back(Cloud("CLOUD_PREMIUM", 50));
  CHECK(DataDisksCode(disks, WithLocalDisks()) == "OK");

  std::vector<Disk> eleven_cloud = disks;
  eleven_cloud.push_back(Cloud("CLOUD_SSD", 100));
  CHECK(DataDisksCode(eleven_cloud, WithLocalDisks()) == "InvalidParameterValue");

  std::vector<Disk> two_local = {local, local};
  CHECK(DataDisksCode(two_local, WithLocalDisks()) == "InvalidParameterValue");

  std::vector<Disk> eleven_only_cloud(11, Cloud("CLOUD_BASIC", 10));
  CHECK(DataDisksCode(eleven_only_cloud, CloudOnly()) == "InvalidParameterValue");
  eleven_only_cloud.pop_back();
  CHECK(DataDisksCode(eleven_only_cloud, CloudOnly()) == "OK");
}

// --- ParseActionTime (D-14) ----------------------------------------------------------

TEST_CASE("ParseActionTime: \"2018-5-29 11:26:40\" is Beijing time, 2018-05-29T03:26:40Z") {
  TimeMs t = 0;
  REQUIRE(ParseActionTime("2018-5-29 11:26:40", &t));
  CHECK(t == 1'527'564'400'000);
  CHECK(t == At(2018, 5, 29, 3, 26, 40));
}

TEST_CASE("ParseActionTime: padded numbers read the same, and the eight hours cross day and year boundaries") {
  TimeMs t = 0;
  REQUIRE(ParseActionTime("2018-05-29 11:26:40", &t));
  CHECK(t == At(2018, 5, 29, 3, 26, 40));
  REQUIRE(ParseActionTime("2019-1-1 07:59:59", &t));
  CHECK(t == At(2018, 12, 31, 23, 59, 59));
  REQUIRE(ParseActionTime("2020-3-1 00:00:00", &t));
  CHECK(t == At(2020, 2, 29, 16, 0, 0));
}

TEST_CASE("ParseActionTime: malformed text is refused and leaves the output alone") {
  for (const char* text : {"", "2018-5-29", "2018-5-29 11:26", "2018-5-29T11:26:40", "2018-5-29 11:26:40Z",
                           "2018-5-29 11:26:40.5", "2018/5/29 11:26:40", "2018-13-1 00:00:00",
                           "2018-0-1 00:00:00", "2018-5-0 00:00:00", "2018-5-32 00:00:00",
                           "2018-5-29 24:00:00", "2018-5-29 11:60:00", "2018-5-29 11:26:60",
                           "1969-12-31 23:59:59", "2018-5-29 11:26:40 ", "tomorrow"}) {
    INFO("text := " << std::string(text));
    TimeMs t = 42;
    CHECK_FALSE(ParseActionTime(text, &t));
    CHECK(t == 42);
  }
}

TEST_CASE("ParseActionTime: a day the month does not have is refused") {
  for (const char* text : {"2018-2-30 00:00:00", "2018-4-31 00:00:00", "2019-2-29 00:00:00",
                           "2100-2-29 00:00:00"}) {
    INFO("text := " << std::string(text));
    TimeMs t = 42;
    CHECK_FALSE(ParseActionTime(text, &t));
  }
}

TEST_CASE("ParseActionTime: February 29th of a leap year is accepted") {
  TimeMs t = 0;
  REQUIRE(ParseActionTime("2020-2-29 08:00:00", &t));
  CHECK(t == At(2020, 2, 29, 0, 0, 0));
}

TEST_CASE("ParseActionTime: signs and spaces inside the numbers are malformed") {
  for (const char* text : {" 2018-5-29 11:26:40", "2018- 5-29 11:26:40", "2018-+5-29 11:26:40",
                           "2018-5-29 11: 26:40", "2018-5-29  11:26:40"}) {
    INFO("text := " << std::string(text));
    TimeMs t = 42;
    CHECK_FALSE(ParseActionTime(text, &t));
  }
}

// --- AddMonths ---------------------------------------------------------------

TEST_CASE("AddMonths: the same day of a later month, keeping the time of day to the millisecond") {
  CHECK(AddMonths(At(2023, 5, 15, 10, 20, 30, 123), 1) == At(2023, 6, 15, 10, 20, 30, 123));
  CHECK(AddMonths(At(2023, 5, 15, 10, 20, 30, 123), 36) == At(2026, 5, 15, 10, 20, 30, 123));
  CHECK(AddMonths(At(2023, 8, 31, 23, 59, 59, 999), 0) == At(2023, 8, 31, 23, 59, 59, 999));
}

TEST_CASE("AddMonths: December rolls over into the next year") {
  CHECK(AddMonths(At(2023, 12, 15, 1, 2, 3), 1) == At(2024, 1, 15, 1, 2, 3));
  CHECK(AddMonths(At(2023, 11, 1), 14) == At(2025, 1, 1));
}

TEST_CASE("AddMonths: a day past the end of the target month is clamped to its last day") {
  CHECK(AddMonths(At(2023, 3, 31, 12), 1) == At(2023, 4, 30, 12));
  CHECK(AddMonths(At(2023, 1, 31, 12), 1) == At(2023, 2, 28, 12));
  CHECK(AddMonths(At(2023, 8, 31), 1) == At(2023, 9, 30));
  CHECK(AddMonths(At(2023, 10, 31), 1) == At(2023, 11, 30));
  CHECK(AddMonths(At(2023, 1, 30), 1) == At(2023, 2, 28));
}

TEST_CASE("AddMonths: leap years give February 29, centuries only every 400 years") {
  CHECK(AddMonths(At(2024, 1, 31, 6), 1) == At(2024, 2, 29, 6));
  CHECK(AddMonths(At(2023, 11, 30), 3) == At(2024, 2, 29));
  CHECK(AddMonths(At(2023, 1, 31), 13) == At(2024, 2, 29));
  CHECK(AddMonths(At(2020, 2, 29), 12) == At(2021, 2, 28));
  CHECK(AddMonths(At(2020, 2, 29), 48) == At(2024, 2, 29));
  CHECK(AddMonths(At(2000, 1, 31), 1) == At(2000, 2, 29));
  CHECK(AddMonths(At(2100, 1, 31), 1) == At(2100, 2, 28));
}

TEST_CASE("AddMonths: an epoch anchor, 2018-05-29T03:26:40Z plus one month") {
  CHECK(AddMonths(1'527'564'400'000, 1) == 1'530'242'800'000);  // 2018-06-29T03:26:40Z
}

}  // namespace
