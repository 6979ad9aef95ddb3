#pragma once

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <xmlsec/keys.h>
#include <xmlsec/xmldsig.h>

#include <memory>

namespace em::trust_detail {

// Owning handles for the C objects of libxml2, xmlsec and OpenSSL, so every
// early return (a rejection is an early return) frees what it made.
template <typename T, void (*Free)(T*)>
struct c_deleter {
  void operator()(T* p) const {
    if (p) Free(p);
  }
};

inline void free_x509_stack(STACK_OF(X509) * s) {
  sk_X509_pop_free(s, X509_free);
}
inline void free_bio(BIO* b) {
  BIO_free(b);
}

using xml_doc_ptr = std::unique_ptr<xmlDoc, c_deleter<xmlDoc, xmlFreeDoc>>;
using parser_ctxt_ptr = std::unique_ptr<xmlParserCtxt, c_deleter<xmlParserCtxt, xmlFreeParserCtxt>>;
using dsig_ctx_ptr = std::unique_ptr<xmlSecDSigCtx, c_deleter<xmlSecDSigCtx, xmlSecDSigCtxDestroy>>;
using xmlsec_key_ptr = std::unique_ptr<xmlSecKey, c_deleter<xmlSecKey, xmlSecKeyDestroy>>;
using x509_ptr = std::unique_ptr<X509, c_deleter<X509, X509_free>>;
using x509_name_ptr = std::unique_ptr<X509_NAME, c_deleter<X509_NAME, X509_NAME_free>>;
using x509_stack_ptr = std::unique_ptr<STACK_OF(X509), c_deleter<STACK_OF(X509), free_x509_stack>>;
using x509_store_ptr = std::unique_ptr<X509_STORE, c_deleter<X509_STORE, X509_STORE_free>>;
using x509_store_ctx_ptr =
    std::unique_ptr<X509_STORE_CTX, c_deleter<X509_STORE_CTX, X509_STORE_CTX_free>>;
using evp_pkey_ptr = std::unique_ptr<EVP_PKEY, c_deleter<EVP_PKEY, EVP_PKEY_free>>;
using bio_ptr = std::unique_ptr<BIO, c_deleter<BIO, free_bio>>;

}  // namespace em::trust_detail
