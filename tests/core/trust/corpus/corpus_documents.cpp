// The corpus's good documents and those whose structure or content is wrong:
// each signed by the xmlsec1 tool, or a signed one changed afterwards as an
// attacker would, with its exact verdict.
#include <string>

#include "tests/core/trust/corpus/corpus_templates.hpp"
#include "tests/core/trust/corpus/corpus_writer.hpp"

namespace em::test {

using namespace corpus;

namespace {

const char* const bad_config =
    "  <Config id=\"bad id\" desc=\"x\"><ActionList><Action type=\"DoNothing\"/></ActionList>"
    "</Config>\n";

// Signature wrapping: a second EOCS and a Config inside a ds:Object, in the
// signature's namespace. (Putting them in no namespace needs xmlns="", which
// the namespace rule refuses: bad-wrapping-undeclared-namespace.)
const char* const wrapping_object =
    "<Object><EOCS sequence=\"99\"><Config id=\"EVIL\" desc=\"injected\"><ActionList>"
    "<Action type=\"DisableService\" scope=\"Server\"><Value><Service name=\"x\"/></Value>"
    "</Action></ActionList></Config></EOCS><Config id=\"EVIL2\" desc=\"injected\">"
    "<ActionList><Action type=\"DoNothing\"/></ActionList></Config></Object>";

std::string with_template(const signature_template& t, const std::string& attributes = "") {
  return eocs(default_body, attributes, t.xml());
}

std::string between(const std::string& text, const std::string& from, const std::string& to) {
  auto begin = text.find(from);
  auto end = text.find(to, begin);
  return text.substr(begin, end + to.size() - begin);
}

}  // namespace

void add_good_documents(corpus_writer& w) {
  auto& pki = w.pki();
  w.signed_doc("good-rsa", "", eocs());
  signature_template ec;
  ec.method = ecdsa_sha256;
  w.signed_doc("good-ec-p256", "", with_template(ec), "ec-publisher");
  signature_template ec384;
  ec384.method = ecdsa_sha384;
  w.signed_doc("good-ec-p384", "", with_template(ec384), "ec384-publisher");
  signature_template strong;
  strong.method = rsa_sha512;
  strong.digest = sha512;
  w.signed_doc("good-rsa-sha512", "", with_template(strong));
  signature_template key_value;  // as Microsoft's: the certificate counts, the KeyValue never
  key_value.key_info = "<KeyInfo><KeyValue/><X509Data/></KeyInfo>";
  w.signed_doc("good-keyvalue-beside-certificate", "", with_template(key_value));
  w.signed_doc("good-expires-later", "", eocs(default_body, "expires=\"2030-07-01T00:00:00Z\""));
  w.signed_doc("good-one-invalid-config", "", eocs(std::string(default_body) + bad_config))
      .rejected_ids = {"bad id"};

  const std::string good = w.text_of("good-rsa");
  auto& pinned = w.raw_doc("good-pinned-intermediate", "", good);
  pinned.trust.anchors = {pki.pem("ca")};
  pinned.trust.crls = {pki.file("ca.crl")};
  w.raw_doc("good-issuer-pin", "", good).trust.issuer = "CN=EM Corpus CA,O=EM Corpus";
  auto& no_crl = w.raw_doc("good-best-effort-without-crl", "", good);
  no_crl.trust.revocation = "best-effort";
  no_crl.trust.crls.clear();
  auto& stale = w.raw_doc("good-best-effort-expired-crl", "", good);
  stale.trust.revocation = "best-effort";
  stale.trust.crls = {pki.file("root.crl"), pki.file("ca-expired.crl")};
  auto& off = w.raw_doc("good-revocation-off", "", good);
  off.trust.revocation = "off";
  off.trust.crls.clear();
  // Wrapping never changes what is applied: the Object is not in the digested bytes.
  w.raw_doc("good-wrapped-in-object", "",
            replaced(good, "</KeyInfo>", "</KeyInfo>" + std::string(wrapping_object)));
}

void add_structure_documents(corpus_writer& w) {
  const std::string good = w.text_of("good-rsa");
  w.raw_doc("bad-digest", "bad digest",
            replaced(good, "EEMS Heartbeat probe.", "EEMS Heartbeat probe!"));
  auto pos = good.find("<SignatureValue>") + 16;
  std::string tampered = good;
  tampered[pos] = tampered[pos] == 'A' ? 'B' : 'A';
  w.raw_doc("bad-signature", "bad signature", tampered);
  // The signed content moved into an Object, new content in its place.
  const std::string content = between(good, "<Config id=\"PING1\"", "</Config>");
  const std::string evil =
      "<Config id=\"EVIL\" desc=\"injected\"><ActionList><Action type=\"DoNothing\"/>"
      "</ActionList></Config>";
  w.raw_doc("bad-moved-subtree", "bad digest",
            replaced(replaced(good, content, evil), "</KeyInfo>",
                     "</KeyInfo><Object>" + content + "</Object>"));

  w.raw_doc("bad-dtd-entity", "DTD present",
            replaced(good, "<EOCS", "<!DOCTYPE EOCS [<!ENTITY x \"y\">]>\n<EOCS"));
  w.raw_doc("bad-dtd-external", "DTD present",
            replaced(good, "<EOCS", "<!DOCTYPE EOCS SYSTEM \"http://127.0.0.1:1/x.dtd\">\n<EOCS"));
  w.raw_doc("bad-dtd-billion-laughs", "DTD present",
            replaced(replaced(good, "<EOCS",
                              "<!DOCTYPE EOCS [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b "
                              "\"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\"><!ENTITY c "
                              "\"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">]>\n<EOCS"),
                     "Ping mitigation action.", "&c;"));
  w.raw_doc(
      "bad-malformed",
      "malformed XML: Opening and ending tag mismatch: ActionList line 4 and ActionLis (line 8)",
      replaced(good, "</ActionList>", "</ActionLis>"));
  w.signed_doc("bad-foreign-root", "root element is <Other>, not EOCS",
               "<Other>" + signature_template().xml() + "</Other>");
  auto& large = w.raw_doc("bad-too-large", "", good);
  large.trust.max_size = 1000;
  large.reason = "too large: " + std::to_string(good.size()) + " bytes, limit 1000";
  std::string deep;
  for (int i = 0; i < 40; ++i)
    deep += "<d>";
  for (int i = 0; i < 40; ++i)
    deep += "</d>";
  w.signed_doc("bad-too-deep", "too deep: elements nested deeper than 32 levels",
               replaced(eocs(), "<Value>DoNothing</Value>", "<Value>" + deep + "</Value>"));
  w.raw_doc("bad-unsigned", "unsigned: no Signature element", eocs(default_body, "", ""));
  const std::string signature = between(good, "<Signature", "</Signature>");
  w.raw_doc("bad-two-signatures", "2 Signature elements (exactly one expected)",
            replaced(good, "</EOCS>", signature + "</EOCS>"));
  w.signed_doc("bad-nested-signature", "Signature is not a direct child of EOCS",
               eocs(default_body, "", signature_template().xml(), false));

  w.raw_doc("bad-reference-uri", "Reference URI \"#x\" not allowed (only URI=\"\")",
            replaced(good, "URI=\"\"", "URI=\"#x\""));
  w.raw_doc("bad-reference-without-uri", "Reference without URI (only URI=\"\" is accepted)",
            replaced(good, " URI=\"\"", ""));
  signature_template two;
  two.references = 2;
  w.signed_doc("bad-two-references", "2 References (exactly one expected)", with_template(two));
  const std::string rule = " (enveloped-signature then C14N 1.0 required)";
  struct transform_case {
    const char* name;
    std::vector<std::string> algorithms;
  };
  for (const auto& c : {transform_case{"bad-transform-no-c14n", {enveloped}},
                        transform_case{"bad-transform-exc-c14n", {enveloped, exc_c14n}},
                        transform_case{"bad-transform-c14n-comments", {enveloped, c14n_comments}},
                        transform_case{"bad-transform-xpath", {enveloped, xpath, c14n}}}) {
    signature_template t;
    t.transforms.clear();
    std::string listed;
    for (const auto& a : c.algorithms) {
      t.transforms.push_back(signature_template::transform(a));
      listed += (listed.empty() ? "" : ", ") + a;
    }
    w.signed_doc(c.name, "transforms not allowed: [" + listed + "]" + rule, with_template(t));
  }
  // xmlsec1 cannot sign this order (enveloped needs the document): an edit.
  const std::string in_order =
      signature_template::transform(enveloped) + signature_template::transform(c14n);
  w.raw_doc(
      "bad-transform-order",
      std::string("transforms not allowed: [") + c14n + ", " + enveloped + "]" + rule,
      replaced(good, in_order,
               signature_template::transform(c14n) + signature_template::transform(enveloped)));
  signature_template exc;
  exc.c14n_method = exc_c14n;
  w.signed_doc(
      "bad-c14n-method",
      std::string("canonicalization method not allowed: ") + exc_c14n + " (C14N 1.0 required)",
      with_template(exc));
  signature_template weak_digest;
  weak_digest.digest = sha1;
  w.signed_doc(
      "bad-digest-sha1",
      std::string("digest method not allowed: ") + sha1 + " (SHA-256 or stronger required)",
      with_template(weak_digest));
  signature_template weak_method;
  weak_method.method = rsa_sha1;
  w.signed_doc("bad-method-rsa-sha1",
               std::string("signature method not allowed: ") + rsa_sha1 +
                   " (RSA-SHA256/384/512 or ECDSA-SHA256/384 required)",
               with_template(weak_method));
  w.raw_doc("bad-method-does-not-fit-key",
            "no usable key: the key of " + corpus_subject("EM Corpus Publisher") +
                " does not fit " + ecdsa_sha256,
            replaced(good, rsa_sha256, ecdsa_sha256));

  signature_template bare;
  bare.key_info = "<KeyInfo><KeyValue/></KeyInfo>";
  w.signed_doc("bad-keyvalue-only",
               "no trusted key: KeyInfo has no X509Data (a bare KeyValue is never trusted)",
               with_template(bare));
  w.raw_doc("bad-no-keyinfo", "no trusted key: Signature has no KeyInfo",
            replaced(good, between(good, "<KeyInfo>", "</KeyInfo>"), ""));
  w.raw_doc("bad-no-certificate", "no trusted key: X509Data has no X509Certificate",
            replaced(good, between(good, "<X509Data>", "</X509Data>"), "<X509Data/>"));
  w.raw_doc("bad-ambiguous-x509data",
            "ambiguous X509Data: 2 candidate signer certificates (" +
                corpus_subject("EM Corpus Publisher") + "; CN=EM Rogue Root,O=EM Rogue)",
            replaced(good, "</X509Data>",
                     "<X509Certificate>" + pem_base64(w.pki().pem("rogue-root")) +
                         "</X509Certificate></X509Data>"));
  w.raw_doc("bad-certificate-garbage", "malformed X509Certificate: not a DER certificate",
            replaced(good, "<X509Certificate>", "<X509Certificate>AAAA"));

  w.signed_doc("bad-expired-document", "expired document (expires 2030-01-01T00:00:00Z)",
               eocs(default_body, "expires=\"2030-01-01T00:00:00Z\""));
  w.signed_doc("bad-sequence", "sequence 'x1' is not an unsigned 64-bit number",
               replaced(eocs(), "sequence=\"1\"", "sequence=\"x1\""));
  w.signed_doc("bad-expires", "expires 'tomorrow' is not an RFC 3339 time",
               eocs(default_body, "expires=\"tomorrow\""));
  w.signed_doc("bad-eocs-attribute", "EOCS has unknown attribute 'foo'",
               eocs(default_body, "foo=\"bar\""));
  w.signed_doc("bad-eocs-element", "EOCS has unexpected element <Other>",
               eocs(std::string(default_body) + "<Other/>\n"));
}

}  // namespace em::test
