// Action name → handler. Each resource group registers its actions from its
// own file; the schema decides which actions exist (tests check the two agree).
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "handlers/context.h"

namespace cvm::handlers {

class Registry {
 public:
  // Every handler this binary has.
  static const Registry& Builtin();

  // `uses_database` false: the handler only reads the catalog and settings,
  // so the server may run it on any thread without the database worker.
  void Add(std::string action, Handler handler, bool uses_database = true,
           Prepare prepare = nullptr);
  // The handler for `action`, or nullptr if it has none yet.
  Handler Find(std::string_view action) const;
  bool UsesDatabase(std::string_view action) const;
  // The action's Prepare step, or nullptr.
  Prepare FindPrepare(std::string_view action) const;
  std::vector<std::string> Names() const;

 private:
  struct Entry {
    Handler handler;
    bool uses_database;
    Prepare prepare;
  };
  std::map<std::string, Entry, std::less<>> handlers_;
};

// One per handler file.
void RegisterRegionHandlers(Registry& registry);
void RegisterInstanceHandlers(Registry& registry);
void RegisterKeyPairHandlers(Registry& registry);
void RegisterImageHandlers(Registry& registry);
void RegisterCatalogHandlers(Registry& registry);
void RegisterInternetBandwidthHandlers(Registry& registry);

}  // namespace cvm::handlers
