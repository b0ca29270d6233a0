// Accounts and API keys from an accounts file (README "Accounts").
#include <doctest/doctest.h>

#include <stdexcept>
#include <string>

#include "state/accounts.h"

namespace {

using cvm::state::AccountRegistry;

constexpr char kTwoAccounts[] = R"({
  "accounts": [
    {"AppId": 1250000000, "Uin": "100000000001", "Name": "alice",
     "Keys": [{"SecretId": "AKIDalice1", "SecretKey": "alice-key-1"},
              {"SecretId": "AKIDalice2", "SecretKey": "alice-key-2", "Token": "tmp-token"}]},
    {"AppId": 1250000001, "Uin": 100000000002,
     "Keys": [{"SecretId": "AKIDbob", "SecretKey": "bob-key", "Token": null}]}
  ]
})";

std::string OneAccount(std::string_view keys) {
  return R"({"accounts":[{"AppId":1,"Uin":"1","Keys":[)" + std::string(keys) + "]}]}";
}

TEST_CASE("AccountRegistry::FromJson: reads every account and key of a valid file") {
  AccountRegistry registry = AccountRegistry::FromJson(kTwoAccounts);
  REQUIRE(registry.accounts().size() == 2);
  CHECK(registry.primary().app_id == 1250000000);
  CHECK(registry.primary().name == "alice");

  auto alice2 = registry.FindKey("AKIDalice2");
  REQUIRE(alice2.has_value());
  CHECK(alice2->account->uin == "100000000001");
  CHECK(alice2->credential->secret_key == "alice-key-2");
  CHECK(alice2->credential->token == "tmp-token");
  CHECK_FALSE(registry.FindKey("AKIDalice1")->credential->token.has_value());

  auto bob = registry.FindKey("AKIDbob");
  REQUIRE(bob.has_value());
  CHECK(bob->account->app_id == 1250000001);
  CHECK(bob->account->uin == "100000000002");  // a numeric Uin is read as text
  CHECK(bob->account->name == "100000000002");  // no Name: the Uin
  CHECK_FALSE(bob->credential->token.has_value());  // a null Token is no token

  CHECK(registry.FindByUin("100000000002") == bob->account);
  CHECK(registry.FindByAppId(1250000000) == &registry.primary());
  CHECK_FALSE(registry.FindKey("AKIDnobody").has_value());
  CHECK(registry.FindByUin("999") == nullptr);
  CHECK(registry.FindByAppId(7) == nullptr);
}

TEST_CASE("AccountRegistry::FromJson: a bare array of accounts is accepted too") {
  AccountRegistry registry = AccountRegistry::FromJson(
      R"([{"AppId":1,"Uin":"1","Keys":[{"SecretId":"AKIDone","SecretKey":"k"}]}])");
  CHECK(registry.FindKey("AKIDone").has_value());
}

TEST_CASE("AccountRegistry::FromJson: a SecretId used twice is refused, within an account or across two") {
  CHECK_THROWS_WITH_AS(AccountRegistry::FromJson(OneAccount(
                           R"({"SecretId":"AKIDsame","SecretKey":"a"},{"SecretId":"AKIDsame","SecretKey":"b"})")),
                       doctest::Contains("duplicate SecretId AKIDsame"), std::runtime_error);
  CHECK_THROWS_WITH_AS(AccountRegistry::FromJson(R"({"accounts":[
      {"AppId":1,"Uin":"1","Keys":[{"SecretId":"AKIDsame","SecretKey":"a"}]},
      {"AppId":2,"Uin":"2","Keys":[{"SecretId":"AKIDsame","SecretKey":"b"}]}]})"),
                       doctest::Contains("duplicate SecretId AKIDsame"), std::runtime_error);
}

TEST_CASE("AccountRegistry::FromJson: an AppId used twice is refused") {
  CHECK_THROWS_WITH_AS(AccountRegistry::FromJson(R"({"accounts":[
      {"AppId":7,"Uin":"1","Keys":[{"SecretId":"AKIDa","SecretKey":"a"}]},
      {"AppId":7,"Uin":"2","Keys":[{"SecretId":"AKIDb","SecretKey":"b"}]}]})"),
                       doctest::Contains("duplicate AppId 7"), std::runtime_error);
}

TEST_CASE("AccountRegistry::FromJson: a Uin used twice is refused") {
  CHECK_THROWS_WITH_AS(AccountRegistry::FromJson(R"({"accounts":[
      {"AppId":1,"Uin":"42","Keys":[{"SecretId":"AKIDa","SecretKey":"a"}]},
      {"AppId":2,"Uin":42,"Keys":[{"SecretId":"AKIDb","SecretKey":"b"}]}]})"),
                       doctest::Contains("duplicate Uin 42"), std::runtime_error);
}

TEST_CASE("AccountRegistry::FromJson: a SecretId that does not start with AKID is refused") {
  CHECK_THROWS_WITH_AS(AccountRegistry::FromJson(OneAccount(R"({"SecretId":"akidlower","SecretKey":"a"})")),
                       doctest::Contains("must start with AKID"), std::runtime_error);
  CHECK_THROWS_AS(AccountRegistry::FromJson(OneAccount(R"({"SecretId":"","SecretKey":"a"})")),
                  std::runtime_error);
}

TEST_CASE("AccountRegistry::FromJson: an empty SecretKey, a missing field, bad JSON or no accounts are refused") {
  CHECK_THROWS_WITH_AS(AccountRegistry::FromJson(OneAccount(R"({"SecretId":"AKIDa","SecretKey":""})")),
                       doctest::Contains("empty SecretKey"), std::runtime_error);
  CHECK_THROWS_WITH_AS(AccountRegistry::FromJson(OneAccount(R"({"SecretId":"AKIDa"})")),
                       doctest::Contains("malformed account entry"), std::runtime_error);
  CHECK_THROWS_WITH_AS(AccountRegistry::FromJson(R"({"accounts":[{"Uin":"1","Keys":[]}]})"),
                       doctest::Contains("malformed account entry"), std::runtime_error);
  CHECK_THROWS_WITH_AS(AccountRegistry::FromJson("{not json"), doctest::Contains("not valid JSON"),
                       std::runtime_error);
  CHECK_THROWS_WITH_AS(AccountRegistry::FromJson(R"({"users":[]})"), doctest::Contains("\"accounts\""),
                       std::runtime_error);
  CHECK_THROWS_WITH_AS(AccountRegistry::FromJson(R"({"accounts":{}})"), doctest::Contains("must be an array"),
                       std::runtime_error);
  CHECK_THROWS_WITH_AS(AccountRegistry::FromJson(R"({"accounts":[]})"), doctest::Contains("no accounts"),
                       std::runtime_error);
}

TEST_CASE("AccountRegistry::FromFile: a file that cannot be read is refused with its path") {
  CHECK_THROWS_WITH_AS(AccountRegistry::FromFile("/nonexistent/cvm-accounts.json"),
                       doctest::Contains("/nonexistent/cvm-accounts.json"), std::runtime_error);
}

TEST_CASE("AccountRegistry::Default: the one development account with the documented example key") {
  AccountRegistry registry = AccountRegistry::Default();
  REQUIRE(registry.accounts().size() == 1);
  CHECK(registry.primary().app_id == 1250000000);
  CHECK(registry.primary().uin == "100000000001");
  auto key = registry.FindKey("AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE");
  REQUIRE(key.has_value());
  CHECK(key->account == &registry.primary());
  CHECK(key->credential->secret_key == "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE");
  CHECK_FALSE(key->credential->token.has_value());
}

}  // namespace
