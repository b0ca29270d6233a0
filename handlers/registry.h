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

  void Add(std::string action, Handler handler);
  // The handler for `action`, or nullptr if it is not implemented.
  Handler Find(std::string_view action) const;
  std::vector<std::string> Names() const;

 private:
  std::map<std::string, Handler, std::less<>> handlers_;
};

// One per handler file.
void RegisterRegionHandlers(Registry& registry);
void RegisterInstanceHandlers(Registry& registry);

}  // namespace cvm::handlers
