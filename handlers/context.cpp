#include "handlers/context.h"

#include "schema/spec.h"
#include "state/settings.h"

namespace cvm::handlers {

const std::string& RequestContext::action_name() const { return action.name; }

state::Scope RequestContext::scope() const {
  return state::Scope{services.db,       services.random, services.settings, services.catalog,
                      services.accounts, account,         region,            now_ms};
}

}  // namespace cvm::handlers
