// SSH key pairs for CreateKeyPair and ImportKeyPair: RSA generation, and
// reading OpenSSH public keys. OpenSSL stays behind this header. All functions
// are thread-safe.
//
// An "OpenSSH public key" here is the authorized_keys form without options:
// "<type> <base64 of the SSH wire blob> [comment]" (RFC 4253 §6.6, RFC 5656
// §3.1, RFC 8709 §4).
#pragma once

#include <string>
#include <string_view>

#include "schema/errors.h"

namespace cvm::state::ssh {

// The key types ImportKeyPair accepts, in the order messages list them.
inline constexpr std::string_view kAcceptedKeyTypes[] = {
    "ssh-rsa", "ssh-ed25519", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521"};

// RSA moduli ImportKeyPair accepts, in bits (OpenSSH's own limits).
inline constexpr int kMinRsaBits = 1024;
inline constexpr int kMaxRsaBits = 16384;

struct GeneratedKey {
  std::string private_pem;     // PKCS#1: "-----BEGIN RSA PRIVATE KEY-----" ...
  std::string openssh_public;  // "ssh-rsa <base64>", without a comment
};

// A new RSA key pair of `bits` bits (public exponent 65537) from OpenSSL's
// CSPRNG. Throws std::runtime_error if OpenSSL fails (an environment fault).
GeneratedKey GenerateRsaKeyPair(int bits = 2048);

// Reads one OpenSSH public key line: surrounding whitespace and the comment
// are dropped. Returns "<type> <base64>" iff the type is one of
// kAcceptedKeyTypes, the base64 is canonical, the blob's first string is the
// type, and the blob parses completely for that type (RSA: e odd and > 1,
// n of kMinRsaBits..kMaxRsaBits; Ed25519: a 32-byte key; ECDSA: the curve
// named by the type and a point on it). Error: InvalidPublicKey.Malformed
// naming `parameter`, the message saying what is wrong.
Result<std::string> NormalizeOpenSshPublicKey(std::string_view text,
                                              std::string_view parameter = "PublicKey");

// "ssh-rsa <base64>" of an unencrypted PEM RSA private key (PKCS#1 or
// PKCS#8), or "" if `pem` is not one.
std::string OpenSshPublicKeyOfPrivatePem(std::string_view pem);

// SSH wire encodings (RFC 4251 §5): a string is a 4-byte big-endian length
// and the bytes; an mpint is a string holding the two's complement of a
// number, shortest form. `magnitude` is a non-negative number, big-endian
// (leading zero bytes allowed).
std::string SshString(std::string_view bytes);
std::string SshMpint(std::string_view magnitude);

}  // namespace cvm::state::ssh

// The name these functions had in server/, until handlers/key_pairs.cpp (being
// rewritten on another branch) says state::ssh. Remove after that merge.
namespace cvm::server {
namespace ssh = state::ssh;
}  // namespace cvm::server
