#include "schema/spec.h"

#include <algorithm>
#include <cstdio>
#include <stdexcept>

extern const std::string_view kEmbeddedSchema;

namespace cvm::schema {
namespace {

using nlohmann::json;

struct FormatRow {
  const char* name;
  Format format;
  const char* description;
};

constexpr FormatRow kFormats[] = {
    {"instance-id", Format::kInstanceId, "ins- followed by 8 lower-case letters or digits"},
    {"image-id", Format::kImageId, "img- followed by 8 lower-case letters or digits"},
    {"key-id", Format::kKeyId, "skey- followed by 8 lower-case letters or digits"},
    {"host-id", Format::kHostId, "host- followed by 8 lower-case letters or digits"},
    {"placement-group-id", Format::kPlacementGroupId,
     "ps- followed by 8 lower-case letters or digits"},
    {"disk-id", Format::kDiskId, "disk- followed by 8 lower-case letters or digits"},
    {"snapshot-id", Format::kSnapshotId, "snap- followed by 8 lower-case letters or digits"},
    {"vpc-id", Format::kVpcId, "vpc- followed by 8 lower-case letters or digits"},
    {"subnet-id", Format::kSubnetId, "subnet- followed by 8 lower-case letters or digits"},
    {"security-group-id", Format::kSecurityGroupId,
     "sg- followed by 8 lower-case letters or digits"},
    {"ipv4", Format::kIpv4, "a dotted-quad IPv4 address"},
    {"zone", Format::kZone, "an availability zone such as ap-guangzhou-3"},
    {"region", Format::kRegion, "a region such as ap-guangzhou"},
    {"date", Format::kDate, "a date YYYY-MM-DD"},
    {"datetime", Format::kDatetime, "a time like 2018-5-29 11:26:40"},
    {"base64", Format::kBase64, "base64-encoded data"},
    {"bool-string", Format::kBoolString, "TRUE or FALSE"},
    {"account-id", Format::kAccountId, "a numeric account ID"},
    {"url", Format::kUrl, "an http:// or https:// URL"},
    {"ascii", Format::kAsciiText, "printable ASCII text"},
    {"name", Format::kName, "a name without control characters"},
};

Format ParseFormat(const std::string& name, const std::string& where) {
  for (const FormatRow& row : kFormats) {
    if (name == row.name) return row.format;
  }
  throw std::runtime_error(where + ": unknown format " + name);
}

const ErrorSpec* Code(const json& obj, const char* key, const ErrorSpec& fallback,
                      const std::string& where) {
  if (!obj.contains(key)) return &fallback;
  std::string code = obj.at(key).get<std::string>();
  const ErrorSpec* spec = errors::FindByCode(code);
  if (!spec) throw std::runtime_error(where + ": error code " + code + " is not in the error table");
  return spec;
}

bool IsIdChar(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z'); }

bool IsPrefixedId(std::string_view value, std::string_view prefix) {
  if (value.size() != prefix.size() + 8 || value.substr(0, prefix.size()) != prefix) return false;
  return std::all_of(value.begin() + prefix.size(), value.end(), IsIdChar);
}

bool IsDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool IsIpv4(std::string_view s) {
  int parts = 0;
  while (true) {
    size_t dot = s.find('.');
    std::string_view part = s.substr(0, dot);
    if (!IsDigits(part) || part.size() > 3 || (part.size() > 1 && part[0] == '0')) return false;
    if (std::stoi(std::string(part)) > 255) return false;
    ++parts;
    if (dot == std::string_view::npos) break;
    s.remove_prefix(dot + 1);
  }
  return parts == 4;
}

// "ap-guangzhou" / "na-siliconvalley" / "ap-shanghai-fsi": lower-case words joined by '-'.
bool IsRegionShape(std::string_view s) {
  if (s.empty() || s.front() == '-' || s.back() == '-') return false;
  int dashes = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '-') {
      if (s[i - 1] == '-') return false;
      ++dashes;
    } else if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) {
      return false;
    }
  }
  return dashes >= 1;
}

