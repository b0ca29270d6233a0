// cvm-emulator: a local server for the Tencent Cloud CVM API 2017-03-12.
#include <cstdio>
#include <exception>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "server/config.h"
#include "server/emulator.h"
#include "server/net/memory.h"
#include "server/net/http_server.h"
#include "server/net/tls_certificate.h"
#include "server/pipeline.h"
#include "state/accounts.h"

#ifndef CVM_VERSION
#define CVM_VERSION "0.0.0"
#endif

namespace {

// The emulator behind the socket layer, which knows only this interface.
class EmulatorApplication final : public cvm::server::net::Application {
 public:
  EmulatorApplication(cvm::server::Emulator& emulator, cvm::server::Logger& logger)
      : emulator_(emulator), logger_(logger) {}

  cvm::server::BodyRule BodyRuleFor(const cvm::server::HttpRequest& headers_only) override {
    return cvm::server::BodyRuleFor(headers_only);
  }
  void Handle(const cvm::server::HttpRequest& request, Post post, Done done) override {
    emulator_.HandleAsync(request, std::move(post), std::move(done));
  }
  cvm::server::HttpResponse Refuse(const cvm::server::HttpRequest& request,
                                   std::chrono::steady_clock::time_point started,
                                   std::string_view code, std::string_view message) override {
    return emulator_.Refuse(request, started, code, message);
  }
  void ConnectionFailed(std::string_view op, const std::string& error) override {
    logger_.Event(cvm::server::LogLevel::kDebug, "connection_error", {{"op", op}, {"error", error}});
  }
  void ShuttingDown(int signal) override {
    logger_.Event(cvm::server::LogLevel::kInfo, "shutdown", {{"signal", signal}});
  }

 private:
  cvm::server::Emulator& emulator_;
  cvm::server::Logger& logger_;
};

}  // namespace

int main(int argc, char** argv) {
  using namespace cvm::server;
  Config config;
  switch (LoadConfig(argc, argv, &config)) {
    case ConfigOutcome::kExitOk: return 0;
    case ConfigOutcome::kExitError: return 2;
    case ConfigOutcome::kRun: break;
  }
  TuneAllocator();
  Logger logger(config.log_level);
  try {
    std::filesystem::create_directories(config.data_dir);
    Emulator emulator(config.emulator, logger);
    auto tls = net::TlsFiles{config.tls_cert, config.tls_key, false};
    tls = net::EnsureCertificate(config.tls_cert, config.tls_key, config.data_dir);

    net::ServerSettings settings;
    settings.host = config.host;
    settings.port = config.port;
    settings.threads = config.threads;
    settings.idle_timeout_seconds = config.idle_timeout_seconds;
    settings.request_timeout_seconds = config.request_timeout_seconds;
    int open_files = net::RaiseOpenFileLimit();
    settings.max_connections = config.max_connections > 0
                                   ? config.max_connections
                                   : net::DefaultMaxConnections(open_files);
    settings.cert_path = tls.cert_path;
    settings.key_path = tls.key_path;

    if (!IsLoopbackHost(config.host) && config.emulator.control.token.empty()) {
      // Anyone who can reach the port can reset or steer the emulator.
      logger.Event(LogLevel::kWarn, "control_unauthenticated",
                   {{"host", config.host},
                    {"message", "listening on a non-loopback address: the control endpoints "
                                "(/_emulator/) are unauthenticated; set --control-token "
                                "(CVM_EMULATOR_CONTROL_TOKEN) to require a token"}});
    }
    EmulatorApplication application(emulator, logger);
    net::Serve(settings, application, [&](int port) {
      if (!config.port_file.empty()) {
        std::string tmp = config.port_file + ".tmp";
        std::ofstream(tmp) << port << "\n";
        std::filesystem::rename(tmp, config.port_file);
      }
      nlohmann::json info = {
          {"version", CVM_VERSION},
          {"address", config.host},
          {"port", port},
          {"http", "http://" + config.host + ":" + std::to_string(port) + "/"},
          {"https", "https://" + config.host + ":" + std::to_string(port) + "/"},
          {"database", emulator.db().path()},
          {"threads", config.threads},
          {"open_files", open_files},
          {"max_connections", settings.max_connections},
          {"tls_certificate", tls.cert_path},
          {"tls_certificate_generated", tls.generated},
          {"trust_hint", "NODE_EXTRA_CA_CERTS=" + tls.cert_path},
          {"signature_check", config.emulator.auth.verify ? "on" : "off"},
      };
      if (config.emulator.accounts_file.empty()) {
        info["default_credentials"] = {{"SecretId", cvm::state::kDefaultSecretId},
                                       {"SecretKey", cvm::state::kDefaultSecretKey},
                                       {"AppId", cvm::state::kDefaultAppId},
                                       {"Uin", cvm::state::kDefaultUin}};
      } else {
        info["accounts"] = emulator.accounts().accounts().size();
      }
      // Always shown, whatever the log level: it is how users find the port.
      std::string line = nlohmann::json{{"event", "listening"}, {"info", info}}.dump() + "\n";
      std::fwrite(line.data(), 1, line.size(), stdout);
      std::fflush(stdout);
    });
    logger.Event(LogLevel::kInfo, "stopped");
  } catch (const std::exception& e) {
    std::fprintf(stderr, "cvm-emulator: %s\n", e.what());
    return 1;
  }
  return 0;
}
