#include "tests/core/trust/trust_fixtures.hpp"

#include <catch2/catch.hpp>

#include <chrono>

#include "tests/support/temp_dir.hpp"
#include "tests/support/test_paths.hpp"

namespace em::test {

const char* const unsigned_eocs = R"(<?xml version="1.0" encoding="utf-8"?>
<EOCS version="1.0.4">
  <Config id="PING1" desc="EEMS Heartbeat probe. Does not modify any exchange settings.">
    <ActionList>
      <Action type="DoNothing" scope="Server" desc="Ping mitigation action.">
        <Value>DoNothing</Value>
      </Action>
    </ActionList>
  </Config>
  <Config id="M1" desc="Mitigation of CVE-2022-41040 via URL Rewrite configuration">
    <Applicability>
      <Range product="Exchange2019" min="15.2.221.12" max="15.2.986.30"/>
      <Range product="Exchange2019" min="15.2.1118.0" max="15.2.1118.15"/>
    </Applicability>
    <ActionList>
      <Action type="UrlRewrite" scope="Site" target="Default Web Site" desc="Block autodiscover PowerShell requests">
        <Value><rule name="EEMS M1.1 PowerShell - inbound" stopProcessing="true"><match url=".*"/><action type="AbortRequest"/></rule></Value>
      </Action>
    </ActionList>
    <Rollback>Remove the rule.</Rollback>
  </Config>
</EOCS>
)";

std::filesystem::path pki_file(const std::string& name) {
  return test_pki() / name;
}

std::string sign_with(const std::string& xml, const std::string& signer,
                      std::optional<std::uint64_t> sequence, std::optional<sys_time> expires) {
  signing_request request;
  request.key_file = pki_file(signer + ".key");
  request.cert_file = pki_file(signer + ".pem");
  request.chain_files = {pki_file("chain.pem")};
  request.sequence = sequence;
  request.expires = expires;
  return sign_document(xml, request);
}

trust_settings test_trust() {
  trust_settings s;
  s.anchors = {pki_file("root.pem")};
  s.eku = {"1.3.6.1.5.5.7.3.3"};
  return s;
}

verification verify_now(const std::string& xml, const trust_settings& settings) {
  document_verifier verifier(settings);
  return verifier.verify(xml, std::chrono::system_clock::now());
}

std::string replace_once(std::string text, const std::string& from, const std::string& to) {
  auto pos = text.find(from);
  REQUIRE(pos != std::string::npos);
  return text.replace(pos, from.size(), to);
}

std::string pem_body(const std::filesystem::path& pem) {
  std::string text = read_text(pem), body;
  auto begin = text.find('\n', text.find("-----BEGIN CERTIFICATE-----"));
  auto end = text.find("-----END CERTIFICATE-----");
  REQUIRE(begin != std::string::npos);
  REQUIRE(end != std::string::npos);
  for (char c : text.substr(begin, end - begin))
    if (c != '\n' && c != '\r') body += c;
  return body;
}

sys_time time_at(const std::string& rfc3339) {
  auto t = parse_rfc3339(rfc3339);
  REQUIRE(t);
  return *t;
}

}  // namespace em::test
