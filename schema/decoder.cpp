#include "schema/decoder.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <semaphore>

namespace cvm::schema {
namespace {

using nlohmann::json;

std::vector<std::string_view> Split(std::string_view key) {
  std::vector<std::string_view> parts;
  size_t pos = 0;
  while (true) {
    size_t dot = key.find('.', pos);
    parts.push_back(key.substr(pos, dot == std::string_view::npos ? dot : dot - pos));
    if (dot == std::string_view::npos) break;
    pos = dot + 1;
  }
  return parts;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] != b[j - 1])});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

// Parses an array index segment: digits, no leading zero, at most kMaxFlatIndex.
bool ParseIndex(std::string_view seg, int* out) {
  if (seg.empty() || seg.size() > 5) return false;
  if (!std::all_of(seg.begin(), seg.end(), [](char c) { return c >= '0' && c <= '9'; })) return false;
  if (seg.size() > 1 && seg[0] == '0') return false;
  int v = std::stoi(std::string(seg));
  if (v > kMaxFlatIndex) return false;
  *out = v;
  return true;
}

std::string Join(const std::vector<std::string_view>& parts, size_t end) {
  std::string out;
  for (size_t i = 0; i < end && i < parts.size(); ++i) {
    if (i) out += '.';
    out += parts[i];
  }
  return out;
}

// UnknownParameter for parts[bad], suggesting the member it most likely
// meant with the rest of the name kept: InstanceId.0 → InstanceIds.0.
ApiError Unknown(const ActionSpec& action, const StructSpec& owner,
                 const std::vector<std::string_view>& parts, size_t bad) {
  std::string full = ShowName(Join(parts, parts.size()));
  std::string hint;
  if (const MemberSpec* m = SuggestMember(owner, parts[bad])) {
    std::vector<std::string_view> fixed = parts;
    fixed[bad] = m->name;
    std::string path = Join(fixed, fixed.size());
    if (m->array && bad + 1 == parts.size()) path += ".0";  // a bare InstanceId=…
    hint = " Did you mean " + ShowName(path) + "?";
  }
  return ApiError::Make(errors::kUnknownParameter, full, action.name, hint);
}

ApiError BadShape(std::string message) {
  return ApiError::Make(errors::kInvalidParameter, std::move(message));
}

// Builds a JSON tree out of the parser's events, within bounds, so that no
// body within the size limits builds a large tree (docs/decisions.md D-84):
// - a member name given twice, or nesting deeper than kMaxJsonDepth, is
//   refused (nlohmann's parser itself is iterative);
// - the list of a member with a documented maximum (its max_items, or the
//   action's limits on Filters and on each filter's Values) keeps that many
//   elements; the others are counted, not built, and the count goes into
//   `sizes` for the validator's message;
// - any other list is refused past kMaxJsonListItems elements, and the
//   whole body past kMaxJsonValues values.
class LimitedDomBuilder : public nlohmann::json_sax<json> {
 public:
  LimitedDomBuilder(const ActionSpec& action, json& root, std::map<std::string, size_t>& sizes)
      : action_(action), root_(root), sizes_(sizes) {}

  bool null() override { return Put(json(nullptr)); }
  bool boolean(bool v) override { return Put(json(v)); }
  bool number_integer(number_integer_t v) override { return Put(json(v)); }
  bool number_unsigned(number_unsigned_t v) override { return Put(json(v)); }
  bool number_float(number_float_t v, const string_t&) override { return Put(json(v)); }
  bool string(string_t& v) override { return Put(json(std::move(v))); }
  bool binary(binary_t&) override { return Fail("binary values are not JSON"); }

  bool start_object(std::size_t) override { return Open(json::object()); }
  bool key(string_t& k) override {
    if (skip_depth_ > 0) return true;
    json& obj = *stack_.back().node;
    if (obj.contains(k)) {
      std::string where = Path();
      return Fail("the member " + ShowName(where.empty() ? k : where + "." + k) +
                  " appears twice");
    }
    pending_key_ = std::move(k);
    return true;
  }
  bool end_object() override { return Close(); }
  bool start_array(std::size_t) override { return Open(json::array()); }
  bool end_array() override { return Close(); }
  bool parse_error(std::size_t position, const std::string&,
                   const nlohmann::detail::exception&) override {
    if (error_.empty()) {
      error_ = "the request body is not valid JSON (at byte " + std::to_string(position) + ")";
    }
    return false;
  }

