#include "core/trust/document_verifier.hpp"

#include <xmlsec/xmlsec.h>

#include <xmlsec/errors.h>
#include <xmlsec/openssl/crypto.h>
#include <xmlsec/openssl/x509.h>
#include <xmlsec/transforms.h>

#include "core/model/document_parser.hpp"
#include "core/trust/certificate_chain.hpp"
#include "core/trust/crl_file_source.hpp"
#include "core/trust/document_limits.hpp"
#include "core/trust/error_capture.hpp"
#include "core/trust/signer_policy.hpp"
#include "core/trust/structure_check.hpp"
#include "core/trust/untrusted_xml.hpp"
#include "core/trust/x509_util.hpp"
#include "core/trust/xmlsec_key.hpp"
#include "core/trust/xmlsec_runtime.hpp"
#include "core/util/error.hpp"

namespace em {

using namespace trust_detail;

namespace {

// Only what SPEC 2 allows may run, even if the structure check missed something.
bool restrict_transforms(xmlSecDSigCtx* ctx) {
  for (xmlSecTransformId id :
       {xmlSecTransformEnvelopedId, xmlSecTransformInclC14NId, xmlSecOpenSSLTransformSha256Id,
        xmlSecOpenSSLTransformSha384Id, xmlSecOpenSSLTransformSha512Id})
    if (xmlSecDSigCtxEnableReferenceTransform(ctx, id) < 0) return false;
  for (xmlSecTransformId id :
       {xmlSecTransformInclC14NId, xmlSecOpenSSLTransformRsaSha256Id,
        xmlSecOpenSSLTransformRsaSha384Id, xmlSecOpenSSLTransformRsaSha512Id,
        xmlSecOpenSSLTransformEcdsaSha256Id, xmlSecOpenSSLTransformEcdsaSha384Id})
    if (xmlSecDSigCtxEnableSignatureTransform(ctx, id) < 0) return false;
  ctx->enabledReferenceUris = xmlSecTransformUriTypeEmpty;
  return true;
}

// The verification key is taken from the certificate whose chain was just
// checked, and from nothing else: xmlsec is handed that key instead of looking
// for one in KeyInfo, so a KeyValue (or any other KeyInfo content) can never
// supply it. (xmlsec 1.2's own X509 lookup cannot accept pinned
// intermediates, which SPEC 3 allows as anchors.)
xmlSecKeyPtr key_of(X509* signer) {
  return make_x509_key(xmlSecOpenSSLX509CertGetKey(signer), signer).release();
}

}  // namespace

struct document_verifier::impl {
  trust_settings settings;
  certificate_chain chain;
  signer_policy policy;

  impl(trust_settings s, std::vector<std::shared_ptr<const crl_source>> sources)
      : settings(std::move(s)),
        chain(settings.anchors, settings.revocation, with_files(settings, std::move(sources))),
        policy(settings.issuer, settings.issuer_key_sha256, settings.eku) {}

  // The CRL files are read even with revocation off, so a wrong path is said
  // at once rather than when revocation is turned on.
  static std::vector<std::shared_ptr<const crl_source>> with_files(
      const trust_settings& s, std::vector<std::shared_ptr<const crl_source>> more) {
    std::vector<std::shared_ptr<const crl_source>> all;
    if (!s.crl_files.empty()) all.push_back(std::make_shared<crl_file_source>(s.crl_files));
    for (auto& m : more)
      if (m) all.push_back(std::move(m));
    return all;
  }

