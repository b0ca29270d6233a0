// SSH keys for CreateKeyPair and ImportKeyPair (state/ssh_keys.h): the wire
// encodings against RFC 4251 §5's examples, generated RSA keys against
// their own PEM, a fixed key pair made by OpenSSH's ssh-keygen, and the
// public key texts ImportKeyPair must accept or refuse.
#include <doctest/doctest.h>

#include <string>
#include <string_view>

#include "crypto/crypto.h"
#include "state/ssh_keys.h"

namespace {

using namespace std::literals;
namespace crypto = cvm::crypto;
namespace ssh = cvm::state::ssh;

std::string Hex(std::string_view bytes) { return crypto::HexLower(bytes); }

std::string Unhex(std::string_view hex) {
  std::string out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) {
    out += static_cast<char>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16));
  }
  return out;
}

// Keys made with `ssh-keygen -t <type>` (OpenSSH 9), comments included.
constexpr const char* kEd25519 =
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMubHfKTK81yZ/JoeeFL7rXk+UkJ4OxaC/bIKi4q+c5e test@ed25519";
constexpr const char* kEcdsa256 =
    "ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBL0Ei7QWagTLMR8j509F9ChhQU5TTVj4"
    "HimYaomEOIE/4jwm2AYoDY9H8jHfRMpUzoLHISBT5Kwaceu+dSpmNMA= test@ecdsab256";
constexpr const char* kEcdsa384 =
    "ecdsa-sha2-nistp384 AAAAE2VjZHNhLXNoYTItbmlzdHAzODQAAAAIbmlzdHAzODQAAABhBBu2EVF27bTP6P4xJEmS9B7BQzyVLkKm"
    "CD08TZXQT1FDJomhKCe0DfEZJYbIX1IJsBzPlxwAF4WfqEskKQY+eVZguPR6mc0R5a7dk6rwEY/Y2/rIGSU+aRgwhBo8rCwKOw== "
    "test@ecdsab384";
constexpr const char* kEcdsa521 =
    "ecdsa-sha2-nistp521 AAAAE2VjZHNhLXNoYTItbmlzdHA1MjEAAAAIbmlzdHA1MjEAAACFBAC32yThMOpNmFVAiX2gl6fzxeLazRTm"
    "XCum8yKn6azGxUmG/Jmh3zq7yX5kymauoMfds7D7st8eM9oeaTJix30UDQHBY0/ewmtKR0cf19XyuRdTtKeuLAF+p9yn+bk46tPaDz7D"
    "ZDY76sBNFxxRjiM7pXC8kpSLln0J5XAa6hCmGBc5IA== test@ecdsab521";

// `ssh-keygen -t rsa -b 1024 -m PEM`, and what `ssh-keygen -y` prints for it.
constexpr const char* kRsaPem =
    "-----BEGIN RSA PRIVATE KEY-----\n"
    "MIICXQIBAAKBgQDFmhhqgGFAz4f0MrbWxVqo9GXE/JWXPmaPmXGarykyt3Pbvd79\n"
    "Xubw/ELMfpCBQOnwLrc5ezJ1AKLcD8KEBqL8QdC6Vttgh1yXjCCJcn2dH0wqSn+7\n"
    "pQbUzhRoabj50Flm2Q2pmLIhs+Hswnirqk7sKvgjQS45qOQOrmLECfEW6QIDAQAB\n"
    "AoGAWUGw07Knu2HC1IBv7HV67SRwL9m0LHwoUacLFMcYQetx7wlGB4btpF8eQUbO\n"
    "OUQ8J5zCcLmAYi9mYSbRQ1fIGIO4sZVtUKgbD/Vlnq9P+S+u5TxDRr3/AOv/i0Rv\n"
    "XtjT8jFtkm8OsVLztSBEj4WdZOdUpWo9tGQCYGwMpxDH9X0CQQD6cXNePlQPTLvs\n"
    "zCs6g8ym5juaJRIphcF+mr4UyU/6D2hLKPLjaQqGIsRvqT26EPvidev8zPx3bWsK\n"
    "QWfUtD5vAkEAyfx/7telMZON5Glfbg/coc2RZ2xNrxlYmuNxTv1ZtIEFGyXtgO5J\n"
    "H2ZYHrOV31Go4Ya3BYkS6Hg30SibJIesJwJBAMhbJt7IolszGkzQ8ex4MKt9GUWy\n"
    "TptlZG0ywsrCWvdEiD1I3zfLex3ghqKGFNncaIa9rDOsknXA1Zd4x+ZE5IUCQErj\n"
    "DOOWnC6XUGJBFxqNUvXCa4h2xQ6ITSuP6/CnSdz8gNIh676DmiTEIyOu3YAgnIaR\n"
    "FcY9nf8Go1suvOZ8Tr0CQQDaE5U8HUdk7esh4Ks4VHdvcCv418P8uCtAaHoH+9FC\n"
    "EXGH79FORrWRx2Mb8C87+I6QpEeH12bsC3B360ZG9PBo\n"
    "-----END RSA PRIVATE KEY-----\n";
