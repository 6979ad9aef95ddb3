#include "tests/core/trust/corpus/trust_corpus.hpp"

#include <memory>
#include <stdexcept>

#include "tests/core/trust/corpus/corpus_pki.hpp"
#include "tests/core/trust/corpus/corpus_templates.hpp"
#include "tests/core/trust/corpus/corpus_writer.hpp"
#include "tests/support/temp_dir.hpp"

namespace em::test {

using namespace corpus;

trust_settings corpus_trust::settings() const {
  trust_settings s;
  s.anchors = anchors;
  s.crl_files = crls;
  auto mode = parse_revocation_mode(revocation);
  if (!mode) throw std::runtime_error("corpus: bad revocation mode " + revocation);
  s.revocation = *mode;
  s.issuer = issuer;
  s.issuer_key_sha256 = issuer_key_sha256;
  s.eku = eku;
  if (max_size) s.max_size = *max_size;
  return s;
}

sys_time corpus_trust::time() const {
  auto t = parse_rfc3339(at);
  if (!t) throw std::runtime_error("corpus: bad time " + at);
  return *t;
}

std::vector<std::string> corpus_trust::emctl_flags() const {
  std::vector<std::string> out;
  for (const auto& a : anchors)
    out.insert(out.end(), {"--anchor", a.string()});
  for (const auto& c : crls)
    out.insert(out.end(), {"--crl", c.string()});
  out.push_back("--revocation=" + revocation);
  if (issuer) out.insert(out.end(), {"--issuer", *issuer});
  if (issuer_key_sha256) out.insert(out.end(), {"--issuer-key-sha256", *issuer_key_sha256});
  for (const auto& e : eku)
    out.insert(out.end(), {"--eku", e});
  if (max_size) out.insert(out.end(), {"--max-size", std::to_string(*max_size)});
  out.insert(out.end(), {"--at", at});
  return out;
}

namespace {

// The corpus's PKI: its certificates are valid from 2020 to 2049 unless a case
// says otherwise, its CRLs current from 2030-01-01 to 2031-01-01, and every
// document is verified as of 2030-06-01.
void make_pki(corpus_pki& pki);

struct built_corpus {
  temp_dir dir{"emcorpus"};
  std::vector<corpus_document> documents;

  built_corpus() {
    corpus_pki pki(dir / "pki");
    make_pki(pki);
    corpus_writer w(pki, dir / "documents");
    add_good_documents(w);
    add_structure_documents(w);
    add_certificate_documents(w);
    add_bounds_documents(w);
    documents = std::move(w.documents);
  }
};

void make_pki(corpus_pki& pki) {
  using spec = corpus_pki::cert_spec;
  const std::string o = "/O=EM Corpus/CN=";
  pki.issue(spec{"root", o + "EM Corpus Root", "", "ca_ext"});
  pki.issue(spec{"ca", o + "EM Corpus CA", "root", "ca_ext"});
  pki.issue(spec{"other-ca", o + "EM Corpus Other CA", "root", "ca_ext"});
  pki.issue(spec{"revoked-ca", o + "EM Corpus Revoked CA", "root", "ca_ext"});
  pki.issue(spec{"weak-ca", o + "EM Corpus Weak CA", "root", "ca_ext", "rsa:1024"});
  pki.issue(spec{"sha1-ca", o + "EM Corpus SHA-1 CA", "root", "ca_ext", "rsa:2048",
                 "20200101000000Z", "20491231000000Z", "sha1"});
  // Same name as ca, another key: the forger of a CRL.
  pki.issue(spec{"fake-ca", o + "EM Corpus CA", "", "ca_ext"});
  pki.issue(spec{"rogue-root", "/O=EM Rogue/CN=EM Rogue Root", "", "ca_ext"});
  // A CA for TLS servers only (its own EKU), and a twin of ca: same name, another key.
  pki.issue(spec{"tls-ca", o + "EM Corpus TLS CA", "root", "tls_ca_ext"});
  pki.issue(spec{"twin-ca", o + "EM Corpus CA", "root", "ca_ext"});

  pki.issue(spec{"publisher", o + "EM Corpus Publisher", "ca"});
  pki.issue(spec{"ec-publisher", o + "EM Corpus EC Publisher", "ca", "signer_ext", "ec:P-256"});
  pki.issue(
      spec{"ec384-publisher", o + "EM Corpus P-384 Publisher", "ca", "signer_ext", "ec:P-384"});
  pki.issue(spec{"expired", o + "EM Corpus Expired Publisher", "ca", "signer_ext", "rsa:2048",
                 "210101000000Z", "220101000000Z"});
  pki.issue(spec{"future", o + "EM Corpus Future Publisher", "ca", "signer_ext", "rsa:2048",
                 "400101000000Z", "450101000000Z"});
  pki.issue(spec{"revoked", o + "EM Corpus Revoked Publisher", "ca"});
  pki.issue(spec{"server-auth", o + "EM Corpus Server Auth", "ca", "server_ext"});
  pki.issue(spec{"weak", o + "EM Corpus Weak Publisher", "ca", "signer_ext", "rsa:1024"});
  pki.issue(spec{"p521", o + "EM Corpus P-521 Publisher", "ca", "signer_ext", "ec:P-521"});
  pki.issue(spec{"encipher", o + "EM Corpus Encipher Only", "ca", "encipher_ext"});
  pki.issue(spec{"under-leaf", o + "EM Corpus Under A Leaf", "publisher"});
  pki.issue(spec{"other-publisher", o + "EM Corpus Other Publisher", "other-ca"});
  pki.issue(spec{"revoked-ca-publisher", o + "EM Corpus Publisher Under Revoked CA", "revoked-ca"});
  pki.issue(spec{"weak-ca-publisher", o + "EM Corpus Publisher Under Weak CA", "weak-ca"});
  pki.issue(spec{"sha1-ca-publisher", o + "EM Corpus Publisher Under SHA-1 CA", "sha1-ca"});
  pki.issue(spec{"rogue-publisher", "/O=EM Rogue/CN=EM Rogue Publisher", "rogue-root"});
  pki.issue(spec{"tls-ca-publisher", o + "EM Corpus Publisher Under TLS CA", "tls-ca"});
  pki.issue(spec{"twin-publisher", o + "EM Corpus Twin Publisher", "twin-ca"});

  pki.revoke("revoked", "290601000000Z");
  pki.revoke("revoked-ca", "290601000000Z");
  const std::string from = "20300101000000Z", to = "20310101000000Z";
  for (const char* ca :
       {"root", "ca", "other-ca", "revoked-ca", "weak-ca", "sha1-ca", "tls-ca", "twin-ca"})
    pki.crl(ca, std::string(ca) + ".crl", from, to);
  pki.crl("ca", "ca-expired.crl", "20290101000000Z", "20290201000000Z");
  pki.crl("ca", "ca-future.crl", "20310201000000Z", "20320101000000Z");
  pki.crl("ca", "ca-forged.crl", from, to, "fake-ca");
}

}  // namespace

const std::vector<corpus_document>& trust_corpus() {
  static const built_corpus corpus;
  return corpus.documents;
}

}  // namespace em::test