  std::string check(std::string_view bytes, sys_time at, verification& v) const;
  std::string check_signature(const signature_parts& parts, X509* signer, std::time_t at,
                              std::string& canonical) const;
};

document_verifier::document_verifier(
    trust_settings settings, std::vector<std::shared_ptr<const crl_source>> more_crl_sources) {
  xmlsec_runtime::ensure();
  impl_ = std::make_unique<impl>(std::move(settings), std::move(more_crl_sources));
}

document_verifier::~document_verifier() = default;

const trust_settings& document_verifier::settings() const {
  return impl_->settings;
}

verification document_verifier::verify(std::string_view document_bytes, sys_time at) const {
  verification v;
  try {
    v.reason = impl_->check(document_bytes, at, v);
  } catch (const std::exception& e) {
    v.reason = std::string("verification failed: ") + e.what();
  }
  v.verified = v.reason.empty();
  if (!v.verified) {
    v.document = {};
    v.digest.clear();
    v.signer_subject.clear();
    v.signer_issuer.clear();
  }
  return v;
}

std::string document_verifier::impl::check(std::string_view bytes, sys_time at,
                                           verification& v) const {
  if (bytes.size() > settings.max_size)
    return "too large: " + std::to_string(bytes.size()) + " bytes, limit " +
           std::to_string(settings.max_size);
  // Before any tree or canonical form: what these cost is bounded by the limits.
  if (auto why = check_document_limits(bytes); !why.empty()) return why;
  error_capture capture;
  parsed_xml parsed = parse_untrusted_xml(bytes);
  if (!parsed.doc) return parsed.reason;
  signature_parts parts;
  if (auto why = check_structure(parsed.doc.get(), parts); !why.empty()) return why;

  const std::time_t at_time = std::chrono::system_clock::to_time_t(at);
  auto chain_outcome = chain.verify(parts.certificates_der, at_time);
  if (!chain_outcome.signer) return chain_outcome.reason;
  X509* signer = chain_outcome.signer.get();
  if (auto why = policy.check(signer, chain_outcome.chain); !why.empty()) return why;

  std::string canonical;
  if (auto why = check_signature(parts, signer, at_time, canonical); !why.empty()) return why;

  // What was verified is what is parsed: the canonical bytes that were digested.
  try {
    v.document = parse_mitigation_document(canonical);
  } catch (const error& e) {
    return e.what();
  }
  if (v.document.expires && at >= *v.document.expires)
    return "expired document (expires " + format_rfc3339(*v.document.expires) + ")";
  v.digest = hex_sha256(canonical);
  v.signer_subject = subject_of(signer);
  v.signer_issuer = issuer_of(signer);
  return {};
}

std::string document_verifier::impl::check_signature(const signature_parts& parts, X509* signer,
                                                     std::time_t at, std::string& canonical) const {
  error_capture capture;
  dsig_ctx_ptr ctx(xmlSecDSigCtxCreate(nullptr));
  if (!ctx || !restrict_transforms(ctx.get()))
    return "signature processing failed: " + capture.summary();
  ctx->flags = XMLSEC_DSIG_FLAGS_IGNORE_MANIFESTS | XMLSEC_DSIG_FLAGS_STORE_SIGNEDINFO_REFERENCES;
  // Belt and braces: should xmlsec ever read KeyInfo, only X509Data counts, as of `at`.
  if (xmlSecPtrListAdd(&ctx->keyInfoReadCtx.enabledKeyData,
                       const_cast<void*>(static_cast<const void*>(xmlSecOpenSSLKeyDataX509Id))) < 0)
    return "signature processing failed: " + capture.summary();
  ctx->keyInfoReadCtx.certsVerificationTime = at;
  ctx->signKey = key_of(signer);
  if (!ctx->signKey) return "no usable key in " + subject_of(signer);

  if (xmlSecDSigCtxVerify(ctx.get(), parts.signature) < 0) {
    if (capture.saw_xmlsec_reason(XMLSEC_ERRORS_R_KEY_NOT_FOUND))
      return "no usable key: the key of " + subject_of(signer) + " does not fit " +
             parts.signature_method;
    return "signature processing failed: " + capture.summary();
  }
  if (xmlSecPtrListGetSize(&ctx->signedInfoReferences) != 1)
    return "signature processing failed: expected one processed Reference";
  auto* reference =
      static_cast<xmlSecDSigReferenceCtxPtr>(xmlSecPtrListGetItem(&ctx->signedInfoReferences, 0));
  if (!reference) return "signature processing failed: no processed Reference";
  if (ctx->status != xmlSecDSigStatusSucceeded)
    return reference->status != xmlSecDSigStatusSucceeded ? "bad digest" : "bad signature";

  xmlSecBufferPtr buffer = xmlSecDSigReferenceCtxGetPreDigestBuffer(reference);
  if (!buffer || xmlSecBufferGetSize(buffer) == 0)
    return "signature processing failed: no canonical data was kept";
  canonical.assign(reinterpret_cast<const char*>(xmlSecBufferGetData(buffer)),
                   xmlSecBufferGetSize(buffer));
  return {};
}

}  // namespace em
