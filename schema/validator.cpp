#include "schema/validator.h"

#include <charconv>
#include <cmath>
#include <limits>
#include <map>

namespace cvm::schema {
namespace {

using nlohmann::json;

std::string Child(const std::string& path, std::string_view name) {
  return path.empty() ? std::string(name) : path + "." + std::string(name);
}
std::string Index(const std::string& path, size_t i) { return path + "." + std::to_string(i); }

// A short, printable rendering of a value for messages.
std::string Show(const json& v) {
  std::string text = v.is_string() ? v.get<std::string>() : v.dump(-1, ' ', false,
                                                                    json::error_handler_t::replace);
  if (text.size() > 64) text = text.substr(0, 61) + "...";
  return "`" + text + "`";
}

const char* TypeWord(const MemberSpec& m) {
  switch (m.type) {
    case Type::kString: return "a string";
    case Type::kInteger: return "an integer";
    case Type::kFloat: return "a number";
    case Type::kBoolean: return "a boolean";
    case Type::kTimestamp: return "a timestamp";
    case Type::kStruct: return "a structure";
  }
  return "a value";
}

class Validator {
 public:
  Validator(const ActionSpec& action, bool flat, bool ignore_unknown,
            const std::map<std::string, size_t>& list_sizes)
      : action_(action), flat_(flat), ignore_unknown_(ignore_unknown), list_sizes_(list_sizes) {}

  // Pass 1 (JSON form only): names the schema does not know.
  Status CheckUnknown(const StructSpec& spec, json& node, const std::string& path,
                      std::vector<std::string>* ignored) {
    for (auto it = node.begin(); it != node.end();) {
      const MemberSpec* m = spec.Find(it.key());
      if (!m) {
        std::string full = Child(path, it.key());
        if (!ignore_unknown_) {
          const MemberSpec* m = SuggestMember(spec, it.key());
          std::string hint = m ? " Did you mean " + Child(path, m->name) + "?" : "";
          return ApiError::Make(errors::kUnknownParameter, ShowName(full), action_.name, hint);
        }
        ignored->push_back(full);
        it = node.erase(it);
        continue;
      }
      if (m->type == Type::kStruct) {
        json& v = it.value();
        if (m->array && v.is_array()) {
          for (size_t i = 0; i < v.size(); ++i) {
            if (v[i].is_object()) {
              CVM_RETURN_IF_ERROR(CheckUnknown(*m->structure, v[i], Index(Child(path, m->name), i), ignored));
            }
          }
        } else if (!m->array && v.is_object()) {
          CVM_RETURN_IF_ERROR(CheckUnknown(*m->structure, v, Child(path, m->name), ignored));
        }
      }
      ++it;
    }
    return Status::Ok();
  }

  // Pass 2: required members, with their full paths.
  Status CheckMissing(const StructSpec& spec, const json& node, const std::string& path) {
    for (const MemberSpec& m : spec.members) {
      auto it = node.find(m.name);
      bool present = it != node.end() && !it->is_null();
      if (!present) {
        if (m.required) return ApiError::Make(errors::kMissingParameter, Child(path, m.name));
        continue;
      }
      if (m.type != Type::kStruct) continue;
      if (m.array && it->is_array()) {
        for (size_t i = 0; i < it->size(); ++i) {
          if ((*it)[i].is_object()) {
            CVM_RETURN_IF_ERROR(CheckMissing(*m.structure, (*it)[i], Index(Child(path, m.name), i)));
          }
        }
      } else if (!m.array && it->is_object()) {
        CVM_RETURN_IF_ERROR(CheckMissing(*m.structure, *it, Child(path, m.name)));
      }
    }
    return Status::Ok();
  }

