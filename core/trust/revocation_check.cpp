#include "core/trust/revocation_check.hpp"

#include <openssl/bn.h>
#include <openssl/err.h>

#include <exception>

#include "core/trust/x509_util.hpp"

namespace em::trust_detail {
namespace {

// The certificate's issuer in the chain being checked; the last one of the
// chain (the anchor) is its own.
X509* issuer_in_chain(const X509_STORE_CTX* ctx, int depth) {
  STACK_OF(X509)* chain = X509_STORE_CTX_get0_chain(ctx);
  int last = sk_X509_num(chain) - 1;
  return sk_X509_value(chain, depth < last ? depth + 1 : last);
}

// As `openssl x509 -serial` prints it: upper-case hex, whole bytes.
std::string serial_of(const X509* cert) {
  BIGNUM* bn = ASN1_INTEGER_to_BN(X509_get0_serialNumber(cert), nullptr);
  char* hex = bn ? BN_bn2hex(bn) : nullptr;
  std::string out = hex ? hex : "unknown";
  OPENSSL_free(hex);
  BN_free(bn);
  return out;
}

bool is_crl_error(int error) {
  switch (error) {
    case X509_V_ERR_UNABLE_TO_GET_CRL:
    case X509_V_ERR_UNABLE_TO_DECRYPT_CRL_SIGNATURE:
    case X509_V_ERR_CRL_SIGNATURE_FAILURE:
    case X509_V_ERR_CRL_NOT_YET_VALID:
    case X509_V_ERR_CRL_HAS_EXPIRED:
    case X509_V_ERR_ERROR_IN_CRL_LAST_UPDATE_FIELD:
    case X509_V_ERR_ERROR_IN_CRL_NEXT_UPDATE_FIELD:
    case X509_V_ERR_UNABLE_TO_GET_CRL_ISSUER:
    case X509_V_ERR_KEYUSAGE_NO_CRL_SIGN:
    case X509_V_ERR_UNHANDLED_CRITICAL_CRL_EXTENSION:
    case X509_V_ERR_DIFFERENT_CRL_SCOPE:
    case X509_V_ERR_CRL_PATH_VALIDATION_ERROR:
    case X509_V_ERR_CERT_REVOKED:
      return true;
    default:
      return false;
  }
}

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& i : items)
    out += (out.empty() ? "" : "; ") + i;
  return out;
}

}  // namespace

revocation_check::revocation_check(revocation_mode mode,
                                   const std::vector<std::shared_ptr<const crl_source>>& sources,
                                   std::vector<const X509*> checked)
    : mode_(mode), sources_(sources), checked_(std::move(checked)) {}

void revocation_check::install(X509_STORE* store) {
  X509_STORE_set_lookup_crls(store, &revocation_check::lookup);
}

void revocation_check::arm(X509_STORE_CTX* ctx) {
  X509_STORE_CTX_set_app_data(ctx, this);
  if (mode_ == revocation_mode::off) return;
  X509_VERIFY_PARAM_set_flags(X509_STORE_CTX_get0_param(ctx),
                              X509_V_FLAG_CRL_CHECK | X509_V_FLAG_CRL_CHECK_ALL);
  X509_STORE_CTX_set_verify_cb(ctx, &revocation_check::on_verify);
}

std::string revocation_check::verdict() const {
  if (!revoked_.empty()) return revoked_;
  return unusable_;
}

