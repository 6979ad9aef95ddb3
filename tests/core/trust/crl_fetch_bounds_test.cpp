// Issue 12: no network before trust, and bounded CRL fetching. A forged
// certificate naming 20 distribution points on a real HTTP server on
// 127.0.0.1 gets no request at all; a real one gets at most 2 per
// certificate; the disk cache keeps only CRLs its issuer signed, within its
// bounds in entries and bytes.
#include <catch2/catch.hpp>

#include "tests/core/trust/cdp_fixture.hpp"

namespace em::test {

TEST_CASE_METHOD(cdp_fixture, "issue_12_forged_certificate_no_crl_fetch") {
  // ca's name and key identifier, another key, 20 distribution points: OpenSSL
  // checks revocation before signatures, so this once fetched all 20.
  pki.issue_forged_signer("forged", urls("forged", 20));
  for (auto mode : {revocation_mode::require, revocation_mode::best_effort}) {
    auto settings = pki.trust();
    settings.revocation = mode;
    document_verifier verifier(settings, {std::make_shared<crl_cdp_source>(options())});
    const auto v = verifier.verify(pki.sign("forged"), std::chrono::system_clock::now());
    CHECK(v.reason == "untrusted chain: CN=forged,O=EM CDP: certificate signature failure");
  }
  CHECK(cdp.targets().empty());  // not one request, not even for ca's or the root's CRL
  CHECK_FALSE(std::filesystem::exists(dir / "cache"));
}

TEST_CASE_METHOD(cdp_fixture, "issue_12_cdp_urls_capped") {
  // A real signer of the trusted CA may still name many points: 2 are tried.
  pki.issue_signer("many", urls("gone", 20));
  const auto v = verify("many", options());
  CHECK_THAT(v.reason, Catch::StartsWith("no usable CRL for CN=many,O=EM CDP (fetching " +
                                         cdp.url("/gone1.crl") + ": "));
  CHECK_THAT(v.reason, Catch::Contains("fetching " + cdp.url("/gone2.crl") + ": ") &&
                           Catch::EndsWith("; 18 more CRL distribution point URL(s) not tried (at "
                                           "most 2 per certificate))"));
  CHECK(cdp.requests("/gone1.crl") == 1);
  CHECK(cdp.requests("/gone2.crl") == 1);
  CHECK(cdp.requests("/gone3.crl") == 0);
  CHECK(cdp.targets().size() == 3);  // the two, and ca's own point (the root's CRL)

  // The second of two points serving the CRL is enough.
  pki.issue_signer("second", {cdp.url("/gone1.crl"), cdp.url("/ca.crl"), cdp.url("/gone3.crl")});
  CHECK(verify("second", options()).verified);
  CHECK(cdp.requests("/gone3.crl") == 0);
}

TEST_CASE_METHOD(cdp_fixture, "issue_12_crl_cache_bounded") {
  const std::string crl = pki.current_crl("ca");
  SECTION("by entries: the oldest go first") {
    crl_cache cache(dir / "cache", {3, 1024 * 1024});
    for (int i = 1; i <= 5; ++i)
      REQUIRE(cache.store("http://cdp.example/" + std::to_string(i) + ".crl", crl));
    CHECK(cache.measure().entries == 3);
    CHECK_FALSE(cache.load("http://cdp.example/1.crl", 1 << 20));
    CHECK_FALSE(cache.load("http://cdp.example/2.crl", 1 << 20));
    CHECK(cache.load("http://cdp.example/5.crl", 1 << 20));
  }
  SECTION("by bytes, and nothing larger than the bound is kept") {
    crl_cache cache(dir / "cache", {100, 2 * crl.size() + 10});
    for (int i = 1; i <= 4; ++i)
      REQUIRE(cache.store("http://cdp.example/" + std::to_string(i) + ".crl", crl));
    CHECK(cache.measure().entries == 2);
    CHECK(cache.measure().bytes <= 2 * crl.size() + 10);
    CHECK_FALSE(cache.store("http://cdp.example/big.crl", std::string(3 * crl.size(), 'x')));
    CHECK_FALSE(cache.load("http://cdp.example/big.crl", 1 << 20));
  }
  SECTION("through the verifier: many signers, many points, the cache stays within bounds") {
    auto o = options();
    o.cache_bounds = {4, 1024 * 1024};
    for (int i = 1; i <= 8; ++i) {
      const std::string path = "/ca" + std::to_string(i) + ".crl";
      cdp.serve_crl(path, crl);
      pki.issue_signer("s" + std::to_string(i), {cdp.url(path)});
      INFO(i);
      CHECK(verify("s" + std::to_string(i), o).verified);
      CHECK(crl_cache(dir / "cache").measure().entries <= 4);
    }
    CHECK(crl_cache(dir / "cache").measure().entries == 4);
  }
}

}  // namespace em::test
