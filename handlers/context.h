// What a handler gets: the caller, the region, the validated parameters, and
// the emulator's services. Handlers read validated params, call state/, and
// shape the output; they never re-check presence or type. An action that
// uses the database runs inside a unit of work the pipeline opened and will
// commit iff the handler succeeds: handlers never commit.
#pragma once

#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "schema/errors.h"
#include "state/accounts.h"
#include "state/catalog.h"
#include "state/clock.h"
#include "state/database.h"
#include "state/random.h"
#include "state/scope.h"

namespace cvm::schema {
class Schema;
struct ActionSpec;
}  // namespace cvm::schema
namespace cvm::state {
class Settings;
struct CreatedWindow;
}  // namespace cvm::state

namespace cvm::handlers {

using Json = nlohmann::json;

// Everything the emulator owns, shared by all requests.
struct Services {
  state::Database& db;
  state::VirtualClock& clock;
  state::Random& random;
  const state::Catalog& catalog;
  const state::AccountRegistry& accounts;
  const schema::Schema& schema;
  state::Settings& settings;
};

struct RequestContext {
  Services& services;
  const state::Account& account;
  const std::string& region;  // empty only for actions that take no region
  const schema::ActionSpec& action;
  // What the action's Prepare step computed (see Registry::Add), else null.
  const Json* prepared = nullptr;
  // The request's instant on the emulator clock: every read and write of
  // the request sees this one time (it is also its unit of work's).
  state::TimeMs now_ms = 0;
  // A hide_new fault fired for this call: what was created less than this
  // many emulator milliseconds ago is left out of its listing (D-219).
  state::TimeMs hide_new_ms = 0;

  state::TimeMs now() const { return now_ms; }
  // The creation times this call's listing leaves out: (now - hide_new_ms,
  // now], or nullopt when no hide_new fault fired (state/listing.h).
  std::optional<state::CreatedWindow> hidden_created() const;
  // The action's name. This and scope() are defined in handlers/context.cpp,
  // so that handlers need include neither schema/spec.h nor state/settings.h.
  const std::string& action_name() const;
  // The request as state/'s plans and applies see it (state/scope.h).
  state::Scope scope() const;
  // InvalidZone.MismatchRegion (D-51) unless `zone` is a zone of the
  // request's region; `param` names where the caller gave it.
  Status CheckZoneOfRegion(const std::string& zone, const std::string& param) const;
};

// A handler's answer: the response's fields (without RequestId). Answers that
// never change (DescribeRegions) may be serialized once and reused: then
// `serialized` holds the members' text without the braces, `"A":1,"B":[]`.
struct Output {
  Output(Json json) : fields(std::move(json)) {}  // NOLINT: implicit by design
  static Output Serialized(std::shared_ptr<const std::string> text) {
    Output out{Json()};
    out.serialized = std::move(text);
    return out;
  }
  // Serialized later, by `render`, off the database worker: for large pages
  // whose data the handler has already read.
  static Output Deferred(std::function<std::string()> render) {
    Output out{Json()};
    out.render = std::move(render);
    return out;
  }
  // Runs `render` now (if set), leaving `serialized`.
  void Render() {
    if (!render) return;
    serialized = std::make_shared<const std::string>(render());
    render = nullptr;
  }
  Json fields;
  std::shared_ptr<const std::string> serialized;
  std::function<std::string()> render;
};

using HandlerResult = Result<Output>;
using Handler = HandlerResult (*)(RequestContext& ctx, const Json& params);
// Slow work that needs no database (generating a key), run on the
// connection's thread before the handler is queued for the database thread.
using Prepare = Json (*)(const Json& params);

}  // namespace cvm::handlers
