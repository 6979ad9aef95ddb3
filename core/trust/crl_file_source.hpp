#pragma once

#include <filesystem>
#include <vector>

#include "core/trust/crl_source.hpp"

namespace em {

// CRLs read once from files (trust.crl_files, emctl verify --crl): PEM (one or
// more CRLs) or one DER CRL each.
class crl_file_source : public crl_source {
 public:
  // Throws em::invalid_input naming the file when one cannot be read or holds
  // no CRL: a revocation setting that silently checks nothing would be worse.
  explicit crl_file_source(const std::vector<std::filesystem::path>& files);

  // The loaded CRLs whose issuer name is the certificate's issuer name.
  crl_candidates crls_for(const X509* cert, const X509* issuer) const override;

  std::size_t size() const { return crls_.size(); }

 private:
  std::vector<crl_ptr> crls_;
};

}  // namespace em
