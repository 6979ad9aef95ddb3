// em::sign_document: what it writes and what it refuses.
#include <catch2/catch.hpp>

#include <chrono>

#include "core/trust/document_signer.hpp"
#include "core/util/error.hpp"
#include "tests/core/trust/corpus/corpus_pki.hpp"
#include "tests/core/trust/trust_fixtures.hpp"
#include "tests/support/temp_dir.hpp"

namespace em::test {
namespace {

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto pos = text.find(what); pos != std::string::npos; pos = text.find(what, pos + 1))
    ++n;
  return n;
}

signing_request rsa_request() {
  return {pki_file("signer.key"),
          pki_file("signer.pem"),
          {pki_file("chain.pem")},
          std::nullopt,
          std::nullopt};
}

}  // namespace

TEST_CASE("the signed document carries the SPEC's signature and the freshness attributes") {
  auto expires = time_at("2031-05-06T07:08:09Z");
  auto doc = sign_with(unsigned_eocs, "signer", 18446744073709551615ull, expires);
  CHECK(doc.rfind("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<EOCS ", 0) == 0);
  CHECK(doc.find("sequence=\"18446744073709551615\"") != std::string::npos);
  CHECK(doc.find("expires=\"2031-05-06T07:08:09Z\"") != std::string::npos);
  CHECK(count(doc, "<Signature xmlns=\"http://www.w3.org/2000/09/xmldsig#\">") == 1);
  CHECK(doc.find("<CanonicalizationMethod "
                 "Algorithm=\"http://www.w3.org/TR/2001/REC-xml-c14n-20010315\"/>") !=
        std::string::npos);
  CHECK(doc.find("xmldsig-more#rsa-sha256") != std::string::npos);
  CHECK(doc.find("<Reference URI=\"\">") != std::string::npos);
  CHECK(doc.find("xmldsig#enveloped-signature") < doc.find("REC-xml-c14n-20010315\"/>\n</Tr"));
  CHECK(doc.find("xmlenc#sha256") != std::string::npos);
  CHECK(count(doc, "<X509Certificate>") == 2);  // signer and intermediate
  auto v = verify_now(doc);
  INFO(v.reason);
  REQUIRE(v.verified);
  CHECK(*v.document.sequence == 18446744073709551615ull);
  CHECK(*v.document.expires == expires);
}

TEST_CASE("an EC key signs with ECDSA-SHA256") {
  auto doc = sign_with(unsigned_eocs, "ec-signer");
  CHECK(doc.find("xmldsig-more#ecdsa-sha256") != std::string::npos);
  CHECK(doc.find("rsa-sha256") == std::string::npos);
  CHECK(verify_now(doc).verified);
}

TEST_CASE("existing sequence and expires are replaced, other attributes kept") {
  auto input = replace_once(unsigned_eocs, "<EOCS ", "<EOCS sequence=\"1\" ");
  auto doc = sign_with(input, "signer", 2);
  CHECK(doc.find("sequence=\"1\"") == std::string::npos);
  CHECK(doc.find("<EOCS sequence=\"2\" version=\"1.0.4\">") != std::string::npos);
  auto unchanged = sign_with(input, "signer", std::nullopt);
  CHECK(unchanged.find("sequence=\"1\"") != std::string::npos);
}

TEST_CASE("the signer refuses input that is not an unsigned EOCS") {
  auto request = rsa_request();
  CHECK_THROWS_WITH(sign_document(sign_with(unsigned_eocs), request),
                    Catch::Contains("already signed"));
  CHECK_THROWS_WITH(sign_document(replace_once(unsigned_eocs, "<EOCS",
                                               "<!DOCTYPE EOCS [<!ENTITY e \"x\">]><EOCS"),
                                  request),
                    Catch::Contains("DTD present"));
  CHECK_THROWS_WITH(sign_document("<EOCS><Config></EOCS>", request),
                    Catch::Contains("malformed XML"));
  CHECK_THROWS_WITH(sign_document("<Other/>", request), Catch::Contains("not an EOCS document"));
  CHECK_THROWS_AS(sign_document("<Other/>", request), invalid_input);
}

TEST_CASE("the signer refuses keys and certificates it cannot use") {
  auto request = rsa_request();
  request.cert_file = pki_file("ec-signer.pem");
  CHECK_THROWS_WITH(sign_document(unsigned_eocs, request),
                    Catch::Contains("does not match certificate"));
  request = rsa_request();
  request.key_file = pki_file("nope.key");
  CHECK_THROWS_WITH(sign_document(unsigned_eocs, request), Catch::Contains("nope.key"));
  request = rsa_request();
  request.key_file = pki_file("signer.pem");
  CHECK_THROWS_WITH(sign_document(unsigned_eocs, request),
                    Catch::Contains("not an unencrypted PEM private key"));
  request = rsa_request();
  request.chain_files = {pki_file("signer.key")};
  CHECK_THROWS_WITH(sign_document(unsigned_eocs, request), Catch::Contains("holds no certificate"));
}

}  // namespace em::test

