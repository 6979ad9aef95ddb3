#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/config/service_config.hpp"

namespace em {

// Everything the verifier needs to decide whether to trust a document. Built
// from the configuration's [trust] and [feed] sections, or from emctl verify's flags.
// Revocation (trust.crl_files, crl_fetch, revocation) is not part of it yet.
struct trust_settings {
  std::vector<std::filesystem::path> anchors;
  std::optional<std::string> issuer;  // required issuer DN of the signer
  std::vector<std::string> eku;       // signer needs at least one of these OIDs
  std::uint64_t max_size = 1024 * 1024;

  static trust_settings from_config(const service_config& config);
};

}  // namespace em
