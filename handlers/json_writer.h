// A small streaming JSON writer for large responses (DescribeInstances):
// appends to one string instead of building a tree. Strings must be UTF-8
// (request values are validated; catalog text is ours).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cvm::handlers {

class JsonWriter {
 public:
  JsonWriter& BeginObject() { return Open('{'); }
  JsonWriter& EndObject() { return Close('}'); }
  JsonWriter& BeginArray() { return Open('['); }
  JsonWriter& EndArray() { return Close(']'); }
  // Writes "name": — the next call writes its value.
  JsonWriter& Key(std::string_view name);
  JsonWriter& String(std::string_view value);
  JsonWriter& Int(int64_t value);
  JsonWriter& Bool(bool value);
  JsonWriter& Null();
  // A value already in JSON form: a number written as the API shows it
  // (45.00), or an object rendered earlier. REQUIRES: one valid JSON value.
  JsonWriter& Raw(std::string_view json_value);

  // Key and value together; an empty optional writes null.
  JsonWriter& Field(std::string_view name, std::string_view value) { return Key(name).String(value); }
  JsonWriter& Field(std::string_view name, const char* value) { return Key(name).String(value); }
  JsonWriter& Field(std::string_view name, const std::string& value) { return Key(name).String(value); }
  JsonWriter& Field(std::string_view name, int64_t value) { return Key(name).Int(value); }
  JsonWriter& Field(std::string_view name, bool value) { return Key(name).Bool(value); }
  JsonWriter& Field(std::string_view name, const std::optional<std::string>& value);
  JsonWriter& Field(std::string_view name, const std::vector<std::string>& values);

  const std::string& text() const { return out_; }
  std::string Take() { return std::move(out_); }

 private:
  JsonWriter& Open(char c);
  JsonWriter& Close(char c);
  void Separate();
  void Escaped(std::string_view s);

  std::string out_;
  // Per open container; the first entry is the top level, whose members are
  // written without braces (Output::Serialized).
  std::vector<bool> has_items_{false};
  bool after_key_ = false;
};

}  // namespace cvm::handlers