bool IsZoneShape(std::string_view s) {
  size_t dash = s.rfind('-');
  if (dash == std::string_view::npos) return false;
  return IsRegionShape(s.substr(0, dash)) && IsDigits(s.substr(dash + 1));
}

bool IsDate(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  if (!IsDigits(s.substr(0, 4)) || !IsDigits(s.substr(5, 2)) || !IsDigits(s.substr(8, 2))) {
    return false;
  }
  int m = std::stoi(std::string(s.substr(5, 2))), d = std::stoi(std::string(s.substr(8, 2)));
  return m >= 1 && m <= 12 && d >= 1 && d <= 31;
}

// "2018-5-29 11:26:40": unpadded or padded month/day/hour.
bool IsDatetime(std::string_view s) {
  int y, mo, d, h, mi, sec;
  char tail;
  std::string text(s);
  if (std::sscanf(text.c_str(), "%4d-%2d-%2d %2d:%2d:%2d%c", &y, &mo, &d, &h, &mi, &sec, &tail) !=
      6) {
    return false;
  }
  return y >= 1970 && mo >= 1 && mo <= 12 && d >= 1 && d <= 31 && h <= 23 && mi <= 59 &&
         sec <= 59 && h >= 0 && mi >= 0 && sec >= 0;
}

bool IsBase64(std::string_view s) {
  if (s.size() % 4 != 0) return false;
  size_t pad = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    bool alpha = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                 c == '+' || c == '/';
    if (c == '=') {
      if (i + 2 < s.size()) return false;
      ++pad;
    } else if (!alpha || pad > 0) {
      return false;
    }
  }
  return pad <= 2;
}

bool IsUrl(std::string_view s) {
  for (std::string_view scheme : {"http://", "https://"}) {
    if (s.substr(0, scheme.size()) == scheme) {
      std::string_view rest = s.substr(scheme.size());
      return !rest.empty() && rest.front() != '/' &&
             rest.find_first_of(" \t\r\n") == std::string_view::npos;
    }
  }
  return false;
}

Type ParseType(const std::string& name) {
  if (name == "String") return Type::kString;
  if (name == "Integer") return Type::kInteger;
  if (name == "Float") return Type::kFloat;
  if (name == "Boolean") return Type::kBoolean;
  if (name == "Timestamp") return Type::kTimestamp;
  return Type::kStruct;
}

MemberSpec ParseMember(const json& j, const std::string& owner) {
  MemberSpec m;
  m.name = j.at("name").get<std::string>();
  std::string where = owner + "." + m.name;
  m.type_name = j.at("type").get<std::string>();
  m.type = ParseType(m.type_name);
  m.array = j.value("array", false);
  m.required = j.value("required", false);
  m.doc = j.value("doc", "");
  if (j.contains("enum") && j["enum"].is_array()) {
    for (const auto& v : j["enum"]) m.enum_values.push_back(v);
  }
  if (j.contains("default") && !j["default"].is_null()) m.default_value = j["default"];
  if (j.contains("min") && !j["min"].is_null()) m.min = j["min"].get<double>();
  if (j.contains("max") && !j["max"].is_null()) m.max = j["max"].get<double>();
  if (j.contains("min_length") && !j["min_length"].is_null()) m.min_length = j["min_length"].get<int64_t>();
  if (j.contains("max_length") && !j["max_length"].is_null()) m.max_length = j["max_length"].get<int64_t>();
  m.length_in_bytes = j.value("length_unit", "characters") == "bytes";
  if (j.contains("max_items") && !j["max_items"].is_null()) m.max_items = j["max_items"].get<int64_t>();
  if (j.contains("format") && !j["format"].is_null()) {
    m.format = ParseFormat(j["format"].get<std::string>(), where);
  }
  m.enum_code = Code(j, "enum_code", errors::kInvalidParameterValue, where);
  m.range_code = Code(j, "range_code", errors::kInvalidParameterValue, where);
  m.length_code = Code(j, "length_code", errors::kInvalidParameterValue, where);
  m.items_code = Code(j, "items_code", errors::kInvalidParameterValueLimitExceeded, where);
  m.format_code = Code(j, "format_code", DefaultFormatCode(m.format), where);
  return m;
}

}  // namespace

