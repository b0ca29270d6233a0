// The API as data: actions, structures and members, loaded from the embedded
// cvm_2017_03_12.json (format: schema/FORMAT.md). Immutable after loading.
#pragma once

#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "schema/errors.h"

namespace cvm::schema {

enum class Type { kString, kInteger, kFloat, kBoolean, kTimestamp, kStruct };

enum class Format {
  kNone,
  kInstanceId,
  kImageId,
  kKeyId,
  kHostId,
  kPlacementGroupId,
  kDiskId,
  kSnapshotId,
  kVpcId,
  kSubnetId,
  kSecurityGroupId,
  kIpv4,
  kZone,
  kRegion,
  kDate,
  kDatetime,
  kBase64,
  kBoolString,
  kAccountId,
  kUrl,
  kAsciiText,
  kName,
};

struct StructSpec;

struct MemberSpec {
  std::string name;
  Type type = Type::kString;
  std::string type_name;               // "String", ..., or the structure's name
  const StructSpec* structure = nullptr;  // set iff type == kStruct
  bool array = false;
  bool required = false;
  std::string doc;

  std::vector<nlohmann::json> enum_values;  // empty: any value
  std::optional<nlohmann::json> default_value;
  std::optional<double> min, max;
  std::optional<int64_t> min_length, max_length;
  bool length_in_bytes = false;
  std::optional<int64_t> max_items;
  Format format = Format::kNone;

  // The code for each kind of violation (never null after loading).
  const ErrorSpec* enum_code = nullptr;
  const ErrorSpec* range_code = nullptr;
  const ErrorSpec* length_code = nullptr;
  const ErrorSpec* items_code = nullptr;
  const ErrorSpec* format_code = nullptr;
};

struct StructSpec {
  std::string name;
  std::string doc;
  std::vector<MemberSpec> members;

  const MemberSpec* Find(std::string_view member) const;
};

struct FilterNameSpec {
  std::string name;
  bool prefix = false;  // "tag:" matches "tag:<key>"
  Type type = Type::kString;
  Format format = Format::kNone;
  const ErrorSpec* format_code = nullptr;
};

struct FilterSpec {
  int64_t max_filters = 10;
  int64_t max_values = 5;
  const ErrorSpec* limit_code = nullptr;
  std::vector<FilterNameSpec> names;

  const FilterNameSpec* Find(std::string_view name) const;
};

struct PaginationSpec {
  int64_t default_limit = 20;
  int64_t max_limit = 100;
};

struct ExclusiveSpec {
  std::string first, second;
  const ErrorSpec* code = nullptr;
};

struct ActionSpec {
  std::string name;
  std::string group;
  std::string doc;
  int rate_limit = 10;
  bool region_required = true;
  const ErrorSpec* unknown_region_code = nullptr;
  StructSpec inputs;   // the request as a structure named after the action
  StructSpec outputs;  // the response, without RequestId
  std::vector<std::string> errors;
  std::optional<FilterSpec> filters;
  std::optional<PaginationSpec> pagination;
  std::vector<ExclusiveSpec> exclusive;

  bool Documents(std::string_view code) const;
};

class Schema {
 public:
  // The schema compiled into this binary. Parsed on first use.
  static const Schema& Builtin();
  // Parses schema text. Throws std::runtime_error naming the first problem
  // (unknown type, unknown error code, malformed entry).
  static std::unique_ptr<Schema> Parse(std::string_view text);

  const std::string& version() const { return version_; }
  const ActionSpec* FindAction(std::string_view name) const;
  const StructSpec* FindStruct(std::string_view name) const;
  const std::vector<std::unique_ptr<ActionSpec>>& actions() const { return actions_; }
  const std::vector<std::unique_ptr<StructSpec>>& structures() const { return structures_; }

 private:
  Schema() = default;

  std::string version_;
  std::vector<std::unique_ptr<ActionSpec>> actions_;
  std::vector<std::unique_ptr<StructSpec>> structures_;
  std::map<std::string, const ActionSpec*, std::less<>> action_index_;
  std::map<std::string, const StructSpec*, std::less<>> struct_index_;
};

// The code a malformed value of `format` gets when the member names none.
const ErrorSpec& DefaultFormatCode(Format format);
// True iff `value` has the shape `format` describes (schema/FORMAT.md).
bool MatchesFormat(Format format, std::string_view value);
// The first control character in UTF-8 `text` (C0, DEL or C1: U+0000..U+001F,
// U+007F..U+009F) in the U+ notation with four hex digits ("U+0007"), or ""
// if it has none.
std::string FirstControlCharacter(std::string_view text);
const char* FormatDescription(Format format);

}  // namespace cvm::schema
