// The built-in schema against the reference reading of the document: the same
// 59 actions, 39 structures, and every structure reachable from an action.
#include <doctest/doctest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "schema/spec.h"

namespace {

using cvm::schema::MemberSpec;
using cvm::schema::Schema;
using cvm::schema::StructSpec;
using cvm::schema::Type;
using nlohmann::json;

json ReadJson(const std::string& path) {
  std::ifstream in(path);
  REQUIRE_MESSAGE(in.good(), "cannot read " << path);
  return json::parse(in);
}

void CollectStructures(const std::vector<MemberSpec>& members, std::set<std::string>* out) {
  for (const MemberSpec& m : members) {
    if (m.type != Type::kStruct || !out->insert(m.structure->name).second) continue;
    CollectStructures(m.structure->members, out);
  }
}

TEST_SUITE("schema") {
  TEST_CASE("Schema: the built-in schema is CVM 2017-03-12 with 59 actions and 39 structures") {
    const Schema& schema = Schema::Builtin();
    CHECK(schema.version() == "2017-03-12");
    CHECK(schema.actions().size() == 59);
    CHECK(schema.structures().size() == 39);
  }

  TEST_CASE("Schema: its action names are exactly those of the reference actions.json") {
    json reference = ReadJson(std::string(CVM_REFERENCE_DIR) + "/actions.json");
    std::set<std::string> expected;
    for (const json& action : reference) expected.insert(action.at("action").get<std::string>());
    std::set<std::string> actual;
    for (const auto& action : Schema::Builtin().actions()) {
      CHECK_MESSAGE(actual.insert(action->name).second, "action listed twice: " << action->name);
      CHECK(Schema::Builtin().FindAction(action->name) == action.get());
    }
    CHECK(expected.size() == 59);
    CHECK(actual == expected);
  }

  TEST_CASE("Schema: every structure is reached from some action's inputs or outputs") {
    std::set<std::string> reached;
    for (const auto& action : Schema::Builtin().actions()) {
      CollectStructures(action->inputs.members, &reached);
      CollectStructures(action->outputs.members, &reached);
    }
    std::set<std::string> all;
    for (const auto& s : Schema::Builtin().structures()) all.insert(s->name);
    CHECK(reached == all);
  }

  TEST_CASE("Schema: every structure member's type is resolved") {
    for (const auto& s : Schema::Builtin().structures()) {
      for (const MemberSpec& m : s->members) {
        INFO(s->name << "." << m.name);
        CHECK((m.type == Type::kStruct) == (m.structure != nullptr));
        if (m.structure) CHECK(m.structure->name == m.type_name);
        CHECK(m.enum_code != nullptr);
        CHECK(m.range_code != nullptr);
        CHECK(m.length_code != nullptr);
        CHECK(m.items_code != nullptr);
        CHECK(m.format_code != nullptr);
      }
    }
  }

}  // TEST_SUITE

}  // namespace
