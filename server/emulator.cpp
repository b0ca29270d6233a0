#include "server/emulator.h"

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>

#include "handlers/registry.h"
#include "schema/spec.h"
#include "server/control/control_plane.h"
#include "server/db_worker.h"
#include "server/fault_control.h"
#include "server/journal.h"
#include "server/pipeline.h"
#include "server/rate_limiter.h"
#include "server/request_log.h"
#include "server/snapshot.h"
#include "state/catalog.h"
#include "state/meta_store.h"
#include "state/migrations.h"
#include "state/random.h"
#include "state/settings.h"
#include "state/v1_signature_store.h"

namespace cvm::server {
namespace {

// The seeded streams: resource IDs use the seed itself; each fault rule
// draws from a stream of its own (state/fault_rules.h).
constexpr uint64_t kRequestIdStream = 1;

}  // namespace

Emulator::Emulator(const EmulatorOptions& options, Logger& logger)
    : options_(options),
      logger_(logger),
      journal_(std::make_unique<Journal>(static_cast<size_t>(options.journal_size),
                                         options.journal_file)),
      started_(std::chrono::steady_clock::now()),
      settings_(std::make_unique<state::Settings>()),
      rate_limiter_(std::make_unique<RateLimiter>()) {
  wall_clock_ = options_.wall_clock ? options_.wall_clock : &real_clock_;
  clock_ = std::make_unique<state::VirtualClock>(options_.base_clock ? *options_.base_clock
                                                                     : real_clock_);
  db_ = std::make_unique<state::Database>(options_.db_path, options_.durability);
  state::Migrate(*db_);
  if (auto saved = state::MetaStore(*db_).LoadClock()) clock_->Restore(*saved);
  {
    // Signatures accepted before a restart stay refused until their window
    // has passed (D-82).
    int64_t now = wall_clock_->NowSeconds();
    state::V1SignatureStore signatures(*db_);
    signatures.DeleteExpired(now);
    expired_signatures_purged_at_ = now;
    for (const auto& s : signatures.Unexpired(now)) replay_.Restore(s.signature, s.expires_at, now);
  }
  random_ = std::make_unique<state::Random>(options_.seed);
  request_ids_ = std::make_unique<state::Random>(
      state::Random::DerivedSeed(options_.seed, kRequestIdStream));
  settings_->fault_rules().Reseed(options_.seed);
  ResetSettings();
  accounts_ = std::make_unique<state::AccountRegistry>(
      options_.accounts_file.empty() ? state::AccountRegistry::Default()
                                     : state::AccountRegistry::FromFile(options_.accounts_file));
  services_ = std::make_unique<handlers::Services>(handlers::Services{
      *db_, *clock_, *random_, state::Catalog::Builtin(), *accounts_, schema::Schema::Builtin(),
      *settings_});
  if (!options_.faults_file.empty()) LoadFaultRules(options_.faults_file);
  pipeline_ = std::make_unique<Pipeline>(
      *this, options_.registry ? *options_.registry : handlers::Registry::Builtin());
  // Every batch saves the v1 signatures accepted so far, so no v1 request
  // is answered before its signature is durable; a batch that fails gives
  // them back for the next one.
  auto saved_in_batch = std::make_shared<std::vector<ReplayCache::Accepted>>();
  db_worker_ = std::make_unique<DbWorker>(
      *db_, logger_,
      DbWorker::BatchHooks{[this, saved_in_batch] { *saved_in_batch = SaveAcceptedSignatures(); },
                           [this, saved_in_batch](bool committed) {
                             if (!committed) replay_.ReturnUnsaved(std::move(*saved_in_batch));
                             saved_in_batch->clear();
                           }});
  control_ = std::make_unique<ControlPlane>(*this);
  if (!options_.snapshot_file.empty()) LoadSnapshotFile(options_.snapshot_file);
}

void Emulator::LoadSnapshotFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("--snapshot: cannot read " + path);
  std::stringstream text;
  text << in.rdbuf();
  nlohmann::json doc = nlohmann::json::parse(text.str(), nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) throw std::runtime_error("--snapshot: " + path + " is not JSON");
  std::optional<int64_t> app_id;
  if (doc.contains("app_id") && doc["app_id"].is_number_integer()) {
    app_id = doc["app_id"].get<int64_t>();
  }
  std::string problem = ImportSnapshot(*this, std::move(doc), app_id);
  if (!problem.empty()) throw std::runtime_error("--snapshot: " + path + ": " + problem);
  logger_.Event(LogLevel::kInfo, "snapshot_loaded", {{"path", path}});
}