constexpr const char* kRsaPublic =
    "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAAAgQDFmhhqgGFAz4f0MrbWxVqo9GXE/JWXPmaPmXGarykyt3Pbvd79Xubw/ELMfpCBQOnw"
    "Lrc5ezJ1AKLcD8KEBqL8QdC6Vttgh1yXjCCJcn2dH0wqSn+7pQbUzhRoabj50Flm2Q2pmLIhs+Hswnirqk7sKvgjQS45qOQOrmLECfEW6Q==";

// "<type> <base64>" of the first two words.
std::string TypeAndBlob(std::string_view line) {
  size_t first = line.find(' ');
  size_t second = line.find(' ', first + 1);
  return std::string(line.substr(0, second));
}

std::string Line(std::string_view type, std::string_view blob) {
  return std::string(type) + " " + crypto::Base64Encode(blob);
}

// An ssh-rsa key with exponent `e` and a modulus of `bits` bits (not a real
// modulus: the shape is all that is checked).
std::string RsaLine(std::string_view e, int bits) {
  std::string n(static_cast<size_t>((bits + 7) / 8), '\xb5');
  if (bits % 8) n[0] = static_cast<char>(1 << (bits % 8 - 1));
  return Line("ssh-rsa", ssh::SshString("ssh-rsa") + ssh::SshMpint(e) + ssh::SshMpint(n));
}

std::string Ed25519Line(std::string_view key) {
  return Line("ssh-ed25519", ssh::SshString("ssh-ed25519") + ssh::SshString(key));
}

std::string Decoded(std::string_view line) {
  std::string blob;
  std::string_view data = line.substr(line.find(' ') + 1);
  data = data.substr(0, data.find(' '));
  REQUIRE(crypto::Base64Decode(data, &blob));
  return blob;
}

// The error message NormalizeOpenSshPublicKey gives, or "" if it accepts.
std::string Refusal(std::string_view text) {
  auto r = ssh::NormalizeOpenSshPublicKey(text);
  if (r.ok()) return "";
  CHECK(r.error().code() == "InvalidPublicKey.Malformed");
  return r.error().message();
}

}  // namespace

