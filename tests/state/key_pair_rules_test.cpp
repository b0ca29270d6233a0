// Key pair names and projects (state/key_pair_rules.h): CreateKeyPair's name rule with its
// own codes, the same rule with ModifyKeyPairAttribute's code (D-31), and
// projects (D-32).
#include <doctest/doctest.h>

#include <string>

#include "state/key_pair_rules.h"

namespace {

std::string CodeOf(const cvm::Status& s) { return s.ok() ? "" : std::string(s.error().code()); }

}  // namespace

TEST_SUITE("state") {
  TEST_CASE("CheckKeyPairName: 1..25 letters, digits and underscores, each violation with its own code") {
    using cvm::state::CheckKeyPairName;
    CHECK(CodeOf(CheckKeyPairName("a", "KeyName")) == "");
    CHECK(CodeOf(CheckKeyPairName("Deploy_Key_09", "KeyName")) == "");
    CHECK(CodeOf(CheckKeyPairName(std::string(25, '_'), "KeyName")) == "");
    CHECK(CodeOf(CheckKeyPairName("", "KeyName")) == "InvalidKeyPairName.Empty");
    CHECK(CodeOf(CheckKeyPairName(std::string(26, 'a'), "KeyName")) == "InvalidKeyPairName.TooLong");
    for (const char* bad : {"a-b", "a b", "a.b", "é", "key\n", "键"}) {
      CAPTURE(bad);
      CHECK(CodeOf(CheckKeyPairName(bad, "KeyName")) == "InvalidKeyPairName.IncludeIllegalChar");
    }
    // An illegal character is reported before the length, and quoted whole.
    cvm::Status s = CheckKeyPairName(std::string(30, 'a') + "键", "KeyName");
    CHECK(CodeOf(s) == "InvalidKeyPairName.IncludeIllegalChar");
    CHECK(s.error().message().find("`键`") != std::string::npos);
    CHECK(s.error().message().find("KeyName") != std::string::npos);
  }

  TEST_CASE("CheckNewKeyPairName: the same rule, always InvalidParameterValue") {
    using cvm::state::CheckNewKeyPairName;
    CHECK(CodeOf(CheckNewKeyPairName("renamed_1", "KeyName")) == "");
    for (const std::string& bad : {std::string(""), std::string(26, 'a'), std::string("a-b")}) {
      CAPTURE(bad);
      CHECK(CodeOf(CheckNewKeyPairName(bad, "KeyName")) == "InvalidParameterValue");
    }
  }

  TEST_CASE("CheckKeyPairProject: every non-negative project exists") {
    using cvm::state::CheckKeyPairProject;
    CHECK(CodeOf(CheckKeyPairProject(0)) == "");
    CHECK(CodeOf(CheckKeyPairProject(1234567)) == "");
    CHECK(CodeOf(CheckKeyPairProject(-1)) == "InvalidProjectId.NotFound");
  }
}