state::FaultRules& Emulator::fault_rules() { return settings_->fault_rules(); }

Emulator::~Emulator() {
  db_worker_.reset();  // finishes queued work while the database is still open
  try {
    SaveSignaturesNow();  // those of requests refused after authentication
  } catch (const std::exception& e) {
    logger_.Event(LogLevel::kError, "signatures_not_saved", {{"what", e.what()}});
  }
}

HttpResponse Emulator::Handle(const HttpRequest& request) {
  if (request.path().substr(0, kControlPrefix.size()) == kControlPrefix) {
    return control_->Handle(request);
  }
  HttpResponse response = pipeline_->Handle(request);
  SaveSignaturesNow();
  return response;
}

void Emulator::SaveSignaturesNow() {
  if (!replay_.HasUnsaved()) return;
  auto lock = db_->Lock();
  state::Transaction txn(*db_);
  std::vector<ReplayCache::Accepted> saved = SaveAcceptedSignatures();
  try {
    txn.Commit();
  } catch (...) {
    replay_.ReturnUnsaved(std::move(saved));
    throw;
  }
}

std::vector<ReplayCache::Accepted> Emulator::SaveAcceptedSignatures() {
  // Expired signatures are forgotten once a minute: one indexed DELETE.
  constexpr int64_t kPurgeEverySeconds = 60;
  int64_t now = wall_clock_->NowSeconds();
  state::V1SignatureStore store(*db_);
  if (now - expired_signatures_purged_at_ >= kPurgeEverySeconds) {
    store.DeleteExpired(now);
    expired_signatures_purged_at_ = now;
  }
  std::vector<ReplayCache::Accepted> saving = replay_.TakeUnsaved();
  try {
    for (const auto& s : saving) store.Add(s.signature, s.expires_at);
  } catch (...) {
    replay_.ReturnUnsaved(std::move(saving));
    throw;
  }
  return saving;
}

void Emulator::HandleAsync(const HttpRequest& request,
                           std::function<void(std::function<void()>)> post,
                           std::function<void(HttpResponse)> done) {
  if (request.path().substr(0, kControlPrefix.size()) == kControlPrefix) {
    done(control_->Handle(request));
    return;
  }
  pipeline_->HandleAsync(request, std::move(post), std::move(done));
  // A v1 request answered without the database (a catalog read, or one
  // refused after authentication) has its signature saved by the batch the
  // worker runs next (D-82).
  if (replay_.HasUnsaved()) db_worker_->RequestBatch();
}

HttpResponse Emulator::Refuse(const HttpRequest& request,
                              std::chrono::steady_clock::time_point started, std::string_view code,
                              std::string_view message) {
  return server::Refuse(logger_, *request_ids_, request, started, code, message, journal_.get(),
                        wall_clock_->NowMs(), clock_->NowMs());
}

std::string Emulator::NewRequestId() { return request_ids_->Uuid(); }

bool Emulator::KnowsAction(std::string_view action) const {
  return services_->schema.FindAction(action) != nullptr;
}

void Emulator::LoadFaultRules(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read the fault rules file " + path);
  nlohmann::json j = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) throw std::runtime_error(path + " is not JSON");
  std::vector<state::FaultRule> rules;
  std::string error;
  FaultNames names{[this](std::string_view a) { return KnowsAction(a); },
                   [this](std::string_view r) { return KnowsRegion(r); }};
  if (!ReadFaultRules(j, names, &rules, &error) ||
      !settings_->fault_rules().Add(std::move(rules), &error, nullptr)) {
    throw std::runtime_error(path + ": " + error);
  }
}

bool Emulator::KnowsRegion(std::string_view region) const {
  return services_->catalog.FindRegion(region) != nullptr;
}

void Emulator::ResetSettings() {
  settings_->set_durations(options_.durations);
  settings_->set_default_quotas(options_.quotas);
  settings_->ClearAccountQuotas();
  settings_->set_launch_failure_probability(0);
  settings_->set_host_launch_failure_probability(0);
  settings_->ClearFaults();
  rate_limiter_->Clear();
  rate_limiter_->set_enabled(options_.rate_limits);
}

void Emulator::SaveClock() {
  auto lock = db_->Lock();
  state::MetaStore(*db_).SaveClock(clock_->snapshot());
}

}  // namespace cvm::server
