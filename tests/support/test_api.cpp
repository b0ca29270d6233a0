#include "tests/support/test_api.h"

#include <atomic>
#include <cstdio>
#include <fstream>
#include <stdexcept>
#include <unistd.h>

#include "server/form.h"

namespace cvm::testing {
namespace {

std::string AccountsFile() {
  static std::atomic<int> counter{0};
  std::string path = "/tmp/cvm-test-accounts-" + std::to_string(::getpid()) + "-" +
                     std::to_string(counter++) + ".json";
  std::ofstream(path) << R"({"accounts":[
    {"AppId":1250000000,"Uin":"100000000001","Name":"a",
     "Keys":[{"SecretId":"AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE","SecretKey":"Gu5t9xGARNpq86cd98joQYCN3EXAMPLE"}]},
    {"AppId":1250000001,"Uin":"100000000002","Name":"b",
     "Keys":[{"SecretId":"AKIDbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb","SecretKey":"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"}]}]})";
  return path;
}

std::string FakeAuthorization(const std::string& secret_id) {
  return "TC3-HMAC-SHA256 Credential=" + secret_id +
         "/2023-11-14/cvm/tc3_request, SignedHeaders=content-type;host, Signature=00";
}

nlohmann::json ResponseOf(const server::HttpResponse& http) {
  return nlohmann::json::parse(http.body).at("Response");
}

}  // namespace

TestApi::TestApi(void (*configure)(server::EmulatorOptions&)) {
  accounts_path_ = AccountsFile();
  server::EmulatorOptions options;
  options.db_path = ":memory:";
  options.accounts_file = accounts_path_;
  options.auth.verify = false;
  options.check_output = true;
  options.seed = 42;
  options.base_clock = &base_;
  options.wall_clock = &wall_;
  if (configure) configure(options);
  emulator_ = std::make_unique<server::Emulator>(options, logger_);
  std::remove(accounts_path_.c_str());
}

nlohmann::json TestApi::Call(const std::string& action, const nlohmann::json& params,
                             const std::string& region, const std::string& secret_id) {
  server::HttpRequest req;
  req.method = "POST";
  req.target = "/";
  req.headers = {{"host", "127.0.0.1"},
                 {"content-type", "application/json"},
                 {"authorization", FakeAuthorization(secret_id)},
                 {"x-tc-action", action},
                 {"x-tc-version", "2017-03-12"},
                 {"x-tc-timestamp", "1700000000"}};
  if (!region.empty()) req.headers.emplace_back("x-tc-region", region);
  req.body = params.dump();
  return ResponseOf(emulator_->Handle(req));
}

nlohmann::json TestApi::CallFlat(const std::string& action,
                                 const std::vector<std::pair<std::string, std::string>>& params,
                                 const std::string& region, const std::string& secret_id) {
  std::string body;
  auto add = [&](const std::string& k, const std::string& v) {
    if (!body.empty()) body += '&';
    body += server::PercentEncode(k) + "=" + server::PercentEncode(v);
  };
  for (const auto& [k, v] : params) add(k, v);
  add("Action", action);
  add("Version", "2017-03-12");
  if (!region.empty()) add("Region", region);
  add("SecretId", secret_id);
  add("Timestamp", "1700000000");
  add("Nonce", "1");
  add("Signature", "unchecked");
  server::HttpRequest req;
  req.method = "POST";
  req.target = "/";
  req.headers = {{"host", "127.0.0.1"}, {"content-type", "application/x-www-form-urlencoded"}};
  req.body = body;
  return ResponseOf(emulator_->Handle(req));
}

nlohmann::json TestApi::Control(const std::string& path, const nlohmann::json& body) {
  server::HttpRequest req;
  req.method = "POST";
  req.target = path;
  req.headers = {{"host", "127.0.0.1"}, {"content-type", "application/json"}};
  req.body = body.dump();
  server::HttpResponse r = emulator_->Handle(req);
  if (r.status != 200) {
    throw std::runtime_error("POST " + path + " " + body.dump() + " answered " +
                             std::to_string(r.status) + ": " + r.body);
  }
  return nlohmann::json::parse(r.body);
}

void TestApi::Advance(double seconds) {
  emulator_->clock().Advance(static_cast<int64_t>(seconds * 1000));
}

std::string CodeOf(const nlohmann::json& response) {
  if (!response.contains("Error")) return "";
  return response["Error"]["Code"].get<std::string>();
}

}  // namespace cvm::testing
