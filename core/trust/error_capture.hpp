#pragma once

#include <libxml/xmlerror.h>

#include <string>
#include <vector>

namespace em::trust_detail {

// While alive, collects on this thread what libxml2 and xmlsec would otherwise
// print on stderr, so a rejection or an em::error can say why in one line and
// a hostile document cannot flood the service's output.
class error_capture {
 public:
  error_capture();
  ~error_capture();
  error_capture(const error_capture&) = delete;
  error_capture& operator=(const error_capture&) = delete;

  // The first libxml2 error, e.g. "Opening and ending tag mismatch: a line 3 and b (line 3)".
  const std::string& first_xml_error() const { return first_xml_error_; }
  // xmlsec's errors, oldest first, each as "<function>: <message>".
  const std::vector<std::string>& xmlsec_errors() const { return xmlsec_errors_; }
  bool saw_xmlsec_reason(int reason) const;
  // A one-line summary of what went wrong, for an em::error.
  std::string summary() const;

  // Installed once as xmlsec's process-wide error callback.
  static void xmlsec_callback(const char* file, int line, const char* func,
                              const char* error_object, const char* error_subject, int reason,
                              const char* msg);

 private:
  std::string first_xml_error_;
  std::vector<std::string> xmlsec_errors_;
  std::vector<int> xmlsec_reasons_;
  error_capture* previous_;
  xmlStructuredErrorFunc saved_structured_;
  void* saved_structured_context_;
  xmlGenericErrorFunc saved_generic_;
  void* saved_generic_context_;

  static void on_xml_error(void* self, xmlErrorPtr error);
};

}  // namespace em::trust_detail
