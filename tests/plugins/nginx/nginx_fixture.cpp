#include "tests/plugins/nginx/nginx_fixture.hpp"

#include <catch2/catch.hpp>

namespace em::test {

const char* const proxynotshell =
    "/autodiscover/autodiscover.json?@evil.com/PowerShell/?X-Rps-CAT=x";

nginx_fixture::nginx_fixture()
    : backend(counting_backend()), nginx(backend.port()), baseline_(backend.requests().size()) {}

std::map<std::string, std::string> nginx_fixture::settings() const {
  return {{"conf", toml_string(nginx.conf().string())},
          {"sites", "{ \"Default Web Site\" = " + toml_string(nginx.sites().string()) + " }"},
          {"nginx", toml_string(nginx_binary().string())},
          {"reload_command", toml_list(nginx.reload_command())}};
}

std::unique_ptr<plugin_harness> nginx_fixture::harness(
    const std::map<std::string, std::string>& extra) const {
  auto s = settings();
  for (const auto& [k, v] : extra)
    s[k] = v;
  std::string table;
  for (const auto& [k, v] : s)
    table += k + " = " + v + "\n";
  return std::make_unique<plugin_harness>(plugins_with("nginx", table), em::iis_section{});
}

emservice::action nginx_fixture::m1(const std::string& id) const {
  return make_action(id, "UrlRewrite", "Site", "Default Web Site", m1_rule_xml);
}

bool nginx_fixture::blocked(const std::string& target) const {
  return !send_raw(nginx.port(), "GET", target).answered;
}

emservice::outcome nginx_fixture::reloading(const std::function<emservice::outcome()>& step) const {
  const auto before = nginx.workers();
  auto r = step();
  if (r.ok && r.message.find("nginx reloaded") != std::string::npos) {
    INFO(r.message);
    REQUIRE(nginx.reloaded_since(before));
  }
  return r;
}

}  // namespace em::test