  const std::string& error() const { return error_; }

 private:
  // A container being built.
  struct Frame {
    json* node = nullptr;
    const StructSpec* spec = nullptr;  // an object: its structure, if the schema knows it
    const MemberSpec* list = nullptr;  // a list: the member it is the list of, if known
    bool filter = false;               // an object: one of the action's Filters
    int64_t keep = -1;                 // a list: the elements kept; -1: no documented maximum
    size_t given = 0;                  // a list: the elements seen
    std::string segment;               // its name, or its index in the parent list
  };

  bool Fail(std::string message) {
    error_ = std::move(message);
    return false;
  }

  // What the schema says of the value about to be placed: the member it is,
  // and whether it is an element of a list (with its list's member).
  struct Slot {
    const MemberSpec* member = nullptr;
    bool element = false;
    bool filter_element = false;
  };
  Slot NextSlot() const {
    Slot slot;
    if (stack_.empty()) return slot;
    const Frame& parent = stack_.back();
    if (parent.node->is_array()) {
      slot.member = parent.list;
      slot.element = true;
      slot.filter_element = parent.list && stack_.size() == 2 && IsFilters(*parent.list);
    } else if (parent.spec) {
      slot.member = parent.spec->Find(pending_key_);
    }
    return slot;
  }
  bool IsFilters(const MemberSpec& m) const {
    return action_.filters && m.name == "Filters" && m.array;
  }

  // Counts an element of the innermost list. False iff it is past the kept
  // elements (it is skipped); fails past the hard limit.
  bool CountElement(bool* ok) {
    *ok = true;
    if (stack_.empty() || !stack_.back().node->is_array()) return true;
    Frame& list = stack_.back();
    ++list.given;
    if (list.keep >= 0) return static_cast<int64_t>(list.given) <= list.keep;
    if (list.given > kMaxJsonListItems) {
      *ok = Fail("the list " + ShowName(Path()) + " has more than " +
                 std::to_string(kMaxJsonListItems) + " elements");
    }
    return true;
  }

  bool Budget() {
    if (++values_ <= kMaxJsonValues) return true;
    return Fail("the request body has more than " + std::to_string(kMaxJsonValues) +
                " values (strings, numbers, booleans, nulls, objects and lists)");
  }

  json* Place(json value) {
    if (stack_.empty()) {
      root_ = std::move(value);
      return &root_;
    }
    json& parent = *stack_.back().node;
    if (parent.is_array()) {
      parent.push_back(std::move(value));
      return &parent.back();
    }
    json& slot = parent[pending_key_];
    slot = std::move(value);
    return &slot;
  }

  bool Put(json value) {
    if (skip_depth_ > 0) return true;
    bool ok;
    if (!CountElement(&ok)) return ok;
    if (!ok || !Budget()) return false;
    Place(std::move(value));
    return true;
  }

  bool Open(json value) {
    if (static_cast<int>(stack_.size()) + skip_depth_ >= kMaxJsonDepth) {
      return Fail("the request body is nested more than " + std::to_string(kMaxJsonDepth) +
                  " levels deep");
    }
    if (skip_depth_ > 0) {
      ++skip_depth_;
      return true;
    }
    bool ok;
    if (!CountElement(&ok)) {
      skip_depth_ = 1;  // an element past the kept ones: skip all of it
      return ok;
    }
    if (!ok || !Budget()) return false;
    Frame frame;
    Slot slot = NextSlot();
    if (!stack_.empty()) {
      const Frame& parent = stack_.back();
      frame.segment = parent.node->is_array() ? std::to_string(parent.given - 1) : pending_key_;
    }
    if (stack_.empty()) {
      frame.spec = &action_.inputs;
    } else if (slot.member && value.is_object() && slot.member->type == Type::kStruct &&
               (slot.element || !slot.member->array)) {
      frame.spec = slot.member->structure;
      frame.filter = slot.filter_element;
    } else if (slot.member && value.is_array() && slot.member->array && !slot.element) {
      frame.list = slot.member;
      if (IsFilters(*slot.member) && stack_.size() == 1) {
        frame.keep = action_.filters->max_filters;
      } else if (slot.member->max_items) {
        frame.keep = *slot.member->max_items;
      } else if (stack_.back().filter && slot.member->name == "Values") {
        frame.keep = action_.filters->max_values;
      }
    }
    frame.node = Place(std::move(value));
    stack_.push_back(std::move(frame));
    return true;
  }

