// Bandwidth configurations of an instance: the current one from the record,
// recorded past and scheduled ones around it, in order of start.
#include "state/bandwidth_configs.h"

#include <doctest/doctest.h>

namespace {

using cvm::state::BandwidthConfig;
using cvm::state::Instance;

constexpr cvm::state::TimeMs kDay = 86'400'000;
constexpr cvm::state::TimeMs kCreated = 1'700'000'000'000;
constexpr auto kPrepaidBandwidth = cvm::state::InternetChargeType::kBandwidthPrepaid;

Instance PrepaidInstance() {
  Instance in;
  in.instance_id = "ins-abcd1234";
  in.charge_type = cvm::state::ChargeType::kPrepaid;
  in.renew_flag = cvm::state::RenewFlag::kNotifyAndManualRenew;
  in.created_at = kCreated;
  in.expired_at = kCreated + 30 * kDay;
  in.internet_charge_type = kPrepaidBandwidth;
  in.bandwidth_out = 20;
  in.public_ip = "1.2.3.4";
  return in;
}

}  // namespace

TEST_SUITE("state") {
  TEST_CASE(
      "BandwidthConfigs: with nothing recorded, the record's bandwidth from creation to "
      "ExpiredTime") {
    Instance in = PrepaidInstance();
    auto configs = cvm::state::BandwidthConfigs(in, {}, kCreated + kDay);
    CHECK(configs == std::vector<BandwidthConfig>{
                         {kCreated, kCreated + 30 * kDay, kPrepaidBandwidth, 20, true}});
    in.expired_at.reset();
    in.public_ip.reset();
    CHECK(cvm::state::BandwidthConfigs(in, {}, kCreated)[0] ==
          BandwidthConfig{kCreated, std::nullopt, kPrepaidBandwidth, 20, false});
  }

  TEST_CASE(
      "BandwidthConfigs: the current one starts where the last ended configuration ended; "
      "scheduled ones follow it") {
    Instance in = PrepaidInstance();
    BandwidthConfig past{kCreated, kCreated + 5 * kDay, kPrepaidBandwidth, 10, true};
    BandwidthConfig raised{kCreated + 5 * kDay, kCreated + 8 * kDay, kPrepaidBandwidth, 15, true};
    BandwidthConfig scheduled{kCreated + 20 * kDay, kCreated + 25 * kDay, kPrepaidBandwidth, 50,
                              true};
    auto configs =
        cvm::state::BandwidthConfigs(in, {scheduled, raised, past}, kCreated + 10 * kDay);
    REQUIRE(configs.size() == 4);
    CHECK(configs[0] == past);
    CHECK(configs[1] == raised);
    CHECK(configs[2] == BandwidthConfig{kCreated + 8 * kDay, kCreated + 30 * kDay,
                                        kPrepaidBandwidth, 20, true});
    CHECK(configs[3] == scheduled);
  }

  TEST_CASE(
      "CheckListsBandwidthConfigs: only BANDWIDTH_PREPAID bandwidth; anything else is "
      "InvalidInstance.NotSupported") {
    Instance in = PrepaidInstance();
    CHECK(cvm::state::CheckListsBandwidthConfigs(in).ok());
    for (auto other : {cvm::state::InternetChargeType::kTrafficPostpaidByHour,
                       cvm::state::InternetChargeType::kBandwidthPostpaidByHour,
                       cvm::state::InternetChargeType::kBandwidthPackage}) {
      in.internet_charge_type = other;
      auto status = cvm::state::CheckListsBandwidthConfigs(in);
      REQUIRE_FALSE(status.ok());
      CHECK(status.error().code() == "InvalidInstance.NotSupported");
    }
    in.internet_charge_type.reset();
    CHECK_FALSE(cvm::state::CheckListsBandwidthConfigs(in).ok());
  }
}
