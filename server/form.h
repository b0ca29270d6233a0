// application/x-www-form-urlencoded and query-string decoding.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cvm::server {

using FormParams = std::vector<std::pair<std::string, std::string>>;

// Decodes %XX escapes and '+' (as a space, as Python's urlencode writes it).
// Returns false on a malformed escape.
bool PercentDecode(std::string_view in, std::string* out);

// Splits "a=1&b=2" into decoded pairs, in order. Empty segments are skipped;
// a segment without '=' is a key with an empty value. Returns false (and
// sets *bad_segment) on a malformed escape.
bool ParseForm(std::string_view text, FormParams* out, std::string* bad_segment);

// The value of the first parameter named `key`, or nullptr.
const std::string* FindParam(const FormParams& params, std::string_view key);

// Percent-encodes every byte outside [A-Za-z0-9-_.~].
std::string PercentEncode(std::string_view in);

}  // namespace cvm::server
