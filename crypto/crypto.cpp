#include "crypto/crypto.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <cstring>
#include <stdexcept>

namespace cvm::crypto {
namespace {

// Digest algorithms fetched once: OpenSSL 3 fetches are costly per call.
const EVP_MD* Sha256Md() {
  static const EVP_MD* md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  return md;
}
const EVP_MD* Sha1Md() {
  static const EVP_MD* md = EVP_MD_fetch(nullptr, "SHA1", nullptr);
  return md;
}

// One reusable digest context per thread.
class DigestContext {
 public:
  DigestContext() : ctx_(EVP_MD_CTX_new()) {
    if (!ctx_) throw std::runtime_error("EVP_MD_CTX_new failed");
  }
  ~DigestContext() { EVP_MD_CTX_free(ctx_); }
  DigestContext(const DigestContext&) = delete;
  DigestContext& operator=(const DigestContext&) = delete;

  // digest(parts...) into out; returns its length.
  unsigned Digest(const EVP_MD* md, std::string_view a, std::string_view b, unsigned char* out) {
    unsigned len = 0;
    if (EVP_DigestInit_ex(ctx_, md, nullptr) != 1 ||
        EVP_DigestUpdate(ctx_, a.data(), a.size()) != 1 ||
        (!b.empty() && EVP_DigestUpdate(ctx_, b.data(), b.size()) != 1) ||
        EVP_DigestFinal_ex(ctx_, out, &len) != 1) {
      throw std::runtime_error("digest failed");
    }
    return len;
  }

 private:
  EVP_MD_CTX* ctx_;
};

DigestContext& ThreadContext() {
  thread_local DigestContext ctx;
  return ctx;
}

// HMAC (RFC 2104) over a fetched digest with a 64-byte block.
std::string Hmac(const EVP_MD* md, std::string_view key, std::string_view message) {
  constexpr size_t kBlock = 64;
  unsigned char k[kBlock] = {};
  DigestContext& ctx = ThreadContext();
  if (key.size() > kBlock) {
    ctx.Digest(md, key, {}, k);
  } else {
    std::memcpy(k, key.data(), key.size());
  }
  unsigned char ipad[kBlock], opad[kBlock];
  for (size_t i = 0; i < kBlock; ++i) {
    ipad[i] = k[i] ^ 0x36;
    opad[i] = k[i] ^ 0x5c;
  }
  unsigned char inner[EVP_MAX_MD_SIZE];
  unsigned inner_len =
      ctx.Digest(md, std::string_view(reinterpret_cast<char*>(ipad), kBlock), message, inner);
  unsigned char outer[EVP_MAX_MD_SIZE];
  unsigned outer_len = ctx.Digest(md, std::string_view(reinterpret_cast<char*>(opad), kBlock),
                                  std::string_view(reinterpret_cast<char*>(inner), inner_len),
                                  outer);
  OPENSSL_cleanse(k, sizeof k);
  return std::string(reinterpret_cast<char*>(outer), outer_len);
}

}  // namespace

std::string Sha256(std::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned len = ThreadContext().Digest(Sha256Md(), data, {}, out);
  return std::string(reinterpret_cast<char*>(out), len);
}

std::string HmacSha256(std::string_view key, std::string_view message) {
  return Hmac(Sha256Md(), key, message);
}

std::string HmacSha1(std::string_view key, std::string_view message) {
  return Hmac(Sha1Md(), key, message);
}

std::string HexLower(std::string_view bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(bytes.size() * 2, '\0');
  for (size_t i = 0; i < bytes.size(); ++i) {
    auto b = static_cast<unsigned char>(bytes[i]);
    out[2 * i] = kHex[b >> 4];
    out[2 * i + 1] = kHex[b & 0xf];
  }
  return out;
}

std::string Base64Encode(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(bytes.data()),
                          static_cast<int>(bytes.size()));
  out.resize(n);
  return out;
}

bool Base64Decode(std::string_view text, std::string* out) {
  if (text.size() % 4 != 0) return false;
  for (char c : text) {
    bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '+' || c == '/' || c == '=';
    if (!ok) return false;
  }
  size_t pad = 0;
  if (!text.empty() && text.back() == '=') ++pad;
  if (text.size() >= 2 && text[text.size() - 2] == '=') ++pad;
  if (text.substr(0, text.size() - pad).find('=') != std::string_view::npos) return false;
  // Canonical: the bits after the last encoded byte are zero.
  if (pad > 0) {
    static constexpr std::string_view kAlphabet =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t last = kAlphabet.find(text[text.size() - pad - 1]);
    if ((pad == 2 && (last & 0x0f) != 0) || (pad == 1 && (last & 0x03) != 0)) return false;
  }
  out->assign(3 * (text.size() / 4), '\0');
  int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out->data()),
                          reinterpret_cast<const unsigned char*>(text.data()),
                          static_cast<int>(text.size()));
  if (n < 0) return false;
  out->resize(static_cast<size_t>(n) - pad);
  return true;
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

void RandomBytes(unsigned char* out, size_t n) {
  if (RAND_bytes(out, static_cast<int>(n)) != 1) throw std::runtime_error("RAND_bytes failed");
}

}  // namespace cvm::crypto
