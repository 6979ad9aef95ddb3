#include "core/trust/signer_policy.hpp"

#include <openssl/x509v3.h>

#include <algorithm>

#include "core/config/service_config.hpp"
#include "core/trust/distinguished_name.hpp"
#include "core/trust/x509_util.hpp"
#include "core/util/error.hpp"

namespace em::trust_detail {
namespace {

const char* const any_eku = "2.5.29.37.0";

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& i : items)
    out += (out.empty() ? "" : " ") + i;
  return out;
}

// Whether a certificate's extendedKeyUsage allows one of `wanted`; nullopt
// when it has no such extension (no restriction).
std::optional<bool> allows(const X509* cert, const std::vector<std::string>& wanted,
                           bool any_counts) {
  auto has = extended_key_usages(cert);
  if (!has) return std::nullopt;
  for (const auto& oid : *has)
    if ((any_counts && oid == any_eku) ||
        std::find(wanted.begin(), wanted.end(), oid) != wanted.end())
      return true;
  return false;
}

std::string usages_of(const X509* cert) {
  auto has = extended_key_usages(cert);
  return has && !has->empty() ? join(*has) : std::string("no extendedKeyUsage");
}

}  // namespace

signer_policy::signer_policy(const std::optional<std::string>& issuer,
                             const std::optional<std::string>& issuer_key_sha256,
                             const std::vector<std::string>& eku) {
  if (issuer) {
    try {
      issuer_ = parse_distinguished_name(*issuer);
    } catch (const invalid_input& e) {
      throw invalid_input(std::string("trust issuer: ") + e.what());
    }
    issuer_text_ = *issuer;
  }
  if (issuer_key_sha256) {
    issuer_key_ = normalize_key_pin(*issuer_key_sha256);
    if (!issuer_key_)
      throw invalid_input("trust issuer_key_sha256 '" + *issuer_key_sha256 +
                          "' is not a SHA-256 in hex (64 hex digits)");
  }
  for (const auto& oid : eku) {
    auto normalized = normalize_oid(oid);
    if (!normalized) throw invalid_input("trust eku '" + oid + "' is not a dotted OID");
    eku_.push_back(*normalized);
  }
}

std::string signer_policy::check(const X509* signer, const std::vector<x509_ptr>& chain) const {
  if (auto why = check_issuer(signer, chain); !why.empty()) return why;
  if (auto why = check_eku(signer, chain); !why.empty()) return why;

  // X509_get_extension_flags caches the parsed extensions; the certificate is
  // ours alone (decoded for this document), so the const_cast is harmless.
  auto* cert = const_cast<X509*>(signer);
  if ((X509_get_extension_flags(cert) & EXFLAG_KUSAGE) &&
      !(X509_get_key_usage(cert) & KU_DIGITAL_SIGNATURE))
    return "key usage without digitalSignature: " + subject_of(signer);
  return {};
}

std::string signer_policy::check_issuer(const X509* signer,
                                        const std::vector<x509_ptr>& chain) const {
  if (issuer_ && X509_NAME_cmp(X509_get_issuer_name(signer), issuer_.get()) != 0)
    return "issuer mismatch: signer issued by " + issuer_of(signer) + ", expected " + *issuer_text_;
  if (!issuer_key_) return {};
  // A name can be copied; the key that signed the signer's certificate cannot.
  if (chain.size() < 2)
    return "issuer mismatch: the signer " + subject_of(signer) +
           " is itself the trust anchor, so its issuer's key cannot be compared with "
           "issuer_key_sha256";
  const std::string key = public_key_sha256(chain[1].get());
  if (key != *issuer_key_)
    return "issuer mismatch: signer issued by " + subject_of(chain[1].get()) + " with key sha256 " +
           key + ", expected " + *issuer_key_;
  return {};
}

std::string signer_policy::check_eku(const X509* signer, const std::vector<x509_ptr>& chain) const {
  if (eku_.empty()) return {};
  if (allows(signer, eku_, false) != std::optional<bool>(true))
    return "missing EKU: signer has " + usages_of(signer) + ", expected one of " + join(eku_);
  for (std::size_t i = 1; i < chain.size(); ++i)
    if (allows(chain[i].get(), eku_, true) == std::optional<bool>(false))
      return "missing EKU: CA " + subject_of(chain[i].get()) + " allows only " +
             usages_of(chain[i].get()) + ", expected one of " + join(eku_);
  return {};
}

}  // namespace em::trust_detail
