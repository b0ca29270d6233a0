#include "schema/output_check.h"

namespace cvm::schema {
namespace {

using nlohmann::json;

class OutputChecker {
 public:
  std::vector<std::string> problems;

  void CheckStruct(const StructSpec& spec, const json& object, const std::string& path) {
    if (!object.is_object()) {
      problems.push_back(Where(path) + " should be an object (" + spec.name + ")");
      return;
    }
    for (const MemberSpec& m : spec.members) {
      std::string p = path.empty() ? m.name : path + "." + m.name;
      auto it = object.find(m.name);
      if (it == object.end()) {
        problems.push_back(p + " is missing (use null for no value)");
        continue;
      }
      if (it->is_null()) continue;
      if (m.array) {
        if (!it->is_array()) {
          problems.push_back(p + " should be a list");
          continue;
        }
        for (size_t i = 0; i < it->size(); ++i) CheckValue(m, (*it)[i], p + "." + std::to_string(i));
      } else {
        CheckValue(m, *it, p);
      }
    }
    for (const auto& [name, value] : object.items()) {
      if (!spec.Find(name)) problems.push_back(Where(path) + " has an undocumented field " + name);
    }
  }

 private:
  static std::string Where(const std::string& path) { return path.empty() ? "the response" : path; }

  void CheckValue(const MemberSpec& m, const json& v, const std::string& path) {
    switch (m.type) {
      case Type::kStruct:
        CheckStruct(*m.structure, v, path);
        return;
      case Type::kString:
        if (!v.is_string()) return problems.push_back(path + " should be a string");
        if (m.format != Format::kNone && !MatchesFormat(m.format, v.get<std::string>())) {
          problems.push_back(path + " = " + v.dump() + " is not " + FormatDescription(m.format));
        }
        break;
      case Type::kTimestamp:
        if (!v.is_string() || !IsIso8601Utc(v.get<std::string>())) {
          problems.push_back(path + " should be a timestamp YYYY-MM-DDThh:mm:ssZ, not " + v.dump());
        }
        return;
      case Type::kInteger:
        if (!v.is_number_integer()) return problems.push_back(path + " should be an integer");
        break;
      case Type::kFloat:
        if (!v.is_number()) return problems.push_back(path + " should be a number");
        break;
      case Type::kBoolean:
        if (!v.is_boolean()) return problems.push_back(path + " should be a boolean");
        return;
    }
    if (!m.enum_values.empty()) {
      bool found = false;
      for (const json& allowed : m.enum_values) found |= allowed == v;
      if (!found) problems.push_back(path + " = " + v.dump() + " is not one of its documented values");
    }
  }
};

bool Digits(std::string_view s, size_t from, size_t n) {
  for (size_t i = from; i < from + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
  }
  return true;
}

}  // namespace

bool IsIso8601Utc(std::string_view t) {
  return t.size() == 20 && Digits(t, 0, 4) && t[4] == '-' && Digits(t, 5, 2) && t[7] == '-' &&
         Digits(t, 8, 2) && t[10] == 'T' && Digits(t, 11, 2) && t[13] == ':' && Digits(t, 14, 2) &&
         t[16] == ':' && Digits(t, 17, 2) && t[19] == 'Z';
}

std::vector<std::string> CheckOutput(const ActionSpec& action, const nlohmann::json& fields) {
  OutputChecker checker;
  checker.CheckStruct(action.outputs, fields, "");
  return checker.problems;
}

}  // namespace cvm::schema
