// document_verifier on the attack corpus (tests/core/trust/corpus): every
// document made by the openssl and xmlsec1 tools gets its exact verdict.
#include <catch2/catch.hpp>

#include <set>
#include <string>

#include "core/trust/document_verifier.hpp"
#include "tests/core/trust/corpus/trust_corpus.hpp"
#include "tests/support/temp_dir.hpp"

namespace em::test {
namespace {

const corpus_document& find(const std::string& name) {
  for (const auto& d : trust_corpus())
    if (d.name == name) return d;
  FAIL("no corpus document " << name);
  throw std::logic_error("unreachable");
}

verification verify(const corpus_document& d) {
  document_verifier verifier(d.trust.settings());
  return verifier.verify(read_text(d.file), d.trust.time());
}

}  // namespace

TEST_CASE("every corpus document gets its exact verdict from the verifier") {
  std::size_t good = 0, bad = 0;
  for (const auto& d : trust_corpus()) {
    INFO(d.name << " (" << d.file.string() << ")");
    auto v = verify(d);
    CHECK(v.reason == d.reason);
    CHECK(v.verified == d.reason.empty());
    if (!v.verified) {
      ++bad;
      CHECK(v.document.mitigations.empty());
      continue;
    }
    ++good;
    std::vector<std::string> actions, rejected;
    for (const auto& m : v.document.mitigations)
      for (const auto& a : m.actions)
        actions.push_back(a.id);
    for (const auto& r : v.document.rejected)
      rejected.push_back(r.id);
    CHECK(actions == d.actions);
    CHECK(rejected == d.rejected_ids);
    CHECK(v.document.sequence == std::uint64_t{1});
  }
  CHECK(good >= 12);
  CHECK(bad >= 65);
}

TEST_CASE("the corpus holds a document for every rejection reason of SPEC 2-3") {
  for (const char* prefix : {"bad digest",
                             "bad signature",
                             "untrusted chain: ",
                             "expired certificate: ",
                             "certificate not yet valid: ",
                             "revoked: ",
                             "no usable CRL for ",
                             "issuer mismatch: ",
                             "missing EKU: ",
                             "key usage without digitalSignature: ",
                             "weak key: ",
                             "key not allowed: ",
                             "expired document ",
                             "too large: ",
                             "malformed XML: ",
                             "DTD present",
                             "too deep: ",
                             "unsigned: ",
                             "2 Signature elements ",
                             "Signature is not a direct child of EOCS",
                             "Reference URI ",
                             "Reference without URI ",
                             "2 References ",
                             "transforms not allowed: ",
                             "canonicalization method not allowed: ",
                             "digest method not allowed: ",
                             "signature method not allowed: ",
                             "no trusted key: ",
                             "ambiguous X509Data: ",
                             "malformed X509Certificate: ",
                             "no usable key: ",
                             "root element is ",
                             "sequence ",
                             "expires ",
                             "EOCS has unknown attribute ",
                             "EOCS has unexpected element ",
                             "limit exceeded: ",
                             "namespace declaration not allowed: ",
                             "attribute in a namespace not allowed: ",
                             "encoding "}) {
    std::size_t found = 0;
    for (const auto& d : trust_corpus())
      found += d.reason.rfind(prefix, 0) == 0 ? 1 : 0;
    INFO(prefix);
    CHECK(found > 0);
  }
}

TEST_CASE("signature wrapping in the corpus never changes what is applied") {
  auto original = verify(find("good-rsa"));
  auto wrapped = verify(find("good-wrapped-in-object"));
  REQUIRE(original.verified);
  REQUIRE(wrapped.verified);
  CHECK(wrapped.digest == original.digest);
  CHECK(wrapped.document.mitigations.size() == 2);
  CHECK(*wrapped.document.sequence == 1);
  CHECK(verify(find("bad-moved-subtree")).reason == "bad digest");
}

}  // namespace em::test

namespace em::test {

// Issue 12's review, each shape with its verdict (the exact reasons are in
// corpus_bounds.cpp and corpus_certificates.cpp). One test case: the corpus
// is built once per process.
TEST_CASE("issue_12_corpus") {
  // A CA restricted to TLS servers does not vouch for code signing.
  CHECK_THAT(verify(find("bad-intermediate-eku")).reason,
             Catch::StartsWith("missing EKU: CA CN=EM Corpus TLS CA,O=EM Corpus allows only "));
  // The issuer pinned by key: a twin CA passes the name pin alone, not the key pin.
  CHECK(verify(find("good-issuer-key-pin")).verified);
  auto twin = find("bad-issuer-key-pin");
  twin.trust.issuer_key_sha256.reset();
  CHECK(verify(twin).verified);
  CHECK_THAT(verify(find("bad-issuer-key-pin")).reason,
             Catch::StartsWith("issuer mismatch: signer issued by CN=EM Corpus CA,O=EM Corpus "
                               "with key sha256 "));
  for (const char* name :
       {"bad-c14n-bomb", "bad-c14n-bomb-in-object", "bad-attribute-bomb", "bad-too-many-elements",
        "bad-nul-after-root", "bad-content-after-root", "bad-wrapping-undeclared-namespace",
        "bad-namespaced-attribute", "bad-xml-attribute-on-ds-element", "bad-expires-offset",
        "bad-expires-offset-out-of-range", "bad-pem-in-x509certificate", "bad-encoding-latin1"}) {
    INFO(name);
    const auto& d = find(name);
    CHECK_FALSE(d.reason.empty());
    CHECK(verify(d).reason == d.reason);
  }
  // A ds:Object filled up to the limits (about 1 MiB) leaves a valid document valid.
  const auto& filled = find("good-object-within-bounds");
  CHECK(std::filesystem::file_size(filled.file) > 1000 * 1000);
  CHECK(verify(filled).verified);
}

}  // namespace em::test
