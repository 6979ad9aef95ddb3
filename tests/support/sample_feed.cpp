#include "tests/support/sample_feed.hpp"

#include "tests/support/temp_dir.hpp"
#include "tests/support/test_paths.hpp"

namespace em::test {

const char* const ping_document = R"(<?xml version="1.0" encoding="utf-8"?>
<EOCS version="1.0.4">
  <Config id="PING1" desc="EEMS Heartbeat probe. Does not modify any exchange settings.">
    <ActionList>
      <Action type="DoNothing" scope="Server" desc="Ping mitigation action."><Value>DoNothing</Value></Action>
    </ActionList>
  </Config>
</EOCS>
)";

command_result sign_feed(const std::string& unsigned_xml, const std::filesystem::path& out,
                         const std::string& sequence, const std::filesystem::path& emfeed) {
  auto input = out;
  input += ".unsigned";
  write_text(input, unsigned_xml);
  const auto& pki = test_pki();
  return run_command({(emfeed.empty() ? emfeed_path() : emfeed).string(), "sign", "--key",
                      (pki / "signer.key").string(), "--cert", (pki / "signer.pem").string(),
                      "--chain", (pki / "chain.pem").string(), "--sequence", sequence,
                      input.string(), out.string()});
}

}  // namespace em::test
