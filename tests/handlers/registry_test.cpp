#include "handlers/registry.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "schema/spec.h"
#include "tests/support/test_api.h"

using cvm::handlers::Registry;
using cvm::schema::Schema;

namespace {
// Actions of the schema without a handler yet. This list may only shrink:
// implementing an action means deleting its line here.
const std::set<std::string> kNotYetImplemented = {
};
}  // namespace

TEST_CASE("Dispatch: the handlers and the not-yet-implemented list together are exactly the schema's actions") {
  std::set<std::string> schema_actions;
  for (const auto& a : Schema::Builtin().actions()) schema_actions.insert(a->name);
  CHECK(schema_actions.size() == 59);
  std::set<std::string> dispatch;
  for (const std::string& name : Registry::Builtin().Names()) {
    CHECK_MESSAGE(schema_actions.count(name) == 1, name << " has a handler but is not in the schema");
    CHECK_MESSAGE(kNotYetImplemented.count(name) == 0,
                  name << " is implemented: delete it from kNotYetImplemented");
    dispatch.insert(name);
  }
  dispatch.insert(kNotYetImplemented.begin(), kNotYetImplemented.end());
  CHECK(dispatch == schema_actions);
}

TEST_CASE("Dispatch: every action not implemented yet answers UnsupportedOperation saying so") {
  cvm::testing::TestApi api;
  for (const std::string& action : kNotYetImplemented) {
    const auto* spec = Schema::Builtin().FindAction(action);
    REQUIRE(spec);
    // Required parameters are checked first; an implemented-but-absent action
    // must still reach dispatch, so only actions without required inputs are
    // called with no parameters here.
    bool has_required = std::any_of(spec->inputs.members.begin(), spec->inputs.members.end(),
                                    [](const auto& m) { return m.required; });
    if (has_required) continue;
    auto response = api.Call(action);
    CHECK_MESSAGE(cvm::testing::CodeOf(response) == "UnsupportedOperation", action);
    CHECK(response["Error"]["Message"].get<std::string>().find("not implemented") != std::string::npos);
  }
}
