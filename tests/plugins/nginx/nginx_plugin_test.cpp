// The nginx plugin through the real loader, against a real nginx in front of
// a backend that counts requests: the real M1 rule applied, in effect,
// idempotent, rolled back; reloads, never restarts.

#include <catch2/catch.hpp>

#include <filesystem>

#include "tests/plugins/nginx/nginx_fixture.hpp"
#include "tests/support/temp_dir.hpp"

using namespace em::test;
namespace fs = std::filesystem;

TEST_CASE("M1 applied through the nginx plugin stops ProxyNotShell at a real nginx") {
  EM_SKIP_WITHOUT_NGINX()
  nginx_fixture f;
  auto h = f.harness();
  auto& nginx = h->applier("UrlRewrite");
  const auto m1 = f.m1();

  // Before: nginx passes the exploit on.
  REQUIRE(send_raw(f.nginx.port(), "GET", proxynotshell).status == 200);
  REQUIRE(f.backend_count() == 1);
  CHECK(nginx.validate(m1).ok);
  auto before = nginx.check(m1);
  CHECK(before.state == emservice::check_state::not_in_effect);
  CHECK_THAT(before.message, Catch::Contains("does not exist"));

  const int master = f.nginx.master_pid();
  const auto workers = f.nginx.workers();
  auto applied = f.reloading([&] { return nginx.apply(m1); });
  INFO(applied.message);
  REQUIRE(applied.ok);
  CHECK_THAT(applied.message,
             Catch::Contains("wrote " + (f.nginx.sites() / "emservice-M1.1.conf").string()));
  CHECK_THAT(applied.message, Catch::EndsWith("nginx -t passed and nginx reloaded"));
  CHECK(folder_files(f.nginx.sites()).size() == 3);  // the rule, the common file, the njs script

  REQUIRE(f.blocked(proxynotshell));
  // Reloaded, not restarted: the same master, new workers.
  CHECK(f.nginx.master_pid() == master);
  CHECK(f.nginx.workers() != workers);
  const auto seen = f.backend_count();
  CHECK_FALSE(send_raw(f.nginx.port(), "GET", proxynotshell).answered);
  CHECK_FALSE(send_raw(f.nginx.port(), "GET", "/autodiscover/autodiscover.json?@x/%2570owershell")
                  .answered);
  CHECK(f.backend_count() == seen);
  for (const char* ordinary :
       {"/owa/", "/ecp/", "/autodiscover/autodiscover.xml", "/mapi/emsmdb", "/EWS/Exchange.asmx"}) {
    auto r = send_raw(f.nginx.port(), "GET", ordinary);
    CHECK(r.status == 200);
    CHECK(r.body == std::string("backend saw ") + ordinary);
  }

  auto in_effect = nginx.check(m1);
  CHECK(in_effect.state == emservice::check_state::in_effect);
  CHECK_THAT(in_effect.message, Catch::Contains("EEMS M1.1 PowerShell - inbound"));
  auto again = f.reloading([&] { return nginx.apply(m1); });
  CHECK(again.ok);
  CHECK_THAT(again.message,
             Catch::StartsWith("rule \"EEMS M1.1 PowerShell - inbound\" is already in"));

  auto rolled = f.reloading([&] { return nginx.rollback(m1); });
  INFO(rolled.message);
  REQUIRE(rolled.ok);
  CHECK_THAT(rolled.message,
             Catch::Contains("removed " + (f.nginx.sites() / "emservice-M1.1.conf").string()));
  CHECK(folder_files(f.nginx.sites()).size() == 0);
  REQUIRE_FALSE(f.blocked(proxynotshell));
  CHECK(nginx.check(m1).state == emservice::check_state::not_in_effect);
  CHECK_FALSE(h->store().get_plugin_value("EX01", "nginx", "action M1.1"));
  CHECK_FALSE(h->store().get_plugin_value("EX01", "nginx", "folder " + f.nginx.sites().string()));
  CHECK(f.nginx.master_pid() == master);
}