const MemberSpec* StructSpec::Find(std::string_view member) const {
  for (const MemberSpec& m : members) {
    if (m.name == member) return &m;
  }
  return nullptr;
}

const FilterNameSpec* FilterSpec::Find(std::string_view name) const {
  for (const FilterNameSpec& f : names) {
    if (f.prefix ? (name.size() > f.name.size() && name.substr(0, f.name.size()) == f.name)
                 : name == f.name) {
      return &f;
    }
  }
  return nullptr;
}

bool ActionSpec::Documents(std::string_view code) const {
  return std::find(errors.begin(), errors.end(), code) != errors.end();
}

const ErrorSpec& DefaultFormatCode(Format format) {
  switch (format) {
    case Format::kInstanceId: return errors::kInvalidInstanceIdMalformed;
    case Format::kImageId: return errors::kInvalidImageIdMalformed;
    case Format::kKeyId: return errors::kInvalidKeyPairIdMalformed;
    case Format::kHostId: return errors::kInvalidHostIdMalformed;
    case Format::kZone: return errors::kInvalidZoneMismatchRegion;  // D-51
    default: return errors::kInvalidParameterValue;
  }
}

bool MatchesFormat(Format format, std::string_view v) {
  switch (format) {
    case Format::kNone: return true;
    case Format::kInstanceId: return IsPrefixedId(v, "ins-");
    case Format::kImageId: return IsPrefixedId(v, "img-");
    case Format::kKeyId: return IsPrefixedId(v, "skey-");
    case Format::kHostId: return IsPrefixedId(v, "host-");
    case Format::kPlacementGroupId: return IsPrefixedId(v, "ps-");
    case Format::kDiskId: return IsPrefixedId(v, "disk-");
    case Format::kSnapshotId: return IsPrefixedId(v, "snap-");
    case Format::kVpcId: return IsPrefixedId(v, "vpc-");
    case Format::kSubnetId: return IsPrefixedId(v, "subnet-");
    case Format::kSecurityGroupId: return IsPrefixedId(v, "sg-");
    case Format::kIpv4: return IsIpv4(v);
    case Format::kZone: return IsZoneShape(v);
    case Format::kRegion: return IsRegionShape(v);
    case Format::kDate: return IsDate(v);
    case Format::kDatetime: return IsDatetime(v);
    case Format::kBase64: return IsBase64(v);
    case Format::kBoolString: {
      std::string upper(v);
      for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      return upper == "TRUE" || upper == "FALSE";
    }
    case Format::kAccountId: return IsDigits(v) && v.size() <= 20;
    case Format::kUrl: return IsUrl(v);
    case Format::kAsciiText:
      return std::all_of(v.begin(), v.end(), [](char c) { return c >= 0x20 && c <= 0x7e; });
    case Format::kName:
      return FirstControlCharacter(v).empty();
  }
  return false;
}

std::string FirstControlCharacter(std::string_view text) {
  for (size_t i = 0; i < text.size(); ++i) {
    auto c = static_cast<unsigned char>(text[i]);
    unsigned code = 0;
    if (c < 0x20 || c == 0x7f) {
      code = c;
    } else if (c == 0xC2 && i + 1 < text.size()) {
      auto next = static_cast<unsigned char>(text[i + 1]);
      if (next >= 0x80 && next <= 0x9f) code = next;  // U+0080..U+009F
    }
    if (code == 0 && c != 0) continue;
    char out[8];
    std::snprintf(out, sizeof out, "U+%04X", code);
    return out;
  }
  return "";
}

const char* FormatDescription(Format format) {
  for (const FormatRow& row : kFormats) {
    if (row.format == format) return row.description;
  }
  return "a value";
}

const Schema& Schema::Builtin() {
  static const std::unique_ptr<Schema> schema = Parse(kEmbeddedSchema);
  return *schema;
}

