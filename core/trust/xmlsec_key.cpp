#include "core/trust/xmlsec_key.hpp"

#include <xmlsec/openssl/x509.h>

namespace em::trust_detail {

xmlsec_key_ptr make_x509_key(xmlSecKeyDataPtr value, X509* key_cert,
                             const std::vector<X509*>& certs) {
  if (!value) return nullptr;
  xmlsec_key_ptr key(xmlSecKeyCreate());
  if (!key || xmlSecKeySetValue(key.get(), value) < 0) {
    xmlSecKeyDataDestroy(value);
    return nullptr;
  }
  xmlSecKeyDataPtr x509 = xmlSecKeyEnsureData(key.get(), xmlSecOpenSSLKeyDataX509Id);
  if (!x509) return nullptr;
  // xmlsec frees what it adopts; a reference of our own goes with each.
  auto adopt = [x509](X509* cert, bool is_key_cert) {
    X509_up_ref(cert);
    int rc = is_key_cert ? xmlSecOpenSSLKeyDataX509AdoptKeyCert(x509, cert)
                         : xmlSecOpenSSLKeyDataX509AdoptCert(x509, cert);
    if (rc < 0) X509_free(cert);
    return rc >= 0;
  };
  if (!adopt(key_cert, true)) return nullptr;
  for (X509* cert : certs)
    if (!adopt(cert, false)) return nullptr;
  return key;
}

}  // namespace em::trust_detail
