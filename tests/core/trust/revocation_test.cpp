// Revocation with the test PKI: CRL files, and the crl_source interface that
// other sources (a CRL distribution point fetcher) plug into.
#include <catch2/catch.hpp>

#include <atomic>
#include <memory>
#include <stdexcept>

#include "core/trust/crl_file_source.hpp"
#include "core/trust/document_verifier.hpp"
#include "core/util/error.hpp"
#include "tests/core/trust/trust_fixtures.hpp"
#include "tests/support/run_command.hpp"
#include "tests/support/temp_dir.hpp"

namespace em::test {
namespace {

// A source that serves the test PKI's CRL files and says what it could not get.
class counting_source : public crl_source {
 public:
  explicit counting_source(std::vector<std::filesystem::path> files, std::string problem = "")
      : files_(std::move(files)), problem_(std::move(problem)) {}

  crl_candidates crls_for(const X509* cert, const X509* issuer) const override {
    ++calls;
    crl_candidates out = files_.crls_for(cert, issuer);
    if (!problem_.empty()) out.problems.push_back(problem_);
    return out;
  }

  mutable std::atomic<int> calls{0};

 private:
  crl_file_source files_;
  std::string problem_;
};

// A source that breaks its contract and throws.
class throwing_source : public crl_source {
 public:
  crl_candidates crls_for(const X509*, const X509*) const override {
    throw std::runtime_error("boom");
  }
};

const std::string& signed_doc() {
  static const std::string doc = sign_with(unsigned_eocs, "signer", 3);
  return doc;
}

}  // namespace

TEST_CASE("CRL files that cannot be used stop the verifier at construction, naming them") {
  auto settings = test_trust();
  settings.crl_files = {pki_file("missing.crl")};
  CHECK_THROWS_WITH(document_verifier(settings), Catch::Contains("CRL file") &&
                                                     Catch::Contains("missing.crl") &&
                                                     Catch::Contains("cannot be read"));
  settings.crl_files = {pki_file("root.pem")};
  CHECK_THROWS_AS(document_verifier(settings), invalid_input);
  CHECK_THROWS_WITH(document_verifier(settings),
                    Catch::EndsWith("root.pem holds no CRL (PEM or DER expected)"));
  // Read even when revocation is off, so a wrong path shows at once.
  settings.revocation = revocation_mode::off;
  CHECK_THROWS_AS(document_verifier(settings), invalid_input);
}

TEST_CASE("a DER CRL and a file of several PEM CRLs are read") {
  temp_dir dir("emcrl");
  auto r = run_command({"openssl", "crl", "-in", pki_file("ca.crl").string(), "-outform", "DER",
                        "-out", (dir / "ca.der").string()});
  REQUIRE(r.exit_code == 0);
  write_text(dir / "both.pem", read_text(pki_file("root.crl")) + read_text(pki_file("ca.crl")));
  CHECK(crl_file_source({dir / "ca.der"}).size() == 1);
  CHECK(crl_file_source({dir / "both.pem"}).size() == 2);
  auto settings = test_trust();
  settings.crl_files = {dir / "both.pem"};
  CHECK(verify_now(signed_doc(), settings).verified);
  settings.crl_files = {dir / "ca.der", pki_file("root.crl")};
  CHECK(verify_now(signed_doc(), settings).verified);
}

TEST_CASE("the revocation modes, with the test PKI's CRLs") {
  auto settings = test_trust();
  CHECK(verify_now(signed_doc(), settings).verified);
  settings.crl_files = {pki_file("root.crl")};
  CHECK(verify_now(signed_doc(), settings).reason ==
        "no usable CRL for CN=EM Test Publisher,O=EM Test (no CRL from CN=EM Test Code Signing "
        "CA,O=EM Test)");
  settings.revocation = revocation_mode::best_effort;
  CHECK(verify_now(signed_doc(), settings).verified);
  settings.crl_files.clear();
  settings.revocation = revocation_mode::off;
  CHECK(verify_now(signed_doc(), settings).verified);
}

TEST_CASE("another CRL source plugs in, is asked per certificate, and its problems are said") {
  auto settings = test_trust();
  settings.crl_files.clear();
  auto fetcher = std::make_shared<counting_source>(std::vector<std::filesystem::path>{},
                                                   "http://crl.example/ca.crl: timed out");
  document_verifier verifier(settings, {fetcher});
  auto v = verifier.verify(signed_doc(), std::chrono::system_clock::now());
  CHECK(v.reason ==
        "no usable CRL for CN=EM Test Publisher,O=EM Test (http://crl.example/ca.crl: timed out)");
  CHECK(fetcher->calls >= 1);

  auto serving = std::make_shared<counting_source>(
      std::vector<std::filesystem::path>{pki_file("root.crl"), pki_file("ca.crl")});
  document_verifier with_crls(settings, {serving});
  CHECK(with_crls.verify(signed_doc(), std::chrono::system_clock::now()).verified);
  // The signer and the intermediate, never the anchor.
  CHECK(serving->calls == 2);

  document_verifier broken(settings, {std::make_shared<throwing_source>()});
  CHECK(broken.verify(signed_doc(), std::chrono::system_clock::now()).reason ==
        "no usable CRL for CN=EM Test Publisher,O=EM Test (a CRL source failed: boom)");

  settings.revocation = revocation_mode::off;
  auto unused = std::make_shared<counting_source>(std::vector<std::filesystem::path>{});
  CHECK(document_verifier(settings, {unused})
            .verify(signed_doc(), std::chrono::system_clock::now())
            .verified);
  CHECK(unused->calls == 0);
}

}  // namespace em::test
