// What a handler gets: the caller, the region, the validated parameters, and
// the emulator's services. Handlers read validated params, call state/, and
// shape the output; they never re-check presence or type.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "schema/errors.h"
#include "schema/spec.h"
#include "state/accounts.h"
#include "state/catalog.h"
#include "state/clock.h"
#include "state/database.h"
#include "state/random.h"

namespace cvm::handlers {

// Everything the emulator owns, shared by all requests.
struct Services {
  state::Database& db;
  state::VirtualClock& clock;
  state::Random& random;
  const state::Catalog& catalog;
  const state::AccountRegistry& accounts;
  const schema::Schema& schema;
};

struct RequestContext {
  Services& services;
  const state::Account& account;
  const std::string& region;  // empty only for actions that take no region
  const schema::ActionSpec& action;
};

using Json = nlohmann::json;
using HandlerResult = Result<Json>;
using Handler = HandlerResult (*)(RequestContext& ctx, const Json& params);

}  // namespace cvm::handlers
