#include "tools/emctl/accepted_document.hpp"

#include "core/trust/trust_settings.hpp"
#include "core/util/error.hpp"
#include "core/util/file_util.hpp"
#include "core/util/time_util.hpp"

namespace emctl {

em::verification verify_accepted(const em::service_config& config,
                                 const em::stored_document& stored,
                                 const std::string& nothing_done) {
  auto trust = em::trust_settings::from_config(config);
  trust.revocation = em::revocation_mode::off;
  em::document_verifier verifier(trust);
  auto v = verifier.verify(stored.bytes, stored.fetched_at);
  if (!v.verified)
    throw em::error("the last accepted document (fetched " + em::format_rfc3339(stored.fetched_at) +
                    ") does not verify with the configured trust: " + v.reason + "; " +
                    nothing_done);
  return v;
}

em::verification verify_file(const em::service_config& config, const std::filesystem::path& file) {
  em::document_verifier verifier(em::trust_settings::from_config(config),
                                 em::configured_crl_sources(config));
  std::string bytes;
  try {
    bytes = em::read_file(file, static_cast<std::size_t>(verifier.settings().max_size));
  } catch (const em::error& e) {
    throw em::invalid_input(e.what());
  }
  auto v = verifier.verify(bytes, std::chrono::system_clock::now());
  if (!v.verified) throw em::error(file.string() + ": Rejected: " + v.reason);
  return v;
}

}  // namespace emctl
