// em::sign_document: what it writes and what it refuses.
#include <catch2/catch.hpp>

#include <chrono>

#include "core/trust/document_signer.hpp"
#include "core/util/error.hpp"
#include "tests/core/trust/trust_fixtures.hpp"

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
