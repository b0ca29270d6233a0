// Hashes, MACs and encodings under the signature checks, pinned to the
// published test vectors: FIPS 180-2 (SHA-256), RFC 4231 (HMAC-SHA256),
// RFC 2202 (HMAC-SHA1) and RFC 4648 §10 (base64).
#include <doctest/doctest.h>

#include <string>
#include <string_view>

#include "crypto/crypto.h"

namespace {

namespace crypto = cvm::crypto;

std::string Bytes(size_t n, unsigned char b) { return std::string(n, static_cast<char>(b)); }

std::string OneToTwentyFive() {
  std::string key;
  for (int i = 1; i <= 25; ++i) key += static_cast<char>(i);
  return key;
}

std::string HexSha256(std::string_view data) { return crypto::HexLower(crypto::Sha256(data)); }
std::string HexHmacSha256(std::string_view key, std::string_view data) {
  return crypto::HexLower(crypto::HmacSha256(key, data));
}
std::string HexHmacSha1(std::string_view key, std::string_view data) {
  return crypto::HexLower(crypto::HmacSha1(key, data));
}

TEST_CASE("Sha256: the FIPS 180-2 vectors, and the empty string") {
  CHECK(HexSha256("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(HexSha256("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(HexSha256("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  CHECK(HexSha256(std::string(1'000'000, 'a')) ==
        "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
  CHECK(crypto::Sha256("abc").size() == 32);
}

TEST_CASE("HmacSha256: RFC 4231 test cases 1 to 7") {
  CHECK(HexHmacSha256(Bytes(20, 0x0b), "Hi There") ==
        "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
  CHECK(HexHmacSha256("Jefe", "what do ya want for nothing?") ==
        "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  CHECK(HexHmacSha256(Bytes(20, 0xaa), Bytes(50, 0xdd)) ==
        "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe");
  CHECK(HexHmacSha256(OneToTwentyFive(), Bytes(50, 0xcd)) ==
        "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b");
  // Test case 5 publishes only the first 128 bits.
  CHECK(HexHmacSha256(Bytes(20, 0x0c), "Test With Truncation").substr(0, 32) ==
        "a3b6167473100ee06e0c796c2955552b");
  // Keys longer than the 64-byte block are hashed first.
  CHECK(HexHmacSha256(Bytes(131, 0xaa), "Test Using Larger Than Block-Size Key - Hash Key First") ==
        "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
  CHECK(HexHmacSha256(Bytes(131, 0xaa),
                      "This is a test using a larger than block-size key and a larger than "
                      "block-size data. The key needs to be hashed before being used by the HMAC "
                      "algorithm.") ==
        "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2");
}

TEST_CASE("HmacSha1: RFC 2202 test cases 1 to 7") {
  CHECK(HexHmacSha1(Bytes(20, 0x0b), "Hi There") == "b617318655057264e28bc0b6fb378c8ef146be00");
  CHECK(HexHmacSha1("Jefe", "what do ya want for nothing?") ==
        "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79");
  CHECK(HexHmacSha1(Bytes(20, 0xaa), Bytes(50, 0xdd)) == "125d7342b9ac11cd91a39af48aa17b4f63f175d3");
  CHECK(HexHmacSha1(OneToTwentyFive(), Bytes(50, 0xcd)) == "4c9007f4026250c6bc8414f9bf50c86c2d7235da");
  CHECK(HexHmacSha1(Bytes(20, 0x0c), "Test With Truncation") ==
        "4c1a03424b55e07fe7f27be1d58bb9324a9a5a04");
  CHECK(HexHmacSha1(Bytes(80, 0xaa), "Test Using Larger Than Block-Size Key - Hash Key First") ==
        "aa4ae5e15272d00e95705637ce8a3b55ed402112");
  CHECK(HexHmacSha1(Bytes(80, 0xaa),
                    "Test Using Larger Than Block-Size Key and Larger Than One Block-Size Data") ==
        "e8e99d0f45237d786d6bbaa7965c7808bbff1a91");
  CHECK(crypto::HmacSha1("k", "m").size() == 20);
}

TEST_CASE("HexLower: two lower-case digits per byte, high nibble first") {
  CHECK(crypto::HexLower(std::string("\x00\xff\x10\xab", 4)) == "00ff10ab");
  CHECK(crypto::HexLower("") == "");
}

TEST_CASE("Base64Encode: the RFC 4648 §10 vectors") {
  CHECK(crypto::Base64Encode("") == "");
  CHECK(crypto::Base64Encode("f") == "Zg==");
  CHECK(crypto::Base64Encode("fo") == "Zm8=");
  CHECK(crypto::Base64Encode("foo") == "Zm9v");
  CHECK(crypto::Base64Encode("foob") == "Zm9vYg==");
  CHECK(crypto::Base64Encode("fooba") == "Zm9vYmE=");
  CHECK(crypto::Base64Encode("foobar") == "Zm9vYmFy");
  CHECK(crypto::Base64Encode(std::string("\xfb\xff", 2)) == "+/8=");
}

TEST_CASE("Base64Decode: the RFC 4648 §10 vectors decode, and every byte value survives a round trip") {
  std::string out = "stale";
  REQUIRE(crypto::Base64Decode("", &out));
  CHECK(out == "");
  for (std::string_view plain : {"f", "fo", "foo", "foob", "fooba", "foobar"}) {
    INFO(plain);
    REQUIRE(crypto::Base64Decode(crypto::Base64Encode(plain), &out));
    CHECK(out == plain);
  }
  std::string all;
  for (int b = 0; b < 256; ++b) all += static_cast<char>(b);
  for (size_t len = 0; len <= all.size(); len += 37) {
    INFO("length " << len);
    std::string part = all.substr(all.size() - len);
    REQUIRE(crypto::Base64Decode(crypto::Base64Encode(part), &out));
    CHECK(out == part);
  }
}

TEST_CASE("Base64Decode: refuses malformed input") {
  std::string out;
  CHECK_FALSE(crypto::Base64Decode("Zg=", &out));        // length not a multiple of 4
  CHECK_FALSE(crypto::Base64Decode("Zm9vY", &out));
  CHECK_FALSE(crypto::Base64Decode("Zg==Zg==", &out));   // padding in the middle
  CHECK_FALSE(crypto::Base64Decode("Z===", &out));       // three padding characters
  CHECK_FALSE(crypto::Base64Decode("====", &out));
  CHECK_FALSE(crypto::Base64Decode("Zm9v\n", &out));     // whitespace
  CHECK_FALSE(crypto::Base64Decode("Zm 9v", &out));
  CHECK_FALSE(crypto::Base64Decode("Zm-_", &out));       // the URL-safe alphabet
  CHECK_FALSE(crypto::Base64Decode("Zm9v!A==", &out));
}

TEST_CASE("Base64Decode: refuses non-canonical padding bits, as its contract says") {
  // Only "Zg==" and "Zm8=" are canonical; "Zh==" and "Zm9=" leave bits set
  // after the last byte.
  std::string out;
  CHECK_FALSE(crypto::Base64Decode("Zh==", &out));
  CHECK_FALSE(crypto::Base64Decode("Zm9=", &out));
}

TEST_CASE("ConstantTimeEquals: equal only for the same bytes and the same length") {
  CHECK(crypto::ConstantTimeEquals("abc", "abc"));
  CHECK(crypto::ConstantTimeEquals("", ""));
  CHECK_FALSE(crypto::ConstantTimeEquals("abc", "abd"));
  CHECK_FALSE(crypto::ConstantTimeEquals("abc", "abcd"));
  CHECK_FALSE(crypto::ConstantTimeEquals("abc", ""));
  CHECK_FALSE(crypto::ConstantTimeEquals(std::string_view("a\0b", 3), std::string_view("a\0c", 3)));
  CHECK_FALSE(crypto::ConstantTimeEquals(std::string_view("a\0b", 3), std::string_view("a", 1)));
}

TEST_CASE("RandomBytes: fills exactly the bytes asked for, differently each time") {
  unsigned char a[34] = {}, b[34] = {};
  crypto::RandomBytes(a + 1, 32);
  crypto::RandomBytes(b + 1, 32);
  CHECK(a[0] == 0);
  CHECK(a[33] == 0);
  CHECK(std::string(reinterpret_cast<char*>(a + 1), 32) != std::string(reinterpret_cast<char*>(b + 1), 32));
}

}  // namespace
