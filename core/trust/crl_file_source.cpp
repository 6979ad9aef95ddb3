#include "core/trust/crl_file_source.hpp"

#include <openssl/err.h>
#include <openssl/pem.h>

#include <climits>
#include <string>
#include <string_view>

#include "core/util/error.hpp"
#include "core/util/file_util.hpp"

namespace em {
namespace {

// A CRL of a large CA can reach tens of megabytes; more than this is not one we use.
constexpr std::size_t max_crl_file = 64 * 1024 * 1024;

std::vector<crl_ptr> parse_crls(std::string_view bytes) {
  std::vector<crl_ptr> out;
  if (bytes.size() > static_cast<std::size_t>(INT_MAX)) return out;
  if (bytes.find("-----BEGIN") != std::string_view::npos) {
    BIO* bio = BIO_new_mem_buf(bytes.data(), static_cast<int>(bytes.size()));
    while (bio) {
      X509_CRL* crl = PEM_read_bio_X509_CRL(bio, nullptr, nullptr, nullptr);
      if (!crl) break;
      out.emplace_back(crl);
    }
    BIO_free(bio);
  } else {
    auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
    X509_CRL* crl = d2i_X509_CRL(nullptr, &p, static_cast<long>(bytes.size()));
    // Trailing bytes mean this is not one DER CRL.
    if (crl && p == reinterpret_cast<const unsigned char*>(bytes.data()) + bytes.size())
      out.emplace_back(crl);
    else
      X509_CRL_free(crl);
  }
  ERR_clear_error();  // PEM reading leaves "no start line" at the end of the text
  return out;
}

}  // namespace

crl_file_source::crl_file_source(const std::vector<std::filesystem::path>& files) {
  for (const auto& file : files) {
    std::string bytes;
    try {
      bytes = read_file(file, max_crl_file);
    } catch (const error& e) {
      throw invalid_input("CRL file " + file.string() + " cannot be read: " + e.what());
    }
    auto crls = parse_crls(bytes);
    if (crls.empty())
      throw invalid_input("CRL file " + file.string() + " holds no CRL (PEM or DER expected)");
    for (auto& crl : crls)
      crls_.push_back(std::move(crl));
  }
}

crl_candidates crl_file_source::crls_for(const X509* cert, const X509*) const {
  crl_candidates out;
  const X509_NAME* issuer = X509_get_issuer_name(cert);
  for (const auto& crl : crls_) {
    if (X509_NAME_cmp(X509_CRL_get_issuer(crl.get()), issuer) != 0) continue;
    // Shared, read-only after construction: each caller gets its own reference.
    X509_CRL_up_ref(crl.get());
    out.crls.emplace_back(crl.get());
  }
  return out;
}

}  // namespace em