  bool Close() {
    if (skip_depth_ > 0) {
      --skip_depth_;
      return true;
    }
    const Frame& frame = stack_.back();
    if (frame.keep >= 0 && static_cast<int64_t>(frame.given) > frame.keep) {
      sizes_[Path()] = frame.given;
    }
    stack_.pop_back();
    return true;
  }

  // "Placement" / "DataDisks.1": where the innermost open container is.
  std::string Path() const {
    std::string out;
    for (size_t i = 1; i < stack_.size(); ++i) {
      if (!out.empty()) out += '.';
      out += stack_[i].segment;
    }
    return out;
  }

  const ActionSpec& action_;
  json& root_;
  std::map<std::string, size_t>& sizes_;
  std::vector<Frame> stack_;
  int skip_depth_ = 0;  // > 0: inside an element past the kept ones
  int64_t values_ = 0;
  std::string pending_key_;
  std::string error_;
};

}  // namespace

const MemberSpec* SuggestMember(const StructSpec& spec, std::string_view name) {
  const MemberSpec* best = nullptr;
  size_t best_distance = 3;
  std::string lower = Lower(name);
  for (const MemberSpec& m : spec.members) {
    // A distance of at most 2 needs lengths at most 2 apart: skip the rest
    // cheaply (a name may be megabytes long).
    size_t a = lower.size(), b = m.name.size();
    if ((a > b ? a - b : b - a) > 2) continue;
    std::string candidate = Lower(m.name);
    size_t d = (candidate == lower || candidate == lower + "s" || candidate + "s" == lower)
                   ? 0
                   : EditDistance(lower, candidate);
    // Short names need a closer match: "Id" is not "Ip".
    size_t allowed = std::min<size_t>(2, std::max<size_t>(a, b) / 3);
    if (d <= allowed && d < best_distance) {
      best = &m;
      best_distance = d;
    }
  }
  return best;
}

std::string ShowName(std::string_view name) {
  if (name.size() <= 64) return std::string(name);
  return std::string(name.substr(0, 61)) + "...";
}

// The index of the first segment of `parts` the schema does not know, or -1.
// Shapes are not checked here: any segment after a list counts as its index.
int FirstUnknownSegment(const ActionSpec& action, const std::vector<std::string_view>& parts) {
  const StructSpec* owner = &action.inputs;
  for (size_t i = 0; i < parts.size(); ++i) {
    const MemberSpec* member = owner->Find(parts[i]);
    if (!member) return static_cast<int>(i);
    if (member->array) ++i;  // the index
    if (member->type == Type::kStruct) {
      owner = member->structure;
    } else if (i + 1 < parts.size()) {
      return static_cast<int>(i + 1);  // nothing is inside a plain value
    }
  }
  return -1;
}

