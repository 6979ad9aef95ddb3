#pragma once

namespace em::trust_detail {

// libxml2, xmlsec and its OpenSSL crypto layer keep process-wide state that
// must be set up once, before the first document, and never torn down while
// another thread may still use it: ensure() does that exactly once.
class xmlsec_runtime {
 public:
  static void ensure();
};

}  // namespace em::trust_detail
