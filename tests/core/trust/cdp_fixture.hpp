#pragma once

#include <string>
#include <vector>

#include "core/trust/crl_cdp_source.hpp"
#include "core/trust/document_verifier.hpp"
#include "tests/core/trust/cdp_pki.hpp"
#include "tests/core/trust/crl_server.hpp"
#include "tests/support/temp_dir.hpp"

namespace em::test {

// A CRL distribution point on 127.0.0.1 serving the current CRLs of a
// cdp_pki's root and ca, and a signer "signer" naming it: what the
// trust.crl_fetch tests verify documents against.
struct cdp_fixture {
  temp_dir dir{"emcdp"};
  crl_server cdp;
  cdp_pki pki{dir / "pki", cdp.url("/root.crl")};

  cdp_fixture();

  // Serves the current CRLs of root (/root.crl) and ca (/ca.crl).
  void publish();

  // Cached in dir/cache; short enough bounds that a trickling server fails quickly.
  crl_fetch_options options() const;

  // `n` URLs of the CDP: /<stem>1.crl … /<stem>n.crl.
  std::vector<std::string> urls(const std::string& stem, int n) const;

  // The PING1 document signed by `signer`, verified with only fetched CRLs.
  verification verify(const std::string& signer, crl_fetch_options o,
                      revocation_mode mode = revocation_mode::require,
                      sys_time at = std::chrono::system_clock::now());

  std::size_t cached_files() const;
};

}  // namespace em::test