TEST_SUITE("server") {
  TEST_CASE("SSH encodings: strings and mpints as RFC 4251 §5 shows them") {
    CHECK(Hex(ssh::SshString("ssh-rsa")) == "000000077373682d727361");
    CHECK(Hex(ssh::SshString("")) == "00000000");
    CHECK(Hex(ssh::SshMpint("")) == "00000000");
    CHECK(Hex(ssh::SshMpint(Unhex("00"))) == "00000000");
    CHECK(Hex(ssh::SshMpint(Unhex("09a378f9b2e332a7"))) == "0000000809a378f9b2e332a7");
    CHECK(Hex(ssh::SshMpint(Unhex("80"))) == "000000020080");
    CHECK(Hex(ssh::SshMpint(Unhex("000080"))) == "000000020080");  // leading zeros dropped
    CHECK(Hex(ssh::SshMpint(Unhex("010001"))) == "00000003010001");
  }

  TEST_CASE("SSH keys: the public key of a PEM private key is what ssh-keygen -y prints") {
    CHECK(ssh::OpenSshPublicKeyOfPrivatePem(kRsaPem) == kRsaPublic);
    CHECK(ssh::OpenSshPublicKeyOfPrivatePem("not a key") == "");
    CHECK(ssh::OpenSshPublicKeyOfPrivatePem("") == "");
  }

  TEST_CASE("SSH keys: a generated key is RSA 2048 in PKCS#1 PEM, and its public key matches it") {
    ssh::GeneratedKey key = ssh::GenerateRsaKeyPair();
    CHECK(key.private_pem.starts_with("-----BEGIN RSA PRIVATE KEY-----\n"));
    CHECK(key.private_pem.ends_with("-----END RSA PRIVATE KEY-----\n"));
    CHECK(key.openssh_public.starts_with("ssh-rsa AAAAB3NzaC1yc2E"));
    CHECK(key.openssh_public.find(' ', 8) == std::string::npos);  // no comment
    CHECK(ssh::OpenSshPublicKeyOfPrivatePem(key.private_pem) == key.openssh_public);
    // string "ssh-rsa", mpint e = 65537, mpint n of 2048 bits (257 bytes with its zero byte).
    std::string blob = Decoded(key.openssh_public);
    CHECK(Hex(blob.substr(0, 18)) == "000000077373682d72736100000003010001");
    CHECK(Hex(blob.substr(18, 5)) == "0000010100");
    CHECK(blob.size() == 18 + 4 + 257);
    // It reads back as itself.
    auto normalized = ssh::NormalizeOpenSshPublicKey(key.openssh_public + " skey-abcd1234");
    REQUIRE(normalized.ok());
    CHECK(*normalized == key.openssh_public);
    // Every key is new.
    CHECK(ssh::GenerateRsaKeyPair().openssh_public != key.openssh_public);
  }

  TEST_CASE("SSH keys: ssh-rsa, ssh-ed25519 and the three ecdsa-sha2 curves are accepted, comment dropped") {
    for (const char* line : {kRsaPublic, kEd25519, kEcdsa256, kEcdsa384, kEcdsa521}) {
      CAPTURE(line);
      auto r = ssh::NormalizeOpenSshPublicKey(line);
      REQUIRE_MESSAGE(r.ok(), r.error().message());
      CHECK(*r == TypeAndBlob(line));
    }
    // Surrounding whitespace, a trailing newline, tabs and a comment with spaces.
    auto r = ssh::NormalizeOpenSshPublicKey("  \t" + TypeAndBlob(kEd25519) + "\tme@host and more words\r\n");
    REQUIRE(r.ok());
    CHECK(*r == TypeAndBlob(kEd25519));
    CHECK(Refusal(RsaLine("\x01\x00\x01"sv, 1024)) == "");
    CHECK(Refusal(RsaLine("\x03", 16384)) == "");
  }

  TEST_CASE("SSH keys: anything else is InvalidPublicKey.Malformed saying what is wrong") {
    std::string ed = TypeAndBlob(kEd25519);
    CHECK(Refusal("").find("OpenSSH public key") != std::string::npos);
    CHECK(Refusal("   ").find("OpenSSH public key") != std::string::npos);
    CHECK(Refusal("ssh-dss AAAAB3NzaC1kc3MAAACBAP1/").find("of type ssh-rsa, ssh-ed25519") != std::string::npos);
    CHECK(Refusal("SSH-RSA " + crypto::Base64Encode("x")).find("of type") != std::string::npos);
    CHECK(Refusal("from=\"10.0.0.1\" " + ed).find("of type") != std::string::npos);  // authorized_keys options
    CHECK(Refusal("-----BEGIN RSA PRIVATE KEY-----").find("of type") != std::string::npos);
    CHECK(Refusal("ssh-ed25519").find("not base64") != std::string::npos);
    CHECK(Refusal("ssh-ed25519 not*base64").find("not base64") != std::string::npos);
    CHECK(Refusal("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMubHfKTK81yZ").find("not base64") != std::string::npos);
    CHECK(Refusal(ed + "\n" + ed).find("one line") != std::string::npos);
    // The blob's own type must be the type word.
    CHECK(Refusal("ssh-rsa " + ed.substr(12)).find("does not start with its type") != std::string::npos);
    CHECK(Refusal(Line("ssh-ed25519", "")).find("not base64") != std::string::npos);  // no key data at all
    CHECK(Refusal(Line("ssh-ed25519", std::string("\0\0\0\xff", 4) + "ssh")).find("does not start") !=
          std::string::npos);
    // Ed25519: exactly 32 bytes, nothing after.
    CHECK(Refusal(Ed25519Line(std::string(31, 'k'))).find("32 bytes") != std::string::npos);
    CHECK(Refusal(Ed25519Line(std::string(33, 'k'))).find("32 bytes") != std::string::npos);
    CHECK(Refusal(Line("ssh-ed25519", Decoded(kEd25519) + "x")).find("bytes after") != std::string::npos);
    // RSA: e and n present, positive, e odd > 1, n of 1024..16384 bits, nothing after.
    CHECK(Refusal(RsaLine("\x01\x00\x01"sv, 1023)).find("1023 bits") != std::string::npos);
    CHECK(Refusal(RsaLine("\x01\x00\x01"sv, 16385)).find("16385 bits") != std::string::npos);
    CHECK(Refusal(RsaLine("\x01\x00\x00"sv, 2048)).find("odd") != std::string::npos);
    CHECK(Refusal(RsaLine("\x01", 2048)).find("odd") != std::string::npos);
    CHECK(Refusal(RsaLine("", 2048)).find("odd") != std::string::npos);
    std::string rsa = Decoded(kRsaPublic);
    CHECK(Refusal(Line("ssh-rsa", rsa + std::string(1, '\0'))).find("bytes after") != std::string::npos);
    CHECK(Refusal(Line("ssh-rsa", rsa.substr(0, rsa.size() - 1))).find("do not parse") != std::string::npos);
    std::string negative_e = ssh::SshString("ssh-rsa") + ssh::SshString("\x81") + rsa.substr(11 + 7);
    CHECK(Refusal(Line("ssh-rsa", negative_e)).find("do not parse") != std::string::npos);
    // The same numbers padded with a needless zero byte are not a new key: refused (RFC 4251 §5).
    {
      std::string e = "\x01\x00\x01"s, n(256, '\xb5');
      n[0] = '\x75';  // top bit clear: a leading zero would be needless
      auto mpint_padded = [](const std::string& v) { return ssh::SshString(std::string(1, '\0') + v); };
      std::string head = ssh::SshString("ssh-rsa");
      CHECK(Refusal(Line("ssh-rsa", head + ssh::SshMpint(e) + ssh::SshMpint(n))).empty());
      CHECK(Refusal(Line("ssh-rsa", head + mpint_padded(e) + ssh::SshMpint(n))).find("canonical") !=
            std::string::npos);
      CHECK(Refusal(Line("ssh-rsa", head + ssh::SshMpint(e) + mpint_padded(n))).find("canonical") !=
            std::string::npos);
      // An even modulus, or an exponent not smaller than the modulus, is no RSA key.
      std::string even = n;
      even.back() = '\xb4';
      CHECK(Refusal(Line("ssh-rsa", head + ssh::SshMpint(e) + ssh::SshMpint(even))).find("modulus must be odd") !=
            std::string::npos);
      std::string big_e = "\x7f" + std::string(255, '\xff');
      CHECK(Refusal(Line("ssh-rsa", head + ssh::SshMpint(big_e) + ssh::SshMpint(n))).find("smaller than") !=
            std::string::npos);
    }
    // ECDSA: the curve of the type, a point on it.
    std::string p256 = Decoded(kEcdsa256);
    CHECK(Refusal(Line("ecdsa-sha2-nistp384", ssh::SshString("ecdsa-sha2-nistp384") + p256.substr(23)))
              .find("name the curve nistp384") != std::string::npos);
    std::string off_curve = p256;
    off_curve.back() = static_cast<char>(off_curve.back() ^ 1);
    CHECK(Refusal(Line("ecdsa-sha2-nistp256", off_curve)).find("not an uncompressed point") != std::string::npos);
    std::string compressed = p256.substr(0, 35) + ssh::SshString("\x02" + p256.substr(40, 32));
    CHECK(Refusal(Line("ecdsa-sha2-nistp256", compressed)).find("not an uncompressed point") !=
          std::string::npos);
    CHECK(Refusal(Line("ecdsa-sha2-nistp256", p256 + "x")).find("bytes after") != std::string::npos);
    CHECK(Refusal(Line("ecdsa-sha2-nistp256", p256.substr(0, 35))).find("point is missing") != std::string::npos);
    // Too long to be one key.
    CHECK(Refusal(ed + " " + std::string(20000, 'c')).find("longer") != std::string::npos);
  }

  TEST_CASE("SSH keys: the error names the parameter it is given") {
    auto r = ssh::NormalizeOpenSshPublicKey("nonsense", "LoginSettings.PublicKey");
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().message().find("LoginSettings.PublicKey") != std::string::npos);
  }
}
