// Cross-checks with tools nobody on this project wrote: documents signed by the
// xmlsec1 command-line tool verify (or are refused) in document_verifier, what
// em::sign_document writes verifies in `xmlsec1 --verify`, and signers with
// unusual certificates are made by the openssl command-line tool.
#include <catch2/catch.hpp>

#include <chrono>
#include <string>
#include <vector>

#include "core/trust/document_verifier.hpp"
#include "tests/core/trust/trust_fixtures.hpp"
#include "tests/support/run_command.hpp"
#include "tests/support/temp_dir.hpp"

namespace em::test {
namespace {

using namespace std::chrono_literals;

struct template_options {
  const char* signature_method = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256";
  const char* digest_method = "http://www.w3.org/2001/04/xmlenc#sha256";
  const char* key_info = "<X509Data/>";
};

// unsigned_eocs with an xmlsec1 signature template before </EOCS>.
std::string signature_template(const template_options& o) {
  std::string sig =
      std::string("<Signature xmlns=\"http://www.w3.org/2000/09/xmldsig#\"><SignedInfo>") +
      "<CanonicalizationMethod Algorithm=\"http://www.w3.org/TR/2001/REC-xml-c14n-20010315\"/>" +
      "<SignatureMethod Algorithm=\"" + o.signature_method + "\"/><Reference URI=\"\">" +
      "<Transforms><Transform Algorithm=\"http://www.w3.org/2000/09/xmldsig#enveloped-signature\"/>"
      "<Transform Algorithm=\"http://www.w3.org/TR/2001/REC-xml-c14n-20010315\"/></Transforms>" +
      "<DigestMethod Algorithm=\"" + o.digest_method + "\"/><DigestValue/></Reference>" +
      "</SignedInfo><SignatureValue/><KeyInfo>" + o.key_info + "</KeyInfo></Signature>\n";
  return replace_once(unsigned_eocs, "</EOCS>", sig + "</EOCS>");
}

std::string xmlsec1_sign(const temp_dir& dir, const template_options& o,
                         const std::string& signer = "signer") {
  write_text(dir / "template.xml", signature_template(o));
  auto keys = (pki_file(signer + ".key").string() + "," + pki_file(signer + ".pem").string() + "," +
               pki_file("ca.pem").string());
  auto r = run_command({"xmlsec1", "--sign", "--privkey-pem", keys, "--output",
                        (dir / "signed.xml").string(), (dir / "template.xml").string()});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  return read_text(dir / "signed.xml");
}

void openssl(const std::vector<std::string>& args) {
  std::vector<std::string> argv{"openssl"};
  argv.insert(argv.end(), args.begin(), args.end());
  auto r = run_command(argv);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
}

// A signer issued by the test PKI's `issuer` (its intermediate by default) with the given
// extensions.
void make_signer(const temp_dir& dir, const std::string& name, const std::string& extensions,
                 const std::string& days = "30", const std::string& issuer = "ca") {
  write_text(dir / (name + ".cnf"), "[ext]\nbasicConstraints = critical, CA:FALSE\n" + extensions);
  openssl({"genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out",
           (dir / (name + ".key")).string()});
  openssl({"req", "-new", "-key", (dir / (name + ".key")).string(), "-subj",
           "/O=EM Test/CN=" + name, "-out", (dir / (name + ".csr")).string()});
  openssl({"x509", "-req", "-in", (dir / (name + ".csr")).string(), "-CA",
           pki_file(issuer + ".pem").string(), "-CAkey", pki_file(issuer + ".key").string(),
           "-set_serial", "4242", "-days", days, "-sha256", "-extfile",
           (dir / (name + ".cnf")).string(), "-extensions", "ext", "-out",
           (dir / (name + ".pem")).string()});
}

std::string sign_as(const temp_dir& dir, const std::string& name) {
  signing_request request{
      dir / (name + ".key"), dir / (name + ".pem"), {pki_file("chain.pem")}, 1, std::nullopt};
  return sign_document(unsigned_eocs, request);
}

}  // namespace

TEST_CASE("documents signed by the xmlsec1 tool verify and parse") {
  temp_dir dir("emtrust");
  for (const char* method : {"http://www.w3.org/2001/04/xmldsig-more#rsa-sha256",
                             "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256"}) {
    template_options o;
    o.signature_method = method;
    bool ec = std::string(method).find("ecdsa") != std::string::npos;
    auto v = verify_now(xmlsec1_sign(dir, o, ec ? "ec-signer" : "signer"));
    INFO(method << ": " << v.reason);
    REQUIRE(v.verified);
    REQUIRE(v.document.mitigations.size() == 2);
    CHECK(v.document.mitigations[0].actions[0].id == "PING1.1");
    CHECK(v.document.mitigations[1].actions[0].type == "UrlRewrite");
    CHECK(v.document.mitigations[1].actions[0].value_xml.find("<rule ") == 0);
    CHECK_FALSE(v.document.sequence);
  }
}

TEST_CASE("a SHA-1 digest made by the xmlsec1 tool is refused") {
  temp_dir dir("emtrust");
  template_options o;
  o.digest_method = "http://www.w3.org/2000/09/xmldsig#sha1";
  CHECK(verify_now(xmlsec1_sign(dir, o)).reason ==
        "digest method not allowed: http://www.w3.org/2000/09/xmldsig#sha1 (SHA-256 or "
        "stronger required)");
}

TEST_CASE("a KeyValue is never trusted, with or without the certificate beside it") {
  temp_dir dir("emtrust");
  template_options o;
  o.key_info = "<KeyValue/><X509Data/>";
  auto doc = xmlsec1_sign(dir, o);
  REQUIRE(doc.find("<RSAKeyValue>") != std::string::npos);
  CHECK(verify_now(doc).verified);  // through the certificate, as the conformance document
  auto begin = doc.find("<X509Data>");
  auto end = doc.find("</X509Data>") + 11;
  auto key_value_only = doc.substr(0, begin) + doc.substr(end);
  CHECK(verify_now(key_value_only).reason ==
        "no trusted key: KeyInfo has no X509Data (a bare KeyValue is never trusted)");
}

TEST_CASE("what sign_document writes verifies with xmlsec1 --verify") {
  temp_dir dir("emtrust");
  for (const char* signer : {"signer", "ec-signer"}) {
    write_text(dir / "signed.xml", sign_with(unsigned_eocs, signer, 5));
    auto r = run_command({"xmlsec1", "--verify", "--enabled-key-data", "x509", "--trusted-pem",
                          pki_file("root.pem").string(), "--untrusted-pem",
                          pki_file("ca.pem").string(), (dir / "signed.xml").string()});
    INFO(signer << ": " << r.err);
    CHECK(r.exit_code == 0);
    write_text(dir / "tampered.xml",
               replace_once(read_text(dir / "signed.xml"), "Ping mitigation", "Pong mitigation"));
    auto bad = run_command({"xmlsec1", "--verify", "--trusted-pem", pki_file("root.pem").string(),
                            (dir / "tampered.xml").string()});
    CHECK(bad.exit_code != 0);
  }
}

TEST_CASE("a signer without the required extendedKeyUsage is refused") {
  temp_dir dir("emtrust");
  make_signer(dir, "Server Auth Only",
              "keyUsage = critical, digitalSignature\nextendedKeyUsage = serverAuth\n");
  make_signer(dir, "No EKU", "keyUsage = critical, digitalSignature\n");
  CHECK(verify_now(sign_as(dir, "Server Auth Only")).reason ==
        "missing EKU: signer has 1.3.6.1.5.5.7.3.1, expected one of 1.3.6.1.5.5.7.3.3");
  CHECK(verify_now(sign_as(dir, "No EKU")).reason ==
        "missing EKU: signer has no extendedKeyUsage, expected one of 1.3.6.1.5.5.7.3.3");
  auto no_eku_required = test_trust();
  no_eku_required.eku.clear();
  CHECK(verify_now(sign_as(dir, "No EKU"), no_eku_required).verified);
}

TEST_CASE("a signer whose keyUsage excludes digitalSignature is refused") {
  temp_dir dir("emtrust");
  make_signer(dir, "Encipher Only",
              "keyUsage = critical, keyEncipherment\nextendedKeyUsage = codeSigning\n");
  CHECK(verify_now(sign_as(dir, "Encipher Only")).reason ==
        "key usage without digitalSignature: CN=Encipher Only,O=EM Test");
}

TEST_CASE("an expired signer is named with its notAfter") {
  temp_dir dir("emtrust");
  make_signer(dir, "Short Lived",
              "keyUsage = critical, digitalSignature\nextendedKeyUsage = codeSigning\n", "1");
  auto r = run_command({"openssl", "x509", "-in", (dir / "Short Lived.pem").string(), "-noout",
                        "-enddate", "-dateopt", "iso_8601"});
  REQUIRE(r.exit_code == 0);
  // "notAfter=2026-11-28 20:02:37Z" -> "2026-11-28T20:02:37Z"
  std::string not_after = r.out.substr(r.out.find('=') + 1, 20);
  not_after[10] = 'T';
  auto doc = sign_as(dir, "Short Lived");
  document_verifier verifier(test_trust());
  CHECK(verifier.verify(doc, std::chrono::system_clock::now()).verified);
  CHECK(verifier.verify(doc, std::chrono::system_clock::now() + 72h).reason ==
        "expired certificate: CN=Short Lived,O=EM Test (notAfter " + not_after + ")");
}

TEST_CASE("a certificate that is no CA cannot issue the signer") {
  temp_dir dir("emtrust");
  make_signer(dir, "Under A Leaf",
              "keyUsage = critical, digitalSignature\nextendedKeyUsage = codeSigning\n", "30",
              "signer");
  signing_request request{dir / "Under A Leaf.key",
                          dir / "Under A Leaf.pem",
                          {pki_file("signer.pem"), pki_file("ca.pem")},
                          1,
                          std::nullopt};
  CHECK(verify_now(sign_document(unsigned_eocs, request)).reason ==
        "untrusted chain: CN=EM Test Publisher,O=EM Test: invalid CA certificate");
}

TEST_CASE("a DER trust anchor works like a PEM one") {
  temp_dir dir("emtrust");
  openssl({"x509", "-in", pki_file("root.pem").string(), "-outform", "DER", "-out",
           (dir / "root.der").string()});
  auto settings = test_trust();
  settings.anchors = {dir / "root.der"};
  auto v = verify_now(sign_with(unsigned_eocs), settings);
  INFO(v.reason);
  CHECK(v.verified);
}

}  // namespace em::test