// Called by OpenSSL for each certificate it checks, with the certificate's
// issuer name. Only CRLs signed by the chain's issuer of that certificate are
// handed over: OpenSSL picks one CRL per issuer name and would otherwise let a
// CRL from another key under the same name hide the real one.
STACK_OF(X509_CRL) * revocation_check::lookup(const X509_STORE_CTX* ctx, const X509_NAME* name) {
  auto* self = static_cast<revocation_check*>(X509_STORE_CTX_get_app_data(ctx));
  const int depth = X509_STORE_CTX_get_error_depth(ctx);
  X509* cert = X509_STORE_CTX_get_current_cert(ctx);
  if (!self || !cert || self->is_anchor_depth(depth)) return nullptr;
  X509* issuer = issuer_in_chain(ctx, depth);
  EVP_PKEY* issuer_key = X509_get0_pubkey(issuer);

  self->problems_depth_ = depth;
  self->problems_.clear();
  if (!self->was_checked(depth, cert, issuer)) {
    // Not expected to happen (both runs build the same chain); if it does,
    // nothing is asked for a certificate whose signature was not checked.
    self->problems_.push_back("not looked up: " + subject_of(cert) +
                              " is not in the chain whose signatures were checked");
    return sk_X509_CRL_new_null();
  }
  STACK_OF(X509_CRL)* out = sk_X509_CRL_new_null();
  for (const auto& source : self->sources_) {
    crl_candidates found;
    try {
      found = source->crls_for(cert, issuer);
    } catch (const std::exception& e) {
      // Nothing may unwind through OpenSSL; a failed source gives no CRL, which
      // `require` turns into a rejection.
      self->problems_.push_back(std::string("a CRL source failed: ") + e.what());
      continue;
    }
    for (auto& p : found.problems)
      self->problems_.push_back(std::move(p));
    for (auto& crl : found.crls) {
      if (!crl || X509_NAME_cmp(X509_CRL_get_issuer(crl.get()), name) != 0) continue;
      if (!X509_CRL_get0_nextUpdate(crl.get())) {
        // Without nextUpdate a CRL never says until when it is current.
        self->problems_.push_back("the CRL from " + rfc2253(name) + " has no nextUpdate");
        continue;
      }
      if (!issuer_key || X509_CRL_verify(crl.get(), issuer_key) != 1) {
        self->problems_.push_back("a CRL claiming to be from " + rfc2253(name) +
                                  " is not signed by its key");
        continue;
      }
      if (out && sk_X509_CRL_push(out, crl.get()) > 0) crl.release();
    }
  }
  ERR_clear_error();
  return out;
}

// The anchor of the checked chain, and anything OpenSSL put above it.
bool revocation_check::is_anchor_depth(int depth) const {
  return depth < 0 || static_cast<std::size_t>(depth) + 1 >= checked_.size();
}

bool revocation_check::was_checked(int depth, const X509* cert, const X509* issuer) const {
  const auto d = static_cast<std::size_t>(depth);
  return depth >= 0 && d + 1 < checked_.size() && X509_cmp(checked_[d], cert) == 0 &&
         X509_cmp(checked_[d + 1], issuer) == 0;
}

int revocation_check::on_verify(int ok, X509_STORE_CTX* ctx) {
  if (ok) return ok;
  const int error = X509_STORE_CTX_get_error(ctx);
  auto* self = static_cast<revocation_check*>(X509_STORE_CTX_get_app_data(ctx));
  if (!self || !is_crl_error(error)) return 0;
  return self->on_crl_error(ctx, error);
}

int revocation_check::on_crl_error(X509_STORE_CTX* ctx, int error) {
  const int depth = X509_STORE_CTX_get_error_depth(ctx);
  if (is_anchor_depth(depth)) return 1;  // trusted as configured, CRL or not
  const X509* cert = X509_STORE_CTX_get_current_cert(ctx);
  if (!cert) return 0;
  X509_CRL* crl = X509_STORE_CTX_get0_current_crl(ctx);
  const std::string issuer = issuer_of(cert);

  if (error == X509_V_ERR_CERT_REVOKED) {
    X509_REVOKED* entry = nullptr;
    std::string when = "at an unknown time";
    if (crl && X509_CRL_get0_by_cert(crl, &entry, const_cast<X509*>(cert)) == 1 && entry)
      when = rfc3339(X509_REVOKED_get0_revocationDate(entry));
    if (revoked_.empty())
      revoked_ = "revoked: " + subject_of(cert) + " (serial " + serial_of(cert) + ", revoked " +
                 when + ")";
    return 1;
  }

  if (mode_ != revocation_mode::require) return 1;  // best-effort: no usable CRL is let through
  if (!unusable_.empty()) return 1;
  std::string why;
  switch (error) {
    case X509_V_ERR_UNABLE_TO_GET_CRL:
      why = problems_depth_ == depth && !problems_.empty() ? join(problems_)
                                                           : "no CRL from " + issuer;
      break;
    case X509_V_ERR_CRL_HAS_EXPIRED:
      why = "the CRL from " + issuer + " expired at " +
            (crl ? rfc3339(X509_CRL_get0_nextUpdate(crl)) : std::string("an unknown time"));
      break;
    case X509_V_ERR_CRL_NOT_YET_VALID:
      why = "the CRL from " + issuer + " is not valid before " +
            (crl ? rfc3339(X509_CRL_get0_lastUpdate(crl)) : std::string("an unknown time"));
      break;
    default:
      why = "the CRL from " + issuer + ": " + X509_verify_cert_error_string(error);
      break;
  }
  unusable_ = "no usable CRL for " + subject_of(cert) + " (" + why + ")";
  return 1;
}

}  // namespace em::trust_detail
