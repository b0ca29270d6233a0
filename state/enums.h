// The API's enumerated values that the state keeps or decides on, each with
// ONE table of names: the text the API and the database use for it. Nothing
// else spells these names; stores write NameOf(value) and read it back with
// ParseName, so the database holds the same text as before they were enums.
//
// To add an enum: declare it, then specialize EnumNames right below it with
// one entry per value, in declaration order (checked at compile time).
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

namespace cvm::state {

template <typename E>
struct EnumEntry {
  E value;
  std::string_view name;
};

// Specialized once per enum: `static constexpr EnumEntry<E> kNames[]`.
template <typename E>
struct EnumNames;

template <typename E>
concept NamedEnum = requires {
  EnumNames<E>::kNames;
};

// True iff the table lists every value 0..N-1 in order, each once.
template <typename E>
constexpr bool InDeclarationOrder() {
  size_t i = 0;
  for (const EnumEntry<E>& e : EnumNames<E>::kNames) {
    if (static_cast<size_t>(e.value) != i++) return false;
  }
  return true;
}

// The name of `value` ("PREPAID"). The view points at a string literal, so
// it is also null-terminated.
template <NamedEnum E>
constexpr std::string_view NameOf(E value) {
  static_assert(InDeclarationOrder<E>(), "an EnumNames table is out of declaration order");
  return EnumNames<E>::kNames[static_cast<size_t>(value)].name;
}

// The value named `name`, exactly as the table spells it, or nullopt.
template <NamedEnum E>
constexpr std::optional<E> ParseName(std::string_view name) {
  for (const EnumEntry<E>& e : EnumNames<E>::kNames) {
    if (e.name == name) return e.value;
  }
  return std::nullopt;
}

// How an instance is paid for (InstanceChargeType).
enum class ChargeType { kPrepaid, kPostpaidByHour, kCdhPaid, kSpotPaid };
template <>
struct EnumNames<ChargeType> {
  static constexpr EnumEntry<ChargeType> kNames[] = {
      {ChargeType::kPrepaid, "PREPAID"},
      {ChargeType::kPostpaidByHour, "POSTPAID_BY_HOUR"},
      {ChargeType::kCdhPaid, "CDHPAID"},
      {ChargeType::kSpotPaid, "SPOTPAID"},
  };
};

// How public network traffic is paid for (InternetAccessible.InternetChargeType).
enum class InternetChargeType {
  kBandwidthPrepaid,
  kTrafficPostpaidByHour,
  kBandwidthPostpaidByHour,
  kBandwidthPackage,
  kBandwidthPostpaidByMonth,
};
template <>
struct EnumNames<InternetChargeType> {
  static constexpr EnumEntry<InternetChargeType> kNames[] = {
      {InternetChargeType::kBandwidthPrepaid, "BANDWIDTH_PREPAID"},
      {InternetChargeType::kTrafficPostpaidByHour, "TRAFFIC_POSTPAID_BY_HOUR"},
      {InternetChargeType::kBandwidthPostpaidByHour, "BANDWIDTH_POSTPAID_BY_HOUR"},
      {InternetChargeType::kBandwidthPackage, "BANDWIDTH_PACKAGE"},
      {InternetChargeType::kBandwidthPostpaidByMonth, "BANDWIDTH_POSTPAID_BY_MONTH"},
  };
};

// What happens when a PREPAID subscription ends (RenewFlag).
enum class RenewFlag { kNotifyAndAutoRenew, kNotifyAndManualRenew, kDisableNotifyAndManualRenew };
template <>
struct EnumNames<RenewFlag> {
  static constexpr EnumEntry<RenewFlag> kNames[] = {
      {RenewFlag::kNotifyAndAutoRenew, "NOTIFY_AND_AUTO_RENEW"},
      {RenewFlag::kNotifyAndManualRenew, "NOTIFY_AND_MANUAL_RENEW"},
      {RenewFlag::kDisableNotifyAndManualRenew, "DISABLE_NOTIFY_AND_MANUAL_RENEW"},
  };
};

// Instance.RestrictState.
enum class RestrictState { kNormal, kExpired, kProtectivelyIsolated };
template <>
struct EnumNames<RestrictState> {
  static constexpr EnumEntry<RestrictState> kNames[] = {
      {RestrictState::kNormal, "NORMAL"},
      {RestrictState::kExpired, "EXPIRED"},
      {RestrictState::kProtectivelyIsolated, "PROTECTIVELY_ISOLATED"},
  };
};

// Kinds of disk (DiskType).
enum class DiskType { kLocalBasic, kLocalSsd, kCloudBasic, kCloudPremium, kCloudSsd };
template <>
struct EnumNames<DiskType> {
  static constexpr EnumEntry<DiskType> kNames[] = {
      {DiskType::kLocalBasic, "LOCAL_BASIC"}, {DiskType::kLocalSsd, "LOCAL_SSD"},
      {DiskType::kCloudBasic, "CLOUD_BASIC"}, {DiskType::kCloudPremium, "CLOUD_PREMIUM"},
      {DiskType::kCloudSsd, "CLOUD_SSD"},
  };
};
constexpr bool IsCloudDisk(DiskType t) {
  return t == DiskType::kCloudBasic || t == DiskType::kCloudPremium || t == DiskType::kCloudSsd;
}

// Image.ImageState. A custom image is CREATING, IMPORTING or SYNCING until
// it is ready, then NORMAL.
enum class ImageState { kCreating, kImporting, kSyncing, kNormal };
template <>
struct EnumNames<ImageState> {
  static constexpr EnumEntry<ImageState> kNames[] = {
      {ImageState::kCreating, "CREATING"},
      {ImageState::kImporting, "IMPORTING"},
      {ImageState::kSyncing, "SYNCING"},
      {ImageState::kNormal, "NORMAL"},
  };
};

// Image.ImageSource: the catalog's public images are OFFICIAL.
enum class ImageSource { kOfficial, kCreateImage, kExternalImport };
template <>
struct EnumNames<ImageSource> {
  static constexpr EnumEntry<ImageSource> kNames[] = {
      {ImageSource::kOfficial, "OFFICIAL"},
      {ImageSource::kCreateImage, "CREATE_IMAGE"},
      {ImageSource::kExternalImport, "EXTERNAL_IMPORT"},
  };
};

// Image.ImageType, as the caller sees an image.
enum class ImageType { kPublic, kPrivate, kShared };
template <>
struct EnumNames<ImageType> {
  static constexpr EnumEntry<ImageType> kNames[] = {
      {ImageType::kPublic, "PUBLIC_IMAGE"},
      {ImageType::kPrivate, "PRIVATE_IMAGE"},
      {ImageType::kShared, "SHARED_IMAGE"},
  };
};

// Dedicated host models (HostType); HS1 is the only one (D-126).
enum class HostType { kHs1 };
template <>
struct EnumNames<HostType> {
  static constexpr EnumEntry<HostType> kNames[] = {
      {HostType::kHs1, "HS1"},
  };
};

}  // namespace cvm::state
