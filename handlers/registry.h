// Action name → handler. Each resource group registers its actions from its
// own file; the schema decides which actions exist (tests check the two agree).
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "handlers/context.h"

namespace cvm::handlers {

// A mutating action is two functions of its handler file:
//   Result<Change> plan(RequestContext&, const Json& params)
//     reads the validated parameters and runs every check of the action
//     (state/'s Plan*), writing nothing;
//   HandlerResult apply(RequestContext&, const Change&)
//     writes the change (state/'s Apply*) and shapes the answer.
// Its handler is the one, then the other, in the pipeline's unit of work.
// A price inquiry is the same plan followed by the price engine.
template <auto plan, auto apply>
HandlerResult PlanThenApply(RequestContext& ctx, const Json& params) {
  auto change = plan(ctx, params);
  if (!change.ok()) return change.error();
  return apply(ctx, *change);
}

// The plan alone: the action's answer to a request, short of writing.
using PlanCheck = Status (*)(RequestContext& ctx, const Json& params);
template <auto plan>
Status PlanOnly(RequestContext& ctx, const Json& params) {
  return plan(ctx, params).status();
}

class Registry {
 public:
  // Every handler this binary has.
  static const Registry& Builtin();

  // `uses_database` false: the handler only reads the catalog and settings,
  // so the server may run it on any thread without the database worker.
  // Reads register this way; mutating actions with AddMutation.
  void Add(std::string action, Handler handler, bool uses_database = true,
           Prepare prepare = nullptr);
  // A mutating action: its handler runs `plan`, then `apply` (see
  // PlanThenApply); FindPlan finds `plan` alone.
  template <auto plan, auto apply>
  void AddMutation(std::string action, Prepare prepare = nullptr) {
    Insert(std::move(action), Entry{&PlanThenApply<plan, apply>, true, prepare, &PlanOnly<plan>});
  }

  // The handler for `action`, or nullptr if it has none yet.
  Handler Find(std::string_view action) const;
  bool UsesDatabase(std::string_view action) const;
  // The action's Prepare step, or nullptr.
  Prepare FindPrepare(std::string_view action) const;
  // The plan of a mutating action, or nullptr (reads, unimplemented actions).
  PlanCheck FindPlan(std::string_view action) const;
  std::vector<std::string> Names() const;

 private:
  struct Entry {
    Handler handler;
    bool uses_database;
    Prepare prepare;
    PlanCheck plan;
  };
  void Insert(std::string action, Entry entry);
  std::map<std::string, Entry, std::less<>> handlers_;
};

// One per handler file.
void RegisterRegionHandlers(Registry& registry);
void RegisterInstanceHandlers(Registry& registry);
void RegisterKeyPairHandlers(Registry& registry);
void RegisterImageHandlers(Registry& registry);
void RegisterCatalogHandlers(Registry& registry);
void RegisterInternetBandwidthHandlers(Registry& registry);
void RegisterHostHandlers(Registry& registry);
void RegisterPlacementGroupHandlers(Registry& registry);
void RegisterPricingHandlers(Registry& registry);
void RegisterReconfigurationHandlers(Registry& registry);
void RegisterBillingHandlers(Registry& registry);

}  // namespace cvm::handlers
