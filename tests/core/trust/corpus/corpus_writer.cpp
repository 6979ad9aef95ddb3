#include "tests/core/trust/corpus/corpus_writer.hpp"

#include "tests/core/trust/corpus/corpus_templates.hpp"
#include "tests/support/temp_dir.hpp"

namespace em::test {

corpus_writer::corpus_writer(corpus_pki& pki, std::filesystem::path dir)
    : pki_(pki), dir_(std::move(dir)) {
  std::filesystem::create_directories(dir_);
  standard_.anchors = {pki_.pem("root")};
  standard_.crls = {pki_.file("root.crl"), pki_.file("ca.crl")};
}

corpus_document& corpus_writer::signed_doc(const std::string& name, const std::string& reason,
                                           const std::string& template_xml,
                                           const std::string& signer,
                                           const std::vector<std::string>& chain) {
  std::vector<std::filesystem::path> keys{pki_.key(signer), pki_.pem(signer)};
  for (const auto& c : chain)
    keys.push_back(pki_.pem(c));
  auto file = corpus::xmlsec1_sign(template_xml, keys, dir_ / (name + ".xml"));
  return add(name, file, reason);
}

corpus_document& corpus_writer::raw_doc(const std::string& name, const std::string& reason,
                                        const std::string& text) {
  auto file = dir_ / (name + ".xml");
  write_text(file, text);
  return add(name, file, reason);
}

std::string corpus_writer::text_of(const std::string& name) const {
  return read_text(dir_ / (name + ".xml"));
}

corpus_document& corpus_writer::add(const std::string& name, const std::filesystem::path& file,
                                    const std::string& reason) {
  corpus_document d;
  d.name = name;
  d.file = file;
  d.trust = standard_;
  d.reason = reason;
  if (reason.empty()) d.actions = {"PING1.1", "M1.1"};
  documents.push_back(std::move(d));
  return documents.back();
}

std::string corpus_subject(const std::string& cn) {
  return "CN=" + cn + ",O=EM Corpus";
}

}  // namespace em::test