Result<DecodedTree> DecodeFlat(const ActionSpec& action, const FlatParams& params,
                               bool ignore_unknown) {
  DecodedTree out;
  out.flat = true;
  // Names first, over every parameter, so the answer does not depend on
  // their order (D-136): unknown names, then shapes.
  std::vector<bool> dropped(params.size(), false);
  for (size_t n = 0; n < params.size(); ++n) {
    std::vector<std::string_view> parts = Split(params[n].first);
    int bad = FirstUnknownSegment(action, parts);
    if (bad < 0) continue;
    if (!ignore_unknown) {
      const StructSpec* owner = &action.inputs;
      for (int i = 0; i < bad; ++i) {
        const MemberSpec* m = owner->Find(parts[i]);
        if (m->array) ++i;
        if (m->type == Type::kStruct) owner = m->structure;
      }
      return Unknown(action, *owner, parts, static_cast<size_t>(bad));
    }
    out.ignored.push_back(params[n].first);
    dropped[n] = true;
  }
  for (size_t n = 0; n < params.size(); ++n) {
    if (dropped[n]) continue;
    const auto& [key, value] = params[n];
    std::vector<std::string_view> parts = Split(key);
    const StructSpec* owner = &action.inputs;
    json* node = &out.tree;
    bool dropped = false;
    for (size_t i = 0; i < parts.size(); ++i) {
      const MemberSpec* member = owner->Find(parts[i]);
      if (!member) {
        if (!ignore_unknown) return Unknown(action, *owner, parts, i);
        out.ignored.push_back(key);
        dropped = true;
        break;
      }
      bool last = i + 1 == parts.size();
      json* slot;
      if (node->contains(member->name) && !(*node)[member->name].is_structured() &&
          !(*node)[member->name].is_null()) {
        if (last) return BadShape("the parameter " + key + " is given more than once");
        return BadShape("the parameter " + Join(parts, i + 1) +
                        " is given both as a value and as a structure");
      }
      if (member->array) {
        if (last) {
          return BadShape("the parameter " + key + " is a list: give its elements as " + key +
                          ".0, " + key + ".1, ...");
        }
        int index = 0;
        if (!ParseIndex(parts[i + 1], &index)) {
          return BadShape("the parameter " + Join(parts, i + 2) + " has an invalid list index: " +
                          "indexes are 0, 1, 2, ... up to " + std::to_string(kMaxFlatIndex));
        }
        json& list = (*node)[member->name];
        if (!list.is_array()) {
          if (!list.is_null()) {
            return BadShape("the parameter " + Join(parts, i + 1) +
                            " is given both as a value and as a list");
          }
          list = json::array();
        }
        while (static_cast<int>(list.size()) <= index) list.push_back(nullptr);
        slot = &list[index];
        ++i;  // consumed the index
        last = i + 1 == parts.size();
      } else {
        slot = &(*node)[member->name];
      }
      if (member->type == Type::kStruct) {
        if (last) {
          return BadShape("the parameter " + key + " is a structure: give its members as " + key +
                          ".<Member>");
        }
        if (slot->is_null()) *slot = json::object();
        if (!slot->is_object()) {
          return BadShape("the parameter " + Join(parts, i + 1) + " is given more than once");
        }
        node = slot;
        owner = member->structure;
        continue;
      }
      if (!last) {
        if (!ignore_unknown) return Unknown(action, *owner, parts, i + 1);
        out.ignored.push_back(key);
        dropped = true;
        break;
      }
      if (!slot->is_null()) return BadShape("the parameter " + key + " is given more than once");
      *slot = value;
    }
    (void)dropped;
  }
  return out;
}

// Removes every member whose value is an empty list, at any depth. The v1
// flattened form cannot say "an empty list" (the SDKs send nothing for one,
// docs/wire.md §3), so both wire forms must mean "not given" by it: a required
// list sent as [] is then MissingParameter under TC3 too.
namespace {
void DropEmptyLists(json& node) {
  if (node.is_object()) {
    for (auto it = node.begin(); it != node.end();) {
      if (it->is_array() && it->empty()) {
        it = node.erase(it);
      } else {
        DropEmptyLists(*it);
        ++it;
      }
    }
  } else if (node.is_array()) {
    for (json& item : node) DropEmptyLists(item);
  }
}
}  // namespace

namespace {

// At most kLargeBodyParses bodies of kLargeBody bytes or more are parsed at
// once; more wait their turn (D-84).
constexpr size_t kLargeBody = 1024 * 1024;
constexpr std::ptrdiff_t kLargeBodyParses = 2;

class LargeBodyTurn {
 public:
  explicit LargeBodyTurn(size_t body_size) : large_(body_size >= kLargeBody) {
    if (large_) Gate().acquire();
  }
  ~LargeBodyTurn() {
    if (large_) Gate().release();
  }
  LargeBodyTurn(const LargeBodyTurn&) = delete;
  LargeBodyTurn& operator=(const LargeBodyTurn&) = delete;

 private:
  static std::counting_semaphore<kLargeBodyParses>& Gate() {
    static std::counting_semaphore<kLargeBodyParses> gate(kLargeBodyParses);
    return gate;
  }
  bool large_;
};

}  // namespace

Result<DecodedTree> DecodeJson(const ActionSpec& action, std::string_view body) {
  LargeBodyTurn turn(body.size());
  DecodedTree out;
  json root;
  LimitedDomBuilder builder(action, root, out.list_sizes);
  bool ok = json::sax_parse(body.begin(), body.end(), &builder, nlohmann::detail::input_format_t::json,
                            /*strict=*/true);
  if (!ok) {
    std::string error = builder.error().empty() ? "the request body is not valid JSON" : builder.error();
    return ApiError::Make(errors::kInvalidParameter, error);
  }
  if (!root.is_object()) {
    return ApiError::Make(errors::kInvalidParameter, "the request body must be a JSON object");
  }
  DropEmptyLists(root);
  out.tree = std::move(root);
  return out;
}

}  // namespace cvm::schema
