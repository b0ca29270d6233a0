// application/x-www-form-urlencoded and query decoding, as the v1 signature
// and the flattened parameters need it (docs/wire.md §3, "How the emulator checks v1").
#include <doctest/doctest.h>

#include <string>

#include "server/form.h"

namespace {

using cvm::server::FormParams;
using cvm::server::ParseForm;
using cvm::server::PercentDecode;
using cvm::server::PercentEncode;

std::string Decoded(std::string_view in) {
  std::string out;
  REQUIRE_MESSAGE(PercentDecode(in, &out), "PercentDecode refused " << std::string(in));
  return out;
}

TEST_CASE("PercentDecode: %XX in either case becomes the byte, and '+' a space (Python's urlencode)") {
  CHECK(Decoded("a%20b+c") == "a b c");
  CHECK(Decoded("%E6%9C%AA%e5%91%bd%E5%90%8D") == "未命名");
  CHECK(Decoded("100%25") == "100%");
  CHECK(Decoded("%2B") == "+");
  CHECK(Decoded("%00") == std::string(1, '\0'));
  CHECK(Decoded("") == "");
  CHECK(Decoded("plain-._~") == "plain-._~");
}

TEST_CASE("PercentDecode: a malformed escape is refused") {
  std::string out;
  CHECK_FALSE(PercentDecode("%", &out));
  CHECK_FALSE(PercentDecode("abc%", &out));
  CHECK_FALSE(PercentDecode("%4", &out));
  CHECK_FALSE(PercentDecode("x%4", &out));
  CHECK_FALSE(PercentDecode("%G1", &out));
  CHECK_FALSE(PercentDecode("%1G", &out));
  CHECK_FALSE(PercentDecode("%%41", &out));
}

TEST_CASE("ParseForm: decodes pairs in the order sent, keeping repeated keys") {
  FormParams params = {{"stale", "entry"}};
  std::string bad;
  REQUIRE(ParseForm("b=2&a=1&a=3", &params, &bad));
  CHECK(params == FormParams{{"b", "2"}, {"a", "1"}, {"a", "3"}});
}

TEST_CASE("ParseForm: empty segments are skipped, a bare key has an empty value, only the first '=' splits") {
  FormParams params;
  std::string bad;
  REQUIRE(ParseForm("&&flag&k=&=v&a=b=c&", &params, &bad));
  CHECK(params == FormParams{{"flag", ""}, {"k", ""}, {"", "v"}, {"a", "b=c"}});
  REQUIRE(ParseForm("", &params, &bad));
  CHECK(params.empty());
}

TEST_CASE("ParseForm: a malformed escape fails and names the segment") {
  FormParams params;
  std::string bad;
  CHECK_FALSE(ParseForm("ok=1&bad=%ZZ&x=2", &params, &bad));
  CHECK(bad == "bad=%ZZ");
  CHECK_FALSE(ParseForm("k%=1", &params, &bad));
  CHECK(bad == "k%=1");
}

TEST_CASE("ParseForm: the v1 RunInstances capture's escapes decode to the raw values that were signed") {
  FormParams params;
  std::string bad;
  REQUIRE(ParseForm("InstanceName=web-%E6%B5%8B%E8%AF%95%2001&"
                    "LoginSettings.Password=Pa%24%24w0rd%2B%26%3D%20%C3%A9&"
                    "Signature=iAtS1wOjoochVBGY%2F9VwzEDGRN4kNfHZ6PFYypdyruw%3D",
                    &params, &bad));
  CHECK(params == FormParams{{"InstanceName", "web-测试 01"},
                             {"LoginSettings.Password", "Pa$$w0rd+&= é"},
                             {"Signature", "iAtS1wOjoochVBGY/9VwzEDGRN4kNfHZ6PFYypdyruw="}});
}

TEST_CASE("PercentEncode: leaves A-Z a-z 0-9 - _ . ~ alone and writes every other byte as upper-case %XX") {
  CHECK(PercentEncode("AZaz09-_.~") == "AZaz09-_.~");
  CHECK(PercentEncode("a b+c/d=e&f") == "a%20b%2Bc%2Fd%3De%26f");
  CHECK(PercentEncode("未") == "%E6%9C%AA");
  CHECK(PercentEncode(std::string(1, '\0')) == "%00");
}

TEST_CASE("PercentEncode then PercentDecode gives back every byte value") {
  std::string all;
  for (int b = 0; b < 256; ++b) all += static_cast<char>(b);
  CHECK(Decoded(PercentEncode(all)) == all);
}

}  // namespace
