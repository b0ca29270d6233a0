// Hashes, MACs and encodings for the signature checks (server/) and SSH keys
// (state/). OpenSSL stays behind this header. All functions are thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace cvm::crypto {

// Raw digests (32 / 20 bytes).
std::string Sha256(std::string_view data);
std::string HmacSha256(std::string_view key, std::string_view message);
std::string HmacSha1(std::string_view key, std::string_view message);

std::string HexLower(std::string_view bytes);
std::string Base64Encode(std::string_view bytes);
// Returns false if `text` is not canonical padded base64.
bool Base64Decode(std::string_view text, std::string* out);

// Compares in time that depends only on the lengths.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

// Fills `out` with `n` bytes from OpenSSL's CSPRNG.
void RandomBytes(unsigned char* out, size_t n);

}  // namespace cvm::crypto
