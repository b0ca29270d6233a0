// The seven key pair actions through the in-process API: CreateKeyPair,
// ImportKeyPair, DescribeKeyPairs, ModifyKeyPairAttribute, DeleteKeyPairs,
// AssociateInstancesKeyPairs, DisassociateInstancesKeyPairs (the document's key
// pair sections; D-107, D-110, D-117, D-118; docs/decisions.md D-30..D-37).
// Every code of their tables the emulator can produce is produced here, each
// refusal read back to show nothing changed.
//
// Codes of their tables the emulator cannot produce, and why (each is
// injected once through the fault path at the end of this file):
//
//   all seven
//     InternalServerError            A failure of the real back end. The
//                                    emulator's own unexpected failures are
//                                    InternalError (pipeline boundary).
//   DeleteKeyPairs, DescribeKeyPairs
//     InvalidKeyPair.LimitExceeded   The key pair quota: neither action
//                                    creates a key pair, so neither can
//                                    exceed it (CreateKeyPair and
//                                    ImportKeyPair give it, below).
//   AssociateInstancesKeyPairs, DisassociateInstancesKeyPairs
//     InvalidInstance.NotSupported   Could be read as the code for Windows
//                                    instances and wrong states; D-118 and
//                                    D-105/D-107 (see D-35) chose
//                                    UnsupportedOperation.KeyPairUnsupportedWindows
//                                    and UnsupportedOperation.InstanceState<S>
//                                    instead, and the emulator has no other
//                                    kind of instance that refuses keys.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "crypto/crypto.h"
#include "state/ssh_keys.h"
#include "state/clock.h"
#include "tests/handlers/instance_test_support.h"

