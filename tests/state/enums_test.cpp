// The enums' name tables (state/enums.h): each name maps to its value and
// back, nothing else parses, and every value the schema allows for a member
// of that kind has a name in the table, so a validated request always reads.
#include <doctest/doctest.h>

#include <set>
#include <string>

#include "schema/spec.h"
#include "state/enums.h"
#include "state/instance.h"

namespace {

using namespace cvm::state;

template <typename E>
void CheckRoundTrip() {
  std::set<std::string> names;
  for (const EnumEntry<E>& e : EnumNames<E>::kNames) {
    CAPTURE(std::string(e.name));
    CHECK(NameOf(e.value) == e.name);
    CHECK(ParseName<E>(e.name) == std::optional<E>(e.value));
    CHECK(names.insert(std::string(e.name)).second);
  }
  CHECK_FALSE(ParseName<E>("").has_value());
  CHECK_FALSE(ParseName<E>("normal").has_value());  // names are exact, case included
}

// Every enum value the schema lists for a member named `member`, anywhere.
std::set<std::string> SchemaValues(const std::string& member) {
  std::set<std::string> values;
  auto collect = [&](const cvm::schema::StructSpec& s) {
    for (const cvm::schema::MemberSpec& m : s.members) {
      if (m.name != member) continue;
      for (const auto& v : m.enum_values) values.insert(v.get<std::string>());
    }
  };
  const cvm::schema::Schema& schema = cvm::schema::Schema::Builtin();
  for (const auto& a : schema.actions()) collect(a->inputs);
  for (const auto& s : schema.structures()) collect(*s);
  return values;
}

template <typename E>
void CheckCoversSchema(const std::string& member) {
  std::set<std::string> values = SchemaValues(member);
  CHECK_MESSAGE(!values.empty(), "the schema has no enum for " << member);
  for (const std::string& v : values) {
    CAPTURE(v);
    CHECK(ParseName<E>(v).has_value());
  }
}

}  // namespace

TEST_CASE("Enums: every name maps to its value and back, and names are unique and exact") {
  CheckRoundTrip<ChargeType>();
  CheckRoundTrip<InternetChargeType>();
  CheckRoundTrip<RenewFlag>();
  CheckRoundTrip<RestrictState>();
  CheckRoundTrip<DiskType>();
  CheckRoundTrip<ImageState>();
  CheckRoundTrip<ImageSource>();
  CheckRoundTrip<ImageType>();
  CheckRoundTrip<HostType>();
  CheckRoundTrip<InstanceState>();
}

TEST_CASE("Enums: the names are the API's text") {
  CHECK(NameOf(ChargeType::kPostpaidByHour) == "POSTPAID_BY_HOUR");
  CHECK(NameOf(InternetChargeType::kTrafficPostpaidByHour) == "TRAFFIC_POSTPAID_BY_HOUR");
  CHECK(NameOf(RenewFlag::kDisableNotifyAndManualRenew) == "DISABLE_NOTIFY_AND_MANUAL_RENEW");
  CHECK(NameOf(DiskType::kCloudPremium) == "CLOUD_PREMIUM");
  CHECK(NameOf(ImageState::kSyncing) == "SYNCING");
  CHECK(NameOf(ImageSource::kExternalImport) == "EXTERNAL_IMPORT");
  CHECK(NameOf(ImageType::kShared) == "SHARED_IMAGE");
  CHECK(NameOf(HostType::kHs1) == "HS1");
  CHECK(std::string(StateName(InstanceState::kLaunchFailed)) == "LAUNCH_FAILED");
  CHECK(IsCloudDisk(DiskType::kCloudSsd));
  CHECK_FALSE(IsCloudDisk(DiskType::kLocalSsd));
}

TEST_CASE("Enums: every value the schema allows for these members has a name in its table") {
  CheckCoversSchema<ChargeType>("InstanceChargeType");
  CheckCoversSchema<InternetChargeType>("InternetChargeType");
  CheckCoversSchema<RenewFlag>("RenewFlag");
  CheckCoversSchema<DiskType>("DiskType");
}
