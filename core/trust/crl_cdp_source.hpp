#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "core/fetch/http_limits.hpp"
#include "core/trust/crl_cache.hpp"
#include "core/trust/crl_source.hpp"
#include "core/util/time_util.hpp"

namespace em {

// The bounds of one CRL download when nothing else says: the feed's default
// limits (30 s in all, 1 MiB, header 64 KiB, no redirect). The service passes
// its configured feed limits instead (trust_settings.cpp).
http_limits crl_download_limits();

struct crl_fetch_options {
  // One download, redirects included, is cut at these bounds (SPEC 3: "a
  // bounded size and time"); a CDP that trickles or never ends fails with a reason.
  http_limits limits = crl_download_limits();
  // At most this many distribution point URLs are tried per certificate (in
  // the certificate's order); the rest are said to be skipped. With the
  // download bounds this caps what one certificate can cost in time and bytes.
  std::size_t urls_per_certificate = 2;
  // Where downloaded CRLs are kept until their nextUpdate; empty: no cache.
  std::filesystem::path cache_folder;
  // What the cache may hold, beyond which the oldest entries go (crl_cache).
  crl_cache::bounds cache_bounds;
  // A cached CRL older than this is downloaded again even before its nextUpdate,
  // so a revocation the issuer published since is seen within a day (a CA may
  // issue CRLs valid for weeks and publish new ones sooner).
  std::chrono::seconds max_cache_age{24 * 3600};
  // The proxy for each download ("http://host:port", or empty), asked at fetch
  // time so a change of the server's InternetWebProxy applies at once. May
  // throw: the download is then not attempted and the reason is a problem.
  std::function<std::string()> proxy;
  // The current time, for the cache (tests move it); system_clock when empty.
  std::function<sys_time()> now;
};

// CRLs from each certificate's CRL distribution points (SPEC 3, trust.crl_fetch):
// the fullName URIs of the extension, http:// or https://, at most
// `urls_per_certificate` of them, downloaded with http_get (DER, or one PEM
// CRL) and kept in a crl_cache until their nextUpdate. In a distribution point
// the URIs are alternatives: the first that gives a CRL is used. Every failure
// (no distribution point, another scheme such as ldap://, DNS, timeout,
// status, too large, not a CRL) becomes a problem naming the URL and why,
// which revocation = require turns into the rejection reason.
//
// The verifier asks only about certificates whose signatures it has checked
// up to an anchor, with the issuer that signed each: a CRL is cached only
// when that issuer's key signed it and it is current, so nobody but the
// issuer can put anything in the cache. What is read back is checked again.
class crl_cdp_source : public crl_source {
 public:
  explicit crl_cdp_source(crl_fetch_options options);

  crl_candidates crls_for(const X509* cert, const X509* issuer) const override;

  // The URIs of a certificate's distribution points, every scheme, one list per
  // point (empty for a point named otherwise); none without the extension.
  // Throws em::error when the extension is present but cannot be read.
  static std::vector<std::vector<std::string>> distribution_points(const X509* cert);

 private:
  // A CRL for `url` from the cache or the network, or why there is none.
  crl_ptr crl_at(const std::string& url, const X509* cert, const X509* issuer,
                 std::string& problem) const;
  crl_ptr download(const std::string& url, const X509* cert, const X509* issuer,
                   std::string& problem) const;
  sys_time now() const;

  crl_fetch_options options_;
  crl_cache cache_;
};

}  // namespace em