  // Pass 3: types, formats, enums, ranges, lengths, list sizes; builds the
  // typed output with defaults applied.
  Status CheckValues(const StructSpec& spec, const json& node, const std::string& path, json* out) {
    *out = json::object();
    for (const MemberSpec& m : spec.members) {
      auto it = node.find(m.name);
      std::string member_path = Child(path, m.name);
      if (it == node.end() || it->is_null()) {
        if (m.default_value) (*out)[m.name] = *m.default_value;
        continue;
      }
      json typed;
      if (m.array) {
        if (!it->is_array()) {
          return ApiError::Make(errors::kInvalidParameterValue, member_path,
                                std::string("it must be a list of ") + TypeWord(m) + "s");
        }
        if (flat_) {
          // A gap in the indexes is reported as such, before the list's size.
          for (size_t i = 0; i < it->size(); ++i) {
            if ((*it)[i].is_null()) {
              return ApiError::Make(errors::kInvalidParameter,
                                    "the list " + member_path + " has no element " +
                                        Index(member_path, i) +
                                        ": list indexes must be consecutive from 0");
            }
          }
        }
        size_t given = Given(member_path, *it);
        if (m.max_items && static_cast<int64_t>(given) > *m.max_items) {
          return ApiError::Make(*m.items_code, member_path,
                                "at most " + std::to_string(*m.max_items) +
                                    " elements are allowed, " + std::to_string(given) +
                                    " were given");
        }
        typed = json::array();
        for (size_t i = 0; i < it->size(); ++i) {
          const json& element = (*it)[i];
          std::string element_path = Index(member_path, i);
          if (element.is_null()) {
            if (flat_) {
              return ApiError::Make(errors::kInvalidParameter,
                                    "the list " + member_path + " has no element " + element_path +
                                        ": list indexes must be consecutive from 0");
            }
            return ApiError::Make(errors::kInvalidParameterValue, element_path,
                                  std::string("it must be ") + TypeWord(m) + ", not null");
          }
          json value;
          CVM_RETURN_IF_ERROR(CheckOne(m, element, element_path, &value));
          typed.push_back(std::move(value));
        }
      } else {
        CVM_RETURN_IF_ERROR(CheckOne(m, *it, member_path, &typed));
      }
      (*out)[m.name] = std::move(typed);
    }
    return Status::Ok();
  }

  Status CheckAction(const json& params) {
    for (const ExclusiveSpec& x : action_.exclusive) {
      if (params.contains(x.first) && params.contains(x.second)) {
        return ApiError::Make(*x.code, x.first, x.second);
      }
    }
    if (action_.filters && params.contains("Filters")) {
      CVM_RETURN_IF_ERROR(CheckFilters(*action_.filters, params["Filters"]));
    }
    return Status::Ok();
  }

