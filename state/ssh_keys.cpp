#include "state/ssh_keys.h"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/obj_mac.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include <cstdint>
#include <memory>
#include <stdexcept>

#include "crypto/crypto.h"

namespace cvm::state::ssh {
namespace {

// OpenSSL objects that free themselves.
struct PkeyFree {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
struct BioFree {
  void operator()(BIO* b) const { BIO_free(b); }
};
struct BnFree {
  void operator()(BIGNUM* b) const { BN_free(b); }
};
struct GroupFree {
  void operator()(EC_GROUP* g) const { EC_GROUP_free(g); }
};
struct PointFree {
  void operator()(EC_POINT* p) const { EC_POINT_free(p); }
};
using Pkey = std::unique_ptr<EVP_PKEY, PkeyFree>;
using Bio = std::unique_ptr<BIO, BioFree>;
using Bignum = std::unique_ptr<BIGNUM, BnFree>;
using Group = std::unique_ptr<EC_GROUP, GroupFree>;
using Point = std::unique_ptr<EC_POINT, PointFree>;

// Texts longer than this are not one public key (a 16384-bit RSA key is
// about 2,800 characters).
constexpr size_t kMaxKeyText = 16 * 1024;

// Big-endian bytes of an RSA parameter ("n", "e"), or "" if absent.
std::string RsaParam(const EVP_PKEY* pkey, const char* name) {
  BIGNUM* raw = nullptr;
  if (EVP_PKEY_get_bn_param(pkey, name, &raw) != 1) return "";
  Bignum bn(raw);
  std::string out(static_cast<size_t>(BN_num_bytes(bn.get())), '\0');
  BN_bn2bin(bn.get(), reinterpret_cast<unsigned char*>(out.data()));
  return out;
}

// "ssh-rsa <base64>" of an RSA key, or "" if `pkey` is not one.
std::string RsaPublicLine(const EVP_PKEY* pkey) {
  if (EVP_PKEY_is_a(pkey, "RSA") != 1) return "";
  std::string e = RsaParam(pkey, OSSL_PKEY_PARAM_RSA_E);
  std::string n = RsaParam(pkey, OSSL_PKEY_PARAM_RSA_N);
  if (e.empty() || n.empty()) return "";
  std::string blob = SshString("ssh-rsa") + SshMpint(e) + SshMpint(n);
  return "ssh-rsa " + crypto::Base64Encode(blob);
}

// Reads the fields of an SSH wire blob in order.
class BlobReader {
 public:
  explicit BlobReader(std::string_view blob) : rest_(blob) {}

  // Reads one string; false if the blob ends early.
  bool String(std::string_view* out) {
    if (rest_.size() < 4) return false;
    uint32_t len = 0;
    for (int i = 0; i < 4; ++i) len = (len << 8) | static_cast<unsigned char>(rest_[i]);
    if (rest_.size() - 4 < len) return false;
    *out = rest_.substr(4, len);
    rest_.remove_prefix(4 + static_cast<size_t>(len));
    return true;
  }

  // Reads one mpint as its magnitude; false if it is missing, negative, or
  // not in its one canonical form (RFC 4251 §5: a leading zero byte only
  // where the next byte has its top bit set). A padded number would make
  // the same key look like another one to the duplicate check.
  bool PositiveMpint(std::string_view* out) {
    std::string_view raw;
    if (!String(&raw)) return false;
    if (!raw.empty() && (static_cast<unsigned char>(raw[0]) & 0x80)) return false;
    if (!raw.empty() && raw[0] == '\0') {
      if (raw.size() == 1 || !(static_cast<unsigned char>(raw[1]) & 0x80)) return false;
      raw.remove_prefix(1);
    }
    *out = raw;
    return true;
  }

  bool AtEnd() const { return rest_.empty(); }

