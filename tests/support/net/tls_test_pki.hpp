#pragma once

#include <filesystem>

namespace em::test {

// TLS certificates for test servers on 127.0.0.1, made once per test process
// with the openssl command-line tool (EC P-256, fast) in a folder removed at
// exit. Separate from test_pki(), which signs documents.
struct tls_test_pki {
  std::filesystem::path dir;
  std::filesystem::path ca;        // "EM Test TLS CA", the one clients trust
  std::filesystem::path other_ca;  // a CA that issued none of these: the "wrong CA"
  // Issued by `ca` for IP:127.0.0.1 and DNS:localhost, valid for a year.
  std::filesystem::path server_cert, server_key;
  // Same names, expired yesterday.
  std::filesystem::path expired_cert, expired_key;
  // Valid, but only for DNS:feed.example (not 127.0.0.1 nor localhost).
  std::filesystem::path wrong_host_cert, wrong_host_key;
};

const tls_test_pki& tls_pki();

}  // namespace em::test