 private:
  Status CheckOne(const MemberSpec& m, const json& v, const std::string& path, json* out) {
    switch (m.type) {
      case Type::kStruct:
        if (!v.is_object()) {
          return ApiError::Make(errors::kInvalidParameterValue, path, "it must be a structure (" +
                                                                         m.type_name + ")");
        }
        return CheckValues(*m.structure, v, path, out);
      case Type::kString:
      case Type::kTimestamp: {
        if (!v.is_string()) {
          return ApiError::Make(errors::kInvalidParameterValue, path, "it must be a string, not " + Show(v));
        }
        const std::string& s = v.get_ref<const std::string&>();
        if (!IsValidUtf8(s)) {
          return ApiError::Make(errors::kInvalidParameterValue, path, "it is not valid UTF-8");
        }
        if (m.format == Format::kName) {
          // Shown, the value would hide what is wrong with it.
          if (std::string bad = FirstControlCharacter(s); !bad.empty()) {
            return ApiError::Make(*m.format_code, path,
                                  "it holds the control character " + bad +
                                      "; a name may not hold control characters");
          }
        } else if (m.format != Format::kNone && !MatchesFormat(m.format, s)) {
          return ApiError::Make(*m.format_code, path,
                                Show(v) + " is not " + FormatDescription(m.format));
        }
        CVM_RETURN_IF_ERROR(CheckEnum(m, v, path));
        int64_t length = m.length_in_bytes ? static_cast<int64_t>(s.size())
                                           : static_cast<int64_t>(Utf8Length(s));
        const char* unit = m.length_in_bytes ? " bytes" : " characters";
        if (m.max_length && length > *m.max_length) {
          return ApiError::Make(*m.length_code, path,
                                "at most " + std::to_string(*m.max_length) + unit + " are allowed, " +
                                    std::to_string(length) + " were given");
        }
        // Too short is a plain wrong value: the documented length codes all
        // say "too long" (InvalidParameterValue.TooLong, ...).
        if (m.min_length && length < *m.min_length) {
          return ApiError::Make(errors::kInvalidParameterValue, path,
                                "at least " + std::to_string(*m.min_length) + unit + " are needed");
        }
        *out = v;
        return Status::Ok();
      }
      case Type::kInteger: {
        int64_t n = 0;
        if (!ToInteger(v, &n)) {
          return ApiError::Make(errors::kInvalidParameterValue, path,
                                Show(v) + " is not an integer between -2^63 and 2^63-1");
        }
        *out = n;
        CVM_RETURN_IF_ERROR(CheckEnum(m, *out, path));
        return CheckRange(m, static_cast<double>(n), *out, path);
      }
      case Type::kFloat: {
        double d = 0;
        if (!ToDouble(v, &d)) {
          return ApiError::Make(errors::kInvalidParameterValue, path, Show(v) + " is not a number");
        }
        *out = d;
        return CheckRange(m, d, *out, path);
      }
      case Type::kBoolean: {
        bool b = false;
        if (!ToBool(v, &b)) {
          return ApiError::Make(errors::kInvalidParameterValue, path,
                                Show(v) + " is not a boolean (true or false)");
        }
        *out = b;
        return Status::Ok();
      }
    }
    return Status::Ok();
  }

  Status CheckEnum(const MemberSpec& m, const json& v, const std::string& path) {
    if (m.enum_values.empty()) return Status::Ok();
    for (const json& allowed : m.enum_values) {
      if (allowed == v) return Status::Ok();
    }
    std::string list;
    for (const json& allowed : m.enum_values) {
      if (!list.empty()) list += ", ";
      list += allowed.is_string() ? allowed.get<std::string>() : allowed.dump();
    }
    return ApiError::Make(*m.enum_code, path, Show(v) + " is not one of " + list);
  }

  Status CheckRange(const MemberSpec& m, double d, const json& v, const std::string& path) {
    if ((m.min && d < *m.min) || (m.max && d > *m.max)) {
      std::string range = "it must be";
      if (m.min) range += " at least " + json(*m.min).dump();
      if (m.min && m.max) range += " and";
      if (m.max) range += " at most " + json(*m.max).dump();
      return ApiError::Make(*m.range_code, path, Show(v) + " is out of range: " + range);
    }
    return Status::Ok();
  }

  bool ToInteger(const json& v, int64_t* out) const {
    if (flat_ && v.is_string()) {
      const std::string& s = v.get_ref<const std::string&>();
      auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
      return !s.empty() && ec == std::errc() && ptr == s.data() + s.size();
    }
    if (v.is_number_integer() && !v.is_number_unsigned()) {
      *out = v.get<int64_t>();
      return true;
    }
    if (v.is_number_unsigned()) {
      uint64_t u = v.get<uint64_t>();
      if (u > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) return false;
      *out = static_cast<int64_t>(u);
      return true;
    }
    return false;
  }

  bool ToDouble(const json& v, double* out) const {
    if (flat_ && v.is_string()) {
      const std::string& s = v.get_ref<const std::string&>();
      auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
      return !s.empty() && ec == std::errc() && ptr == s.data() + s.size() && std::isfinite(*out);
    }
    if (!v.is_number()) return false;
    *out = v.get<double>();
    return std::isfinite(*out);
  }

  bool ToBool(const json& v, bool* out) const {
    if (v.is_boolean()) {
      *out = v.get<bool>();
      return true;
    }
    if (flat_ && v.is_string()) {
      std::string s = v.get<std::string>();
      for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      if (s == "true" || s == "false") {
        *out = s == "true";
        return true;
      }
    }
    return false;
  }

