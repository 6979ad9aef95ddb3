#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/trust/trust_settings.hpp"
#include "core/util/time_util.hpp"

namespace em::test {

// How a corpus document is verified: the trust emctl verify's flags would give.
struct corpus_trust {
  std::vector<std::filesystem::path> anchors;
  std::vector<std::filesystem::path> crls;
  std::string revocation = "require";
  std::optional<std::string> issuer;
  std::optional<std::string> issuer_key_sha256;
  std::vector<std::string> eku{"1.3.6.1.5.5.7.3.3"};
  std::optional<std::uint64_t> max_size;
  std::string at = "2030-06-01T00:00:00Z";  // every certificate and CRL is dated around it

  trust_settings settings() const;
  sys_time time() const;
  std::vector<std::string> emctl_flags() const;  // --anchor … --at …
};

struct corpus_document {
  std::string name;
  std::filesystem::path file;
  corpus_trust trust;
  std::string reason;                     // the exact rejection reason; empty when it verifies
  std::vector<std::string> actions;       // when it verifies: the action IDs parsed, in order
  std::vector<std::string> rejected_ids;  // when it verifies: the Configs rejected alone
};

// The attack corpus of issues 3 and 12, made once per process in a temporary folder by
// the openssl and xmlsec1 command-line programs (never by the project's own
// signer): a root, intermediates, good and bad signers, CRLs, and a signed
// document for every rejection reason plus the good ones. Throws when a tool fails.
const std::vector<corpus_document>& trust_corpus();

}  // namespace em::test
