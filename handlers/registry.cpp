#include "handlers/registry.h"

#include <stdexcept>

namespace cvm::handlers {

const Registry& Registry::Builtin() {
  static const Registry registry = [] {
    Registry r;
    RegisterRegionHandlers(r);
    RegisterInstanceHandlers(r);
    RegisterKeyPairHandlers(r);
    RegisterImageHandlers(r);
    RegisterCatalogHandlers(r);
    RegisterInternetBandwidthHandlers(r);
    RegisterHostHandlers(r);
    RegisterPlacementGroupHandlers(r);
    RegisterPricingHandlers(r);
    RegisterReconfigurationHandlers(r);
    RegisterBillingHandlers(r);
    return r;
  }();
  return registry;
}

void Registry::Add(std::string action, Handler handler, bool uses_database, Prepare prepare) {
  Insert(std::move(action), Entry{handler, uses_database, prepare, nullptr});
}

void Registry::Insert(std::string action, Entry entry) {
  if (!handlers_.emplace(std::move(action), entry).second) {
    throw std::logic_error("an action was registered twice");
  }
}

Handler Registry::Find(std::string_view action) const {
  auto it = handlers_.find(action);
  return it == handlers_.end() ? nullptr : it->second.handler;
}

Prepare Registry::FindPrepare(std::string_view action) const {
  auto it = handlers_.find(action);
  return it == handlers_.end() ? nullptr : it->second.prepare;
}

PlanCheck Registry::FindPlan(std::string_view action) const {
  auto it = handlers_.find(action);
  return it == handlers_.end() ? nullptr : it->second.plan;
}

bool Registry::UsesDatabase(std::string_view action) const {
  auto it = handlers_.find(action);
  return it == handlers_.end() || it->second.uses_database;
}

std::vector<std::string> Registry::Names() const {
  std::vector<std::string> names;
  for (const auto& [name, handler] : handlers_) names.push_back(name);
  return names;
}

}  // namespace cvm::handlers
