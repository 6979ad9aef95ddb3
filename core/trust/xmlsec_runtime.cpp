#include "core/trust/xmlsec_runtime.hpp"

#include <xmlsec/xmlsec.h>

#include <libxml/parser.h>
#include <xmlsec/crypto.h>
#include <xmlsec/errors.h>

#include <mutex>
#include <string>

#include "core/trust/error_capture.hpp"
#include "core/util/error.hpp"

namespace em::trust_detail {
namespace {

std::once_flag once;
std::string init_failure;

std::string init_steps() {
  // Installed before anything else so initialisation failures are captured, not printed.
  xmlSecErrorsSetCallback(&error_capture::xmlsec_callback);
  if (xmlSecInit() < 0) return "xmlsec initialisation failed";
  if (xmlSecCheckVersion() != 1)
    return "the xmlsec library loaded is not the one EM Service was built with";
  if (xmlSecCryptoAppInit(nullptr) < 0 || xmlSecCryptoInit() < 0)
    return "xmlsec OpenSSL crypto initialisation failed";
  // The OpenSSL layer installs its own (printing) callback in its init: take it back.
  xmlSecErrorsSetCallback(&error_capture::xmlsec_callback);
  return {};
}

void init() {
  xmlInitParser();
  error_capture capture;
  init_failure = init_steps();
  if (!init_failure.empty()) init_failure += ": " + capture.summary();
}

}  // namespace

void xmlsec_runtime::ensure() {
  std::call_once(once, init);
  if (!init_failure.empty()) throw error(init_failure);
}

}  // namespace em::trust_detail
