// [plugins] enable and nested plugin tables (SPEC 13) in the configuration.

#include <catch2/catch.hpp>

#include "core/config/config_loader.hpp"
#include "core/util/error.hpp"

namespace {

std::string error_of(const std::string& text) {
  try {
    (void)em::parse_config(text, "emsd.conf");
  } catch (const em::invalid_input& e) {
    return e.what();
  }
  return "(accepted)";
}

}  // namespace

TEST_CASE("[plugins] enable lists the plugins this host loads") {
  auto c =
      em::parse_config("[plugins]\nenable = [\"ping\", \"nginx\", \"service\"]\n", "emsd.conf");
  REQUIRE(c.plugins.enable);
  CHECK(*c.plugins.enable == std::vector<std::string>{"ping", "nginx", "service"});
  CHECK_FALSE(em::parse_config("[plugins]\ndir = \"p\"\n", "emsd.conf").plugins.enable);
  auto none = em::parse_config("[plugins]\nenable = []\n", "emsd.conf");
  REQUIRE(none.plugins.enable);
  CHECK(none.plugins.enable->empty());
}

TEST_CASE("a bad enable list is refused with the place and the reason") {
  CHECK(error_of("[plugins]\nenable = \"nginx\"\n") ==
        "emsd.conf:2:10: plugins.enable: expected an array of strings, got string");
  CHECK(error_of("[plugins]\nenable = [\"ping\", \"\"]\n") ==
        "emsd.conf:2:10: plugins.enable: a plugin name must not be empty");
  CHECK(error_of("[plugins]\nenable = [\"ping\", \"ping\"]\n") ==
        "emsd.conf:2:10: plugins.enable: 'ping' is listed twice");
}

TEST_CASE("a table inside a plugin's table becomes keys \"<table>.<name>\"") {
  auto inline_table = em::parse_config(
      "[plugins.nginx]\nconf = \"/etc/nginx/nginx.conf\"\n"
      "sites = { \"Default Web Site\" = \"/etc/nginx/emservice/exchange\" }\n",
      "emsd.conf");
  const auto& nginx = inline_table.plugins.tables.at("nginx");
  CHECK(nginx.at("conf") == std::vector<std::string>{"/etc/nginx/nginx.conf"});
  CHECK(nginx.at("sites.Default Web Site") ==
        std::vector<std::string>{"/etc/nginx/emservice/exchange"});
  auto section = em::parse_config(
      "[plugins.nginx.sites]\n\"Exchange Back End\" = \"/etc/nginx/emservice/backend\"\n",
      "emsd.conf");
  CHECK(section.plugins.tables.at("nginx").at("sites.Exchange Back End") ==
        std::vector<std::string>{"/etc/nginx/emservice/backend"});
  CHECK(
      error_of("[plugins.nginx.sites.deeper]\nx = 1\n")
          .find(
              "plugins.nginx.sites.deeper: a nested table is not allowed in a plugin's settings") !=
      std::string::npos);
}
