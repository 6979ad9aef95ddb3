#pragma once

#include <vector>

#include "core/trust/xml_handles.hpp"

namespace em::trust_detail {

// An xmlsec key of `value` (taken over, and freed here on failure) that
// carries `key_cert` as the certificate of its key and `certs` as further
// certificates (those that KeyInfo's X509Data lists when signing). The
// certificates are shared, not copied. Null when xmlsec refuses any part.
xmlsec_key_ptr make_x509_key(xmlSecKeyDataPtr value, X509* key_cert,
                             const std::vector<X509*>& certs = {});

}  // namespace em::trust_detail