 private:
  std::string_view rest_;
};

int BitLength(std::string_view magnitude) {
  if (magnitude.empty()) return 0;
  int top = 0;
  for (auto b = static_cast<unsigned char>(magnitude[0]); b; b >>= 1) ++top;
  return static_cast<int>(magnitude.size() - 1) * 8 + top;
}

// "" if the rest of an ssh-rsa blob is well formed, else what is wrong.
std::string CheckRsa(BlobReader& r) {
  std::string_view e, n;
  if (!r.PositiveMpint(&e) || !r.PositiveMpint(&n)) {
    return "the RSA exponent and modulus do not parse as two positive numbers in canonical form";
  }
  if (!r.AtEnd()) return "the key data has bytes after the RSA modulus";
  bool e_odd = !e.empty() && (static_cast<unsigned char>(e.back()) & 1);
  if (!e_odd || BitLength(e) < 2) return "the RSA public exponent must be odd and greater than 1";
  int bits = BitLength(n);
  if (bits < kMinRsaBits || bits > kMaxRsaBits) {
    return "the RSA modulus has " + std::to_string(bits) + " bits; " + std::to_string(kMinRsaBits) +
           " to " + std::to_string(kMaxRsaBits) + " are accepted";
  }
  // A product of two odd primes is odd, and the exponent is smaller.
  if (!(static_cast<unsigned char>(n.back()) & 1)) return "the RSA modulus must be odd";
  if (e.size() > n.size() || (e.size() == n.size() && e >= n)) {
    return "the RSA public exponent must be smaller than the modulus";
  }
  return "";
}

std::string CheckEd25519(BlobReader& r) {
  std::string_view key;
  if (!r.String(&key) || key.size() != 32) return "an Ed25519 public key is 32 bytes";
  if (!r.AtEnd()) return "the key data has bytes after the Ed25519 key";
  return "";
}

std::string CheckEcdsa(BlobReader& r, std::string_view curve, int nid) {
  std::string_view named, q;
  if (!r.String(&named) || named != curve) {
    return "the key data must name the curve " + std::string(curve);
  }
  if (!r.String(&q)) return "the ECDSA point is missing";
  if (!r.AtEnd()) return "the key data has bytes after the ECDSA point";
  Group group(EC_GROUP_new_by_curve_name(nid));
  if (!group) throw std::runtime_error("EC_GROUP_new_by_curve_name failed");
  Point point(EC_POINT_new(group.get()));
  if (!point) throw std::runtime_error("EC_POINT_new failed");
  // Uncompressed only, as OpenSSH writes it.
  bool ok = !q.empty() && q[0] == 0x04 &&
            EC_POINT_oct2point(group.get(), point.get(), reinterpret_cast<const unsigned char*>(q.data()),
                               q.size(), nullptr) == 1 &&
            EC_POINT_is_at_infinity(group.get(), point.get()) == 0 &&
            EC_POINT_is_on_curve(group.get(), point.get(), nullptr) == 1;
  ERR_clear_error();  // a refused point leaves OpenSSL errors behind
  if (!ok) return "the ECDSA point is not an uncompressed point on " + std::string(curve);
  return "";
}

bool IsSpace(char c) { return c == ' ' || c == '\t'; }

std::string AcceptedTypes() {
  std::string out;
  for (std::string_view t : kAcceptedKeyTypes) {
    if (!out.empty()) out += ", ";
    out += t;
  }
  return out;
}

}  // namespace

std::string SshString(std::string_view bytes) {
  auto n = static_cast<uint32_t>(bytes.size());
  std::string out = {static_cast<char>(n >> 24), static_cast<char>(n >> 16), static_cast<char>(n >> 8),
                     static_cast<char>(n)};
  out.append(bytes);
  return out;
}

std::string SshMpint(std::string_view magnitude) {
  while (!magnitude.empty() && magnitude[0] == '\0') magnitude.remove_prefix(1);
  std::string body;
  // A leading 1 bit would read as negative: prefix a zero byte.
  if (!magnitude.empty() && (static_cast<unsigned char>(magnitude[0]) & 0x80)) body += '\0';
  body.append(magnitude);
  return SshString(body);
}

GeneratedKey GenerateRsaKeyPair(int bits) {
  Pkey pkey(EVP_RSA_gen(static_cast<unsigned>(bits)));
  if (!pkey) throw std::runtime_error("EVP_RSA_gen failed");
  Bio bio(BIO_new(BIO_s_mem()));
  if (!bio) throw std::runtime_error("BIO_new failed");
  // "Traditional" is PKCS#1 for RSA: BEGIN RSA PRIVATE KEY, as the live API returns.
  if (PEM_write_bio_PrivateKey_traditional(bio.get(), pkey.get(), nullptr, nullptr, 0, nullptr,
                                           nullptr) != 1) {
    throw std::runtime_error("PEM_write_bio_PrivateKey_traditional failed");
  }
  char* data = nullptr;
  long len = BIO_get_mem_data(bio.get(), &data);
  GeneratedKey key;
  key.private_pem.assign(data, static_cast<size_t>(len));
  key.openssh_public = RsaPublicLine(pkey.get());
  if (key.openssh_public.empty()) throw std::runtime_error("reading the generated RSA key failed");
  return key;
}

Result<std::string> NormalizeOpenSshPublicKey(std::string_view text, std::string_view parameter) {
  auto malformed = [&](const std::string& why) {
    return ApiError::Make(errors::kInvalidPublicKeyMalformed, parameter, why);
  };
  if (text.size() > kMaxKeyText) return malformed("it is longer than one public key can be");
  while (!text.empty() && (IsSpace(text.front()) || text.front() == '\r' || text.front() == '\n')) {
    text.remove_prefix(1);
  }
  while (!text.empty() && (IsSpace(text.back()) || text.back() == '\r' || text.back() == '\n')) {
    text.remove_suffix(1);
  }
  if (text.find_first_of("\r\n") != std::string_view::npos) {
    return malformed("it must be one line: <type> <base64> [comment]");
  }
  size_t type_end = 0;
  while (type_end < text.size() && !IsSpace(text[type_end])) ++type_end;
  std::string_view type = text.substr(0, type_end);
  std::string_view rest = text.substr(type_end);
  while (!rest.empty() && IsSpace(rest.front())) rest.remove_prefix(1);
  size_t data_end = 0;
  while (data_end < rest.size() && !IsSpace(rest[data_end])) ++data_end;
  std::string_view data = rest.substr(0, data_end);  // the comment after it is dropped

  bool known = false;
  for (std::string_view t : kAcceptedKeyTypes) known |= t == type;
  if (!known) {
    return malformed("it must be an OpenSSH public key \"<type> <base64> [comment]\" of type " +
                     AcceptedTypes());
  }
  std::string blob;
  if (data.empty() || !crypto::Base64Decode(data, &blob)) {
    return malformed("the key data after " + std::string(type) + " is not base64");
  }
  BlobReader reader(blob);
  std::string_view inner_type;
  if (!reader.String(&inner_type) || inner_type != type) {
    return malformed("the key data does not start with its type " + std::string(type));
  }
  std::string problem;
  if (type == "ssh-rsa") {
    problem = CheckRsa(reader);
  } else if (type == "ssh-ed25519") {
    problem = CheckEd25519(reader);
  } else if (type == "ecdsa-sha2-nistp256") {
    problem = CheckEcdsa(reader, "nistp256", NID_X9_62_prime256v1);
  } else if (type == "ecdsa-sha2-nistp384") {
    problem = CheckEcdsa(reader, "nistp384", NID_secp384r1);
  } else {
    problem = CheckEcdsa(reader, "nistp521", NID_secp521r1);
  }
  if (!problem.empty()) return malformed(problem);
  return std::string(type) + " " + std::string(data);
}

std::string OpenSshPublicKeyOfPrivatePem(std::string_view pem) {
  Bio bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  if (!bio) return "";
  // No passphrase: an encrypted key fails instead of prompting.
  auto no_passphrase = [](char*, int, int, void*) -> int { return 0; };
  Pkey pkey(PEM_read_bio_PrivateKey(bio.get(), nullptr, no_passphrase, nullptr));
  if (!pkey) {
    ERR_clear_error();
    return "";
  }
  return RsaPublicLine(pkey.get());
}

}  // namespace cvm::state::ssh
