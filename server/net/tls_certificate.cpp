#include "server/net/tls_certificate.h"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <memory>
#include <stdexcept>

namespace cvm::server::net {
namespace {

template <typename T, void (*Free)(T*)>
struct Deleter {
  void operator()(T* p) const { Free(p); }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY, EVP_PKEY_free>>;
using X509Ptr = std::unique_ptr<X509, Deleter<X509, X509_free>>;

void Check(bool ok, const char* what) {
  if (!ok) throw std::runtime_error(std::string("generating the TLS certificate: ") + what);
}

void AddExtension(X509* cert, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, cert, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
  Check(ext != nullptr, "extension");
  Check(X509_add_ext(cert, ext, -1) == 1, "add extension");
  X509_EXTENSION_free(ext);
}

void WritePem(const std::string& path, bool private_key, EVP_PKEY* key, X509* cert) {
  // Private keys are created 0600 from the start.
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, private_key ? 0600 : 0644);
  Check(fd >= 0, "open output file");
  FILE* f = ::fdopen(fd, "w");
  Check(f != nullptr, "fdopen");
  bool ok = private_key ? PEM_write_PrivateKey(f, key, nullptr, nullptr, 0, nullptr, nullptr) == 1
                        : PEM_write_X509(f, cert) == 1;
  std::fclose(f);
  Check(ok, "write PEM");
}

}  // namespace

TlsFiles EnsureCertificate(const std::string& cert, const std::string& key,
                           const std::string& data_dir) {
  if (!cert.empty()) return TlsFiles{cert, key, false};
  namespace fs = std::filesystem;
  fs::path dir = fs::path(data_dir) / "tls";
  TlsFiles files{(dir / "cert.pem").string(), (dir / "key.pem").string(), false};
  if (fs::exists(files.cert_path) && fs::exists(files.key_path)) return files;
  fs::create_directories(dir);

  PkeyPtr pkey(EVP_EC_gen("P-256"));
  Check(pkey != nullptr, "key");
  X509Ptr x509(X509_new());
  Check(x509 != nullptr, "X509_new");
  X509_set_version(x509.get(), 2);
  unsigned char serial[16];
  RAND_bytes(serial, sizeof serial);
  serial[0] &= 0x7f;
  BIGNUM* bn = BN_bin2bn(serial, sizeof serial, nullptr);
  BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(x509.get()));
  BN_free(bn);
  X509_gmtime_adj(X509_getm_notBefore(x509.get()), -24 * 3600);
  X509_gmtime_adj(X509_getm_notAfter(x509.get()), 10L * 365 * 24 * 3600);
  X509_set_pubkey(x509.get(), pkey.get());
  X509_NAME* name = X509_get_subject_name(x509.get());
  X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("cvm-emulator"), -1, -1, 0);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("localhost"), -1, -1, 0);
  X509_set_issuer_name(x509.get(), name);
  // Like `openssl req -x509`: a self-signed CA certificate, so clients can add
  // it to their trust store (NODE_EXTRA_CA_CERTS) as its own anchor.
  AddExtension(x509.get(), NID_basic_constraints, "critical,CA:TRUE");
  AddExtension(x509.get(), NID_key_usage, "critical,digitalSignature,keyCertSign");
  AddExtension(x509.get(), NID_ext_key_usage, "serverAuth");
  AddExtension(x509.get(), NID_subject_key_identifier, "hash");
  AddExtension(x509.get(), NID_subject_alt_name, "IP:127.0.0.1,IP:::1,DNS:localhost");
  Check(X509_sign(x509.get(), pkey.get(), EVP_sha256()) > 0, "sign");

  WritePem(files.key_path, true, pkey.get(), nullptr);
  WritePem(files.cert_path, false, nullptr, x509.get());
  files.generated = true;
  return files;
}

}  // namespace cvm::server::net
