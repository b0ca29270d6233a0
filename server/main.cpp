// cvm-emulator: a local server for the Tencent Cloud CVM API 2017-03-12.
#include <cstdio>
#include <exception>
#include <filesystem>
#include <fstream>

#include "server/config.h"
#include "server/emulator.h"
#include "server/memory.h"
#include "server/net/http_server.h"
#include "server/net/tls_certificate.h"
#include "state/accounts.h"

#ifndef CVM_VERSION
#define CVM_VERSION "0.0.0"
#endif

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
    settings.cert_path = tls.cert_path;
    settings.key_path = tls.key_path;

    net::Serve(settings, emulator, logger, [&](int port) {
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
