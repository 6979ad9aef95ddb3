// The corpus's documents whose signer, chain or revocation is wrong: good
// documents signed by the xmlsec1 tool with bad certificates, or verified with
// CRLs that are missing, stale, early or forged.
#include <string>

#include "tests/core/trust/corpus/corpus_templates.hpp"
#include "tests/core/trust/corpus/corpus_writer.hpp"

namespace em::test {

using namespace corpus;

void add_certificate_documents(corpus_writer& w) {
  auto& pki = w.pki();
  const std::string key_rule = " (RSA 2048 bits or more, or ECDSA P-256/P-384 required)";
  const std::string ca = corpus_subject("EM Corpus CA");
  const std::string publisher = corpus_subject("EM Corpus Publisher");

  w.signed_doc("bad-expired-signer",
               "expired certificate: " + corpus_subject("EM Corpus Expired Publisher") +
                   " (notAfter 2022-01-01T00:00:00Z)",
               eocs(), "expired");
  w.signed_doc("bad-future-signer",
               "certificate not yet valid: " + corpus_subject("EM Corpus Future Publisher") +
                   " (notBefore 2040-01-01T00:00:00Z)",
               eocs(), "future");
  const std::string revoked = "revoked: " + corpus_subject("EM Corpus Revoked Publisher") +
                              " (serial " + pki.serial("revoked") +
                              ", revoked 2029-06-01T00:00:00Z)";
  w.signed_doc("bad-revoked-signer", revoked, eocs(), "revoked");
  w.raw_doc("bad-revoked-signer-best-effort", revoked, w.text_of("bad-revoked-signer"))
      .trust.revocation = "best-effort";
  auto& off = w.raw_doc("good-revoked-signer-revocation-off", "", w.text_of("bad-revoked-signer"));
  off.trust.revocation = "off";  // off is off: an explicit choice (SPEC 3)
  w.signed_doc("bad-revoked-intermediate",
               "revoked: " + corpus_subject("EM Corpus Revoked CA") + " (serial " +
                   pki.serial("revoked-ca") + ", revoked 2029-06-01T00:00:00Z)",
               eocs(), "revoked-ca-publisher", {"revoked-ca"})
      .trust.crls = {pki.file("root.crl"), pki.file("revoked-ca.crl")};
  w.signed_doc("bad-wrong-eku",
               "missing EKU: signer has 1.3.6.1.5.5.7.3.1, expected one of 1.3.6.1.5.5.7.3.3",
               eocs(), "server-auth");
  auto& other = w.signed_doc("bad-wrong-issuer",
                             "issuer mismatch: signer issued by " +
                                 corpus_subject("EM Corpus Other CA") + ", expected " + ca,
                             eocs(), "other-publisher", {"other-ca"});
  other.trust.issuer = ca;
  other.trust.crls = {pki.file("root.crl"), pki.file("other-ca.crl")};
  w.signed_doc("bad-untrusted-root",
               "untrusted chain: CN=EM Rogue Publisher,O=EM Rogue does not chain to a trust anchor",
               eocs(), "rogue-publisher", {"rogue-root"});
  w.signed_doc("bad-rsa-1024-signer",
               "weak key: " + corpus_subject("EM Corpus Weak Publisher") +
                   " has a 1024-bit RSA key" + key_rule,
               eocs(), "weak");
  signature_template ec;
  ec.method = ecdsa_sha256;
  w.signed_doc("bad-p521-signer",
               "key not allowed: " + corpus_subject("EM Corpus P-521 Publisher") +
                   " has an EC key on secp521r1" + key_rule,
               eocs(default_body, "", ec.xml()), "p521");
  w.signed_doc("bad-key-usage",
               "key usage without digitalSignature: " + corpus_subject("EM Corpus Encipher Only"),
               eocs(), "encipher");
  w.signed_doc("bad-leaf-as-ca", "untrusted chain: " + publisher + ": invalid CA certificate",
               eocs(), "under-leaf", {"publisher", "ca"});
  w.signed_doc(
       "bad-rsa-1024-intermediate",
       "untrusted chain: " + corpus_subject("EM Corpus Weak CA") + ": CA certificate key too weak",
       eocs(), "weak-ca-publisher", {"weak-ca"})
      .trust.crls = {pki.file("root.crl"), pki.file("weak-ca.crl")};
  w.signed_doc("bad-sha1-intermediate",
               "untrusted chain: " + corpus_subject("EM Corpus SHA-1 CA") +
                   ": CA signature digest algorithm too weak",
               eocs(), "sha1-ca-publisher", {"sha1-ca"})
      .trust.crls = {pki.file("root.crl"), pki.file("sha1-ca.crl")};

  // Revocation required and no usable CRL: named, with why.
  const std::string good = w.text_of("good-rsa");
  w.raw_doc("bad-no-crl-for-signer", "no usable CRL for " + publisher + " (no CRL from " + ca + ")",
            good)
      .trust.crls = {pki.file("root.crl")};
  w.raw_doc("bad-no-crl-for-intermediate",
            "no usable CRL for " + ca + " (no CRL from " + corpus_subject("EM Corpus Root") + ")",
            good)
      .trust.crls = {pki.file("ca.crl")};
  w.raw_doc("bad-expired-crl",
            "no usable CRL for " + publisher + " (the CRL from " + ca +
                " expired at 2029-02-01T00:00:00Z)",
            good)
      .trust.crls = {pki.file("root.crl"), pki.file("ca-expired.crl")};
  w.raw_doc("bad-crl-not-yet-valid",
            "no usable CRL for " + publisher + " (the CRL from " + ca +
                " is not valid before 2031-02-01T00:00:00Z)",
            good)
      .trust.crls = {pki.file("root.crl"), pki.file("ca-future.crl")};
  w.raw_doc("bad-forged-crl",
            "no usable CRL for " + publisher + " (a CRL claiming to be from " + ca +
                " is not signed by its key)",
            good)
      .trust.crls = {pki.file("root.crl"), pki.file("ca-forged.crl")};
  // Issue 12: a CA restricted to TLS servers does not vouch for code signing.
  w.signed_doc("bad-intermediate-eku",
               "missing EKU: CA " + corpus_subject("EM Corpus TLS CA") +
                   " allows only 1.3.6.1.5.5.7.3.1, expected one of 1.3.6.1.5.5.7.3.3",
               eocs(), "tls-ca-publisher", {"tls-ca"})
      .trust.crls = {pki.file("root.crl"), pki.file("tls-ca.crl")};
  // Issue 12: an issuer pinned by name alone lets a twin CA (same name, other
  // key) through; pinned by key, it does not.
  w.raw_doc("good-issuer-key-pin", "", good).trust.issuer_key_sha256 = pki.key_sha256("ca");
  auto& twin = w.signed_doc("bad-issuer-key-pin",
                            "issuer mismatch: signer issued by " + ca + " with key sha256 " +
                                pki.key_sha256("twin-ca") + ", expected " + pki.key_sha256("ca"),
                            eocs(), "twin-publisher", {"twin-ca"});
  twin.trust.issuer = ca;
  twin.trust.issuer_key_sha256 = pki.key_sha256("ca");
  twin.trust.crls = {pki.file("root.crl"), pki.file("twin-ca.crl")};

  // A current CRL beside a stale or forged one is used.
  auto& mixed = w.raw_doc("good-current-crl-beside-bad-ones", "", good);
  mixed.trust.crls = {pki.file("root.crl"), pki.file("ca-forged.crl"), pki.file("ca-expired.crl"),
                      pki.file("ca.crl")};
}

}  // namespace em::test