  Status CheckFilters(const FilterSpec& spec, const json& filters) {
    size_t given = Given("Filters", filters);
    if (static_cast<int64_t>(given) > spec.max_filters) {
      return ApiError::Make(*spec.limit_code, "Filters",
                            "at most " + std::to_string(spec.max_filters) +
                                " filters are allowed, " + std::to_string(given) + " were given");
    }
    for (size_t i = 0; i < filters.size(); ++i) {
      const json& f = filters[i];
      std::string path = Index("Filters", i);
      const std::string& name = f["Name"].get_ref<const std::string&>();
      const FilterNameSpec* fs = spec.Find(name);
      if (!fs) {
        std::string names;
        for (const FilterNameSpec& n : spec.names) {
          if (!names.empty()) names += ", ";
          names += n.prefix ? n.name + "<key>" : n.name;
        }
        return ApiError::Make(errors::kInvalidFilter, "`" + name + "` (" + path + ".Name)",
                              action_.name + " supports " + names);
      }
      const json& values = f["Values"];
      size_t values_given = Given(path + ".Values", values);
      if (static_cast<int64_t>(values_given) > spec.max_values) {
        return ApiError::Make(*spec.limit_code, path + ".Values",
                              "at most " + std::to_string(spec.max_values) +
                                  " values are allowed per filter, " +
                                  std::to_string(values_given) + " were given");
      }
      for (size_t j = 0; j < values.size(); ++j) {
        const std::string& value = values[j].get_ref<const std::string&>();
        std::string value_path = Index(path + ".Values", j);
        if (fs->type == Type::kInteger) {
          int64_t n;
          auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
          if (value.empty() || ec != std::errc() || ptr != value.data() + value.size()) {
            return ApiError::Make(errors::kInvalidParameterValue, value_path,
                                  "the filter " + name + " takes integers, not " + Show(values[j]));
          }
        }
        if (fs->format != Format::kNone && !MatchesFormat(fs->format, value)) {
          return ApiError::Make(*fs->format_code, value_path,
                                Show(values[j]) + " is not " + FormatDescription(fs->format));
        }
      }
    }
    return Status::Ok();
  }

  // The elements given of the list at `path`: more than it holds when the
  // decoder kept only its documented maximum.
  size_t Given(const std::string& path, const json& list) const {
    auto it = list_sizes_.find(path);
    return it == list_sizes_.end() ? list.size() : it->second;
  }

  const ActionSpec& action_;
  bool flat_;
  bool ignore_unknown_;
  const std::map<std::string, size_t>& list_sizes_;
};

}  // namespace

size_t Utf8Length(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

bool IsValidUtf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    auto c = static_cast<unsigned char>(s[i]);
    int extra;
    uint32_t cp;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xE0) == 0xC0) {
      extra = 1, cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      extra = 2, cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      extra = 3, cp = c & 0x07;
    } else {
      return false;
    }
    if (i + extra >= s.size()) return false;
    for (int k = 1; k <= extra; ++k) {
      auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    if ((extra == 1 && cp < 0x80) || (extra == 2 && cp < 0x800) || (extra == 3 && cp < 0x10000) ||
        cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
      return false;
    }
    i += extra + 1;
  }
  return true;
}

Result<ValidatedParams> Validate(const ActionSpec& action, DecodedTree decoded,
                                 bool ignore_unknown) {
  ValidatedParams out;
  out.ignored = std::move(decoded.ignored);
  Validator v(action, decoded.flat, ignore_unknown, decoded.list_sizes);
  if (!decoded.flat) {
    CVM_RETURN_IF_ERROR(v.CheckUnknown(action.inputs, decoded.tree, "", &out.ignored));
  }
  CVM_RETURN_IF_ERROR(v.CheckMissing(action.inputs, decoded.tree, ""));
  CVM_RETURN_IF_ERROR(v.CheckValues(action.inputs, decoded.tree, "", &out.params));
  CVM_RETURN_IF_ERROR(v.CheckAction(out.params));
  return out;
}

}  // namespace cvm::schema