// Named, for the test group this file compiles in (tests/CMakeLists.txt).
namespace key_pairs_test {

namespace {

using namespace cvm::testing;
using namespace cvm::testing::instances;
using nlohmann::json;
namespace ssh = cvm::state::ssh;
namespace crypto = cvm::crypto;

constexpr int64_t kAppA = 1250000000;
constexpr const char* kOtherRegion = "ap-shanghai";
constexpr const char* kUnknownKey = "skey-zzzzzzzz";  // well formed, never issued

// A distinct, well-formed ssh-ed25519 public key for each `seed`.
std::string Ed25519Key(int seed, const std::string& comment = "user@host") {
  std::string key(32, 'k');
  key[0] = static_cast<char>(seed);
  key[1] = static_cast<char>(seed >> 8);
  std::string blob = ssh::SshString("ssh-ed25519") + ssh::SshString(key);
  return "ssh-ed25519 " + crypto::Base64Encode(blob) + (comment.empty() ? "" : " " + comment);
}

// "<type> <base64>": the first two words.
std::string TypeAndBlob(const std::string& line) {
  size_t first = line.find(' ');
  return line.substr(0, line.find(' ', first + 1));
}

// CreateKeyPair that must succeed; its KeyPair.
json Create(TestApi& api, const std::string& name, int64_t project = 0, const std::string& region = kRegion,
            const std::string& secret = kSecretA) {
  json r = api.Call("CreateKeyPair", {{"KeyName", name}, {"ProjectId", project}}, region, secret);
  REQUIRE_MESSAGE(CodeOf(r) == "", r.dump());
  return r["KeyPair"];
}

// ImportKeyPair that must succeed; the new KeyId.
std::string Import(TestApi& api, const std::string& name, const std::string& public_key, int64_t project = 0,
                   const std::string& region = kRegion, const std::string& secret = kSecretA) {
  json r = api.Call("ImportKeyPair", {{"KeyName", name}, {"ProjectId", project}, {"PublicKey", public_key}},
                    region, secret);
  REQUIRE_MESSAGE(CodeOf(r) == "", r.dump());
  return r["KeyId"].get<std::string>();
}

std::string ImportNth(TestApi& api, int n, const std::string& region = kRegion,
                      const std::string& secret = kSecretA) {
  return Import(api, "key_" + std::to_string(n), Ed25519Key(n), 0, region, secret);
}

// DescribeKeyPairs that must succeed.
json DescribeKeys(TestApi& api, const json& params = json::object(), const std::string& region = kRegion,
                  const std::string& secret = kSecretA) {
  json r = api.Call("DescribeKeyPairs", params, region, secret);
  REQUIRE_MESSAGE(CodeOf(r) == "", r.dump());
  return r;
}

std::vector<std::string> KeyIdsOf(const json& describe) {
  std::vector<std::string> ids;
  for (const json& k : describe["KeyPairSet"]) ids.push_back(k["KeyId"].get<std::string>());
  return ids;
}

// Every key pair of the caller in the region, as DescribeKeyPairs shows them.
json AllKeys(TestApi& api, const std::string& region = kRegion, const std::string& secret = kSecretA) {
  return DescribeKeys(api, {{"Limit", 100}}, region, secret)["KeyPairSet"];
}

// The key pair as DescribeKeyPairs shows it, or null.
json KeyOf(TestApi& api, const std::string& key_id, const std::string& region = kRegion,
           const std::string& secret = kSecretA) {
  json set = DescribeKeys(api, {{"KeyIds", {key_id}}}, region, secret)["KeyPairSet"];
  return set.empty() ? json() : set[0];
}

json KeyIdsOfInstance(TestApi& api, const std::string& instance_id) {
  json in = Describe(api, instance_id);
  REQUIRE(!in.is_null());
  return in["LoginSettings"]["KeyIds"];
}

// Calls `action` and checks the code; the caller's key pairs and the watched
// instances read back exactly as before.
void ExpectRefused(TestApi& api, const std::string& action, const json& params, const std::string& code,
                   const std::vector<std::string>& instances = {}) {
  json keys_before = AllKeys(api);
  std::vector<json> before;
  std::vector<std::string> states;
  for (const std::string& id : instances) {
    before.push_back(Describe(api, id));
    states.push_back(StateOf(api, id));
  }
  json r = api.Call(action, params);
  CHECK_MESSAGE(CodeOf(r) == code, action << " " << params.dump() << " → " << r.dump());
  CHECK(AllKeys(api) == keys_before);
  for (size_t i = 0; i < instances.size(); ++i) {
    CAPTURE(instances[i]);
    CHECK(StateOf(api, instances[i]) == states[i]);
    CHECK(Describe(api, instances[i]) == before[i]);
  }
}

json Ids(const std::string& prefix, int n) {
  json ids = json::array();
  for (int i = 0; i < n; ++i) {
    std::string digits = std::to_string(i);
    ids.push_back(prefix + std::string(8 - digits.size(), '0') + digits);
  }
  return ids;
}

json Bind(const std::vector<std::string>& instances, const std::vector<std::string>& keys, bool force = false) {
  json p = {{"InstanceIds", instances}, {"KeyIds", keys}};
  if (force) p["ForceStop"] = true;
  return p;
}

void SetKeyPairQuota(TestApi& api, int64_t quota) {
  api.Control("/_emulator/quotas", {{"app_id", kAppA}, {"key_pairs", quota}});
}

}  // namespace

TEST_SUITE("handlers") {
  // ---------------------------------------------------------------------
  // CreateKeyPair

  TEST_CASE("CreateKeyPair: returns the whole KeyPair once, with a private key that matches its public key") {
    TestApi api;
    json k = Create(api, "deploy_Key_01", 3);
    std::string id = k["KeyId"].get<std::string>();
    CHECK(id.starts_with("skey-"));
    CHECK(k["KeyName"] == "deploy_Key_01");
    CHECK(k["ProjectId"] == 3);
    CHECK(k["Description"].is_null());
    CHECK(k["AssociatedInstanceIds"] == json::array());
    CHECK(k["CreatedTime"] == cvm::state::FormatIso8601(api.NowSeconds()));
    std::string public_key = k["PublicKey"].get<std::string>();
    std::string private_key = k["PrivateKey"].get<std::string>();
    CHECK(public_key.starts_with("ssh-rsa AAAAB3NzaC1yc2E"));
    CHECK(public_key.ends_with(" " + id));  // the KeyId is the comment (D-33)
    CHECK(private_key.starts_with("-----BEGIN RSA PRIVATE KEY-----\n"));
    CHECK(ssh::OpenSshPublicKeyOfPrivatePem(private_key) == TypeAndBlob(public_key));

    // DescribeKeyPairs never returns the private key (D-33).
    json d = KeyOf(api, id);
    REQUIRE(!d.is_null());
    CHECK(d["PrivateKey"].is_null());
    json expected = k;
    expected["PrivateKey"] = nullptr;
    CHECK(d == expected);
  }

  TEST_CASE("CreateKeyPair: KeyName must be 1..25 letters, digits or underscores") {
    TestApi api;
    ExpectRefused(api, "CreateKeyPair", {{"KeyName", ""}, {"ProjectId", 0}}, "InvalidKeyPairName.Empty");
    ExpectRefused(api, "CreateKeyPair", {{"KeyName", "my-key"}, {"ProjectId", 0}},
                  "InvalidKeyPairName.IncludeIllegalChar");
    ExpectRefused(api, "CreateKeyPair", {{"KeyName", "my key"}, {"ProjectId", 0}},
                  "InvalidKeyPairName.IncludeIllegalChar");
    ExpectRefused(api, "CreateKeyPair", {{"KeyName", "密钥"}, {"ProjectId", 0}},
                  "InvalidKeyPairName.IncludeIllegalChar");
    ExpectRefused(api, "CreateKeyPair", {{"KeyName", std::string(26, 'a')}, {"ProjectId", 0}},
                  "InvalidKeyPairName.TooLong");
    CHECK(Create(api, std::string(25, 'a'))["KeyName"] == std::string(25, 'a'));
  }

  TEST_CASE("CreateKeyPair: a name already used in the account and region is InvalidKeyPairName.Duplicate") {
    TestApi api;
    ImportNth(api, 1);  // named key_1
    ExpectRefused(api, "CreateKeyPair", {{"KeyName", "key_1"}, {"ProjectId", 5}}, "InvalidKeyPairName.Duplicate");
    // Names are per account and region, and case-sensitive.
    Create(api, "key_1", 0, kOtherRegion);
    Create(api, "key_1", 0, kRegion, kSecretB);
    Create(api, "KEY_1");
  }

  TEST_CASE("CreateKeyPair: ProjectId is required and must be a non-negative integer") {
    TestApi api;
    ExpectRefused(api, "CreateKeyPair", {{"KeyName", "k"}, {"ProjectId", -1}}, "InvalidProjectId.NotFound");
    ExpectRefused(api, "CreateKeyPair", {{"KeyName", "k"}, {"ProjectId", "zero"}}, "InvalidParameterValue");
    ExpectRefused(api, "CreateKeyPair", {{"KeyName", "k"}}, "MissingParameter");
    ExpectRefused(api, "CreateKeyPair", {{"ProjectId", 0}}, "MissingParameter");
    CHECK(Create(api, "k", 1000123)["ProjectId"] == 1000123);  // projects are not modelled (D-32)
  }

  TEST_CASE("CreateKeyPair and ImportKeyPair: the account's quota per region gives InvalidKeyPair.LimitExceeded") {
    TestApi api;
    SetKeyPairQuota(api, 2);
    std::string first = ImportNth(api, 1);
    Create(api, "second");
    ExpectRefused(api, "CreateKeyPair", {{"KeyName", "third"}, {"ProjectId", 0}}, "InvalidKeyPair.LimitExceeded");
    ExpectRefused(api, "ImportKeyPair", {{"KeyName", "third"}, {"ProjectId", 0}, {"PublicKey", Ed25519Key(3)}},
                  "InvalidKeyPair.LimitExceeded");
    // Other regions and accounts have their own count.
    ImportNth(api, 3, kOtherRegion);
    ImportNth(api, 3, kRegion, kSecretB);
    ImportNth(api, 4, kRegion, kSecretB);
    ImportNth(api, 5, kRegion, kSecretB);
    // Deleting one makes room again.
    json r = api.Call("DeleteKeyPairs", {{"KeyIds", {first}}});
    REQUIRE(CodeOf(r) == "");
    ImportNth(api, 6);
  }

  // ---------------------------------------------------------------------
  // ImportKeyPair

  TEST_CASE("ImportKeyPair: a real ssh-rsa key is stored without its comment and shown with the KeyId") {
    TestApi api;
    ssh::GeneratedKey generated = ssh::GenerateRsaKeyPair();
    std::string id = Import(api, "laptop", generated.openssh_public + " me@laptop", 8);
    CHECK(id.starts_with("skey-"));
    json k = KeyOf(api, id);
    REQUIRE(!k.is_null());
    CHECK(k["KeyName"] == "laptop");
    CHECK(k["ProjectId"] == 8);
    CHECK(k["Description"].is_null());
    CHECK(k["PublicKey"] == generated.openssh_public + " " + id);
    CHECK(k["PrivateKey"].is_null());
    CHECK(k["AssociatedInstanceIds"] == json::array());
    CHECK(k["CreatedTime"] == cvm::state::FormatIso8601(api.NowSeconds()));
    CHECK(ssh::OpenSshPublicKeyOfPrivatePem(generated.private_pem) == TypeAndBlob(k["PublicKey"]));
  }

  TEST_CASE("ImportKeyPair: ssh-ed25519 and ecdsa-sha2-nistp256 keys are accepted") {
    TestApi api;
    std::string ed = Import(api, "ed", Ed25519Key(1, ""));
    CHECK(KeyOf(api, ed)["PublicKey"] == Ed25519Key(1, ed));
    std::string ecdsa =
        "ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBL0Ei7QWagTLMR8j509F9ChhQU5T"
        "TVj4HimYaomEOIE/4jwm2AYoDY9H8jHfRMpUzoLHISBT5Kwaceu+dSpmNMA=";
    std::string ec = Import(api, "ec", ecdsa + "\n");
    CHECK(KeyOf(api, ec)["PublicKey"] == ecdsa + " " + ec);
  }

  TEST_CASE("ImportKeyPair: a malformed public key is InvalidPublicKey.Malformed") {
    TestApi api;
    std::string ed = TypeAndBlob(Ed25519Key(1));
    for (const std::string& bad :
         {std::string(""), std::string("hello"), "ssh-dss " + ed.substr(12), "ssh-rsa " + ed.substr(12),
          std::string("ssh-ed25519 !!!!"), ed.substr(0, ed.size() - 4), ed + "\n" + ed,
          std::string("-----BEGIN RSA PRIVATE KEY-----\nMIIC\n-----END RSA PRIVATE KEY-----")}) {
      CAPTURE(bad);
      ExpectRefused(api, "ImportKeyPair", {{"KeyName", "k"}, {"ProjectId", 0}, {"PublicKey", bad}},
                    "InvalidPublicKey.Malformed");
    }
  }

  TEST_CASE("ImportKeyPair: the same key again (comment ignored) is InvalidPublicKey.Duplicate, per account and region") {
    TestApi api;
    std::string id = Import(api, "first", Ed25519Key(7, "a@b"));
    json r = api.Call("ImportKeyPair", {{"KeyName", "second"}, {"ProjectId", 0}, {"PublicKey", Ed25519Key(7, "c@d")}});
    CHECK(CodeOf(r) == "InvalidPublicKey.Duplicate");
    CHECK(r["Error"]["Message"].get<std::string>().find(id) != std::string::npos);
    CHECK(AllKeys(api).size() == 1);
    Import(api, "second", Ed25519Key(7), 0, kOtherRegion);
    Import(api, "second", Ed25519Key(7), 0, kRegion, kSecretB);
  }

  TEST_CASE("ImportKeyPair: the name and project rules of CreateKeyPair; missing or mistyped parameters") {
    TestApi api;
    ImportNth(api, 1);
    auto params = [](const json& name, const json& project) {
      return json{{"KeyName", name}, {"ProjectId", project}, {"PublicKey", Ed25519Key(2)}};
    };
    ExpectRefused(api, "ImportKeyPair", params("", 0), "InvalidKeyPairName.Empty");
    ExpectRefused(api, "ImportKeyPair", params("a.b", 0), "InvalidKeyPairName.IncludeIllegalChar");
    ExpectRefused(api, "ImportKeyPair", params(std::string(26, 'x'), 0), "InvalidKeyPairName.TooLong");
    ExpectRefused(api, "ImportKeyPair", params("key_1", 0), "InvalidKeyPairName.Duplicate");
    ExpectRefused(api, "ImportKeyPair", params("k", -3), "InvalidProjectId.NotFound");
    ExpectRefused(api, "ImportKeyPair", params("k", true), "InvalidParameterValue");
    ExpectRefused(api, "ImportKeyPair", {{"KeyName", "k"}, {"ProjectId", 0}, {"PublicKey", 12}}, "InvalidParameterValue");
    ExpectRefused(api, "ImportKeyPair", {{"KeyName", "k"}, {"ProjectId", 0}}, "MissingParameter");
    // Name checks come before the key's: a bad name with a bad key is about the name.
    ExpectRefused(api, "ImportKeyPair", {{"KeyName", "a b"}, {"ProjectId", 0}, {"PublicKey", "x"}},
                  "InvalidKeyPairName.IncludeIllegalChar");
  }

  // ---------------------------------------------------------------------
  // DescribeKeyPairs

  TEST_CASE("DescribeKeyPairs: pages in creation order; TotalCount counts every match") {
    TestApi api;
    std::vector<std::string> all;
    for (int i = 0; i < 25; ++i) all.push_back(ImportNth(api, i));
    json first = DescribeKeys(api);
    CHECK(first["TotalCount"] == 25);
    CHECK(KeyIdsOf(first) == std::vector<std::string>(all.begin(), all.begin() + 20));  // Limit 20 by default
    json page = DescribeKeys(api, {{"Offset", 20}, {"Limit", 10}});
    CHECK(page["TotalCount"] == 25);
    CHECK(KeyIdsOf(page) == std::vector<std::string>(all.begin() + 20, all.end()));
    json past = DescribeKeys(api, {{"Offset", 25}});
    CHECK(past["TotalCount"] == 25);
    CHECK(past["KeyPairSet"] == json::array());
    CHECK(KeyIdsOf(DescribeKeys(api, {{"Offset", 3}, {"Limit", 2}})) == std::vector<std::string>{all[3], all[4]});
  }

  TEST_CASE("DescribeKeyPairs: KeyIds lists the known ones in creation order; unknown well-formed IDs are just absent") {
    TestApi api;
    std::string a = ImportNth(api, 1), b = ImportNth(api, 2);
    ImportNth(api, 3);
    json r = DescribeKeys(api, {{"KeyIds", {b, kUnknownKey, a, b}}});
    CHECK(r["TotalCount"] == 2);
    CHECK(KeyIdsOf(r) == std::vector<std::string>{a, b});
    json none = DescribeKeys(api, {{"KeyIds", {kUnknownKey}}});
    CHECK(none["TotalCount"] == 0);
    CHECK(none["KeyPairSet"] == json::array());
  }

  TEST_CASE("DescribeKeyPairs: filters key-name (exact) and project-id; filters ANDed, values ORed") {
    TestApi api;
    std::string web = Import(api, "web", Ed25519Key(1), 0);
    std::string web2 = Import(api, "web_2", Ed25519Key(2), 7);
    std::string db = Import(api, "db", Ed25519Key(3), 7);
    auto ids = [&](const json& filters) { return KeyIdsOf(DescribeKeys(api, {{"Filters", filters}})); };
    using V = std::vector<std::string>;
    CHECK(ids({{{"Name", "key-name"}, {"Values", {"web"}}}}) == V{web});
    CHECK(ids({{{"Name", "key-name"}, {"Values", {"we"}}}}).empty());
    CHECK(ids({{{"Name", "key-name"}, {"Values", {"db", "web"}}}}) == V{web, db});
    CHECK(ids({{{"Name", "project-id"}, {"Values", {"7"}}}}) == V{web2, db});
    CHECK(ids({{{"Name", "project-id"}, {"Values", {"0", "7"}}}}) == V{web, web2, db});
    CHECK(ids({{{"Name", "project-id"}, {"Values", {"7"}}}, {{"Name", "key-name"}, {"Values", {"web", "web_2"}}}}) ==
          V{web2});
    json counted = DescribeKeys(api, {{"Filters", {{{"Name", "project-id"}, {"Values", {"7"}}}}}, {"Limit", 1}});
    CHECK(counted["TotalCount"] == 2);
    CHECK(KeyIdsOf(counted) == V{web2});
  }

  TEST_CASE("DescribeKeyPairs: the parameter errors of its table") {
    TestApi api;
    std::string id = ImportNth(api, 1);
    auto code = [&](const json& p) { return CodeOf(api.Call("DescribeKeyPairs", p)); };
    json name_filter = {{{"Name", "key-name"}, {"Values", {"key_1"}}}};
    CHECK(code({{"KeyIds", {id}}, {"Filters", name_filter}}) == "InvalidParameterCombination");  // D-110
    CHECK(code({{"Filters", {{{"Name", "zone"}, {"Values", {"ap-guangzhou-3"}}}}}}) == "InvalidFilter");
    CHECK(code({{"Filters", {{{"Name", "key-name"}, {"Values", {"a", "b", "c", "d", "e", "f"}}}}}}) ==
          "InvalidFilterValue.LimitExceeded");
    json eleven = json::array();
    for (int i = 0; i < 11; ++i) eleven.push_back({{"Name", "key-name"}, {"Values", {"k"}}});
    CHECK(code({{"Filters", eleven}}) == "InvalidFilterValue.LimitExceeded");
    CHECK(code({{"Filters", {{{"Name", "project-id"}, {"Values", {"seven"}}}}}}) == "InvalidParameterValue");
    CHECK(code({{"KeyIds", {"skey-123"}}}) == "InvalidKeyPairId.Malformed");
    CHECK(code({{"KeyIds", {"key-abcd1234"}}}) == "InvalidKeyPairId.Malformed");
    CHECK(code({{"Limit", 0}}) == "InvalidParameterValueLimit");
    CHECK(code({{"Limit", 101}}) == "InvalidParameterValueLimit");
    CHECK(code({{"Offset", -1}}) == "InvalidParameterValueOffset");
    CHECK(code({{"Limit", 100}, {"Offset", 0}}) == "");
    // A gap in a flattened list (docs/decisions.md D-02).
    CHECK(CodeOf(api.CallFlat("DescribeKeyPairs", {{"KeyIds.0", id}, {"KeyIds.2", id}})) == "InvalidParameter");
    CHECK(KeyIdsOf(api.CallFlat("DescribeKeyPairs", {{"KeyIds.0", id}})) == std::vector<std::string>{id});
  }

  TEST_CASE("Key pairs: account B and other regions never see account A's key pairs") {
    TestApi api;
    std::string a = ImportNth(api, 1);
    Import(api, "elsewhere", Ed25519Key(2), 0, kOtherRegion);
    CHECK(DescribeKeys(api, json::object(), kRegion, kSecretB)["TotalCount"] == 0);
    CHECK(DescribeKeys(api, {{"KeyIds", {a}}}, kRegion, kSecretB)["TotalCount"] == 0);
    CHECK(DescribeKeys(api, {{"KeyIds", {a}}}, kOtherRegion)["TotalCount"] == 0);
    CHECK(DescribeKeys(api)["TotalCount"] == 1);
    CHECK(CodeOf(api.Call("DeleteKeyPairs", {{"KeyIds", {a}}}, kRegion, kSecretB)) == "InvalidKeyPairId.NotFound");
    CHECK(CodeOf(api.Call("ModifyKeyPairAttribute", {{"KeyId", a}, {"KeyName", "mine"}}, kRegion, kSecretB)) ==
          "InvalidKeyId.NotFound");
    CHECK(CodeOf(api.Call("DeleteKeyPairs", {{"KeyIds", {a}}}, kOtherRegion)) == "InvalidKeyPairId.NotFound");
    CHECK(KeyOf(api, a)["KeyName"] == "key_1");
  }

  // ---------------------------------------------------------------------
  // ModifyKeyPairAttribute

  TEST_CASE("ModifyKeyPairAttribute: changes the name and the description, never the KeyId") {
    TestApi api;
    std::string id = ImportNth(api, 1);
    json before = KeyOf(api, id);
    Ok(api, "ModifyKeyPairAttribute", {{"KeyId", id}, {"KeyName", "renamed"}});
    json k = KeyOf(api, id);
    CHECK(k["KeyName"] == "renamed");
    CHECK(k["Description"].is_null());
    Ok(api, "ModifyKeyPairAttribute", {{"KeyId", id}, {"Description", "CI deploy key, 中文"}});
    k = KeyOf(api, id);
    CHECK(k["KeyName"] == "renamed");
    CHECK(k["Description"] == "CI deploy key, 中文");
    Ok(api, "ModifyKeyPairAttribute", {{"KeyId", id}, {"KeyName", "renamed"}, {"Description", std::string(60, 'd')}});
    k = KeyOf(api, id);
    CHECK(k["Description"] == std::string(60, 'd'));
    for (const char* same : {"KeyId", "PublicKey", "ProjectId", "CreatedTime"}) CHECK(k[same] == before[same]);
    // The new name is the one filters and duplicate checks see.
    CHECK(KeyIdsOf(DescribeKeys(api, {{"Filters", {{{"Name", "key-name"}, {"Values", {"renamed"}}}}}})) ==
          std::vector<std::string>{id});
    ExpectRefused(api, "CreateKeyPair", {{"KeyName", "renamed"}, {"ProjectId", 0}}, "InvalidKeyPairName.Duplicate");
    Create(api, "key_1");
  }

  TEST_CASE("ModifyKeyPairAttribute: the error codes of its table") {
    TestApi api;
    std::string id = ImportNth(api, 1);
    ImportNth(api, 2);
    ExpectRefused(api, "ModifyKeyPairAttribute", {{"KeyId", "skey-12"}, {"KeyName", "x"}}, "InvalidKeyId.Malformed");
    ExpectRefused(api, "ModifyKeyPairAttribute", {{"KeyId", kUnknownKey}, {"KeyName", "x"}}, "InvalidKeyId.NotFound");
    ExpectRefused(api, "ModifyKeyPairAttribute", {{"KeyId", id}, {"KeyName", "key_2"}}, "InvalidKeyName.Duplicate");
    ExpectRefused(api, "ModifyKeyPairAttribute", {{"KeyName", "x"}}, "MissingParameter");
    ExpectRefused(api, "ModifyKeyPairAttribute", {{"KeyId", id}}, "MissingParameter.AtLeastOne");  // D-111
    // The name rules of CreateKeyPair, with this table's code (D-31).
    ExpectRefused(api, "ModifyKeyPairAttribute", {{"KeyId", id}, {"KeyName", ""}}, "InvalidParameterValue");
    ExpectRefused(api, "ModifyKeyPairAttribute", {{"KeyId", id}, {"KeyName", "a-b"}}, "InvalidParameterValue");
    ExpectRefused(api, "ModifyKeyPairAttribute", {{"KeyId", id}, {"KeyName", std::string(26, 'a')}},
                  "InvalidParameterValue");
    ExpectRefused(api, "ModifyKeyPairAttribute", {{"KeyId", id}, {"Description", std::string(61, 'd')}},
                  "InvalidParameterValue");
    // A flattened name given twice (docs/decisions.md D-02).
    CHECK(CodeOf(api.CallFlat("ModifyKeyPairAttribute", {{"KeyId", id}, {"KeyId", id}, {"KeyName", "x"}})) ==
          "InvalidParameter");
    CHECK(KeyOf(api, id)["KeyName"] == "key_1");
    // Renaming a key to its own name is not a duplicate.
    Ok(api, "ModifyKeyPairAttribute", {{"KeyId", id}, {"KeyName", "key_1"}});
  }

  // ---------------------------------------------------------------------
  // DeleteKeyPairs

  TEST_CASE("DeleteKeyPairs: deletes the batch; the IDs are gone from DescribeKeyPairs") {
    TestApi api;
    std::string a = ImportNth(api, 1), b = ImportNth(api, 2), c = ImportNth(api, 3);
    Ok(api, "DeleteKeyPairs", {{"KeyIds", {a, c, a}}});
    CHECK(KeyIdsOf(DescribeKeys(api)) == std::vector<std::string>{b});
    CHECK(KeyOf(api, a).is_null());
    // The v1 form too.
    CHECK(CodeOf(api.CallFlat("DeleteKeyPairs", {{"KeyIds.0", b}})) == "");
    CHECK(DescribeKeys(api)["TotalCount"] == 0);
  }

  TEST_CASE("DeleteKeyPairs: one malformed or unknown ID refuses the whole batch") {
    TestApi api;
    std::string a = ImportNth(api, 1);
    ExpectRefused(api, "DeleteKeyPairs", {{"KeyIds", {a, "skey-1"}}}, "InvalidKeyPairId.Malformed");
    ExpectRefused(api, "DeleteKeyPairs", {{"KeyIds", {a, "ins-abcd1234"}}}, "InvalidKeyPairId.Malformed");
    ExpectRefused(api, "DeleteKeyPairs", {{"KeyIds", {a, kUnknownKey}}}, "InvalidKeyPairId.NotFound");
    ExpectRefused(api, "DeleteKeyPairs", {{"KeyIds", Ids("skey-", 101)}}, "InvalidParameterValue.LimitExceeded");
    ExpectRefused(api, "DeleteKeyPairs", {{"KeyIds", {1}}}, "InvalidParameterValue");
    ExpectRefused(api, "DeleteKeyPairs", json::object(), "MissingParameter");
    CHECK(KeyIdsOf(DescribeKeys(api)) == std::vector<std::string>{a});
    // 100 IDs are within the limit (and then not found).
    ExpectRefused(api, "DeleteKeyPairs", {{"KeyIds", Ids("skey-", 100)}}, "InvalidKeyPairId.NotFound");
  }

  // ---------------------------------------------------------------------
  // Binding key pairs to instances

  TEST_CASE("Key pairs: create, bind to a stopped instance, shown on both sides, refused deletion, unbind, delete") {
    TestApi api;
    std::string ins = Stopped(api);
    std::string key = Create(api, "lifecycle")["KeyId"].get<std::string>();

    Ok(api, "AssociateInstancesKeyPairs", Bind({ins}, {key}));
    CHECK(StateOf(api, ins) == "STOPPED");  // a stopped instance stays stopped
    CHECK(KeyIdsOfInstance(api, ins) == json{key});
    CHECK(KeyOf(api, key)["AssociatedInstanceIds"] == json{ins});

    // D-117: a key still bound is not deleted, nor is anything else of the batch.
    std::string spare = ImportNth(api, 1);
    json r = api.Call("DeleteKeyPairs", {{"KeyIds", {spare, key}}});
    CHECK(CodeOf(r) == "ResourceInUse");
    CHECK(r["Error"]["Message"].get<std::string>().find(ins) != std::string::npos);
    CHECK(KeyIdsOf(DescribeKeys(api)) == std::vector<std::string>{key, spare});

    Ok(api, "DisassociateInstancesKeyPairs", Bind({ins}, {key}));
    CHECK(KeyIdsOfInstance(api, ins) == json::array());
    CHECK(KeyOf(api, key)["AssociatedInstanceIds"] == json::array());
    Ok(api, "DeleteKeyPairs", {{"KeyIds", {key, spare}}});
    CHECK(DescribeKeys(api)["TotalCount"] == 0);
  }

  TEST_CASE("AssociateInstancesKeyPairs: a Linux instance holds several keys; binding one again changes nothing") {
    TestApi api;
    std::string a = Stopped(api), b = Stopped(api);
    std::string k1 = ImportNth(api, 1), k2 = ImportNth(api, 2), k3 = ImportNth(api, 3);
    Ok(api, "AssociateInstancesKeyPairs", Bind({a, b}, {k1, k2}));
    Ok(api, "AssociateInstancesKeyPairs", Bind({a}, {k3, k1, k3}));
    CHECK(KeyIdsOfInstance(api, a) == json{k1, k2, k3});
    CHECK(KeyIdsOfInstance(api, b) == json{k1, k2});
    CHECK(KeyOf(api, k1)["AssociatedInstanceIds"] == json{a, b});
    CHECK(KeyOf(api, k3)["AssociatedInstanceIds"] == json{a});
    // DescribeKeyPairs lists the holders of every key on a page.
    for (const json& k : AllKeys(api)) CHECK(k["AssociatedInstanceIds"].size() == (k["KeyId"] == k3 ? 1u : 2u));

    Ok(api, "DisassociateInstancesKeyPairs", Bind({a, b}, {k1}));
    CHECK(KeyIdsOfInstance(api, a) == json{k2, k3});
    CHECK(KeyIdsOfInstance(api, b) == json{k2});
    CHECK(KeyOf(api, k1)["AssociatedInstanceIds"] == json::array());
  }

  TEST_CASE("AssociateInstancesKeyPairs: binding a key clears KeepImageLogin (the document's LoginSettings; D-35)") {
    TestApi api;
    std::string ins = Stopped(api);
    std::string key = ImportNth(api, 1);
    Ok(api, "AssociateInstancesKeyPairs", Bind({ins}, {key}));
    CHECK(Describe(api, ins)["LoginSettings"]["KeepImageLogin"] == "FALSE");
  }

  TEST_CASE("AssociateInstancesKeyPairs and DisassociateInstancesKeyPairs: RUNNING needs ForceStop (D-107)") {
    for (const char* action : {"AssociateInstancesKeyPairs", "DisassociateInstancesKeyPairs"}) {
      CAPTURE(action);
      TestApi api;
      bool bind = std::string(action) == "AssociateInstancesKeyPairs";
      std::string key = ImportNth(api, 1);
      std::string ins = Stopped(api);
      if (!bind) Ok(api, "AssociateInstancesKeyPairs", Bind({ins}, {key}));
      Ok(api, "StartInstances", {{"InstanceIds", {ins}}});
      api.Advance(kStarting);
      REQUIRE(StateOf(api, ins) == "RUNNING");

      ExpectRefused(api, action, Bind({ins}, {key}), "UnsupportedOperation.InstanceStateRunning", {ins});
      json p = Bind({ins}, {key});
      p["ForceStop"] = false;
      ExpectRefused(api, action, p, "UnsupportedOperation.InstanceStateRunning", {ins});

      // With ForceStop: stop, change, start again.
      Ok(api, action, Bind({ins}, {key}, true));
      CHECK(KeyIdsOfInstance(api, ins) == (bind ? json{key} : json::array()));
      CHECK(StateOf(api, ins) == "STOPPING");
      api.Advance(kStopping);
      CHECK(StateOf(api, ins) == "STARTING");
      api.Advance(kStarting);
      CHECK(StateOf(api, ins) == "RUNNING");
    }
  }

  TEST_CASE("AssociateInstancesKeyPairs: ForceStop on a STOPPED instance leaves it STOPPED") {
    TestApi api;
    std::string ins = Stopped(api);
    std::string key = ImportNth(api, 1);
    Ok(api, "AssociateInstancesKeyPairs", Bind({ins}, {key}, true));
    CHECK(StateOf(api, ins) == "STOPPED");
    api.Advance(60);
    CHECK(StateOf(api, ins) == "STOPPED");
  }

  TEST_CASE("AssociateInstancesKeyPairs: transitional states are refused with their own code, even with ForceStop") {
    TestApi api;
    std::string key = ImportNth(api, 1);
    std::string pending = LaunchOne(api);
    ExpectRefused(api, "AssociateInstancesKeyPairs", Bind({pending}, {key}, true),
                  "UnsupportedOperation.InstanceStatePending", {pending});
    std::string stopping = Running(api);
    Ok(api, "StopInstances", {{"InstanceIds", {stopping}}});
    ExpectRefused(api, "AssociateInstancesKeyPairs", Bind({stopping}, {key}, true),
                  "UnsupportedOperation.InstanceStateStopping", {stopping});
  }

  TEST_CASE("AssociateInstancesKeyPairs: one instance that may not change refuses the whole batch") {
    TestApi api;
    std::string stopped = Stopped(api), running = Running(api);
    std::string key = ImportNth(api, 1);
    ExpectRefused(api, "AssociateInstancesKeyPairs", Bind({stopped, running}, {key}),
                  "UnsupportedOperation.InstanceStateRunning", {stopped, running});
    CHECK(KeyOf(api, key)["AssociatedInstanceIds"] == json::array());
  }

  TEST_CASE("AssociateInstancesKeyPairs and DisassociateInstancesKeyPairs: a Windows instance gives KeyPairUnsupportedWindows (D-118)") {
    TestApi api;
    std::string linux_ins = Stopped(api);
    std::string windows = Stopped(api, {{"ImageId", kWindowsImage}});
    std::string key = ImportNth(api, 1);
    ExpectRefused(api, "AssociateInstancesKeyPairs", Bind({linux_ins, windows}, {key}),
                  "UnsupportedOperation.KeyPairUnsupportedWindows", {linux_ins, windows});
    ExpectRefused(api, "DisassociateInstancesKeyPairs", Bind({windows}, {key}),
                  "UnsupportedOperation.KeyPairUnsupportedWindows", {windows});
  }

  TEST_CASE("DisassociateInstancesKeyPairs: a key that is not bound to an instance is InvalidParameterValue (D-35)") {
    TestApi api;
    std::string a = Stopped(api), b = Stopped(api);
    std::string k1 = ImportNth(api, 1), k2 = ImportNth(api, 2);
    Ok(api, "AssociateInstancesKeyPairs", Bind({a, b}, {k1}));
    Ok(api, "AssociateInstancesKeyPairs", Bind({a}, {k2}));
    json r = api.Call("DisassociateInstancesKeyPairs", Bind({a, b}, {k1, k2}));
    CHECK(CodeOf(r) == "InvalidParameterValue");
    CHECK(r["Error"]["Message"].get<std::string>().find(k2) != std::string::npos);
    CHECK(r["Error"]["Message"].get<std::string>().find(b) != std::string::npos);
    CHECK(KeyIdsOfInstance(api, a) == json{k1, k2});
    CHECK(KeyIdsOfInstance(api, b) == json{k1});
  }

  TEST_CASE("AssociateInstancesKeyPairs and DisassociateInstancesKeyPairs: the ID and parameter errors of their tables") {
    for (const char* action : {"AssociateInstancesKeyPairs", "DisassociateInstancesKeyPairs"}) {
      CAPTURE(action);
      TestApi api;
      std::string ins = Stopped(api);
      std::string key = ImportNth(api, 1);
      if (std::string(action) == "DisassociateInstancesKeyPairs") Ok(api, "AssociateInstancesKeyPairs", Bind({ins}, {key}));
      ExpectRefused(api, action, Bind({ins, "ins-123"}, {key}), "InvalidInstanceId.Malformed", {ins});
      ExpectRefused(api, action, Bind({ins, kUnknownId}, {key}), "InvalidInstanceId.NotFound", {ins});
      ExpectRefused(api, action, Bind({ins}, {key, "skey-xyz"}), "InvalidKeyPairId.Malformed", {ins});
      ExpectRefused(api, action, Bind({ins}, {key, kUnknownKey}), "InvalidKeyPairId.NotFound", {ins});
      json many_instances = Ids("ins-", 101);
      ExpectRefused(api, action, {{"InstanceIds", many_instances}, {"KeyIds", {key}}},
                    "InvalidParameterValue.LimitExceeded", {ins});
      ExpectRefused(api, action, {{"InstanceIds", {ins}}, {"KeyIds", Ids("skey-", 101)}},
                    "InvalidParameterValue.LimitExceeded", {ins});
      ExpectRefused(api, action, {{"InstanceIds", {ins}}, {"KeyIds", {key}}, {"ForceStop", "yes"}},
                    "InvalidParameterValue", {ins});
      ExpectRefused(api, action, {{"InstanceIds", {ins}}}, "MissingParameter", {ins});
      ExpectRefused(api, action, {{"KeyIds", {key}}}, "MissingParameter", {ins});
      // Instances are looked up before keys.
      ExpectRefused(api, action, Bind({kUnknownId}, {kUnknownKey}), "InvalidInstanceId.NotFound", {ins});
    }
  }

  TEST_CASE("AssociateInstancesKeyPairs: account B can bind neither A's key nor to A's instance") {
    TestApi api;
    std::string a_ins = Stopped(api);
    std::string a_key = ImportNth(api, 1);
    std::string b_key = ImportNth(api, 1, kRegion, kSecretB);
    std::string b_ins = LaunchOne(api, json::object(), kRegion, kSecretB);
    api.Advance(kPending);
    json stop = api.Call("StopInstances", {{"InstanceIds", {b_ins}}}, kRegion, kSecretB);
    REQUIRE(CodeOf(stop) == "");
    api.Advance(kStopping);
    CHECK(CodeOf(api.Call("AssociateInstancesKeyPairs", Bind({b_ins}, {a_key}), kRegion, kSecretB)) ==
          "InvalidKeyPairId.NotFound");
    CHECK(CodeOf(api.Call("AssociateInstancesKeyPairs", Bind({a_ins}, {b_key}), kRegion, kSecretB)) ==
          "InvalidInstanceId.NotFound");
    CHECK(CodeOf(api.Call("AssociateInstancesKeyPairs", Bind({a_ins}, {b_key}))) == "InvalidKeyPairId.NotFound");
    // A key of another region is not found either.
    std::string far_key = Import(api, "far", Ed25519Key(9), 0, kOtherRegion);
    CHECK(CodeOf(api.Call("AssociateInstancesKeyPairs", Bind({a_ins}, {far_key}))) == "InvalidKeyPairId.NotFound");
    CHECK(KeyIdsOfInstance(api, a_ins) == json::array());
    // B's own binding works and A sees nothing of it.
    CHECK(CodeOf(api.Call("AssociateInstancesKeyPairs", Bind({b_ins}, {b_key}), kRegion, kSecretB)) == "");
    CHECK(KeyOf(api, a_key)["AssociatedInstanceIds"] == json::array());
  }

  TEST_CASE("DeleteKeyPairs: a key bound to a terminating instance is in use until the instance is gone") {
    TestApi api;
    std::string ins = Stopped(api);
    std::string key = ImportNth(api, 1);
    Ok(api, "AssociateInstancesKeyPairs", Bind({ins}, {key}));
    Ok(api, "TerminateInstances", {{"InstanceIds", {ins}}});
    REQUIRE(StateOf(api, ins) == "TERMINATING");
    CHECK(KeyOf(api, key)["AssociatedInstanceIds"] == json{ins});
    ExpectRefused(api, "DeleteKeyPairs", {{"KeyIds", {key}}}, "ResourceInUse");
    api.Advance(kTerminating);
    REQUIRE(StateOf(api, ins) == "");
    CHECK(KeyOf(api, key)["AssociatedInstanceIds"] == json::array());
    Ok(api, "DeleteKeyPairs", {{"KeyIds", {key}}});
  }

  // ---------------------------------------------------------------------
  // Injected faults: codes the emulator cannot produce by itself

  TEST_CASE("Key pairs: injected back-end codes come back once and change nothing") {
    TestApi api;
    std::string ins = Stopped(api);
    std::string bound = ImportNth(api, 1);
    Ok(api, "AssociateInstancesKeyPairs", Bind({ins}, {bound}));
    std::string doomed = ImportNth(api, 2);
    struct Case {
      std::string action, code;
      json params;
    };
    const std::vector<Case> cases = {
        {"CreateKeyPair", "InternalServerError", {{"KeyName", "created"}, {"ProjectId", 0}}},
        {"ImportKeyPair", "InternalServerError", {{"KeyName", "imported"}, {"ProjectId", 0}, {"PublicKey", Ed25519Key(3)}}},
        {"DescribeKeyPairs", "InternalServerError", json::object()},
        {"DescribeKeyPairs", "InvalidKeyPair.LimitExceeded", json::object()},
        {"ModifyKeyPairAttribute", "InternalServerError", {{"KeyId", bound}, {"Description", "d"}}},
        {"AssociateInstancesKeyPairs", "InternalServerError", Bind({ins}, {doomed})},
        {"DisassociateInstancesKeyPairs", "InternalServerError", Bind({ins}, {doomed})},
        {"AssociateInstancesKeyPairs", "InvalidInstance.NotSupported", Bind({ins}, {doomed})},
        {"DisassociateInstancesKeyPairs", "InvalidInstance.NotSupported", Bind({ins}, {doomed})},
        {"DeleteKeyPairs", "InvalidKeyPair.LimitExceeded", {{"KeyIds", {doomed}}}},
    };
    for (const Case& c : cases) {
      CAPTURE(c.action);
      CAPTURE(c.code);
      json keys_before = AllKeys(api);
      json instance_before = Describe(api, ins);
      ExpectInjectedOnce(api, c.action, c.code, [&] {
        json r = api.Call(c.action, c.params);
        if (CodeOf(r) != "") {
          CHECK(AllKeys(api) == keys_before);
          CHECK(Describe(api, ins) == instance_before);
        }
        return r;
      });
    }
    // After the retries: created, imported, modified, bound, unbound, deleted.
    CHECK(KeyOf(api, bound)["Description"] == "d");
    CHECK(KeyIdsOfInstance(api, ins) == json{bound});
    CHECK(KeyOf(api, doomed).is_null());
    CHECK(DescribeKeys(api)["TotalCount"] == 3);
    ExpectInjectedOnce(api, "DeleteKeyPairs", "InternalServerError", [&] {
      return api.Call("DeleteKeyPairs", {{"KeyIds", {KeyIdsOf(DescribeKeys(api)).back()}}});
    });
  }
}

}  // namespace key_pairs_test
