#include "handlers/context.h"

#include "schema/spec.h"
#include "state/listing.h"
#include "state/settings.h"

namespace cvm::handlers {

const std::string& RequestContext::action_name() const { return action.name; }

state::Scope RequestContext::scope() const {
  return state::Scope{services.db,       services.random, services.settings, services.catalog,
                      services.accounts, account,         region,            now_ms};
}

Status RequestContext::CheckZoneOfRegion(const std::string& zone, const std::string& param) const {
  const state::ZoneInfo* z = services.catalog.FindZone(zone);
  if (z && z->region == region) return Status::Ok();
  return ApiError::Make(errors::kInvalidZoneMismatchRegion, param,
                        "`" + zone + "` is not a zone of " + region);
}

std::optional<state::CreatedWindow> RequestContext::hidden_created() const {
  if (hide_new_ms <= 0) return std::nullopt;
  return state::CreatedWindow{now_ms - hide_new_ms, now_ms};
}

}  // namespace cvm::handlers
