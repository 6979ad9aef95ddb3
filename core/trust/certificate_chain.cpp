#include "core/trust/certificate_chain.hpp"

#include <openssl/err.h>
#include <openssl/x509v3.h>

#include "core/trust/revocation_check.hpp"
#include "core/trust/signing_key.hpp"
#include "core/trust/x509_util.hpp"
#include "core/util/error.hpp"
#include "core/util/file_util.hpp"

namespace em::trust_detail {
namespace {

constexpr std::size_t max_anchor_file = 4 * 1024 * 1024;
constexpr int max_chain_depth = 10;
// OpenSSL's level 2: keys of 112 bits of security or more (RSA 2048, P-224 up)
// and no SHA-1 or MD5 signature anywhere in the chain but the anchor's own.
constexpr int chain_security_level = 2;

std::string list_subjects(const std::vector<const X509*>& certs) {
  std::string out;
  for (const X509* c : certs)
    out += (out.empty() ? "" : "; ") + subject_of(c);
  return out;
}

bool is_untrusted_root_error(int err) {
  switch (err) {
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
    case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
    case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
    case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
    case X509_V_ERR_CERT_UNTRUSTED:
      return true;
    default:
      return false;
  }
}

}  // namespace

certificate_chain::certificate_chain(const std::vector<std::filesystem::path>& anchor_files,
                                     revocation_mode revocation,
                                     std::vector<std::shared_ptr<const crl_source>> crl_sources)
    : store_(X509_STORE_new()), revocation_(revocation), crl_sources_(std::move(crl_sources)) {
  if (!store_) throw error("out of memory creating the trust store");
  revocation_check::install(store_.get());
  if (anchor_files.empty())
    throw invalid_input("no trust anchor configured (trust.anchors, or emctl verify --anchor)");
  for (const auto& file : anchor_files) {
    std::string bytes;
    try {
      bytes = read_file(file, max_anchor_file);
    } catch (const error& e) {
      throw invalid_input("trust anchor " + file.string() + " cannot be read: " + e.what());
    }
    auto certs = parse_certificates(bytes);
    if (certs.empty())
      throw invalid_input("trust anchor " + file.string() +
                          " is not a certificate (PEM or DER expected)");
    for (auto& cert : certs) {
      // A file listing the same certificate twice is harmless: OpenSSL says "already in store".
      X509_STORE_add_cert(store_.get(), cert.get());
    }
    ERR_clear_error();
  }
}

// One run of OpenSSL's chain check; `revocation` null: no CRL is looked at.
struct certificate_chain::attempt {
  bool ok = false;
  int error = X509_V_OK;
  const X509* at_fault = nullptr;  // valid while the certificates live
  std::vector<x509_ptr> chain;     // when ok
};

certificate_chain::attempt certificate_chain::check(X509* signer, STACK_OF(X509) * untrusted,
                                                    std::time_t at,
                                                    revocation_check* revocation) const {
  attempt out;
  x509_store_ctx_ptr ctx(X509_STORE_CTX_new());
  if (!ctx || X509_STORE_CTX_init(ctx.get(), store_.get(), signer, untrusted) != 1) {
    out.error = X509_V_ERR_OUT_OF_MEM;
    return out;
  }
  X509_VERIFY_PARAM* param = X509_STORE_CTX_get0_param(ctx.get());
  X509_VERIFY_PARAM_set_time(param, at);
  X509_VERIFY_PARAM_set_flags(param, X509_V_FLAG_PARTIAL_CHAIN);
  X509_VERIFY_PARAM_set_depth(param, max_chain_depth);
  X509_VERIFY_PARAM_set_auth_level(param, chain_security_level);
  if (revocation) revocation->arm(ctx.get());

  out.ok = X509_verify_cert(ctx.get()) == 1;
  out.error = X509_STORE_CTX_get_error(ctx.get());
  out.at_fault = X509_STORE_CTX_get_current_cert(ctx.get());
  if (out.ok) {
    // Up to the trust anchor: with a partial chain OpenSSL may have gone on
    // above it with untrusted certificates that vouch for nothing.
    STACK_OF(X509)* chain = X509_STORE_CTX_get0_chain(ctx.get());
    const int anchor = X509_STORE_CTX_get_num_untrusted(ctx.get());
    for (int i = 0; i < sk_X509_num(chain) && i <= anchor; ++i) {
      X509* c = sk_X509_value(chain, i);
      X509_up_ref(c);
      out.chain.emplace_back(c);
    }
  }
  ERR_clear_error();
  return out;
}

certificate_chain::outcome certificate_chain::verify(const std::vector<std::string>& der,
                                                     std::time_t at) const {
  std::vector<x509_ptr> certs;
  for (const auto& d : der) {
    // DER only: X509Certificate is base64 of DER (XML-DSig), never PEM text.
    auto parsed = parse_der_certificate(d);
    if (!parsed) return {nullptr, {}, "malformed X509Certificate: not a DER certificate"};
    bool duplicate = false;
    for (const auto& c : certs)
      duplicate = duplicate || X509_cmp(c.get(), parsed.get()) == 0;
    if (!duplicate) certs.push_back(std::move(parsed));
  }

  std::vector<const X509*> candidates;
  std::size_t signer_index = 0;
  for (std::size_t i = 0; i < certs.size(); ++i) {
    bool issued_another = false;
    for (std::size_t j = 0; j < certs.size() && !issued_another; ++j)
      issued_another = i != j && X509_NAME_cmp(X509_get_subject_name(certs[i].get()),
                                               X509_get_issuer_name(certs[j].get())) == 0;
    if (!issued_another) {
      candidates.push_back(certs[i].get());
      signer_index = i;
    }
  }
  ERR_clear_error();
  if (candidates.size() != 1)
    return {nullptr,
            {},
            "ambiguous X509Data: " +
                (candidates.empty()
                     ? std::string("no certificate stands out as the signer")
                     : std::to_string(candidates.size()) + " candidate signer certificates (" +
                           list_subjects(candidates) + ")")};

  X509* signer = certs[signer_index].get();
  if (auto why = check_signing_key(signer); !why.empty()) return {nullptr, {}, why};
  x509_stack_ptr untrusted(sk_X509_new_null());
  for (std::size_t i = 0; untrusted && i < certs.size(); ++i) {
    if (i == signer_index) continue;
    X509_up_ref(certs[i].get());
    if (sk_X509_push(untrusted.get(), certs[i].get()) <= 0) X509_free(certs[i].get());
  }
  if (!untrusted) return {nullptr, {}, "untrusted chain: cannot set up certificate verification"};

  // OpenSSL checks revocation before signatures: were CRLs consulted in this
  // first run, a forged certificate could make the verifier fetch URLs of its
  // choosing. So the first run has no CRL, and only its chain is checked for
  // revocation.
  attempt trusted = check(signer, untrusted.get(), at, nullptr);
  if (!trusted.ok) return {nullptr, {}, failure(trusted, signer)};
  if (revocation_ == revocation_mode::off) {
    X509_up_ref(signer);
    return {x509_ptr(signer), std::move(trusted.chain), ""};
  }
  std::vector<const X509*> checked;
  for (const auto& c : trusted.chain)
    checked.push_back(c.get());
  revocation_check revocation(revocation_, crl_sources_, checked);
  attempt revoked = check(signer, untrusted.get(), at, &revocation);
  if (!revoked.ok) return {nullptr, {}, failure(revoked, signer)};
  if (auto why = revocation.verdict(); !why.empty()) return {nullptr, {}, why};
  X509_up_ref(signer);
  return {x509_ptr(signer), std::move(revoked.chain), ""};
}

std::string certificate_chain::failure(const attempt& a, const X509* signer) {
  const X509* at_fault = a.at_fault ? a.at_fault : signer;
  switch (a.error) {
    case X509_V_ERR_CERT_HAS_EXPIRED:
      return "expired certificate: " + subject_of(at_fault) + " (notAfter " +
             rfc3339(X509_get0_notAfter(at_fault)) + ")";
    case X509_V_ERR_CERT_NOT_YET_VALID:
      return "certificate not yet valid: " + subject_of(at_fault) + " (notBefore " +
             rfc3339(X509_get0_notBefore(at_fault)) + ")";
    case X509_V_ERR_OUT_OF_MEM:
      return "untrusted chain: cannot set up certificate verification";
    default:
      break;
  }
  if (is_untrusted_root_error(a.error))
    return "untrusted chain: " + subject_of(signer) + " does not chain to a trust anchor";
  return "untrusted chain: " + subject_of(at_fault) + ": " + X509_verify_cert_error_string(a.error);
}

}  // namespace em::trust_detail
