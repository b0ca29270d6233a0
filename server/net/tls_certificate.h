// The HTTPS certificate: the user's, or a self-signed one generated on first
// start and kept in the data directory.
#pragma once

#include <string>

namespace cvm::server::net {

struct TlsFiles {
  std::string cert_path, key_path;
  bool generated = false;  // true iff created by this start
};

// Returns the files to use: `cert`/`key` when given; otherwise
// <data_dir>/tls/cert.pem and key.pem, generated if missing (ECDSA P-256,
// subjectAltName IP:127.0.0.1, IP:::1, DNS:localhost, valid 10 years).
// Throws std::runtime_error on failure.
TlsFiles EnsureCertificate(const std::string& cert, const std::string& key,
                           const std::string& data_dir);

}  // namespace cvm::server::net
