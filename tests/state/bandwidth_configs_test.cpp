// Bandwidth configurations of an instance: recorded past and scheduled ones,
// the record's own bandwidth between them, in order of start; and the one in
// force at an instant.
#include "state/bandwidth_configs.h"

#include <doctest/doctest.h>

#include "state/instance_rules.h"

// Named, for the test group this file compiles in (tests/CMakeLists.txt).
namespace bandwidth_configs_test {

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
      "BandwidthConfigs: recorded configurations in their periods, the record's own bandwidth "
      "in every period between them, from creation to ExpiredTime without a gap (D-180)") {
    Instance in = PrepaidInstance();
    BandwidthConfig past{kCreated + 2 * kDay, kCreated + 5 * kDay, kPrepaidBandwidth, 40, true};
    BandwidthConfig raised{kCreated + 5 * kDay, kCreated + 8 * kDay, kPrepaidBandwidth, 25, true};
    BandwidthConfig scheduled{kCreated + 20 * kDay, kCreated + 25 * kDay, kPrepaidBandwidth, 50,
                              true};
    auto own = [](cvm::state::TimeMs start, cvm::state::TimeMs end) {
      return BandwidthConfig{start, end, kPrepaidBandwidth, 20, true};
    };
    auto configs =
        cvm::state::BandwidthConfigs(in, {scheduled, raised, past}, kCreated + 10 * kDay);
    CHECK(configs == std::vector<BandwidthConfig>{own(kCreated, kCreated + 2 * kDay), past, raised,
                                                  own(kCreated + 8 * kDay, kCreated + 20 * kDay),
                                                  scheduled,
                                                  own(kCreated + 25 * kDay, kCreated + 30 * kDay)});
  }

  TEST_CASE(
      "BandwidthConfigs: a configuration that ends at ExpiredTime is the last; the own bandwidth "
      "comes back when a renewal moves ExpiredTime on") {
    Instance in = PrepaidInstance();
    BandwidthConfig to_expiry{kCreated + 10 * kDay, kCreated + 30 * kDay, kPrepaidBandwidth, 50,
                              true};
    auto configs = cvm::state::BandwidthConfigs(in, {to_expiry}, kCreated + kDay);
    REQUIRE(configs.size() == 2);
    CHECK(configs[1] == to_expiry);
    in.renew_flag = cvm::state::RenewFlag::kNotifyAndAutoRenew;
    configs = cvm::state::BandwidthConfigs(in, {to_expiry}, kCreated + 31 * kDay);
    REQUIRE(configs.size() == 3);
    CHECK(configs[2].start == kCreated + 30 * kDay);
    CHECK(configs[2].end == cvm::state::AddMonths(kCreated + 30 * kDay, 1));
    CHECK(configs[2].bandwidth_out == 20);
  }

  TEST_CASE(
      "BandwidthInForce: the recorded configuration holding the instant, else the record's own") {
    Instance in = PrepaidInstance();
    std::vector<BandwidthConfig> recorded{
        {kCreated + 5 * kDay, kCreated + 8 * kDay, kPrepaidBandwidth, 25, true}};
    CHECK(cvm::state::BandwidthInForce(in, recorded, kCreated + 5 * kDay - 1) == 20);
    CHECK(cvm::state::BandwidthInForce(in, recorded, kCreated + 5 * kDay) == 25);
    CHECK(cvm::state::BandwidthInForce(in, recorded, kCreated + 8 * kDay - 1) == 25);
    CHECK(cvm::state::BandwidthInForce(in, recorded, kCreated + 8 * kDay) == 20);
    CHECK(cvm::state::BandwidthInForce(in, {}, kCreated + 6 * kDay) == 20);
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

}  // namespace bandwidth_configs_test
