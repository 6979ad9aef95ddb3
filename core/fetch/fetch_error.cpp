#include "core/fetch/fetch_error.hpp"

namespace em {

const char* to_string(fetch_failure failure) {
  switch (failure) {
    case fetch_failure::bad_url:
      return "BadUrl";
    case fetch_failure::name_resolution:
      return "NameResolution";
    case fetch_failure::refused:
      return "ConnectionRefused";
    case fetch_failure::unreachable:
      return "Unreachable";
    case fetch_failure::proxy:
      return "Proxy";
    case fetch_failure::tls_handshake:
      return "TlsHandshake";
    case fetch_failure::tls_certificate:
      return "TlsCertificate";
    case fetch_failure::tls_host_name:
      return "TlsHostName";
    case fetch_failure::timeout:
      return "Timeout";
    case fetch_failure::http_status:
      return "HttpStatus";
    case fetch_failure::too_large:
      return "TooLarge";
    case fetch_failure::header_too_large:
      return "HeaderTooLarge";
    case fetch_failure::redirect:
      return "Redirect";
    case fetch_failure::protocol:
      return "Protocol";
    case fetch_failure::internal:
      return "Internal";
  }
  return "Unknown";
}

const char* fetch_error::summary(fetch_failure failure) {
  switch (failure) {
    case fetch_failure::bad_url:
      return "Bad URL";
    case fetch_failure::name_resolution:
      return "DNS name resolution failed";
    case fetch_failure::refused:
      return "Connection refused";
    case fetch_failure::unreachable:
      return "Connection failed";
    case fetch_failure::proxy:
      return "The proxy failed";
    case fetch_failure::tls_handshake:
      return "TLS handshake failed";
    case fetch_failure::tls_certificate:
      return "TLS certificate or its chain validation failed";
    case fetch_failure::tls_host_name:
      return "TLS host name validation failed";
    case fetch_failure::timeout:
      return "Timed out";
    case fetch_failure::http_status:
      return "Unexpected HTTP status";
    case fetch_failure::too_large:
      return "Response too large";
    case fetch_failure::header_too_large:
      return "Response header too large";
    case fetch_failure::redirect:
      return "Redirect refused";
    case fetch_failure::protocol:
      return "Invalid HTTP response";
    case fetch_failure::internal:
      return "Internal error";
  }
  return "Fetch failed";
}

fetch_error::fetch_error(fetch_failure failure, const std::string& details)
    : error(std::string(summary(failure)) + (details.empty() ? "" : ": " + details)),
      failure_(failure) {}

}  // namespace em