std::unique_ptr<Schema> Schema::Parse(std::string_view text) {
  json doc = json::parse(text);
  std::unique_ptr<Schema> schema(new Schema());
  schema->version_ = doc.at("version").get<std::string>();

  // Structures first (two passes, so members can name structures defined later).
  for (const auto& s : doc.at("structures")) {
    auto spec = std::make_unique<StructSpec>();
    spec->name = s.at("name").get<std::string>();
    spec->doc = s.value("doc", "");
    schema->struct_index_[spec->name] = spec.get();
    schema->structures_.push_back(std::move(spec));
  }
  auto link = [&](std::vector<MemberSpec>& members, const std::string& owner) {
    for (MemberSpec& m : members) {
      if (m.type != Type::kStruct) continue;
      const StructSpec* target = schema->FindStruct(m.type_name);
      if (!target) throw std::runtime_error(owner + "." + m.name + ": unknown type " + m.type_name);
      m.structure = target;
    }
  };
  size_t index = 0;
  for (const auto& s : doc.at("structures")) {
    StructSpec& spec = *schema->structures_[index++];
    for (const auto& m : s.at("members")) spec.members.push_back(ParseMember(m, spec.name));
    link(spec.members, spec.name);
  }

  for (const auto& a : doc.at("actions")) {
    auto spec = std::make_unique<ActionSpec>();
    spec->name = a.at("name").get<std::string>();
    const std::string& where = spec->name;
    spec->group = a.at("group").get<std::string>();
    spec->doc = a.value("doc", "");
    spec->rate_limit = a.value("rate_limit", 10);
    spec->region_required = a.value("region", "required") == "required";
    spec->unknown_region_code = Code(a, "unknown_region_code", errors::kUnsupportedRegion, where);
    spec->inputs.name = spec->name;
    spec->outputs.name = spec->name;
    for (const auto& m : a.at("inputs")) spec->inputs.members.push_back(ParseMember(m, where));
    for (const auto& m : a.at("outputs")) spec->outputs.members.push_back(ParseMember(m, where));
    link(spec->inputs.members, where);
    link(spec->outputs.members, where);
    for (const auto& e : a.at("errors")) spec->errors.push_back(e.get<std::string>());
    if (a.contains("filters") && a["filters"].is_object()) {
      const json& f = a["filters"];
      FilterSpec filters;
      filters.max_filters = f.value("max_filters", 10);
      filters.max_values = f.value("max_values", 5);
      filters.limit_code = Code(f, "limit_code", errors::kInvalidParameterValueLimitExceeded, where);
      for (const auto& n : f.at("names")) {
        FilterNameSpec name;
        name.name = n.at("name").get<std::string>();
        name.prefix = n.value("prefix", false);
        name.type = ParseType(n.value("type", "String"));
        if (n.contains("format") && !n["format"].is_null()) {
          name.format = ParseFormat(n["format"].get<std::string>(), where + " filter " + name.name);
        }
        name.format_code = Code(n, "format_code", DefaultFormatCode(name.format), where);
        filters.names.push_back(std::move(name));
      }
      spec->filters = std::move(filters);
    }
    if (a.contains("pagination") && a["pagination"].is_object()) {
      const json& p = a["pagination"];
      spec->pagination = PaginationSpec{p.value("default_limit", 20), p.value("max_limit", 100)};
    }
    if (a.contains("exclusive") && a["exclusive"].is_array()) {
      for (const auto& x : a["exclusive"]) {
        const json& names = x.at("members");
        spec->exclusive.push_back(ExclusiveSpec{names.at(0).get<std::string>(),
                                                names.at(1).get<std::string>(),
                                                Code(x, "code", errors::kInvalidParameter, where)});
      }
    }
    schema->action_index_[spec->name] = spec.get();
    schema->actions_.push_back(std::move(spec));
  }
  return schema;
}

const ActionSpec* Schema::FindAction(std::string_view name) const {
  auto it = action_index_.find(name);
  return it == action_index_.end() ? nullptr : it->second;
}

const StructSpec* Schema::FindStruct(std::string_view name) const {
  auto it = struct_index_.find(name);
  return it == struct_index_.end() ? nullptr : it->second;
}

}  // namespace cvm::schema
