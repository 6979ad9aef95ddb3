// document_verifier on documents signed at test time with em::sign_document
// and the throw-away test PKI: what verifies, and the exact reason for each
// rejection (SPEC 2-3).
#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <regex>
#include <thread>
#include <vector>

#include <openssl/evp.h>

#include "core/trust/document_verifier.hpp"
#include "core/util/error.hpp"
#include "tests/core/trust/trust_fixtures.hpp"

namespace em::test {
namespace {

using namespace std::chrono_literals;

const std::string& rsa_signed() {
  static const std::string doc = sign_with(unsigned_eocs, "signer", 42);
  return doc;
}

std::string signature_of(const std::string& doc) {
  auto begin = doc.find("<Signature");
  auto end = doc.find("</Signature>");
  REQUIRE(begin != std::string::npos);
  REQUIRE(end != std::string::npos);
  return doc.substr(begin, end + 12 - begin);
}

}  // namespace

TEST_CASE("an RSA-signed document verifies and its mitigations are parsed") {
  auto v = verify_now(rsa_signed());
  INFO(v.reason);
  REQUIRE(v.verified);
  CHECK(v.reason.empty());
  CHECK(v.signer_subject == "CN=EM Test Publisher,O=EM Test");
  CHECK(v.signer_issuer == "CN=EM Test Code Signing CA,O=EM Test");
  CHECK(std::regex_match(v.digest, std::regex("[0-9a-f]{64}")));
  const auto& doc = v.document;
  CHECK(doc.version == "1.0.4");
  REQUIRE(doc.sequence);
  CHECK(*doc.sequence == 42);
  CHECK(doc.rejected.empty());
  REQUIRE(doc.mitigations.size() == 2);
  CHECK(doc.mitigations[0].id == "PING1");
  REQUIRE(doc.mitigations[0].actions.size() == 1);
  CHECK(doc.mitigations[0].actions[0].id == "PING1.1");
  CHECK(doc.mitigations[0].actions[0].type == "DoNothing");
  CHECK(doc.mitigations[0].actions[0].value_xml == "DoNothing");
  const auto& m1 = doc.mitigations[1];
  CHECK(m1.id == "M1");
  CHECK(m1.ranges.size() == 2);
  REQUIRE(m1.actions.size() == 1);
  CHECK(m1.actions[0].id == "M1.1");
  CHECK(m1.actions[0].type == "UrlRewrite");
  CHECK(m1.actions[0].target == "Default Web Site");
  CHECK(m1.actions[0].value_xml.find("<rule name=\"EEMS M1.1 PowerShell - inbound\"") == 0);
  CHECK(m1.actions[0].value_xml.find("AbortRequest") != std::string::npos);
}

TEST_CASE("an ECDSA-signed document verifies, the digest covers the content, not the signature") {
  auto ec = verify_now(sign_with(unsigned_eocs, "ec-signer", 42));
  INFO(ec.reason);
  REQUIRE(ec.verified);
  CHECK(ec.signer_subject == "CN=EM Test EC Publisher,O=EM Test");
  CHECK(ec.document.mitigations.size() == 2);
  // Same content, other key and signature: the canonical signed bytes are the same.
  CHECK(ec.digest == verify_now(rsa_signed()).digest);
  CHECK(ec.digest != verify_now(sign_with(unsigned_eocs, "signer", 43)).digest);
}

TEST_CASE("a changed byte in a signed attribute is a bad digest") {
  auto doc = replace_once(rsa_signed(), "EEMS Heartbeat probe.", "EEMS Heartbeat probe!");
  CHECK(verify_now(doc).reason == "bad digest");
  auto config_added = replace_once(rsa_signed(), "<Signature",
                                   "<Config id=\"X\" desc=\"x\"><ActionList><Action "
                                   "type=\"DoNothing\"/></ActionList></Config><Signature");
  CHECK(verify_now(config_added).reason == "bad digest");
}

TEST_CASE("a changed SignatureValue is a bad signature") {
  const auto& doc = rsa_signed();
  auto pos = doc.find("<SignatureValue>") + 16;
  std::string tampered = doc;
  tampered[pos] = tampered[pos] == 'A' ? 'B' : 'A';
  CHECK(verify_now(tampered).reason == "bad signature");
}

TEST_CASE("a signer from a root nobody trusts is an untrusted chain") {
  signing_request request{pki_file("rogue-signer.key"),
                          pki_file("rogue-signer.pem"),
                          {pki_file("rogue-root.pem")},
                          1,
                          std::nullopt};
  auto v = verify_now(sign_document(unsigned_eocs, request));
  CHECK(v.reason ==
        "untrusted chain: CN=EM Rogue Publisher,O=EM Rogue does not chain to a trust anchor");
  CHECK_FALSE(v.verified);
  CHECK(v.document.mitigations.empty());
}

TEST_CASE("certificates are checked as of the given time") {
  document_verifier verifier(test_trust());
  auto later = verifier.verify(rsa_signed(), std::chrono::system_clock::now() + 24h * 365 * 20);
  CHECK(std::regex_match(later.reason,
                         std::regex(R"(expired certificate: CN=EM Test [^,]+,O=EM Test )"
                                    R"(\(notAfter \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\))")));
  auto earlier = verifier.verify(rsa_signed(), time_at("2001-01-01T00:00:00Z"));
  CHECK(std::regex_match(earlier.reason,
                         std::regex(R"(certificate not yet valid: CN=EM Test [^,]+,O=EM Test )"
                                    R"(\(notBefore \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\))")));
  CHECK(verifier.verify(rsa_signed(), std::chrono::system_clock::now() + 24h).verified);
}

TEST_CASE("the issuer pin is compared as a distinguished name") {
  auto settings = test_trust();
  for (const char* same :
       {"CN=EM Test Code Signing CA,O=EM Test", "cn=em test code signing ca, o=EM  Test",
        "/O=EM Test/CN=EM Test Code Signing CA"}) {
    settings.issuer = same;
    auto v = verify_now(rsa_signed(), settings);
    INFO(same << ": " << v.reason);
    CHECK(v.verified);
  }
  settings.issuer = "CN=EM Test Root CA,O=EM Test";
  CHECK(verify_now(rsa_signed(), settings).reason ==
        "issuer mismatch: signer issued by CN=EM Test Code Signing CA,O=EM Test, expected "
        "CN=EM Test Root CA,O=EM Test");
  settings.issuer = "O=EM Test,CN=EM Test Code Signing CA";  // RDNs in the wrong order
  CHECK(verify_now(rsa_signed(), settings).reason.rfind("issuer mismatch: ", 0) == 0);
  settings.issuer = "EM Test Code Signing CA";
  CHECK_THROWS_AS(document_verifier(settings), invalid_input);
}

TEST_CASE("the signer must carry one of the required extendedKeyUsage OIDs") {
  auto settings = test_trust();
  settings.eku = {"1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2"};
  CHECK(verify_now(rsa_signed(), settings).reason ==
        "missing EKU: signer has 1.3.6.1.5.5.7.3.3, expected one of 1.3.6.1.5.5.7.3.1 "
        "1.3.6.1.5.5.7.3.2");
  settings.eku = {"1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.3"};
  CHECK(verify_now(rsa_signed(), settings).verified);
  settings.eku = {"codeSigning"};
  CHECK_THROWS_AS(document_verifier(settings), invalid_input);
}

TEST_CASE("a DTD is refused before anything else") {
  CHECK(
      verify_now(replace_once(rsa_signed(), "<EOCS", "<!DOCTYPE EOCS [<!ENTITY x \"y\">]>\n<EOCS"))
          .reason == "DTD present");
  CHECK(verify_now(replace_once(rsa_signed(), "<EOCS",
                                "<!DOCTYPE EOCS SYSTEM \"http://127.0.0.1:1/x.dtd\">\n<EOCS"))
            .reason == "DTD present");
}

TEST_CASE("malformed XML, a foreign root and deep nesting are refused by name") {
  auto v = verify_now(replace_once(rsa_signed(), "</ActionList>", "</ActionLis>"));
  CHECK(v.reason.rfind("malformed XML: Opening and ending tag mismatch", 0) == 0);
  CHECK(verify_now("<Other/>").reason == "root element is <Other>, not EOCS");
  CHECK(verify_now(unsigned_eocs).reason == "unsigned: no Signature element");
  std::string deep;
  for (int i = 0; i < 40; ++i)
    deep += "<d>";
  for (int i = 0; i < 40; ++i)
    deep += "</d>";
  CHECK(verify_now(
            replace_once(rsa_signed(), "<Value>DoNothing</Value>", "<Value>" + deep + "</Value>"))
            .reason == "too deep: elements nested deeper than 32 levels");
}

TEST_CASE("a document over the size limit is refused unread") {
  auto settings = test_trust();
  settings.max_size = 100;
  CHECK(verify_now(rsa_signed(), settings).reason ==
        "too large: " + std::to_string(rsa_signed().size()) + " bytes, limit 100");
}

TEST_CASE("exactly one Signature, as a direct child of EOCS") {
  const auto& doc = rsa_signed();
  auto sig = signature_of(doc);
  CHECK(verify_now(replace_once(doc, "</EOCS>", sig + "</EOCS>")).reason ==
        "2 Signature elements (exactly one expected)");
  auto moved = replace_once(replace_once(doc, sig, ""), "</Rollback>", "</Rollback>" + sig);
  CHECK(verify_now(moved).reason == "Signature is not a direct child of EOCS");
}

TEST_CASE("only one Reference, URI=\"\", with the SPEC's transforms and algorithms") {
  const auto& doc = rsa_signed();
  CHECK(verify_now(replace_once(doc, "URI=\"\"", "URI=\"#x\"")).reason ==
        "Reference URI \"#x\" not allowed (only URI=\"\")");
  CHECK(verify_now(replace_once(doc, " URI=\"\"", "")).reason ==
        "Reference without URI (only URI=\"\" is accepted)");
  auto begin = doc.find("<Reference");
  auto end = doc.find("</Reference>") + 12;
  auto reference = doc.substr(begin, end - begin);
  CHECK(verify_now(replace_once(doc, reference, reference + reference)).reason ==
        "2 References (exactly one expected)");
  CHECK(verify_now(replace_once(doc,
                                "<Transform Algorithm=\"http://www.w3.org/TR/2001/"
                                "REC-xml-c14n-20010315\"/>",
                                ""))
            .reason ==
        "transforms not allowed: [http://www.w3.org/2000/09/xmldsig#enveloped-signature] "
        "(enveloped-signature then C14N 1.0 required)");
  CHECK(verify_now(replace_once(doc, "xmldsig-more#rsa-sha256", "xmldsig-more#rsa-md5")).reason ==
        "signature method not allowed: http://www.w3.org/2001/04/xmldsig-more#rsa-md5 "
        "(RSA-SHA256/384/512 or ECDSA-SHA256/384 required)");
  CHECK(verify_now(replace_once(doc, "http://www.w3.org/2001/04/xmlenc#sha256",
                                "http://www.w3.org/2000/09/xmldsig#sha1"))
            .reason ==
        "digest method not allowed: http://www.w3.org/2000/09/xmldsig#sha1 (SHA-256 or "
        "stronger required)");
}

TEST_CASE("the key comes only from a certificate in X509Data") {
  const auto& doc = rsa_signed();
  auto begin = doc.find("<X509Data>");
  auto end = doc.find("</X509Data>") + 11;
  CHECK(verify_now(doc.substr(0, begin) + doc.substr(end)).reason ==
        "no trusted key: KeyInfo has no X509Data (a bare KeyValue is never trusted)");
  // An extra, unrelated certificate makes the signer ambiguous.
  auto extra = replace_once(
      doc, "</X509Data>",
      "<X509Certificate>" + pem_body(pki_file("rogue-root.pem")) + "</X509Certificate></X509Data>");
  CHECK(verify_now(extra).reason ==
        "ambiguous X509Data: 2 candidate signer certificates (CN=EM Test Publisher,O=EM Test; "
        "CN=EM Rogue Root CA,O=EM Rogue)");
  auto garbage = replace_once(doc, "<X509Certificate>", "<X509Certificate>AAAA");
  CHECK(verify_now(garbage).reason == "malformed X509Certificate: not a DER certificate");
}

TEST_CASE("a signature method that does not fit the signer's key is refused") {
  auto doc = replace_once(rsa_signed(), "xmldsig-more#rsa-sha256", "xmldsig-more#ecdsa-sha256");
  CHECK(verify_now(doc).reason ==
        "no usable key: the key of CN=EM Test Publisher,O=EM Test does not fit "
        "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256");
  auto pos = rsa_signed().find("<SignatureValue>") + 16;
  auto not_base64 = rsa_signed().substr(0, pos) + "!" + rsa_signed().substr(pos + 1);
  CHECK(verify_now(not_base64).reason.rfind("signature processing failed: ", 0) == 0);
}

TEST_CASE("a pinned intermediate is a trust anchor, and needs no CRL of its own") {
  trust_settings settings;
  settings.anchors = {pki_file("ca.pem")};
  settings.crl_files = {pki_file("ca.crl")};
  auto v = verify_now(rsa_signed(), settings);
  INFO(v.reason);
  CHECK(v.verified);
}

TEST_CASE("a document past its expires is refused, before it, it verifies") {
  auto expires = std::chrono::system_clock::now() + 1h;
  auto doc = sign_with(unsigned_eocs, "signer", 7, expires);
  document_verifier verifier(test_trust());
  CHECK(verifier.verify(doc, std::chrono::system_clock::now()).verified);
  CHECK(verifier.verify(doc, expires + 2h).reason ==
        "expired document (expires " + format_rfc3339(expires) + ")");
}

TEST_CASE("signature wrapping: only the signed bytes are applied") {
  const std::string evil =
      "<Object><EOCS sequence=\"99\"><Config id=\"EVIL\" desc=\"injected\"><ActionList>"
      "<Action type=\"DisableService\" scope=\"Server\"><Value><Service name=\"x\"/></Value>"
      "</Action></ActionList></Config></EOCS><Config id=\"EVIL2\" desc=\"injected\"/></Object>";
  auto wrapped = replace_once(rsa_signed(), "</KeyInfo>", "</KeyInfo>" + evil);
  auto v = verify_now(wrapped);
  INFO(v.reason);
  REQUIRE(v.verified);
  CHECK(*v.document.sequence == 42);
  REQUIRE(v.document.mitigations.size() == 2);
  for (const auto& m : v.document.mitigations)
    CHECK(m.id.find("EVIL") == std::string::npos);
  CHECK(v.document.rejected.empty());
  CHECK(v.digest == verify_now(rsa_signed()).digest);
}

TEST_CASE("the model and the digest come from the canonical bytes that were digested") {
  // C14N turns CDATA into escaped text: a parse of the raw file would keep the CDATA.
  auto doc = sign_with(replace_once(unsigned_eocs, "<Value>DoNothing</Value>",
                                    "<Value><![CDATA[Do<Nothing>]]></Value>"));
  auto v = verify_now(doc);
  INFO(v.reason);
  REQUIRE(v.verified);
  CHECK(v.document.mitigations[0].actions[0].value_xml == "Do&lt;Nothing&gt;");

  // DigestValue is base64(SHA-256(canonical bytes)); `digest` is the same hash in hex.
  auto begin = doc.find("<DigestValue>") + 13;
  auto b64 = doc.substr(begin, doc.find("</DigestValue>") - begin);
  unsigned char raw[64];
  REQUIRE(EVP_DecodeBlock(raw, reinterpret_cast<const unsigned char*>(b64.data()),
                          static_cast<int>(b64.size())) == 33);  // 32 bytes + 1 for the '='
  std::string hex;
  const char* digits = "0123456789abcdef";
  for (int i = 0; i < 32; ++i)
    hex += std::string{digits[raw[i] >> 4], digits[raw[i] & 15]};
  CHECK(v.digest == hex);
}

TEST_CASE("anchors that cannot be used stop the verifier at construction") {
  trust_settings settings;
  settings.anchors = {pki_file("missing.pem")};
  CHECK_THROWS_WITH(document_verifier(settings),
                    Catch::Contains("missing.pem") && Catch::Contains("cannot be read"));
  settings.anchors = {pki_file("root.key")};
  CHECK_THROWS_WITH(document_verifier(settings),
                    Catch::Contains("root.key") && Catch::Contains("is not a certificate"));
  settings.anchors.clear();
  CHECK_THROWS_AS(document_verifier(settings), invalid_input);
}

TEST_CASE("trust settings come from the [trust] and [feed] sections") {
  service_config config;
  config.trust.anchors = {"/etc/emservice/trust/root.pem"};
  config.trust.issuer = "CN=EM Test Code Signing CA,O=EM Test";
  config.trust.eku = {"1.3.6.1.5.5.7.3.3"};
  config.feed.max_size = 4096;
  CHECK(trust_settings::from_config(config).revocation == revocation_mode::require);
  CHECK(trust_settings{}.revocation == revocation_mode::require);  // SPEC 3's default
  config.trust.crl_files = {"/etc/emservice/trust/ca.crl"};
  config.trust.revocation = revocation_mode::best_effort;
  auto s = trust_settings::from_config(config);
  CHECK(s.anchors == config.trust.anchors);
  CHECK(s.issuer == config.trust.issuer);
  CHECK(s.eku == config.trust.eku);
  CHECK(s.crl_files == config.trust.crl_files);
  CHECK(s.revocation == revocation_mode::best_effort);
  CHECK(s.max_size == 4096);
}

TEST_CASE("verifiers on several threads at once give the same answers") {
  const std::string good = rsa_signed();
  const std::string bad = replace_once(good, "Ping mitigation", "Pong mitigation");
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      document_verifier verifier(test_trust());
      for (int i = 0; i < 10; ++i) {
        auto now = std::chrono::system_clock::now();
        if (!verifier.verify(good, now).verified) ++wrong;
        if (verifier.verify(bad, now).reason != "bad digest") ++wrong;
      }
    });
  }
  for (auto& t : threads)
    t.join();
  CHECK(wrong == 0);
}

}  // namespace em::test
