#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/model/mitigation_document.hpp"
#include "core/trust/crl_source.hpp"
#include "core/trust/trust_settings.hpp"
#include "core/util/time_util.hpp"

namespace em {

struct verification {
  bool verified = false;
  // One line naming why the document was rejected (empty when verified), e.g.
  // "bad digest", "untrusted chain: …", "expired certificate: CN=… (notAfter …)",
  // "revoked: CN=… (serial …, revoked …)", "no usable CRL for CN=… (…)", "weak key: …".
  std::string reason;
  // Built from the canonical bytes that were digested, only when verified.
  mitigation_document document;
  std::string digest;          // hex SHA-256 of those canonical bytes
  std::string signer_subject;  // RFC 2253 DN of the signing certificate
  std::string signer_issuer;
};

// Verifies a signed EOCS document (SPEC 2-3). Never throws for a bad document:
// every rejection is a reason. The trust anchors, CRL files and settings are
// loaded once at construction; a setting that cannot be used (an unreadable
// anchor or CRL file, …) throws em::invalid_input naming the file.
class document_verifier {
 public:
  // CRLs come from settings.crl_files, then from `more_crl_sources` (such as
  // fetching each certificate's CRL distribution point), all consulted unless
  // settings.revocation is off.
  explicit document_verifier(trust_settings settings,
                             std::vector<std::shared_ptr<const crl_source>> more_crl_sources = {});
  ~document_verifier();
  document_verifier(const document_verifier&) = delete;
  document_verifier& operator=(const document_verifier&) = delete;

  // Certificates are checked as of `at` (the current time in the service; an
  // explicit time for emctl verify --at).
  verification verify(std::string_view document_bytes, sys_time at) const;

  const trust_settings& settings() const;

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace em
