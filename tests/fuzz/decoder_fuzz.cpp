// libFuzzer target over step 4 of the pipeline: DecodeFlat / DecodeJson, then
// Validate. Only crashes, sanitizer reports and hangs matter; API errors are
// expected results and ignored.
//
// Input layout: byte 0 chooses the request, the rest is the parameters.
//   bit 0      wire form: 0 = JSON body (DecodeJson), 1 = flattened (DecodeFlat)
//   bit 1      ignore_unknown
//   bits 2..7  action index, modulo the number of actions in the schema
// Flattened parameters are `k=v` pairs joined by '&' (split on the first '=';
// no percent-decoding: the decoder sees names and values as the server would
// after decoding them).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "schema/decoder.h"
#include "schema/spec.h"
#include "schema/validator.h"

namespace {

cvm::schema::FlatParams SplitPairs(std::string_view text) {
  cvm::schema::FlatParams params;
  while (true) {
    size_t amp = text.find('&');
    std::string_view pair = text.substr(0, amp);
    size_t eq = pair.find('=');
    if (eq == std::string_view::npos) {
      params.emplace_back(std::string(pair), std::string());
    } else {
      params.emplace_back(std::string(pair.substr(0, eq)), std::string(pair.substr(eq + 1)));
    }
    if (amp == std::string_view::npos) break;
    text.remove_prefix(amp + 1);
  }
  return params;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  static const cvm::schema::Schema& schema = cvm::schema::Schema::Builtin();
  const auto& actions = schema.actions();
  const uint8_t selector = data[0];
  const bool flat = selector & 1;
  const bool ignore_unknown = selector & 2;
  const cvm::schema::ActionSpec& action = *actions[(selector >> 2) % actions.size()];
  std::string_view rest(reinterpret_cast<const char*>(data + 1), size - 1);

  auto decoded = flat ? cvm::schema::DecodeFlat(action, SplitPairs(rest), ignore_unknown)
                      : cvm::schema::DecodeJson(action, rest);
  if (!decoded.ok()) return 0;
  auto validated = cvm::schema::Validate(action, std::move(decoded).value(), ignore_unknown);
  (void)validated;
  return 0;
}
