#include "server/emulator.h"

#include "handlers/registry.h"
#include "schema/spec.h"
#include "server/control.h"
#include "server/db_worker.h"
#include "server/pipeline.h"
#include "server/request_log.h"
#include "state/catalog.h"
#include "state/meta_store.h"
#include "state/migrations.h"
#include "state/random.h"
#include "state/settings.h"

namespace cvm::server {
namespace {

// The seeded streams: resource IDs and fault draws use the seed itself.
constexpr uint64_t kRequestIdStream = 1;

}  // namespace

Emulator::Emulator(const EmulatorOptions& options, Logger& logger)
    : options_(options),
      logger_(logger),
      started_(std::chrono::steady_clock::now()),
      settings_(std::make_unique<state::Settings>()) {
  wall_clock_ = options_.wall_clock ? options_.wall_clock : &real_clock_;
  clock_ = std::make_unique<state::VirtualClock>(options_.base_clock ? *options_.base_clock
                                                                     : real_clock_);
  db_ = std::make_unique<state::Database>(options_.db_path, options_.durability);
  state::Migrate(*db_);
  if (auto saved = state::MetaStore(*db_).LoadClock()) clock_->Restore(*saved);
  random_ = std::make_unique<state::Random>(options_.seed);
  request_ids_ = std::make_unique<state::Random>(
      state::Random::DerivedSeed(options_.seed, kRequestIdStream));
  ResetSettings();
  accounts_ = std::make_unique<state::AccountRegistry>(
      options_.accounts_file.empty() ? state::AccountRegistry::Default()
                                     : state::AccountRegistry::FromFile(options_.accounts_file));
  services_ = std::make_unique<handlers::Services>(handlers::Services{
      *db_, *clock_, *random_, state::Catalog::Builtin(), *accounts_, schema::Schema::Builtin(),
      *settings_});
  pipeline_ = std::make_unique<Pipeline>(
      *this, options_.registry ? *options_.registry : handlers::Registry::Builtin());
  db_worker_ = std::make_unique<DbWorker>(*db_, logger_);
  control_ = std::make_unique<ControlPlane>(*this);
}

Emulator::~Emulator() {
  db_worker_.reset();  // finishes queued work while the database is still open
}

HttpResponse Emulator::Handle(const HttpRequest& request) {
  if (request.path().substr(0, kControlPrefix.size()) == kControlPrefix) {
    return control_->Handle(request);
  }
  return pipeline_->Handle(request);
}

void Emulator::HandleAsync(const HttpRequest& request,
                           std::function<void(std::function<void()>)> post,
                           std::function<void(HttpResponse)> done) {
  if (request.path().substr(0, kControlPrefix.size()) == kControlPrefix) {
    done(control_->Handle(request));
    return;
  }
  pipeline_->HandleAsync(request, std::move(post), std::move(done));
}

HttpResponse Emulator::Refuse(const HttpRequest& request,
                              std::chrono::steady_clock::time_point started, std::string_view code,
                              std::string_view message) {
  return server::Refuse(logger_, *request_ids_, request, started, code, message);
}

std::string Emulator::NewRequestId() { return request_ids_->Uuid(); }

const ErrorSpec* Emulator::TakeFault(const std::string& action) {
  return settings_->TakeFault(action, *random_);
}

bool Emulator::KnowsAction(std::string_view action) const {
  return services_->schema.FindAction(action) != nullptr;
}

void Emulator::ResetSettings() {
  settings_->set_durations(options_.durations);
  settings_->set_default_quotas(options_.quotas);
  settings_->ClearAccountQuotas();
  settings_->set_launch_failure_probability(0);
  settings_->ClearFaults();
}

void Emulator::SaveClock() {
  auto lock = db_->Lock();
  state::MetaStore(*db_).SaveClock(clock_->snapshot());
}

}  // namespace cvm::server
