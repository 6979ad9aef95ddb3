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
  CHECK(good >= 10);
  CHECK(bad >= 50);
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
                             "EOCS has unexpected element "}) {
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
