// The error table (schema/error_codes.def) against the documents: every code
// the emulator can return is documented somewhere a user can read (the API
// document's tables, read from tests/fixtures/reference, or docs/decisions.md),
// and every code the schema names is in the table. The documents are read at
// test time, so editing them (or the table) without the other fails here.
#include <doctest/doctest.h>

#include <cctype>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <sstream>
#include <string>

#include "schema/errors.h"

namespace {

using nlohmann::json;

std::string ReadText(const std::string& path) {
  std::ifstream in(path);
  REQUIRE_MESSAGE(in.good(), "cannot read " << path);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

json ReadJson(const std::string& path) { return json::parse(ReadText(path)); }

const std::string kReference = CVM_REFERENCE_DIR;
const std::string kSource = CVM_SOURCE_DIR;

// Codes of the API document: every action's error table and the common public
// and authentication codes.
std::set<std::string> DocumentCodes() {
  std::set<std::string> codes;
  for (const json& action : ReadJson(kReference + "/actions.json")) {
    for (const json& error : action.at("errors")) codes.insert(error.at("code").get<std::string>());
  }
  json common = ReadJson(kReference + "/common.json");
  for (const char* list : {"public_error_codes", "auth_failure_codes"}) {
    for (const json& error : common.at(list)) codes.insert(error.at("code").get<std::string>());
  }
  return codes;
}

// Decision texts name codes literally, or as a family:
// "`UnsupportedOperation.InstanceState<State>` with State one of Pending, LaunchFailed, ...".
// Returns the codes such families spell out.
std::set<std::string> ExpandFamilies(const std::string& text) {
  std::set<std::string> codes;
  static const std::regex kFamily(
      R"(`([A-Za-z.]+)<([A-Za-z]+)>`\s+with\s+([A-Za-z]+)\s+one\s+of\s+([A-Za-z,\s]+))");
  for (auto it = std::sregex_iterator(text.begin(), text.end(), kFamily);
       it != std::sregex_iterator(); ++it) {
    const std::smatch& m = *it;
    if (m[2] != m[3]) continue;
    std::stringstream names(std::regex_replace(m[4].str(), std::regex(","), " "));
    for (std::string name; names >> name;) {
      if (name != "and" && name != "or") codes.insert(m[1].str() + name);
    }
  }
  return codes;
}

// True iff `text` mentions `code` as a whole code: "InvalidParameter" is not
// found inside "InvalidParameterValue" or "InvalidParameter.ValueTooLarge".
bool MentionsCode(const std::string& text, const std::string& code) {
  auto part = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; };
  for (size_t at = text.find(code); at != std::string::npos; at = text.find(code, at + 1)) {
    size_t end = at + code.size();
    bool clean_start = at == 0 || (!part(text[at - 1]) && text[at - 1] != '.');
    bool clean_end =
        end == text.size() ||
        (!part(text[end]) && !(text[end] == '.' && end + 1 < text.size() && part(text[end + 1])));
    if (clean_start && clean_end) return true;
  }
  return false;
}

void CollectSchemaCodes(const json& node, std::set<std::string>* out) {
  if (node.is_object()) {
    for (auto it = node.begin(); it != node.end(); ++it) {
      const std::string& key = it.key();
      if (key == "errors" && it->is_array()) {
        for (const json& code : *it) out->insert(code.get<std::string>());
      } else if (key.size() > 5 && key.ends_with("_code") && it->is_string()) {
        out->insert(it->get<std::string>());
      } else {
        CollectSchemaCodes(*it, out);
      }
    }
  } else if (node.is_array()) {
    for (const json& element : node) CollectSchemaCodes(element, out);
  }
}

TEST_SUITE("schema") {
  TEST_CASE("Error table: every code is documented by the API document or docs/decisions.md") {
    const std::set<std::string> document = DocumentCodes();
    const std::string decisions = ReadText(kSource + "/docs/decisions.md");
    const std::set<std::string> families = ExpandFamilies(decisions);
    REQUIRE(document.size() > 50);
    for (const cvm::ErrorSpec* spec : cvm::errors::All()) {
      std::string code(spec->code);
      INFO(code);
      bool documented =
          document.count(code) || MentionsCode(decisions, code) || families.count(code);
      CHECK(documented);
    }
  }

  TEST_CASE("Error table: the docs/decisions.md family of instance-state codes is read as nine codes") {
    std::set<std::string> families = ExpandFamilies(ReadText(kSource + "/docs/decisions.md"));
    CHECK(families.count("UnsupportedOperation.InstanceStatePending"));
    CHECK(families.count("UnsupportedOperation.InstanceStateTerminating"));
    CHECK(families.size() == 9);
  }

  TEST_CASE("Error table: every code the schema file names is in the table") {
    json schema = ReadJson(kSource + "/schema/cvm_2017_03_12.json");
    std::set<std::string> codes;
    CollectSchemaCodes(schema, &codes);
    REQUIRE(codes.size() > 20);
    for (const std::string& code : codes) {
      INFO(code);
      CHECK(cvm::errors::FindByCode(code) != nullptr);
    }
  }

  TEST_CASE("Error table: a code is found only as a whole word of a document") {
    CHECK(MentionsCode("gives `InvalidParameter`.", "InvalidParameter"));
    CHECK(MentionsCode("InvalidParameter", "InvalidParameter"));
    CHECK_FALSE(MentionsCode("gives InvalidParameterValue.", "InvalidParameter"));
    CHECK_FALSE(MentionsCode("gives InvalidParameter.ValueTooLarge", "InvalidParameter"));
    CHECK_FALSE(MentionsCode("UnsupportedOperation.InstanceStateRunning", "InstanceStateRunning"));
  }

  TEST_CASE("Error table: FindByCode returns the row whose code it is, and nullptr for others") {
    for (const cvm::ErrorSpec* spec : cvm::errors::All()) {
      const cvm::ErrorSpec* found = cvm::errors::FindByCode(spec->code);
      REQUIRE(found != nullptr);
      CHECK(found->code == spec->code);
    }
    CHECK(cvm::errors::FindByCode("NoSuchCode") == nullptr);
    CHECK(cvm::errors::FindByCode("") == nullptr);
  }

}  // TEST_SUITE

}  // namespace
