#include "core/trust/error_capture.hpp"

#include <xmlsec/xmlsec.h>

#include <libxml/globals.h>
#include <openssl/err.h>
#include <xmlsec/errors.h>

#include <algorithm>

namespace em::trust_detail {
namespace {

thread_local error_capture* current = nullptr;

// libxml2's generic channel is printf-style; everything it would print is dropped
// because the structured channel below already records the same errors.
void ignore_generic(void*, const char*, ...) {}

std::string trimmed(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' '))
    s.pop_back();
  return s;
}

}  // namespace

error_capture::error_capture()
    : previous_(current),
      saved_structured_(xmlStructuredError),
      saved_structured_context_(xmlStructuredErrorContext),
      saved_generic_(xmlGenericError),
      saved_generic_context_(xmlGenericErrorContext) {
  current = this;
  xmlSetStructuredErrorFunc(this, &error_capture::on_xml_error);
  xmlSetGenericErrorFunc(nullptr, &ignore_generic);
  ERR_clear_error();
}

error_capture::~error_capture() {
  xmlSetStructuredErrorFunc(saved_structured_context_, saved_structured_);
  xmlSetGenericErrorFunc(saved_generic_context_, saved_generic_);
  current = previous_;
  // Leave no stale OpenSSL errors behind for the next, unrelated, caller.
  ERR_clear_error();
}

void error_capture::on_xml_error(void* self, xmlErrorPtr error) {
  auto* capture = static_cast<error_capture*>(self);
  if (!capture || !error || error->level < XML_ERR_ERROR || !capture->first_xml_error_.empty())
    return;
  std::string text = error->message ? trimmed(error->message) : "unknown error";
  if (error->line > 0) text += " (line " + std::to_string(error->line) + ")";
  capture->first_xml_error_ = text;
}

void error_capture::xmlsec_callback(const char*, int, const char* func, const char*,
                                    const char* error_subject, int reason, const char* msg) {
  if (!current) return;
  std::string text = func ? func : "xmlsec";
  for (xmlSecSize i = 0; i < XMLSEC_ERRORS_MAX_NUMBER && xmlSecErrorsGetMsg(i); ++i) {
    if (xmlSecErrorsGetCode(i) == reason) {
      text += std::string(": ") + xmlSecErrorsGetMsg(i);
      break;
    }
  }
  std::string detail = msg ? trimmed(msg) : "";
  if (!detail.empty() && detail != "details=NULL" && detail != " ") text += ": " + detail;
  if (error_subject && *error_subject && std::string(error_subject) != "unknown")
    text += " [" + std::string(error_subject) + "]";
  current->xmlsec_errors_.push_back(text);
  current->xmlsec_reasons_.push_back(reason);
}

bool error_capture::saw_xmlsec_reason(int reason) const {
  return std::find(xmlsec_reasons_.begin(), xmlsec_reasons_.end(), reason) != xmlsec_reasons_.end();
}

std::string error_capture::summary() const {
  if (!xmlsec_errors_.empty()) return xmlsec_errors_.front();
  if (!first_xml_error_.empty()) return first_xml_error_;
  return "no detail available";
}

}  // namespace em::trust_detail
