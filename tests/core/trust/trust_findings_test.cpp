// Issue 12's review findings on certificates, with the test PKI: PEM text
// inside an X509Certificate, and pinning the issuer by its key. (The
// intermediate's EKU and a twin issuer under the same name need certificates
// of their own: they are in the attack corpus.)
#include <catch2/catch.hpp>

#include "core/trust/document_verifier.hpp"
#include "core/util/error.hpp"
#include "tests/core/trust/corpus/corpus_templates.hpp"
#include "tests/core/trust/trust_fixtures.hpp"
#include "tests/support/run_command.hpp"
#include "tests/support/temp_dir.hpp"

namespace em::test {
namespace {

const std::string& signed_doc() {
  static const std::string doc = sign_with(unsigned_eocs, "signer", 42);
  return doc;
}

// As the operator is told to compute it (docs/trust.md), with the openssl tool.
std::string key_pin_of(const std::string& pem_name) {
  temp_dir dir{"empin"};
  auto pub = run_command({"openssl", "x509", "-in", pki_file(pem_name).string(), "-pubkey",
                          "-noout", "-out", (dir / "pub.pem").string()});
  REQUIRE(pub.exit_code == 0);
  auto der = run_command({"openssl", "pkey", "-pubin", "-in", (dir / "pub.pem").string(),
                          "-outform", "DER", "-out", (dir / "pub.der").string()});
  REQUIRE(der.exit_code == 0);
  auto sum = run_command({"sha256sum", (dir / "pub.der").string()});
  REQUIRE(sum.exit_code == 0);
  return sum.out.substr(0, 64);
}

}  // namespace

TEST_CASE("issue_12_pem_in_x509certificate") {
  // X509Certificate is base64 of DER: base64 of PEM text is not a certificate.
  const std::string open = "<X509Certificate>";
  const auto begin = signed_doc().find(open) + open.size();
  const auto end = signed_doc().find("</X509Certificate>", begin);
  const std::string pem = read_text(pki_file("signer.pem"));
  std::string doc = signed_doc();
  doc.replace(begin, end - begin, corpus::base64(pem.substr(pem.find("-----BEGIN"))));
  CHECK(verify_now(doc).reason == "malformed X509Certificate: not a DER certificate");
}

TEST_CASE("issue_12_issuer_key_pin") {
  auto settings = test_trust();
  const std::string ca_pin = key_pin_of("ca.pem");
  SECTION("the issuer's key matches the pin") {
    settings.issuer_key_sha256 = ca_pin;
    auto v = verify_now(signed_doc(), settings);
    INFO(v.reason);
    CHECK(v.verified);
  }
  SECTION("colons between bytes and upper case are the same pin") {
    std::string spaced;
    for (std::size_t i = 0; i < ca_pin.size(); i += 2)
      spaced += (spaced.empty() ? "" : ":") + ca_pin.substr(i, 2);
    for (auto& c : spaced)
      c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    settings.issuer_key_sha256 = spaced;
    CHECK(verify_now(signed_doc(), settings).verified);
  }
  SECTION("another key under the same issuer name does not pass") {
    const std::string root_pin = key_pin_of("root.pem");
    settings.issuer_key_sha256 = root_pin;
    CHECK(
        verify_now(signed_doc(), settings).reason ==
        "issuer mismatch: signer issued by CN=EM Test Code Signing CA,O=EM Test with key sha256 " +
            ca_pin + ", expected " + root_pin);
  }
  SECTION("a signer trusted as an anchor has no issuer in the chain to compare") {
    settings.anchors = {pki_file("signer.pem")};
    settings.revocation = revocation_mode::off;
    settings.issuer_key_sha256 = ca_pin;
    CHECK_THAT(verify_now(signed_doc(), settings).reason,
               Catch::StartsWith("issuer mismatch: the signer CN=EM Test Publisher,O=EM Test is "
                                 "itself the trust anchor"));
  }
  SECTION("a pin that is not a SHA-256 stops the verifier at construction") {
    settings.issuer_key_sha256 = "abc";
    CHECK_THROWS_WITH(document_verifier(settings),
                      "trust issuer_key_sha256 'abc' is not a SHA-256 in hex (64 hex digits)");
  }
}

}  // namespace em::test
