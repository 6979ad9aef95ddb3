#pragma once

#include <string>

#include "core/trust/xml_handles.hpp"

namespace em::trust_detail {

// Parses a configured distinguished name so it can be compared with a
// certificate's by X509_NAME_cmp (which ignores case, spacing and string
// types, as RFC 5280 name matching does) instead of by text.
//
// Accepts RFC 2253 / RFC 4514 text, most specific first
// ("CN=EM Test Code Signing CA,O=EM Test", with \-escapes, "+" for
// multi-valued RDNs), or OpenSSL's one-line form, most general first
// ("/O=EM Test/CN=EM Test Code Signing CA"). Throws em::invalid_input naming
// what is wrong.
x509_name_ptr parse_distinguished_name(const std::string& text);

}  // namespace em::trust_detail
