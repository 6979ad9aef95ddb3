#include "core/trust/x509_util.hpp"

#include <openssl/asn1.h>
#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include <cstdio>
#include <ctime>

namespace em::trust_detail {

std::string rfc2253(const X509_NAME* name) {
  if (!name) return "";
  bio_ptr bio(BIO_new(BIO_s_mem()));
  if (!bio) return "";
  // RFC 2253 escaping, but UTF-8 left readable instead of \XX-escaped.
  unsigned long flags = XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB;
  if (X509_NAME_print_ex(bio.get(), name, 0, flags) < 0) return "";
  char* data = nullptr;
  long size = BIO_get_mem_data(bio.get(), &data);
  return size > 0 ? std::string(data, static_cast<size_t>(size)) : std::string();
}

std::string subject_of(const X509* cert) {
  return rfc2253(X509_get_subject_name(cert));
}
std::string issuer_of(const X509* cert) {
  return rfc2253(X509_get_issuer_name(cert));
}

std::string rfc3339(const ASN1_TIME* t) {
  std::tm tm{};
  if (!t || ASN1_TIME_to_tm(t, &tm) != 1) return "unknown time";
  // Formatted from the broken-down time: a certificate may say 9999-12-31,
  // beyond what a system_clock time point can hold.
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900, tm.tm_mon + 1,
                tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
  return buf;
}

x509_ptr parse_der_certificate(std::string_view der) {
  auto* begin = reinterpret_cast<const unsigned char*>(der.data());
  const unsigned char* p = begin;
  x509_ptr cert(d2i_X509(nullptr, &p, static_cast<long>(der.size())));
  ERR_clear_error();
  // Trailing bytes after the certificate mean this is not one DER certificate.
  if (!cert || p != begin + der.size()) return nullptr;
  return cert;
}

std::string public_key_sha256(const X509* cert) {
  unsigned char* der = nullptr;
  const int size = i2d_PUBKEY(X509_get0_pubkey(cert), &der);
  ERR_clear_error();
  if (size <= 0) return "";
  std::string out = hex_sha256(std::string_view(reinterpret_cast<const char*>(der), size));
  OPENSSL_free(der);
  return out;
}

std::vector<x509_ptr> parse_certificates(std::string_view bytes) {
  std::vector<x509_ptr> out;
  if (bytes.find("-----BEGIN") != std::string_view::npos) {
    bio_ptr bio(BIO_new_mem_buf(bytes.data(), static_cast<int>(bytes.size())));
    while (bio) {
      X509* cert = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr);
      if (!cert) break;
      out.emplace_back(cert);
    }
  } else if (auto cert = parse_der_certificate(bytes)) {
    out.push_back(std::move(cert));
  }
  ERR_clear_error();  // PEM_read_bio_X509 leaves "no start line" at the end of the text
  return out;
}

std::optional<std::vector<std::string>> extended_key_usages(const X509* cert) {
  int crit = 0;
  auto* eku =
      static_cast<EXTENDED_KEY_USAGE*>(X509_get_ext_d2i(cert, NID_ext_key_usage, &crit, nullptr));
  if (!eku) return std::nullopt;
  std::vector<std::string> out;
  for (int i = 0; i < sk_ASN1_OBJECT_num(eku); ++i) {
    char buf[128];
    int n = OBJ_obj2txt(buf, sizeof buf, sk_ASN1_OBJECT_value(eku, i), 1);
    if (n > 0 && n < static_cast<int>(sizeof buf)) out.emplace_back(buf, static_cast<size_t>(n));
  }
  EXTENDED_KEY_USAGE_free(eku);
  return out;
}

std::optional<std::string> normalize_oid(const std::string& text) {
  ASN1_OBJECT* obj = OBJ_txt2obj(text.c_str(), 1);  // 1: dotted numbers only
  if (!obj) {
    ERR_clear_error();
    return std::nullopt;
  }
  char buf[128];
  int n = OBJ_obj2txt(buf, sizeof buf, obj, 1);
  ASN1_OBJECT_free(obj);
  if (n <= 0 || n >= static_cast<int>(sizeof buf)) return std::nullopt;
  return std::string(buf, static_cast<size_t>(n));
}

std::string hex_sha256(std::string_view bytes) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_Digest(bytes.data(), bytes.size(), md, &len, EVP_sha256(), nullptr) != 1) return "";
  static const char* digits = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < len; ++i) {
    out += digits[md[i] >> 4];
    out += digits[md[i] & 0xf];
  }
  return out;
}

}  // namespace em::trust_detail
