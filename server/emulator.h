// The emulator without its sockets: owns the database, clock, randomness,
// accounts and the request pipeline. `Handle` is the one entry point the
// network sessions (and the in-process tests) call.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "server/authenticator.h"
#include "server/control/access.h"
#include "server/http_message.h"
#include "server/replay_cache.h"
#include "state/clock.h"
#include "state/database.h"
#include "state/setting_values.h"

namespace cvm::handlers {
class Registry;
struct Services;
}  // namespace cvm::handlers
namespace cvm::state {
class AccountRegistry;
class FaultRules;
class Random;
class Settings;
}  // namespace cvm::state

namespace cvm::server {

struct EmulatorOptions {
  std::string db_path = ":memory:";
  state::Database::Durability durability = state::Database::Durability::kNormal;
  std::string accounts_file;  // empty: the default development account
  std::string faults_file;    // fault rules loaded at start (empty: none)
  AuthSettings auth;
  bool ignore_unknown_params = false;
  // Check every success response against the output schema; a mismatch is
  // logged and answered with InternalError (for tests and development).
  bool check_output = false;
  uint64_t seed = 0;  // 0: seed from the OS
  // Token buckets per account and action (RequestLimitExceeded); off by
  // default (docs/decisions.md D-124).
  bool rate_limits = false;
  // The request journal (GET /_emulator/requests): how many entries it
  // keeps (0: none), and a file that gets every entry as a JSON line.
  int64_t journal_size = 1000;
  std::string journal_file;
  // A snapshot (server/snapshot.h) to start from: it replaces whatever state
  // the database holds. Empty: none.
  std::string snapshot_file;
  // Start-up values of the run-time settings (control endpoints change them;
  // reset restores these).
  state::Durations durations;
  state::Quotas quotas;
  // Who may use /_emulator/: origins, host names and the control token.
  ControlAccess control;
  // Injected clocks (tests): `base_clock` drives the virtual clock,
  // `wall_clock` the signature window. Null: the real clock.
  const state::Clock* base_clock = nullptr;
  const state::Clock* wall_clock = nullptr;
  // The handlers requests are dispatched to (tests may pass their own; it
  // must outlive the emulator). Null: every handler this binary has.
  const handlers::Registry* registry = nullptr;
};

class Pipeline;
class ControlPlane;
class RateLimiter;
class DbWorker;
class Journal;
class Logger;

class Emulator {
 public:
  // Opens the database and migrates it, loads accounts, restores the clock.
  // Throws on start-up failures (unreadable accounts file, bad database).
  Emulator(const EmulatorOptions& options, Logger& logger);
  ~Emulator();
  Emulator(const Emulator&) = delete;
  Emulator& operator=(const Emulator&) = delete;

  // Answers on the calling thread.
  HttpResponse Handle(const HttpRequest& request);
  // The server's path (Pipeline::HandleAsync); control endpoints answer at once.
  void HandleAsync(const HttpRequest& request, std::function<void(std::function<void()>)> post,
                   std::function<void(HttpResponse)> done);
  // The answer to a request the transport refuses before the pipeline (see
  // Refuse in server/pipeline.h), logged, with one of this emulator's RequestIds.
  HttpResponse Refuse(const HttpRequest& request, std::chrono::steady_clock::time_point started,
                      std::string_view code, std::string_view message);
  // True iff the API has `action` (CVM 2017-03-12).
  bool KnowsAction(std::string_view action) const;
  // True iff the catalog has `region`.
  bool KnowsRegion(std::string_view region) const;
  // A fresh RequestId: a UUID from a stream of its own, which options().seed
  // fixes (so the same seed repeats RequestIds, and answering a request never
  // changes the resource IDs that follow).
  std::string NewRequestId();
  DbWorker& db_worker() { return *db_worker_; }

  const EmulatorOptions& options() const { return options_; }
  const state::AccountRegistry& accounts() const { return *accounts_; }
  state::VirtualClock& clock() { return *clock_; }
  state::Database& db() { return *db_; }
  handlers::Services& services() { return *services_; }
  state::Settings& settings() { return *settings_; }
  // The settings' fault rules (what the pipeline decides each call by).
  state::FaultRules& fault_rules();
  ReplayCache& replay_cache() { return replay_; }
  RateLimiter& rate_limiter() { return *rate_limiter_; }
  Logger& logger() { return logger_; }
  Journal& journal() { return *journal_; }
  const state::Clock& wall_clock() const { return *wall_clock_; }
  std::chrono::steady_clock::time_point started() const { return started_; }

  // Persists the virtual clock's state (after every change to it).
  void SaveClock();
  // Durations, quotas and rate limits back to their start-up values; no
  // faults.
  void ResetSettings();

 private:
  // Replaces the state with the snapshot in `path` (--snapshot). Throws
  // std::runtime_error naming the problem.
  void LoadSnapshotFile(const std::string& path);
  // Writes the v1 signatures accepted since the last save to the database,
  // and now and then forgets the expired ones there. Returns those it wrote,
  // for the caller to give back (ReplayCache::ReturnUnsaved) if its
  // transaction does not commit. REQUIRES: the caller holds the database's
  // lock or is inside its batch.
  std::vector<ReplayCache::Accepted> SaveAcceptedSignatures();
  // SaveAcceptedSignatures in a transaction of its own (outside the server's
  // batches: the calling-thread path and shutdown).
  void SaveSignaturesNow();
  // Adds the rules of --faults FILE. Throws std::runtime_error if the file
  // cannot be read or a rule is malformed.
  void LoadFaultRules(const std::string& path);

  EmulatorOptions options_;
  Logger& logger_;
  std::unique_ptr<Journal> journal_;
  std::chrono::steady_clock::time_point started_;
  state::RealClock real_clock_;
  const state::Clock* wall_clock_;
  std::unique_ptr<state::VirtualClock> clock_;
  std::unique_ptr<state::Database> db_;
  std::unique_ptr<state::Random> random_;
  std::unique_ptr<state::Random> request_ids_;
  std::unique_ptr<state::AccountRegistry> accounts_;
  std::unique_ptr<state::Settings> settings_;
  std::unique_ptr<RateLimiter> rate_limiter_;
  std::unique_ptr<handlers::Services> services_;
  ReplayCache replay_;
  int64_t expired_signatures_purged_at_ = 0;  // real time, seconds
  std::unique_ptr<Pipeline> pipeline_;
  std::unique_ptr<DbWorker> db_worker_;  // stopped before the database closes
  std::unique_ptr<ControlPlane> control_;
};

}  // namespace cvm::server
