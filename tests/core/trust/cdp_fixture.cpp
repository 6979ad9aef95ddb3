#include "tests/core/trust/cdp_fixture.hpp"

namespace em::test {

cdp_fixture::cdp_fixture() {
  pki.issue_signer("signer", {cdp.url("/ca.crl")});
  publish();
}

void cdp_fixture::publish() {
  cdp.serve_crl("/root.crl", pki.current_crl("root"));
  cdp.serve_crl("/ca.crl", pki.current_crl("ca"));
}

crl_fetch_options cdp_fixture::options() const {
  crl_fetch_options o;
  o.cache_folder = dir / "cache";
  o.limits.total_timeout = std::chrono::seconds(2);
  return o;
}

std::vector<std::string> cdp_fixture::urls(const std::string& stem, int n) const {
  std::vector<std::string> out;
  for (int i = 1; i <= n; ++i)
    out.push_back(cdp.url("/" + stem + std::to_string(i) + ".crl"));
  return out;
}

verification cdp_fixture::verify(const std::string& signer, crl_fetch_options o,
                                 revocation_mode mode, sys_time at) {
  auto settings = pki.trust();
  settings.revocation = mode;
  document_verifier verifier(settings, {std::make_shared<crl_cdp_source>(std::move(o))});
  return verifier.verify(pki.sign(signer), at);
}

std::size_t cdp_fixture::cached_files() const {
  std::size_t n = 0;
  std::error_code ec;
  for (std::filesystem::directory_iterator it(dir / "cache", ec), end; !ec && it != end; ++it)
    ++n;
  return n;
}

}  // namespace em::test
