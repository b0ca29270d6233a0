// Error codes of ResetInstancesType, ResizeInstanceDisks,
// ModifyInstancesVpcAttribute and their price inquiries that the emulator
// cannot produce by itself, each injected through the fault path
// (Settings::AddFault, what POST /_emulator/faults does): the code comes back
// once, the refused call changes nothing, and the same call then succeeds.
//
// Codes that cannot be produced, and why:
//
//   all five
//     InternalServerError               A failure of the real back end; the
//                                       emulator's own unexpected failures
//                                       are InternalError (pipeline boundary).
//     InvalidAccount.InsufficientBalance
//     InvalidAccount.UnpaidOrder        The account balance is unlimited and
//                                       no order goes unpaid (D-130).
//                                       (ModifyInstancesVpcAttribute does not
//                                       list them.)
//   ResetInstancesType, InquiryPriceResetInstancesType
//     InvalidPermission                 There is no permission model besides
//                                       the signature.
//   ResizeInstanceDisks, InquiryPriceResizeInstanceDisks
//     InvalidInstance.NotSupported      Only for an instance on a dedicated
//                                       host (CDHPAID, D-131), which no action
//                                       creates yet: the refusal is shown on a
//                                       record put in place through the store
//                                       (tests/state/reconfiguration_service_test.cpp).
//                                       A local data disk has no DiskId and is
//                                       never picked without one (D-112).
//   ModifyInstancesVpcAttribute
//     EniNotAllowedChangeSubnet         Instances with an elastic network
//                                       interface: the emulator models none.
//     InvalidInstance.NotSupported      Instances bound to a load balancer or
//                                       of a kind that cannot move: none is
//                                       modelled.
//
// Every other code of the five tables is produced for real in
// reconfiguration_test.cpp and pricing_reconfiguration_test.cpp
// (InvalidParameter, a request the decoder cannot read, below).
#include <doctest/doctest.h>

#include <string>

#include "tests/handlers/instance_test_support.h"
#include "tests/support/db_snapshot.h"

namespace {

using namespace cvm::testing;
using namespace cvm::testing::instances;
using nlohmann::json;

// Injects `code` into the next `action` on a fresh STOPPED instance with a
// 100 GB cloud data disk in a VPC; `params` builds the request for its ID.
// The faulted call changes nothing; the retry succeeds.
void ExpectInjected(const std::string& action, const std::string& code,
                    json (*params)(const std::string&)) {
  TestApi api;
  std::string id = Stopped(
      api, {{"DataDisks", {{{"DiskType", "CLOUD_BASIC"}, {"DiskSize", 100}}}},
            {"VirtualPrivateCloud", {{"VpcId", "vpc-aaaa1111"}, {"SubnetId", "subnet-aaaa1111"}}}});
  DbSnapshot before = LockAndSnapshot(api.emulator().db());
  bool first = true;
  ExpectInjectedOnce(api, action, code, [&] {
    json r = api.Call(action, params(id));
    if (first) {
      CHECK(LockAndSnapshot(api.emulator().db()) == before);
      first = false;
    }
    return r;
  });
}

json NewType(const std::string& id) {
  return {{"InstanceIds", {id}}, {"InstanceType", "S1.SMALL2"}};
}
json Grow(const std::string& id) {
  return {{"InstanceId", id}, {"DataDisks", {{{"DiskSize", 200}}}}};
}
json Move(const std::string& id) {
  return {{"InstanceIds", {id}},
          {"VirtualPrivateCloud", {{"VpcId", "vpc-bbbb2222"}, {"SubnetId", "subnet-bbbb2222"}}}};
}

}  // namespace

TEST_SUITE("handlers") {
  TEST_CASE(
      "ResetInstancesType and InquiryPriceResetInstancesType: injected "
      "codes come back once and change nothing") {
    for (const char* action : {"ResetInstancesType", "InquiryPriceResetInstancesType"}) {
      for (const char* code : {"InternalServerError", "InvalidAccount.InsufficientBalance",
                               "InvalidAccount.UnpaidOrder", "InvalidPermission"}) {
        CAPTURE(action);
        CAPTURE(code);
        ExpectInjected(action, code, NewType);
      }
    }
  }

  TEST_CASE(
      "ResizeInstanceDisks and InquiryPriceResizeInstanceDisks: injected "
      "codes come back once and change nothing") {
    for (const char* action : {"ResizeInstanceDisks", "InquiryPriceResizeInstanceDisks"}) {
      for (const char* code : {"InternalServerError", "InvalidAccount.InsufficientBalance",
                               "InvalidAccount.UnpaidOrder", "InvalidInstance.NotSupported"}) {
        CAPTURE(action);
        CAPTURE(code);
        ExpectInjected(action, code, Grow);
      }
    }
  }

  TEST_CASE(
      "ModifyInstancesVpcAttribute: injected codes come back once and "
      "change nothing") {
    for (const char* code : {"EniNotAllowedChangeSubnet", "InvalidInstance.NotSupported"}) {
      CAPTURE(code);
      ExpectInjected("ModifyInstancesVpcAttribute", code, Move);
    }
  }

  TEST_CASE(
      "ResetInstancesType and its inquiry: a body that is not a JSON "
      "object is InvalidParameter") {
    TestApi api;
    for (const char* action : {"ResetInstancesType", "InquiryPriceResetInstancesType"}) {
      json r = api.Call(action, json::array({"ins-abcd1234"}));
      CHECK_MESSAGE(CodeOf(r) == "InvalidParameter", r.dump());
    }
  }
}