TEST_CASE("a folder's common files stay while another rule needs them") {
  EM_SKIP_WITHOUT_NGINX()
  nginx_fixture f;
  auto h = f.harness();
  auto& nginx = h->applier("UrlRewrite");
  auto m1 = f.m1();
  auto cookie = make_action(
      "M2.1", "UrlRewrite", "Site", "Default Web Site",
      "<rule name=\"EEMS M2.1 X-BEResource\"><match url=\".*\"/><conditions>"
      "<add input=\"{HTTP_COOKIE}\" pattern=\"(.*)X-BEResource=(.+)/(.+)~(.+)\"/></conditions>"
      "<action type=\"CustomResponse\" statusCode=\"403\" statusReason=\"Forbidden\" "
      "statusDescription=\"Blocked by EM Service ($M2)\"/></rule>");
  REQUIRE(f.reloading([&] { return nginx.apply(m1); }).ok);
  auto second = f.reloading([&] { return nginx.apply(cookie); });
  INFO(second.message);
  REQUIRE(second.ok);
  CHECK(folder_files(f.nginx.sites()).size() == 4);
  REQUIRE(f.blocked(proxynotshell));
  auto refused = send_raw(f.nginx.port(), "GET", "/owa/",
                          {{"Cookie", "X-BEResource=a]@evil.com:444/x?~1942"}});
  CHECK(refused.status == 403);
  CHECK(refused.body == "Blocked by EM Service ($M2)");

  REQUIRE(f.reloading([&] { return nginx.rollback(m1); }).ok);
  CHECK(folder_files(f.nginx.sites()).size() == 3);
  REQUIRE_FALSE(f.blocked(proxynotshell));
  CHECK(
      send_raw(f.nginx.port(), "GET", "/owa/", {{"Cookie", "X-BEResource=a]@evil.com:444/x?~1942"}})
          .status == 403);
  REQUIRE(f.reloading([&] { return nginx.rollback(cookie); }).ok);
  CHECK(folder_files(f.nginx.sites()).size() == 0);
}

TEST_CASE("targets map to folders through sites, and a VDir rule sees only its vdir") {
  EM_SKIP_WITHOUT_NGINX()
  nginx_fixture f;
  auto h = f.harness();
  auto& nginx = h->applier("UrlRewrite");
  auto owa = make_action("M3.1", "UrlRewrite", "VDir", "Default Web Site/owa",
                         "<rule name=\"owa logon\"><match url=\"^auth/logon\\.aspx$\"/>"
                         "<action type=\"AbortRequest\"/></rule>");
  REQUIRE(f.reloading([&] { return nginx.apply(owa); }).ok);
  REQUIRE(f.blocked("/owa/auth/logon.aspx"));
  CHECK(f.blocked("/OWA/auth/logon.aspx"));
  CHECK_FALSE(f.blocked("/ecp/auth/logon.aspx"));
  CHECK_FALSE(f.blocked("/auth/logon.aspx"));
  REQUIRE(f.reloading([&] { return nginx.rollback(owa); }).ok);

  auto other = make_action("M4.1", "UrlRewrite", "Site", "Exchange Back End", m1_rule_xml);
  auto r = f.reloading([&] { return nginx.apply(other); });
  CHECK_FALSE(r.ok);
  CHECK_THAT(r.message,
             Catch::StartsWith("no plugins.nginx.sites entry for target \"Exchange Back End\""));
  auto server = make_action("M5.1", "UrlRewrite", "Server", "", m1_rule_xml);
  CHECK_THAT(nginx.validate(server).message, Catch::Contains("plugins.nginx.sites.\"*\""));
  auto rewrite = make_action("M6.1", "UrlRewrite", "Site", "Default Web Site",
                             "<rule name=\"r\"><match url=\"x\"/><action type=\"Rewrite\" "
                             "url=\"/y\"/></rule>");
  CHECK_THAT(nginx.validate(rewrite).message, Catch::Contains("is not supported"));
  CHECK(folder_files(f.nginx.sites()).size() == 0);
}

TEST_CASE("the plugin's settings are checked when it is loaded") {
  EM_SKIP_WITHOUT_NGINX()
  temp_dir dir("emnginxset");
  auto refusal = [](const std::string& table) {
    plugin_harness h(plugins_with("nginx", table), {});
    return h.refusal("nginx.so");
  };
  const std::string sites = "sites = { x = " + toml_string(dir.path().string()) + " }\n";
  CHECK_THAT(refusal(sites), Catch::Contains("plugins.nginx.conf is required"));
  CHECK_THAT(refusal("conf = \"/etc/nginx/nginx.conf\"\n"),
             Catch::Contains("plugins.nginx.sites is required"));
  CHECK_THAT(refusal("conf = \"nginx.conf\"\n" + sites),
             Catch::Contains("plugins.nginx.conf: expected an absolute path"));
  CHECK_THAT(refusal("conf = \"/etc/nginx/nginx.conf\"\nsites = { x = \"relative\" }\n"),
             Catch::Contains("plugins.nginx.sites.\"x\": expected one absolute folder"));
  CHECK(refusal("conf = \"/etc/nginx/nginx.conf\"\nsites = { x = 5 }\n") ==
        "emsd.conf:6:9: plugins.nginx.sites: expected a table of strings, but 'x' is integer");
  CHECK_THAT(refusal("conf = \"/etc/nginx/nginx.conf\"\n" + sites +
                     "reload_command = [\"nginx\", \"-s\", \"reload\"]\n"),
             Catch::Contains("plugins.nginx.reload_command: expected a list starting with an "
                             "absolute program path"));
  CHECK(refusal("conf = \"/etc/nginx/nginx.conf\"\ncolor = \"blue\"\n") ==
        "emsd.conf:6:9: plugins.nginx.color: unknown key (plugin 'nginx' takes conf, sites, "
        "nginx, reload_command)");
  CHECK(refusal("conf = \"/etc/nginx/nginx.conf\"\n" + sites).empty());
}
