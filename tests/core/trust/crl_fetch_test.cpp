// trust.crl_fetch: CRLs from each certificate's distribution points, fetched
// from a real plain-HTTP server on 127.0.0.1 and cached on disk, with
// certificates and CRLs made at test time by the openssl tool.
#include <catch2/catch.hpp>

#include <openssl/pem.h>

#include <algorithm>
#include <memory>
#include <stdexcept>

#include "core/trust/crl_cdp_source.hpp"
#include "core/trust/document_verifier.hpp"
#include "tests/core/trust/cdp_fixture.hpp"
#include "tests/core/trust/cdp_pki.hpp"
#include "tests/core/trust/crl_server.hpp"
#include "tests/support/net/connect_proxy.hpp"
#include "tests/support/temp_dir.hpp"

namespace em::test {
namespace {

using namespace std::chrono_literals;

struct x509_free {
  void operator()(X509* cert) const { X509_free(cert); }
};

std::unique_ptr<X509, x509_free> read_cert(const std::filesystem::path& pem) {
  const std::string text = read_text(pem);
  BIO* in = BIO_new_mem_buf(text.data(), static_cast<int>(text.size()));
  std::unique_ptr<X509, x509_free> cert(PEM_read_bio_X509(in, nullptr, nullptr, nullptr));
  BIO_free(in);
  REQUIRE(cert);
  return cert;
}

std::string rejection(const verification& v) {
  return v.verified ? std::string("(verified)") : v.reason;
}

}  // namespace

TEST_CASE_METHOD(cdp_fixture, "a document verifies under require with only fetched CRLs") {
  auto v = verify("signer", options());
  INFO(v.reason);
  CHECK(v.verified);
  // The signer's CDP (the CA's CRL) and the CA's (the root's); never the anchor's.
  CHECK(cdp.requests("/ca.crl") == 1);
  CHECK(cdp.requests("/root.crl") == 1);
  CHECK(cached_files() == 2);

  // The same trust without the fetcher has no CRL at all.
  document_verifier without(pki.trust());
  CHECK(without.verify(pki.sign("signer"), std::chrono::system_clock::now()).reason ==
        "no usable CRL for CN=signer,O=EM CDP (no CRL from CN=ca,O=EM CDP)");
}

TEST_CASE_METHOD(cdp_fixture, "a revoked signer or intermediate is rejected by the fetched CRL") {
  SECTION("signer") {
    pki.revoke("signer");
    publish();
    CHECK_THAT(rejection(verify("signer", options())),
               Catch::StartsWith("revoked: CN=signer,O=EM CDP (serial "));
    // Revoked outranks best-effort.
    CHECK_THAT(rejection(verify("signer", options(), revocation_mode::best_effort)),
               Catch::StartsWith("revoked: CN=signer,O=EM CDP"));
  }
  SECTION("intermediate") {
    pki.revoke("ca");
    publish();
    CHECK_THAT(rejection(verify("signer", options())),
               Catch::StartsWith("revoked: CN=ca,O=EM CDP (serial "));
  }
}

TEST_CASE_METHOD(cdp_fixture, "a CDP that gives no CRL rejects under require, naming URL and why") {
  std::string url, why;
  std::unique_ptr<scripted_server> trickler;
  SECTION("server down") {
    url = "http://127.0.0.1:" + std::to_string(unused_port()) + "/ca.crl";
    why = "Connection refused";
  }
  SECTION("404") {
    url = cdp.url("/gone.crl");
    why = "Unexpected HTTP status: 404";
  }
  SECTION("garbage") {
    url = cdp.url("/garbage.crl");
    cdp.serve("/garbage.crl", http_response_text(200, "<html>maintenance</html>"));
    why = "not a CRL (24 bytes, neither DER nor PEM)";
  }
  SECTION("DER followed by more bytes") {
    url = cdp.url("/trailing.crl");
    cdp.serve("/trailing.crl", http_response_text(200, pki.current_crl("ca") + "extra"));
    why = "not a CRL (";
  }
  SECTION("trickling") {
    server_script script;
    script.mode = server_mode::trickle;
    script.tls = false;
    script.response = http_response_text(200, pki.current_crl("ca"));
    script.trickle_interval = 500ms;
    trickler = std::make_unique<scripted_server>(script);
    url = trickler->url("/ca.crl");
    why = "Timed out";
  }
  SECTION("too large") {
    url = cdp.url("/big.crl");
    cdp.serve_crl("/big.crl", std::string(64 * 1024, 'x'));
    why = "Response too large";
  }
  SECTION("redirected (the feed's limits: no redirect by default)") {
    url = cdp.url("/loop.crl");
    cdp.serve("/loop.crl", http_response_text(302, "", {{"Location", url}}));
    why = "Redirect refused";
  }
  pki.issue_signer("other", {url});
  auto o = options();
  o.limits.max_body_size = 16 * 1024;
  const auto v = verify("other", o);
  CHECK_THAT(rejection(v), Catch::StartsWith("no usable CRL for CN=other,O=EM CDP (fetching " +
                                             url + ": " + why));
  CHECK(verify("other", o, revocation_mode::best_effort).verified);
  CHECK(cached_files() == 1);  // the root's CRL only
}

TEST_CASE_METHOD(cdp_fixture, "distribution points that cannot be fetched are said") {
  SECTION("none") {
    pki.issue_signer("other", {});
    CHECK(rejection(verify("other", options())) ==
          "no usable CRL for CN=other,O=EM CDP (the certificate names no CRL distribution point)");
  }
  SECTION("ldap only") {
    pki.issue_signer("other", {"ldap://directory.example/cn=ca?certificateRevocationList"});
    CHECK(rejection(verify("other", options())) ==
          "no usable CRL for CN=other,O=EM CDP (ldap://directory.example/"
          "cn=ca?certificateRevocationList: not fetched (only http:// and https:// CRL "
          "distribution points are))");
  }
  SECTION("ldap, then http as an alternative") {
    pki.issue_signer("other", {"ldap://directory.example/ca", cdp.url("/ca.crl")});
    CHECK(verify("other", options()).verified);
  }
  SECTION("the first of two alternatives fails, the second serves") {
    pki.issue_signer("other", {cdp.url("/gone.crl"), cdp.url("/ca.crl")});
    CHECK(verify("other", options()).verified);
    CHECK(cdp.requests("/gone.crl") == 1);
  }
}

TEST_CASE_METHOD(cdp_fixture, "distribution_points lists each point's URIs") {
  pki.issue_signer("other", {"ldap://directory.example/ca", cdp.url("/ca.crl")});
  CHECK(crl_cdp_source::distribution_points(read_cert(pki.pem("other")).get()) ==
        std::vector<std::vector<std::string>>{{"ldap://directory.example/ca", cdp.url("/ca.crl")}});
  CHECK(crl_cdp_source::distribution_points(read_cert(pki.pem("root")).get()).empty());
}

TEST_CASE_METHOD(cdp_fixture, "the second verification is served from the disk cache") {
  REQUIRE(verify("signer", options()).verified);
  // Another source on the same folder, as after a restart of emsd.
  auto again = verify("signer", options());
  INFO(again.reason);
  CHECK(again.verified);
  CHECK(cdp.requests("/ca.crl") == 1);
  CHECK(cdp.requests("/root.crl") == 1);
}

TEST_CASE_METHOD(cdp_fixture, "what the cache holds is checked again, never trusted") {
  const auto now = std::chrono::system_clock::now();
  const std::string url = cdp.url("/ca.crl");
  crl_cache cache(options().cache_folder);
  SECTION("a CRL of another issuer is not used: the CDP is asked") {
    REQUIRE(cache.store(url, pki.crl("root", now - 1h, now + 24h)));
    CHECK(verify("signer", options()).verified);
    CHECK(cdp.requests("/ca.crl") == 1);
  }
  SECTION("a CRL under the issuer's name but another key is not used: the CDP is asked") {
    cdp_pki forger(dir / "forger", url);
    const std::string forged = forger.current_crl("ca");
    REQUIRE(cache.store(url, forged));
    CHECK(verify("signer", options()).verified);
    CHECK(cdp.requests("/ca.crl") == 1);
    CHECK(read_text(cache.file_for(url)) != forged);
  }
  SECTION("a CDP serving a CRL of another key: refused by the verifier, never cached") {
    cdp_pki forger(dir / "forger", url);
    cdp.serve_crl("/ca.crl", forger.current_crl("ca"));
    CHECK(rejection(verify("signer", options())) ==
          "no usable CRL for CN=signer,O=EM CDP (a CRL claiming to be from CN=ca,O=EM CDP is "
          "not signed by its key)");
    CHECK_FALSE(std::filesystem::exists(cache.file_for(url)));
  }
  SECTION("bytes that are not a CRL are replaced") {
    write_text(cache.file_for(url), "garbage");
    CHECK(verify("signer", options()).verified);
    CHECK(cdp.requests("/ca.crl") == 1);
    CHECK(read_text(cache.file_for(url)) != "garbage");
  }
}

TEST_CASE_METHOD(cdp_fixture, "a cache that cannot be written is no cache, not an error") {
  write_text(dir / "file", "not a folder");
  auto o = options();
  o.cache_folder = dir / "file" / "cache";
  CHECK(verify("signer", o).verified);
  CHECK(verify("signer", o).verified);
  CHECK(cdp.requests("/ca.crl") == 2);
}

TEST_CASE_METHOD(cdp_fixture, "a cached CRL past its nextUpdate is fetched again") {
  const auto start = std::chrono::system_clock::now();
  cdp.serve_crl("/ca.crl", pki.crl("ca", start - 1h, start + 1h));
  cdp.serve_crl("/root.crl", pki.crl("root", start - 1h, start + 72h));
  auto o = options();
  REQUIRE(verify("signer", o, revocation_mode::require, start).verified);
  REQUIRE(cdp.requests("/ca.crl") == 1);

  // Two hours later the cached CRL has expired; the CDP has published a new one.
  const auto later = start + 2h;
  cdp.serve_crl("/ca.crl", pki.crl("ca", start, start + 48h));
  o.now = [later] { return later; };
  auto v = verify("signer", o, revocation_mode::require, later);
  INFO(v.reason);
  CHECK(v.verified);
  CHECK(cdp.requests("/ca.crl") == 2);
  CHECK(cdp.requests("/root.crl") == 1);  // still current
  CHECK(verify("signer", o, revocation_mode::require, later).verified);
  CHECK(cdp.requests("/ca.crl") == 2);

  // Past even the cached copy's age limit, it is fetched again before its nextUpdate.
  o.now = [start] { return start + 25h; };
  CHECK(rejection(verify("signer", o, revocation_mode::require, start + 25h)) == "(verified)");
  CHECK(cdp.requests("/ca.crl") == 3);
  CHECK(cdp.requests("/root.crl") == 2);
}

TEST_CASE_METHOD(cdp_fixture, "a stale CRL from the CDP is said as such and not cached") {
  const auto now = std::chrono::system_clock::now();
  cdp.serve_crl("/ca.crl", pki.crl("ca", now - 48h, now - 24h));
  CHECK_THAT(rejection(verify("signer", options())),
             Catch::StartsWith("no usable CRL for CN=signer,O=EM CDP (the CRL from CN=ca,O=EM "
                               "CDP expired at "));
  CHECK(cached_files() == 1);
}

TEST_CASE_METHOD(cdp_fixture, "downloads go through the proxy the getter gives at fetch time") {
  // The CDP's own address is dead; only the proxy (this server, answering
  // absolute-form requests) can reach it.
  const std::string dead = "http://127.0.0.1:" + std::to_string(unused_port()) + "/ca.crl";
  pki.issue_signer("other", {dead});
  auto o = options();
  std::string proxy;
  o.proxy = [&proxy] { return proxy; };
  auto source = std::make_shared<crl_cdp_source>(o);
  document_verifier verifier(pki.trust(), {source});
  const auto doc = pki.sign("other");
  CHECK_THAT(rejection(verifier.verify(doc, std::chrono::system_clock::now())),
             Catch::Contains("fetching " + dead + ": Connection refused"));
  proxy = cdp.url("");
  auto v = verifier.verify(doc, std::chrono::system_clock::now());
  INFO(v.reason);
  CHECK(v.verified);
  const auto targets = cdp.targets();
  CHECK(std::find(targets.begin(), targets.end(), dead) != targets.end());

  // A proxy that cannot be read is not bypassed.
  std::filesystem::remove_all(dir / "cache");
  o.proxy = []() -> std::string { throw std::runtime_error("the store is locked"); };
  CHECK_THAT(rejection(verify("other", o)),
             Catch::Contains("fetching " + dead +
                             ": the proxy to use cannot be read: the store is locked"));
}

}  // namespace em::test