namespace em::test {

TEST_CASE("the signer refuses what every verifier would reject, saying why") {
  auto request = rsa_request();
  CHECK_THROWS_WITH(
      sign_document(replace_once(unsigned_eocs, "id=\"M1\"", "id=\"bad id!\""), request),
      "refusing to sign: invalid Config 'bad id!': Config id 'bad id!' is not 1-32 characters of "
      "[A-Za-z0-9_-]");
  CHECK_THROWS_WITH(
      sign_document(replace_once(replace_once(unsigned_eocs, "id=\"M1\"", "id=\"bad id!\""),
                                 "type=\"DoNothing\" ", ""),
                    request),
      "refusing to sign: invalid Config 'PING1': Action PING1.1 has no type (and 1 more)");
  CHECK_THROWS_WITH(
      sign_document(replace_once(unsigned_eocs, "<EOCS ", "<EOCS sequence=\"x1\" "), request),
      "refusing to sign: sequence 'x1' is not an unsigned 64-bit number");
  CHECK_THROWS_WITH(
      sign_document(replace_once(unsigned_eocs, "<EOCS ", "<EOCS foo=\"1\" "), request),
      "refusing to sign: EOCS has unknown attribute 'foo'");
  CHECK_THROWS_WITH(sign_document(replace_once(unsigned_eocs, "<EOCS ",
                                               "<EOCS expires=\"2001-01-01T00:00:00Z\" "),
                                  request),
                    "refusing to sign: the document expired at 2001-01-01T00:00:00Z");
  request.expires = time_at("2002-02-02T00:00:00Z");
  CHECK_THROWS_WITH(sign_document(unsigned_eocs, request),
                    "refusing to sign: the document expired at 2002-02-02T00:00:00Z");
  request = rsa_request();
  std::string deep;
  for (int i = 0; i < 31; ++i)
    deep += "<d>";
  for (int i = 0; i < 31; ++i)
    deep += "</d>";
  CHECK_THROWS_WITH(sign_document(replace_once(unsigned_eocs, "<Value>DoNothing</Value>",
                                               "<Value>" + deep + "</Value>"),
                                  request),
                    "refusing to sign: too deep: elements nested deeper than 32 levels");
  CHECK_THROWS_AS(sign_document(replace_once(unsigned_eocs, "<EOCS ", "<EOCS foo=\"1\" "), request),
                  invalid_input);
}

TEST_CASE("the signer refuses a key below the floor and a certificate out of its validity") {
  temp_dir dir("emsigner");
  corpus_pki pki(dir.path());
  using spec = corpus_pki::cert_spec;
  pki.issue(spec{"weak", "/O=EM Test/CN=Weak", "", "signer_ext", "rsa:1024"});
  pki.issue(spec{"p521", "/CN=P521", "", "signer_ext", "ec:P-521"});
  pki.issue(spec{"old", "/CN=Old", "", "signer_ext", "rsa:2048", "190101000000Z", "200101000000Z"});
  pki.issue(spec{"future", "/CN=Future", "", "signer_ext", "rsa:2048", "20900101000000Z",
                 "20910101000000Z"});
  auto request = [&](const std::string& name) {
    return signing_request{pki.key(name), pki.pem(name), {}, 1, std::nullopt};
  };
  CHECK_THROWS_WITH(sign_document(unsigned_eocs, request("weak")),
                    "refusing to sign: weak key: CN=Weak,O=EM Test has a 1024-bit RSA key (RSA "
                    "2048 bits or more, or ECDSA P-256/P-384 required)");
  CHECK_THROWS_WITH(sign_document(unsigned_eocs, request("p521")),
                    "refusing to sign: key not allowed: CN=P521 has an EC key on secp521r1 (RSA "
                    "2048 bits or more, or ECDSA P-256/P-384 required)");
  CHECK_THROWS_WITH(sign_document(unsigned_eocs, request("old")),
                    "refusing to sign: certificate CN=Old has expired (notAfter "
                    "2020-01-01T00:00:00Z)");
  CHECK_THROWS_WITH(sign_document(unsigned_eocs, request("future")),
                    "refusing to sign: certificate CN=Future is not yet valid (notBefore "
                    "2090-01-01T00:00:00Z)");
}

}  // namespace em::test
