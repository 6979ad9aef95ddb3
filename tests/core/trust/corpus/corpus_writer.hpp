#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "tests/core/trust/corpus/corpus_pki.hpp"
#include "tests/core/trust/corpus/trust_corpus.hpp"

namespace em::test {

// Writes the corpus's documents into a folder and records, for each, the
// trust it is verified under and its exact verdict.
class corpus_writer {
 public:
  corpus_writer(corpus_pki& pki, std::filesystem::path dir);

  corpus_pki& pki() { return pki_; }
  // Trust in the root, the current CRLs of root and ca, revocation required,
  // codeSigning, as of 2030-06-01.
  const corpus_trust& standard() const { return standard_; }

  // Signs `template_xml` with the xmlsec1 tool as `signer`, putting the signer
  // and `chain` in X509Data; verified under the standard trust (change the
  // returned entry's trust as needed). A good document (empty reason) is
  // expected to parse to PING1.1 and M1.1.
  corpus_document& signed_doc(const std::string& name, const std::string& reason,
                              const std::string& template_xml,
                              const std::string& signer = "publisher",
                              const std::vector<std::string>& chain = {"ca"});

  // A document written as is: an attacker's edit of a signed one.
  corpus_document& raw_doc(const std::string& name, const std::string& reason,
                           const std::string& text);

  // The text of a document already in the corpus.
  std::string text_of(const std::string& name) const;

  std::vector<corpus_document> documents;

 private:
  corpus_document& add(const std::string& name, const std::filesystem::path& file,
                       const std::string& reason);

  corpus_pki& pki_;
  std::filesystem::path dir_;
  corpus_trust standard_;
};

// "CN=<cn>,O=EM Corpus"
std::string corpus_subject(const std::string& cn);

// The corpus's documents, by what they exercise.
void add_good_documents(corpus_writer& w);
void add_structure_documents(corpus_writer& w);
void add_certificate_documents(corpus_writer& w);
// Issue 12: documents past the limits of the streaming pass, the namespace
// rule, and the other shapes of its review.
void add_bounds_documents(corpus_writer& w);

}  // namespace em::test
