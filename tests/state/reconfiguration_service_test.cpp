// ResetInstancesType, ResizeInstanceDisks and ModifyInstancesVpcAttribute
// (state/reconfiguration_service.h) over records put in place through the
// store: the kinds of instance no action can create yet (CDHPAID instances,
// an instance in a zone that sells few types), and the lifecycle of a
// stop-change-start on explicit times. A ":memory:" database throughout.
#include <doctest/doctest.h>

#include <string>

#include "state/accounts.h"
#include "state/catalog.h"
#include "state/database.h"
#include "state/instance.h"
#include "state/instance_store.h"
#include "state/migrations.h"
#include "state/random.h"
#include "state/reconfiguration_service.h"
#include "tests/state/billing_test_support.h"

// A namespace of its own: this file compiles in one unit with others
// (tests/CMakeLists.txt), whose file-local names may be the same.
namespace reconfiguration_service_test {

namespace {

using cvm::state::ChargeType;
using cvm::state::Disk;
using cvm::state::DiskType;
using cvm::state::Instance;
using cvm::state::InstanceState;
using cvm::state::ReconfigurationChange;
using cvm::state::TimeMs;

constexpr int64_t kApp = 1250000000;
const std::string kRegion = "ap-guangzhou";
constexpr TimeMs kNow = 1'700'000'000'000;

// The billing tests' world (a ":memory:" database, a Scope at an instant)
// with instances to change.
struct World : cvm::testing::billing::World {
  // An S1.SMALL1 instance with a cloud system disk and one 100 GB cloud data
  // disk, RUNNING; `edit` changes it before it is stored.
  template <typename Edit>
  std::string Put(const std::string& id, Edit edit) {
    Instance in;
    in.app_id = kApp;
    in.region = kRegion;
    in.instance_id = id;
    in.zone = "ap-guangzhou-3";
    in.instance_type = "S1.SMALL1";
    in.cpu = 1;
    in.memory = 1;
    in.image_id = "img-eb30mz89";
    in.os_name = "CentOS 7.5 64位";
    in.private_ip = "10.0.0.2";
    in.system_disk = Disk{DiskType::kCloudBasic, std::string("disk-sys00001"), 50, true};
    in.data_disks = {Disk{DiskType::kCloudBasic, std::string("disk-dat00001"), 100, true}};
    edit(in);
    store.Insert(in);
    return id;
  }
  Instance Get(const std::string& id, TimeMs now) {
    auto in = store.Find(kApp, kRegion, id, now);
    REQUIRE(in.has_value());
    return *in;
  }
};

template <typename T>
std::string CodeOf(const cvm::Result<T>& r) {
  return r.ok() ? "" : std::string(r.error().code());
}

cvm::state::ResetInstancesTypeRequest NewType(const std::string& id, const std::string& type,
                                              bool force = false) {
  return {{id}, type, force};
}

cvm::state::ResizeInstanceDisksRequest Grow(const std::string& id, int64_t size,
                                            bool force = false) {
  return {id, {{std::nullopt, size}}, force};
}

}  // namespace

TEST_SUITE("state") {
  TEST_CASE(
      "ResetInstancesType and ResizeInstanceDisks: a CDHPAID instance is "
      "InvalidInstance.NotSupported (D-131)") {
    World w;
    std::string id = w.Put("ins-cdh00001", [](Instance& in) {
      in.charge_type = ChargeType::kCdhPaid;
      in.host_id = "host-abcd1234";
      in.lifecycle.rest = InstanceState::kStopped;
    });
    CHECK(CodeOf(PlanResetInstancesType(w.Scope(kNow), NewType(id, "S1.SMALL2"),
                                        "ResetInstancesType")) == "InvalidInstance.NotSupported");
    CHECK(CodeOf(PlanResizeInstanceDisks(w.Scope(kNow), Grow(id, 200), "ResizeInstanceDisks")) ==
          "InvalidInstance.NotSupported");
  }

  TEST_CASE(
      "ResetInstancesType: a type of the family that the instance's zone does not sell is "
      "InvalidParameterValue") {
    World w;
    // ap-guangzhou-open-1 sells only the new generation (S3, S5, SN3ne, C3, M2).
    std::string id = w.Put("ins-open0001", [](Instance& in) {
      in.zone = "ap-guangzhou-open-1";
      in.lifecycle.rest = InstanceState::kStopped;
    });
    auto plan =
        PlanResetInstancesType(w.Scope(kNow), NewType(id, "S1.SMALL2"), "ResetInstancesType");
    REQUIRE(CodeOf(plan) == "InvalidParameterValue");
    CHECK(plan.error().message().find("not sold in ap-guangzhou-open-1") != std::string::npos);
  }

  TEST_CASE(
      "ResetInstancesType: RUNNING with ForceStop stores the new type at once and goes STOPPING, "
      "STARTING, RUNNING") {
    World w;
    std::string id = w.Put("ins-run00001", [](Instance&) {});
    auto plan = PlanResetInstancesType(w.Scope(kNow), NewType(id, "S1.MEDIUM4", true),
                                       "ResetInstancesType");
    REQUIRE(plan.ok());
    cvm::state::ApplyReconfiguration(w.Scope(kNow), *plan);
    Instance after = w.Get(id, kNow);
    CHECK(after.instance_type == "S1.MEDIUM4");
    CHECK(after.cpu == 2);
    CHECK(after.memory == 4);
    CHECK(after.Observe(kNow) == InstanceState::kStopping);
    CHECK(after.Observe(kNow + 7'000 - 1) == InstanceState::kStopping);
    CHECK(after.Observe(kNow + 7'000) == InstanceState::kStarting);
    CHECK(after.Observe(kNow + 10'000 - 1) == InstanceState::kStarting);
    CHECK(after.Observe(kNow + 10'000) == InstanceState::kRunning);
    // While the change runs, another one is MutexOperation.TaskRunning, in
    // either phase; once it is RUNNING again, the next one is accepted.
    for (TimeMs t : {kNow + 1, kNow + 8'000}) {
      CHECK(CodeOf(PlanResetInstancesType(w.Scope(t), NewType(id, "S1.SMALL2", true),
                                          "ResetInstancesType")) == "MutexOperation.TaskRunning");
      CHECK(CodeOf(PlanResizeInstanceDisks(w.Scope(t), Grow(id, 200, true),
                                           "ResizeInstanceDisks")) == "MutexOperation.TaskRunning");
    }
    CHECK(PlanResetInstancesType(w.Scope(kNow + 10'000), NewType(id, "S1.SMALL2", true),
                                 "ResetInstancesType")
              .ok());
  }

  TEST_CASE("ResizeInstanceDisks: a STOPPED instance's disk grows and the instance stays STOPPED") {
    World w;
    std::string id =
        w.Put("ins-stop0001", [](Instance& in) { in.lifecycle.rest = InstanceState::kStopped; });
    auto plan = PlanResizeInstanceDisks(w.Scope(kNow), Grow(id, 300), "ResizeInstanceDisks");
    REQUIRE(plan.ok());
    cvm::state::ApplyReconfiguration(w.Scope(kNow), *plan);
    Instance after = w.Get(id, kNow);
    CHECK(after.data_disks.at(0).size_gb == 300);
    CHECK(after.Observe(kNow) == InstanceState::kStopped);
    CHECK(after.Observe(kNow + 3'600'000) == InstanceState::kStopped);
  }

  TEST_CASE(
      "ResizeInstanceDisks: a local data disk cannot be picked without its ID, and a cloud disk "
      "stops at 16000 GB") {
    World w;
    std::string local = w.Put("ins-loc00001", [](Instance& in) {
      in.data_disks = {Disk{DiskType::kLocalBasic, std::nullopt, 100, true}};
      in.lifecycle.rest = InstanceState::kStopped;
    });
    CHECK(CodeOf(PlanResizeInstanceDisks(w.Scope(kNow), Grow(local, 200), "ResizeInstanceDisks")) ==
          "InvalidParameterValue");
    std::string cloud =
        w.Put("ins-big00001", [](Instance& in) { in.lifecycle.rest = InstanceState::kStopped; });
    CHECK(PlanResizeInstanceDisks(w.Scope(kNow), Grow(cloud, 16000), "ResizeInstanceDisks").ok());
    CHECK(CodeOf(PlanResizeInstanceDisks(w.Scope(kNow), Grow(cloud, 16010),
                                         "ResizeInstanceDisks")) == "InvalidParameterValue.Range");
  }
}

}  // namespace reconfiguration_service_test
