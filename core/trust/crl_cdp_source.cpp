#include "core/trust/crl_cdp_source.hpp"

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <cctype>
#include <climits>
#include <exception>
#include <memory>
#include <utility>

#include "core/fetch/http_client.hpp"
#include "core/util/error.hpp"

namespace em {
namespace {

struct dist_points_deleter {
  void operator()(CRL_DIST_POINTS* p) const { CRL_DIST_POINTS_free(p); }
};
struct bio_deleter {
  void operator()(BIO* b) const { BIO_free(b); }
};

bool has_prefix(const std::string& text, const std::string& prefix) {
  if (text.size() < prefix.size()) return false;
  return std::equal(prefix.begin(), prefix.end(), text.begin(), [](char a, char b) {
    return std::tolower(static_cast<unsigned char>(a)) ==
           std::tolower(static_cast<unsigned char>(b));
  });
}

// What is refused here is never handed to the HTTP client; a URI with control
// characters is also never echoed, since reasons end up in one-line logs.
std::string refusal(const std::string& uri) {
  const bool printable =
      std::all_of(uri.begin(), uri.end(), [](char c) { return c > ' ' && c < 0x7f; });
  if (!printable) return "a CRL distribution point URI with spaces or control characters";
  if (!has_prefix(uri, "http://") && !has_prefix(uri, "https://"))
    return uri + ": not fetched (only http:// and https:// CRL distribution points are)";
  return {};
}

// A distribution point serves one CRL: DER as RFC 5280 says, or PEM, which
// some servers send. Anything else (an HTML error page, a truncated download,
// DER followed by more bytes) is not a CRL.
crl_ptr parse_one_crl(const std::string& bytes) {
  crl_ptr crl;
  if (bytes.empty() || bytes.size() > static_cast<std::size_t>(INT_MAX)) return crl;
  const auto first = bytes.find_first_not_of(" \t\r\n");
  if (first != std::string::npos && bytes.compare(first, 10, "-----BEGIN") == 0) {
    std::unique_ptr<BIO, bio_deleter> in(
        BIO_new_mem_buf(bytes.data(), static_cast<int>(bytes.size())));
    if (in) crl.reset(PEM_read_bio_X509_CRL(in.get(), nullptr, nullptr, nullptr));
  } else {
    const auto* begin = reinterpret_cast<const unsigned char*>(bytes.data());
    const unsigned char* next = begin;
    crl.reset(d2i_X509_CRL(nullptr, &next, static_cast<long>(bytes.size())));
    if (crl && next != begin + bytes.size()) crl.reset();
  }
  ERR_clear_error();
  return crl;
}

// Worth using from, or keeping in, the cache as of `now`: issued under the
// certificate's issuer name, signed by the key of the issuer that signed the
// certificate in the checked chain, and not past its nextUpdate.
bool current_for(X509_CRL* crl, const X509* cert, const X509* issuer, sys_time now) {
  if (X509_NAME_cmp(X509_CRL_get_issuer(crl), X509_get_issuer_name(cert)) != 0) return false;
  const ASN1_TIME* next = X509_CRL_get0_nextUpdate(crl);
  std::time_t at = std::chrono::system_clock::to_time_t(now);
  if (!next || X509_cmp_time(next, &at) <= 0) return false;
  EVP_PKEY* key = issuer ? X509_get0_pubkey(issuer) : nullptr;
  const bool signed_by_issuer = key && X509_CRL_verify(crl, key) == 1;
  ERR_clear_error();
  return signed_by_issuer;
}

}  // namespace

http_limits crl_download_limits() {
  return http_limits{};  // the same defaults as feed_section's
}

crl_cdp_source::crl_cdp_source(crl_fetch_options options)
    : options_(std::move(options)), cache_(options_.cache_folder, options_.cache_bounds) {}

sys_time crl_cdp_source::now() const {
  return options_.now ? options_.now() : std::chrono::system_clock::now();
}

std::vector<std::vector<std::string>> crl_cdp_source::distribution_points(const X509* cert) {
  int crit = 0;
  std::unique_ptr<CRL_DIST_POINTS, dist_points_deleter> points(static_cast<CRL_DIST_POINTS*>(
      X509_get_ext_d2i(cert, NID_crl_distribution_points, &crit, nullptr)));
  ERR_clear_error();
  std::vector<std::vector<std::string>> out;
  if (!points) {
    if (crit == -1) return out;  // no such extension
    throw error(crit == -2 ? "the certificate has two CRL distribution points extensions"
                           : "the certificate's CRL distribution points extension cannot be read");
  }
  for (int i = 0; i < sk_DIST_POINT_num(points.get()); ++i) {
    const DIST_POINT* point = sk_DIST_POINT_value(points.get(), i);
    std::vector<std::string> uris;
    // A name relative to the CRL issuer (type 1) locates nothing fetchable.
    if (point && point->distpoint && point->distpoint->type == 0) {
      const GENERAL_NAMES* names = point->distpoint->name.fullname;
      for (int j = 0; j < sk_GENERAL_NAME_num(names); ++j) {
        const GENERAL_NAME* name = sk_GENERAL_NAME_value(names, j);
        if (!name || name->type != GEN_URI) continue;
        const ASN1_IA5STRING* uri = name->d.uniformResourceIdentifier;
        uris.emplace_back(reinterpret_cast<const char*>(ASN1_STRING_get0_data(uri)),
                          static_cast<std::size_t>(ASN1_STRING_length(uri)));
      }
    }
    out.push_back(std::move(uris));
  }
  return out;
}

crl_candidates crl_cdp_source::crls_for(const X509* cert, const X509* issuer) const {
  crl_candidates out;
  std::vector<std::vector<std::string>> points;
  try {
    points = distribution_points(cert);
  } catch (const std::exception& e) {
    out.problems.emplace_back(e.what());
    return out;
  }
  if (points.empty()) {
    out.problems.emplace_back("the certificate names no CRL distribution point");
    return out;
  }
  std::size_t tried = 0, skipped = 0;
  for (const auto& uris : points) {
    if (uris.empty() && tried < options_.urls_per_certificate)
      out.problems.emplace_back("a CRL distribution point without a URI, which cannot be fetched");
    // The URIs of one distribution point are places of the same CRL.
    for (const auto& uri : uris) {
      if (tried == options_.urls_per_certificate) {
        ++skipped;
        continue;
      }
      ++tried;
      std::string problem = refusal(uri);
      if (problem.empty()) {
        if (auto crl = crl_at(uri, cert, issuer, problem)) {
          out.crls.push_back(std::move(crl));
          break;
        }
      }
      out.problems.push_back(std::move(problem));
    }
  }
  if (skipped > 0)
    out.problems.push_back(std::to_string(skipped) +
                           " more CRL distribution point URL(s) not tried (at most " +
                           std::to_string(options_.urls_per_certificate) + " per certificate)");
  return out;
}

crl_ptr crl_cdp_source::crl_at(const std::string& url, const X509* cert, const X509* issuer,
                               std::string& problem) const {
  const sys_time at = now();
  if (auto cached = cache_.load(url, options_.limits.max_body_size)) {
    const bool young = cached->written <= at && at - cached->written < options_.max_cache_age;
    crl_ptr crl = young ? parse_one_crl(cached->bytes) : nullptr;
    if (crl && current_for(crl.get(), cert, issuer, at)) return crl;
  }
  return download(url, cert, issuer, problem);
}

crl_ptr crl_cdp_source::download(const std::string& url, const X509* cert, const X509* issuer,
                                 std::string& problem) const {
  http_options options;
  options.limits = options_.limits;
  options.allow_plain_http = true;  // a CRL carries its issuer's signature
  try {
    if (options_.proxy) options.proxy = options_.proxy();
  } catch (const std::exception& e) {
    // Not fetched directly instead: the operator configured a proxy for a reason.
    problem = "fetching " + url + ": the proxy to use cannot be read: " + e.what();
    return nullptr;
  }
  const std::string via = options.proxy.empty() ? "" : " through the proxy " + options.proxy;
  std::string bytes;
  try {
    bytes = http_get(url, options);
  } catch (const std::exception& e) {
    problem = "fetching " + url + via + ": " + e.what();
    return nullptr;
  }
  crl_ptr crl = parse_one_crl(bytes);
  if (!crl) {
    problem = "fetching " + url + via + ": not a CRL (" + std::to_string(bytes.size()) +
              " bytes, neither DER nor PEM)";
    return nullptr;
  }
  // A CRL of another issuer, another key or already stale is still handed on,
  // so the verifier says what is wrong with it, but it is not kept.
  if (current_for(crl.get(), cert, issuer, now())) cache_.store(url, bytes);
  return crl;
}

}  // namespace em
