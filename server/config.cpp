#include "server/config.h"

#include <cstdio>
#include <cstdlib>
#include <functional>
#include <optional>
#include <sstream>
#include <thread>
#include <type_traits>
#include <utility>
#include <vector>

#include "server/setting_table.h"

#ifndef CVM_VERSION
#define CVM_VERSION "0.0.0"
#endif

namespace cvm::server {
namespace {

// One row per setting: its flag, environment variable, value, help text,
// and how to read and show it. The default is whatever a default-constructed
// Config holds (shown by `show`), unless `default_text` describes it better.
struct Option {
  const char* flag;  // without the leading "--"
  const char* env;
  std::string value_name;  // "N", "on|off", ...
  const char* help;
  std::function<bool(Config&, const std::string&)> set;
  std::function<std::string(const Config&)> show;
  const char* default_text = nullptr;  // e.g. "number of cores" for 0
};

// The member of a Config that `Path` leads to:
// At<&Config::emulator, &EmulatorOptions::auth, &AuthSettings::verify>(config).
template <auto... Path, class C>
auto& At(C& config) {
  // clang-format off
  return (config .* ... .* Path);
  // clang-format on
}

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

// A whole number from `lo` to `hi`.
template <auto... Path>
Option Int(const char* flag, const char* env, const char* value_name, int64_t lo, int64_t hi,
           const char* help, const char* default_text = nullptr) {
  return {flag, env, value_name, help,
          [lo, hi](Config& c, const std::string& v) {
            int64_t n;
            if (!ToInt(v, lo, hi, &n)) return false;
            auto& field = At<Path...>(c);
            field = static_cast<std::remove_reference_t<decltype(field)>>(n);
            return true;
          },
          [](const Config& c) { return std::to_string(At<Path...>(c)); }, default_text};
}

// Any text, or any but "" when `required`.
template <auto... Path>
Option Text(const char* flag, const char* env, const char* value_name, bool required,
            const char* help, const char* default_text = nullptr) {
  return {flag, env, value_name, help,
          [required](Config& c, const std::string& v) {
            At<Path...>(c) = v;
            return !required || !v.empty();
          },
          [](const Config& c) { return At<Path...>(c); }, default_text};
}

// One of a few words, each standing for a value.
template <auto... Path, class T>
Option Choice(const char* flag, const char* env, const char* help,
              std::vector<std::pair<std::string, T>> words) {
  std::string names;
  for (const auto& [word, value] : words) names += (names.empty() ? "" : "|") + word;
  return {flag, env, names, help,
          [words](Config& c, const std::string& v) {
            for (const auto& [word, value] : words) {
              if (v == word) return At<Path...>(c) = value, true;
            }
            return false;
          },
          [words](const Config& c) {
            for (const auto& [word, value] : words) {
              if (At<Path...>(c) == value) return word;
            }
            return std::string();
          }};
}

// A comma-separated list ("a, b" → {"a", "b"}).
template <auto... Path>
Option List(const char* flag, const char* env, const char* value_name, const char* help) {
  return {flag, env, value_name, help,
          [](Config& c, const std::string& v) {
            At<Path...>(c) = SplitList(v);
            return true;
          },
          [](const Config& c) {
            std::string text;
            for (const std::string& item : At<Path...>(c)) text += (text.empty() ? "" : ",") + item;
            return text;
          }};
}

// on|off (true|false and 1|0 are read too).
template <auto... Path>
Option Switch(const char* flag, const char* env, const char* help) {
  return {flag, env, "on|off", help,
          [](Config& c, const std::string& v) {
            if (v == "on" || v == "true" || v == "1") return At<Path...>(c) = true, true;
            if (v == "off" || v == "false" || v == "0") return At<Path...>(c) = false, true;
            return false;
          },
          [](const Config& c) { return std::string(At<Path...>(c) ? "on" : "off"); }};
}

// A run-time setting (state/settings.def): its start-up value.
Option Run(const RunSetting& s) {
  return {s.flag, s.env, s.kind == SettingKind::kDuration ? "SECONDS" : "N", s.help,
          [&s](Config& c, const std::string& v) {
            std::optional<int64_t> value = ParseSetting(s.kind, v);
            if (value) s.In(c.emulator.durations, c.emulator.quotas) = *value;
            return value.has_value();
          },
          [&s](const Config& c) {
            return FormatSetting(s.kind, s.In(c.emulator.durations, c.emulator.quotas));
          }};
}

constexpr int64_t kTenYears = 10LL * 365 * 86400;

const std::vector<Option>& Options() {
  using E = EmulatorOptions;
  using A = AuthSettings;
  static const std::vector<Option> options = [] {
    std::vector<Option> o = {
        Text<&Config::host>(
            "host", "CVM_EMULATOR_HOST", "ADDR", true,
            "Address to listen on (0.0.0.0 for every interface, as in the container)."),
        Int<&Config::port>(
            "port", "CVM_EMULATOR_PORT", "N", 0, 65535,
            "TCP port; plain HTTP and HTTPS share it (TLS is detected). 0 picks a free port."),
        Text<&Config::port_file>(
            "port-file", "CVM_EMULATOR_PORT_FILE", "PATH", false,
            "Write the port actually bound to this file once listening (useful with --port 0)."),
        Text<&Config::data_dir>("data-dir", "CVM_EMULATOR_DATA_DIR", "DIR", true,
                                "Directory for the database and the generated TLS certificate."),
        Text<&Config::emulator, &E::db_path>(
            "db", "CVM_EMULATOR_DB", "PATH", true,
            "SQLite database file; \":memory:\" keeps all state in memory (lost at exit).",
            "<data-dir>/cvm.sqlite3"),
        Choice<&Config::emulator, &E::durability>(
            "durability", "CVM_EMULATOR_DURABILITY",
            "normal: no acknowledged change is lost when the process dies (kill -9); "
            "full: also survives power loss (an fsync per write).",
            std::vector<std::pair<std::string, state::Database::Durability>>{
                {"normal", state::Database::Durability::kNormal},
                {"full", state::Database::Durability::kFull}}),
        Text<&Config::emulator, &E::accounts_file>(
            "accounts", "CVM_EMULATOR_ACCOUNTS", "PATH", false,
            "JSON accounts file (README \"Accounts\"). Without it, the default development "
            "account."),
        Text<&Config::emulator, &E::faults_file>(
            "faults", "CVM_EMULATOR_FAULTS", "PATH", false,
            "JSON file of fault rules loaded at start (README \"Fault injection\"); reset "
            "clears them."),
        Text<&Config::tls_cert>("tls-cert", "CVM_EMULATOR_TLS_CERT", "PATH", false,
                                "PEM certificate for HTTPS. Without it, a self-signed one is "
                                "generated in <data-dir>/tls/."),
        Text<&Config::tls_key>("tls-key", "CVM_EMULATOR_TLS_KEY", "PATH", false,
                               "PEM private key for --tls-cert."),
        Int<&Config::threads>("threads", "CVM_EMULATOR_THREADS", "N", 1, 256,
                              "I/O threads serving connections.", "number of cores"),
        Choice<&Config::log_level>(
            "log-level", "CVM_EMULATOR_LOG_LEVEL",
            "info logs one JSON line per request (time, RequestId, account, Action, Region, "
            "Code, latency).",
            std::vector<std::pair<std::string, LogLevel>>{{"debug", LogLevel::kDebug},
                                                          {"info", LogLevel::kInfo},
                                                          {"warn", LogLevel::kWarn},
                                                          {"error", LogLevel::kError},
                                                          {"off", LogLevel::kOff}}),
        Switch<&Config::emulator, &E::auth, &A::verify>(
            "auth", "CVM_EMULATOR_AUTH",
            "off accepts unsigned and wrongly signed requests (for quick local hacking); "
            "requests are attributed to the account whose SecretId they name, else the first "
            "account."),
        Int<&Config::emulator, &E::auth, &A::window_seconds>(
            "signature-window", "CVM_EMULATOR_SIGNATURE_WINDOW", "SECONDS", 1, kTenYears,
            "Largest allowed distance between a request's timestamp and real time "
            "(AuthFailure.SignatureExpire)."),
        Switch<&Config::emulator, &E::auth, &A::replay_check>(
            "replay-check", "CVM_EMULATOR_REPLAY_CHECK",
            "Refuse a v1 (HmacSHA1/HmacSHA256) signature that was already accepted within the "
            "window."),
        Choice<&Config::emulator, &E::ignore_unknown_params>(
            "unknown-params", "CVM_EMULATOR_UNKNOWN_PARAMS",
            "reject: UnknownParameter for names CVM 2017-03-12 does not have; ignore: drop and "
            "log them (newer SDKs and Terraform send newer fields).",
            std::vector<std::pair<std::string, bool>>{{"reject", false}, {"ignore", true}}),
        Switch<&Config::emulator, &E::rate_limits>(
            "rate-limits", "CVM_EMULATOR_RATE_LIMITS",
            "Limit each account's calls of each action per second of emulator time to the "
            "API's limits (RequestLimitExceeded); see README \"Rate limits\"."),
        Switch<&Config::emulator, &E::check_output>(
            "check-output", "CVM_EMULATOR_CHECK_OUTPUT",
            "Check every success response against the API's output schema and answer "
            "InternalError on a mismatch (for testing the emulator itself)."),
        Text<&Config::emulator, &E::control, &ControlAccess::token>(
            "control-token", "CVM_EMULATOR_CONTROL_TOKEN", "TOKEN", false,
            "Control endpoints (/_emulator/) then need \"Authorization: Bearer TOKEN\"; "
            "GET /_emulator/health without ?deep=1 and the console page stay open "
            "(open the console as /_emulator/ui#token=TOKEN)."),
        List<&Config::emulator, &E::control, &ControlAccess::allowed_hosts>(
            "control-allowed-hosts", "CVM_EMULATOR_CONTROL_ALLOWED_HOSTS", "NAME,...",
            "More host names a browser may reach the control endpoints by (loopback and --host "
            "always may); * for any. Requests without browser headers may use any name."),
        List<&Config::emulator, &E::control, &ControlAccess::allowed_origins>(
            "control-allowed-origins", "CVM_EMULATOR_CONTROL_ALLOWED_ORIGINS", "ORIGIN,...",
            "Web origins besides the emulator's own (e.g. http://localhost:3000) whose pages may "
            "use the control endpoints; * for any."),
    };
    for (const RunSetting& s : RunSettings()) o.push_back(Run(s));
    std::vector<Option> rest = {
        Int<&Config::emulator, &E::seed>(
            "seed", "CVM_EMULATOR_SEED", "N", 1, INT64_MAX,
            "Seed for resource IDs, RequestIds and fault draws, to make runs repeatable.",
            "random"),
        Int<&Config::idle_timeout_seconds>(
            "idle-timeout", "CVM_EMULATOR_IDLE_TIMEOUT", "SECONDS", 1, 3600,
            "How long a connection may wait for the first byte of its next request (a new "
            "connection, or keep-alive between requests) before the server closes it."),
        Int<&Config::request_timeout_seconds>(
            "request-timeout", "CVM_EMULATOR_REQUEST_TIMEOUT", "SECONDS", 1, 3600,
            "Limit for a TLS handshake, for reading one request once it has started, and for "
            "writing one response."),
        Int<&Config::max_connections>(
            "max-connections", "CVM_EMULATOR_MAX_CONNECTIONS", "N", 1, 1'000'000,
            "Most connections open at once; more wait in the listen backlog until one closes. "
            "The soft open-file limit is raised to the hard one at start.",
            "open-file limit less 64"),
        Int<&Config::emulator, &E::journal_size>(
            "journal-size", "CVM_EMULATOR_JOURNAL_SIZE", "N", 0, 1000000,
            "Requests the in-memory journal keeps for GET /_emulator/requests and the console "
            "(0: none)."),
        Text<&Config::emulator, &E::journal_file>(
            "journal-file", "CVM_EMULATOR_JOURNAL_FILE", "PATH", false,
            "Also append every journal entry to this file as a JSON line."),
        Text<&Config::emulator, &E::snapshot_file>(
            "snapshot", "CVM_EMULATOR_SNAPSHOT", "FILE", false,
            "Start from this snapshot (GET /_emulator/snapshot's format): it replaces the "
            "database's state."),
    };
    o.insert(o.end(), rest.begin(), rest.end());
    return o;
  }();
  return options;
}

// What --help and README say the default is ("" for none).
std::string DefaultText(const Option& o) {
  return o.default_text ? o.default_text : o.show(Config{});
}

}  // namespace

std::string HelpText() {
  std::ostringstream out;
  out << "cvm-emulator " << CVM_VERSION
      << " — a local server for the Tencent Cloud CVM API 2017-03-12\n\n"
         "Usage: cvm-emulator [--option=value | --option value]...\n\n"
         "Every option can also be set by its environment variable; flags win.\n\n";
  for (const Option& o : Options()) {
    out << "  --" << o.flag << "=" << o.value_name << "\n      " << o.help << "\n      env "
        << o.env;
    if (std::string d = DefaultText(o); !d.empty()) out << ", default " << d;
    out << "\n";
  }
  out << "  --help     Print this text.\n  --version  Print the version.\n\n"
         "Control endpoints (no signature): GET /_emulator/health, POST /_emulator/reset,\n"
         "GET /_emulator/clock, POST /_emulator/clock/{set,advance,freeze,resume},\n"
         "GET|POST /_emulator/durations, /_emulator/quotas, /_emulator/faults (see README).\n";
  return out.str();
}

std::string ConfigurationTable() {
  // A table cell: `|` would end it, even in a code span; in prose, `<` would
  // start an HTML tag.
  auto escape = [](const std::string& text, bool code) {
    std::string out;
    for (char c : text) {
      if (c == '|' || (c == '<' && !code)) out += '\\';
      out += c;
    }
    return out;
  };
  std::string out = "| flag | environment | default | meaning |\n|---|---|---|---|\n";
  for (const Option& o : Options()) {
    std::string d = DefaultText(o);
    out += "| `--" + std::string(o.flag) + "=" + escape(o.value_name, true) + "` | `" + o.env +
           "` | " + (d.empty() ? "" : "`" + escape(d, true) + "`") + " | " +
           escape(o.help, false) + " |\n";
  }
  return out;
}

ConfigOutcome LoadConfig(int argc, char** argv, Config* config, std::FILE* errors) {
  for (const Option& o : Options()) {
    if (const char* value = std::getenv(o.env); value && *value) {
      if (!o.set(*config, value)) {
        std::fprintf(errors, "cvm-emulator: invalid value \"%s\" for %s\n", value, o.env);
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
      std::fprintf(errors, "cvm-emulator: unexpected argument \"%s\" (see --help)\n", arg.c_str());
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
      std::fprintf(errors, "cvm-emulator: unknown option --%s (see --help)\n", name.c_str());
      return ConfigOutcome::kExitError;
    }
    if (!has_value) {
      if (i + 1 >= argc) {
        std::fprintf(errors, "cvm-emulator: --%s needs a value\n", name.c_str());
        return ConfigOutcome::kExitError;
      }
      value = argv[++i];
    }
    if (!option->set(*config, value)) {
      std::fprintf(errors, "cvm-emulator: invalid value \"%s\" for --%s\n", value.c_str(),
                   name.c_str());
      return ConfigOutcome::kExitError;
    }
  }
  if (config->threads == 0) {
    config->threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  }
  config->emulator.control.listen_host = config->host;
  if (config->emulator.db_path.empty()) config->emulator.db_path = config->data_dir + "/cvm.sqlite3";
  if (config->tls_cert.empty() != config->tls_key.empty()) {
    std::fprintf(errors, "cvm-emulator: --tls-cert and --tls-key go together\n");
    return ConfigOutcome::kExitError;
  }
  return ConfigOutcome::kRun;
}

}  // namespace cvm::server
