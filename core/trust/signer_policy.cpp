#include "core/trust/signer_policy.hpp"

#include <openssl/x509v3.h>

#include <algorithm>

#include "core/trust/distinguished_name.hpp"
#include "core/trust/x509_util.hpp"
#include "core/util/error.hpp"

namespace em::trust_detail {
namespace {

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& i : items)
    out += (out.empty() ? "" : " ") + i;
  return out;
}

}  // namespace

signer_policy::signer_policy(const std::optional<std::string>& issuer,
                             const std::vector<std::string>& eku) {
  if (issuer) {
    try {
      issuer_ = parse_distinguished_name(*issuer);
    } catch (const invalid_input& e) {
      throw invalid_input(std::string("trust issuer: ") + e.what());
    }
    issuer_text_ = *issuer;
  }
  for (const auto& oid : eku) {
    auto normalized = normalize_oid(oid);
    if (!normalized) throw invalid_input("trust eku '" + oid + "' is not a dotted OID");
    eku_.push_back(*normalized);
  }
}

std::string signer_policy::check(const X509* signer) const {
  if (issuer_ && X509_NAME_cmp(X509_get_issuer_name(signer), issuer_.get()) != 0)
    return "issuer mismatch: signer issued by " + issuer_of(signer) + ", expected " + *issuer_text_;

  if (!eku_.empty()) {
    auto has = extended_key_usages(signer);
    bool found = false;
    for (const auto& oid : has.value_or(std::vector<std::string>{}))
      found = found || std::find(eku_.begin(), eku_.end(), oid) != eku_.end();
    if (!found)
      return "missing EKU: signer has " +
             (has && !has->empty() ? join(*has) : std::string("no extendedKeyUsage")) +
             ", expected one of " + join(eku_);
  }

  // X509_get_extension_flags caches the parsed extensions; the certificate is
  // ours alone (decoded for this document), so the const_cast is harmless.
  auto* cert = const_cast<X509*>(signer);
  if ((X509_get_extension_flags(cert) & EXFLAG_KUSAGE) &&
      !(X509_get_key_usage(cert) & KU_DIGITAL_SIGNATURE))
    return "key usage without digitalSignature: " + subject_of(signer);
  return {};
}

}  // namespace em::trust_detail
