#include "server/config.h"

#include <cstdio>
#include <cstdlib>
#include <functional>
#include <sstream>
#include <thread>

#ifndef CVM_VERSION
#define CVM_VERSION "0.0.0"
#endif

namespace cvm::server {
namespace {

using Setter = std::function<bool(Config&, const std::string&)>;

struct Option {
  const char* flag;  // without the leading "--"
  const char* env;
  const char* value_name;  // nullptr: a switch that takes no value
  const char* default_text;
  const char* help;
  Setter set;
};

bool ToInt(const std::string& s, int64_t lo, int64_t hi, int64_t* out) {
  try {
    size_t used = 0;
    long long v = std::stoll(s, &used);
    if (used != s.size() || v < lo || v > hi) return false;
    *out = v;
    return true;
  } catch (const std::exception&) {
    return false;
  }
}

// Seconds (fractions allowed) into milliseconds.
bool Duration(const std::string& s, int64_t* ms) {
  try {
    size_t used = 0;
    double seconds = std::stod(s, &used);
    if (used != s.size() || !(seconds >= 0 && seconds <= kMaxDurationSeconds)) return false;
    *ms = static_cast<int64_t>(seconds * 1000);
    return true;
  } catch (const std::exception&) {
    return false;
  }
}

bool OnOff(const std::string& s, bool* out) {
  if (s == "on" || s == "true" || s == "1") return *out = true, true;
  if (s == "off" || s == "false" || s == "0") return *out = false, true;
  return false;
}

const std::vector<Option>& Options() {
  static const std::vector<Option> options = {
      {"host", "CVM_EMULATOR_HOST", "ADDR", "127.0.0.1",
       "Address to listen on (0.0.0.0 for every interface, as in the container).",
       [](Config& c, const std::string& v) { return c.host = v, !v.empty(); }},
      {"port", "CVM_EMULATOR_PORT", "N", "8100",
       "TCP port; plain HTTP and HTTPS share it (TLS is detected). 0 picks a free port.",
       [](Config& c, const std::string& v) {
         int64_t n;
         return ToInt(v, 0, 65535, &n) && (c.port = static_cast<int>(n), true);
       }},
      {"port-file", "CVM_EMULATOR_PORT_FILE", "PATH", "",
       "Write the port actually bound to this file once listening (useful with --port 0).",
       [](Config& c, const std::string& v) { return c.port_file = v, true; }},
      {"data-dir", "CVM_EMULATOR_DATA_DIR", "DIR", "./cvm-emulator-data",
       "Directory for the database and the generated TLS certificate.",
       [](Config& c, const std::string& v) { return c.data_dir = v, !v.empty(); }},
      {"db", "CVM_EMULATOR_DB", "PATH", "<data-dir>/cvm.sqlite3",
       "SQLite database file; \":memory:\" keeps all state in memory (lost at exit).",
       [](Config& c, const std::string& v) { return c.emulator.db_path = v, !v.empty(); }},
      {"durability", "CVM_EMULATOR_DURABILITY", "normal|full", "normal",
       "normal: no acknowledged change is lost when the process dies (kill -9); "
       "full: also survives power loss (an fsync per write).",
       [](Config& c, const std::string& v) {
         if (v == "normal") return c.emulator.durability = state::Database::Durability::kNormal, true;
         if (v == "full") return c.emulator.durability = state::Database::Durability::kFull, true;
         return false;
       }},
      {"accounts", "CVM_EMULATOR_ACCOUNTS", "PATH", "",
       "JSON accounts file (README \"Accounts\"). Without it, the default development account.",
       [](Config& c, const std::string& v) { return c.emulator.accounts_file = v, true; }},
      {"tls-cert", "CVM_EMULATOR_TLS_CERT", "PATH", "",
       "PEM certificate for HTTPS. Without it, a self-signed one is generated in <data-dir>/tls/.",
       [](Config& c, const std::string& v) { return c.tls_cert = v, true; }},
      {"tls-key", "CVM_EMULATOR_TLS_KEY", "PATH", "", "PEM private key for --tls-cert.",
       [](Config& c, const std::string& v) { return c.tls_key = v, true; }},
      {"threads", "CVM_EMULATOR_THREADS", "N", "number of cores",
       "I/O threads serving connections.",
       [](Config& c, const std::string& v) {
         int64_t n;
         return ToInt(v, 1, 256, &n) && (c.threads = static_cast<int>(n), true);
       }},
      {"log-level", "CVM_EMULATOR_LOG_LEVEL", "debug|info|warn|error|off", "info",
       "info logs one JSON line per request (time, RequestId, account, Action, Region, Code, "
       "latency).",
       [](Config& c, const std::string& v) { return ParseLogLevel(v, &c.log_level); }},
      {"auth", "CVM_EMULATOR_AUTH", "on|off", "on",
       "off accepts unsigned and wrongly signed requests (for quick local hacking); requests are "
       "attributed to the account whose SecretId they name, else the first account.",
       [](Config& c, const std::string& v) { return OnOff(v, &c.emulator.auth.verify); }},
      {"signature-window", "CVM_EMULATOR_SIGNATURE_WINDOW", "SECONDS", "300",
       "Largest allowed distance between a request's timestamp and real time "
       "(AuthFailure.SignatureExpire).",
       [](Config& c, const std::string& v) {
         int64_t n;
         return ToInt(v, 1, 10LL * 365 * 86400, &n) && (c.emulator.auth.window_seconds = n, true);
       }},
      {"replay-check", "CVM_EMULATOR_REPLAY_CHECK", "on|off", "on",
       "Refuse a v1 (HmacSHA1/HmacSHA256) signature that was already accepted within the window.",
       [](Config& c, const std::string& v) { return OnOff(v, &c.emulator.auth.replay_check); }},
      {"unknown-params", "CVM_EMULATOR_UNKNOWN_PARAMS", "reject|ignore", "reject",
       "reject: UnknownParameter for names CVM 2017-03-12 does not have; ignore: drop and log "
       "them (newer SDKs and Terraform send newer fields).",
       [](Config& c, const std::string& v) {
         if (v != "reject" && v != "ignore") return false;
         c.emulator.ignore_unknown_params = v == "ignore";
         return true;
       }},
      {"check-output", "CVM_EMULATOR_CHECK_OUTPUT", "on|off", "off",
       "Check every success response against the API's output schema and answer InternalError "
       "on a mismatch (for testing the emulator itself).",
       [](Config& c, const std::string& v) { return OnOff(v, &c.emulator.check_output); }},
      {"pending-seconds", "CVM_EMULATOR_PENDING_SECONDS", "SECONDS", "10",
       "Emulator seconds for PENDING → RUNNING after RunInstances (0 allowed).",
       [](Config& c, const std::string& v) {
         return Duration(v, &c.emulator.durations.pending);
       }},
      {"starting-seconds", "CVM_EMULATOR_STARTING_SECONDS", "SECONDS", "5",
       "Emulator seconds for STARTING → RUNNING (0 allowed).",
       [](Config& c, const std::string& v) {
         return Duration(v, &c.emulator.durations.starting);
       }},
      {"stopping-seconds", "CVM_EMULATOR_STOPPING_SECONDS", "SECONDS", "5",
       "Emulator seconds for STOPPING → STOPPED (0 allowed).",
       [](Config& c, const std::string& v) {
         return Duration(v, &c.emulator.durations.stopping);
       }},
      {"rebooting-seconds", "CVM_EMULATOR_REBOOTING_SECONDS", "SECONDS", "5",
       "Emulator seconds for REBOOTING → RUNNING (0 allowed).",
       [](Config& c, const std::string& v) {
         return Duration(v, &c.emulator.durations.rebooting);
       }},
      {"resetting-seconds", "CVM_EMULATOR_RESETTING_SECONDS", "SECONDS", "15",
       "Emulator seconds for ResetInstance: REBOOTING → RUNNING (0 allowed).",
       [](Config& c, const std::string& v) {
         return Duration(v, &c.emulator.durations.resetting);
       }},
      {"terminating-seconds", "CVM_EMULATOR_TERMINATING_SECONDS", "SECONDS", "5",
       "Emulator seconds for TERMINATING → gone (0 allowed).",
       [](Config& c, const std::string& v) {
         return Duration(v, &c.emulator.durations.terminating);
       }},
      {"image-creating-seconds", "CVM_EMULATOR_IMAGE_CREATING_SECONDS", "SECONDS", "30",
       "Emulator seconds for CreateImage/ImportImage: CREATING → NORMAL (0 allowed).",
       [](Config& c, const std::string& v) {
         return Duration(v, &c.emulator.durations.image_creating);
       }},
      {"image-syncing-seconds", "CVM_EMULATOR_IMAGE_SYNCING_SECONDS", "SECONDS", "60",
       "Emulator seconds for SyncImages: SYNCING → NORMAL (0 allowed).",
       [](Config& c, const std::string& v) {
         return Duration(v, &c.emulator.durations.image_syncing);
       }},
      {"instance-quota", "CVM_EMULATOR_INSTANCE_QUOTA", "N", "100",
       "Instances per account and region (InstancesQuotaLimitExceeded).",
       [](Config& c, const std::string& v) {
         return ToInt(v, 0, INT64_MAX, &c.emulator.quotas.instances);
       }},
      {"image-quota", "CVM_EMULATOR_IMAGE_QUOTA", "N", "10",
       "Custom images per account and region (ImageQuotaLimitExceeded).",
       [](Config& c, const std::string& v) {
         return ToInt(v, 0, INT64_MAX, &c.emulator.quotas.images);
       }},
      {"key-pair-quota", "CVM_EMULATOR_KEY_PAIR_QUOTA", "N", "100",
       "Key pairs per account and region (InvalidKeyPair.LimitExceeded).",
       [](Config& c, const std::string& v) {
         return ToInt(v, 0, INT64_MAX, &c.emulator.quotas.key_pairs);
       }},
      {"seed", "CVM_EMULATOR_SEED", "N", "random",
       "Seed for resource IDs and fault draws, to make runs repeatable.",
       [](Config& c, const std::string& v) {
         int64_t n;
         return ToInt(v, 1, INT64_MAX, &n) && (c.emulator.seed = static_cast<uint64_t>(n), true);
       }},
      {"idle-timeout", "CVM_EMULATOR_IDLE_TIMEOUT", "SECONDS", "60",
       "How long a connection may wait for the first byte of its next request (a new "
       "connection, or keep-alive between requests) before the server closes it.",
       [](Config& c, const std::string& v) {
         int64_t n;
         return ToInt(v, 1, 3600, &n) && (c.idle_timeout_seconds = static_cast<int>(n), true);
       }},
      {"request-timeout", "CVM_EMULATOR_REQUEST_TIMEOUT", "SECONDS", "30",
       "Limit for a TLS handshake, for reading one request once it has started, and for writing "
       "one response.",
       [](Config& c, const std::string& v) {
         int64_t n;
         return ToInt(v, 1, 3600, &n) && (c.request_timeout_seconds = static_cast<int>(n), true);
       }},
  };
  return options;
}

}  // namespace

std::string HelpText() {
  std::ostringstream out;
  out << "cvm-emulator " << CVM_VERSION
      << " — a local server for the Tencent Cloud CVM API 2017-03-12\n\n"
         "Usage: cvm-emulator [--option=value | --option value]...\n\n"
         "Every option can also be set by its environment variable; flags win.\n\n";
  for (const Option& o : Options()) {
    out << "  --" << o.flag;
    if (o.value_name) out << "=" << o.value_name;
    out << "\n      " << o.help << "\n      env " << o.env;
    if (o.default_text && *o.default_text) out << ", default " << o.default_text;
    out << "\n";
  }
  out << "  --help     Print this text.\n  --version  Print the version.\n\n"
         "Control endpoints (no signature): GET /_emulator/health, POST /_emulator/reset,\n"
         "GET /_emulator/clock, POST /_emulator/clock/{set,advance,freeze,resume},\n"
         "GET|POST /_emulator/durations, /_emulator/quotas, /_emulator/faults (see README).\n";
  return out.str();
}

ConfigOutcome LoadConfig(int argc, char** argv, Config* config) {
  for (const Option& o : Options()) {
    if (const char* value = std::getenv(o.env); value && *value) {
      if (!o.set(*config, value)) {
        std::fprintf(stderr, "cvm-emulator: invalid value \"%s\" for %s\n", value, o.env);
        return ConfigOutcome::kExitError;
      }
    }
  }
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      std::fputs(HelpText().c_str(), stdout);
      return ConfigOutcome::kExitOk;
    }
    if (arg == "--version") {
      std::printf("cvm-emulator %s\n", CVM_VERSION);
      return ConfigOutcome::kExitOk;
    }
    if (arg.rfind("--", 0) != 0) {
      std::fprintf(stderr, "cvm-emulator: unexpected argument \"%s\" (see --help)\n", arg.c_str());
      return ConfigOutcome::kExitError;
    }
    std::string name = arg.substr(2), value;
    bool has_value = false;
    if (size_t eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
      has_value = true;
    }
    const Option* option = nullptr;
    for (const Option& o : Options()) {
      if (name == o.flag) option = &o;
    }
    if (!option) {
      std::fprintf(stderr, "cvm-emulator: unknown option --%s (see --help)\n", name.c_str());
      return ConfigOutcome::kExitError;
    }
    if (!has_value) {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "cvm-emulator: --%s needs a value\n", name.c_str());
        return ConfigOutcome::kExitError;
      }
      value = argv[++i];
    }
    if (!option->set(*config, value)) {
      std::fprintf(stderr, "cvm-emulator: invalid value \"%s\" for --%s\n", value.c_str(),
                   name.c_str());
      return ConfigOutcome::kExitError;
    }
  }
  if (config->threads == 0) {
    config->threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  }
  if (config->emulator.db_path.empty()) config->emulator.db_path = config->data_dir + "/cvm.sqlite3";
  if (config->tls_cert.empty() != config->tls_key.empty()) {
    std::fprintf(stderr, "cvm-emulator: --tls-cert and --tls-key go together\n");
    return ConfigOutcome::kExitError;
  }
  return ConfigOutcome::kRun;
}

}  // namespace cvm::server
