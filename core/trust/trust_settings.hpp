#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/config/service_config.hpp"
#include "core/trust/crl_source.hpp"

namespace em {

// Everything the verifier needs to decide whether to trust a document. Built
// from the configuration's [trust] and [feed] sections, or from emctl verify's flags.
struct trust_settings {
  std::vector<std::filesystem::path> anchors;
  std::optional<std::string> issuer;  // required issuer DN of the signer
  // Required SHA-256 (hex) of the signer's issuer's SubjectPublicKeyInfo: a
  // pin on the issuing key, which a copied name cannot pass.
  std::optional<std::string> issuer_key_sha256;
  std::vector<std::string> eku;                  // signer needs at least one of these OIDs
  std::vector<std::filesystem::path> crl_files;  // PEM or DER CRLs
  // SPEC 3's default: without a usable CRL for each certificate of the chain
  // (the anchor aside) a document is rejected. Turning it down is explicit.
  revocation_mode revocation = revocation_mode::require;
  std::uint64_t max_size = 1024 * 1024;

  static trust_settings from_config(const service_config& config);
};

// Where downloaded CRLs are kept: beside the store, <folder of store.path>/crl-cache.
std::filesystem::path crl_cache_folder(const service_config& config);

// The CRL sources the configuration asks for besides trust.crl_files, for the
// document_verifier: with trust.crl_fetch, each certificate's CRL distribution
// points (crl_cdp_source, cached in crl_cache_folder, each download bounded by
// the feed's limits: feed.timeout, feed.max_size, …); none otherwise. `proxy`
// is asked at each download, so a changed InternetWebProxy applies at once;
// empty: direct connections.
std::vector<std::shared_ptr<const crl_source>> configured_crl_sources(
    const service_config& config, std::function<std::string()> proxy = {});

}  // namespace em
