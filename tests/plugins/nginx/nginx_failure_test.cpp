// A configuration nginx refuses never reaches the running nginx (SPEC 13):
// nginx -t failing or a reload refused leave the files as they were and the
// old rules serving, and the action Failed with nginx's own error line.

#include <catch2/catch.hpp>

#include <filesystem>

#include "tests/plugins/nginx/nginx_fixture.hpp"
#include "tests/support/temp_dir.hpp"

using namespace em::test;
namespace fs = std::filesystem;

namespace {

// A valid IIS rule that nginx cannot load: the named group "uri" would become
// nginx's $uri, which nginx refuses to redefine.
emservice::action named_uri_group() {
  return make_action("M2.1", "UrlRewrite", "Site", "Default Web Site",
                     "<rule name=\"named group\"><match url=\"(?&lt;uri&gt;ecp/.*)\"/>"
                     "<action type=\"AbortRequest\"/></rule>");
}

}  // namespace

TEST_CASE("issue_15_nginx_t_failure_keeps_the_old_configuration") {
  EM_SKIP_WITHOUT_NGINX()
  nginx_fixture f;
  auto h = f.harness();
  auto& nginx = h->applier("UrlRewrite");
  REQUIRE(f.reloading([&] { return nginx.apply(f.m1()); }).ok);
  REQUIRE(f.blocked(proxynotshell));
  const auto before = folder_files(f.nginx.sites());
  const auto workers = f.nginx.workers();

  const auto bad = named_uri_group();
  CHECK(nginx.validate(bad).ok);  // a good IIS rule: only nginx refuses it
  auto r = f.reloading([&] { return nginx.apply(bad); });
  CHECK_FALSE(r.ok);
  CHECK_THAT(r.message, Catch::StartsWith("nginx -t refused the configuration, so it never "
                                          "reached the running nginx and the previous files are "
                                          "back: [emerg] the duplicate \"uri\" variable in " +
                                          (f.nginx.sites() / "emservice-M2.1.conf").string()));
  CHECK(folder_files(f.nginx.sites()) == before);
  CHECK(f.nginx.workers() == workers);  // no reload happened
  CHECK(f.blocked(proxynotshell));      // M1 still enforced
  CHECK(send_raw(f.nginx.port(), "GET", "/ecp/x").status == 200);
  CHECK(nginx.check(bad).state == emservice::check_state::not_in_effect);
  CHECK_FALSE(h->store().get_plugin_value("EX01", "nginx", "action M2.1"));

  // M1 still rolls back cleanly afterwards.
  REQUIRE(f.reloading([&] { return nginx.rollback(f.m1()); }).ok);
  REQUIRE_FALSE(f.blocked(proxynotshell));
}

TEST_CASE("issue_15_refused_reload_keeps_the_old_configuration") {
  EM_SKIP_WITHOUT_NGINX()
  nginx_fixture f;
  temp_dir elsewhere("emnginxpid");
  // nginx -s reload against a prefix without a pid file: nginx refuses.
  auto h = f.harness({{"reload_command",
                       toml_list({nginx_binary().string(), "-p", elsewhere.path().string(), "-c",
                                  (elsewhere.path() / "nginx.conf").string(), "-s", "reload"})}});
  write_text(elsewhere.path() / "nginx.conf",
             "pid " + (elsewhere.path() / "nginx.pid").string() + ";\nevents {}\n");
  auto& nginx = h->applier("UrlRewrite");
  const auto count = f.backend_count();
  auto r = f.reloading([&] { return nginx.apply(f.m1()); });
  CHECK_FALSE(r.ok);
  CHECK_THAT(r.message, Catch::StartsWith("nginx did not reload, so it still serves the previous "
                                          "configuration, and the previous files are back: '"));
  CHECK_THAT(r.message, Catch::Contains("nginx.pid"));
  CHECK(fs::is_empty(f.nginx.sites()));
  CHECK(send_raw(f.nginx.port(), "GET", proxynotshell).status == 200);
  CHECK(f.backend_count() == count + 1);
  CHECK_FALSE(h->store().get_plugin_value("EX01", "nginx", "action M1.1"));
  CHECK_FALSE(h->store().get_plugin_value("EX01", "nginx", "folder " + f.nginx.sites().string()));
}

TEST_CASE("an nginx without the njs module fails the action with nginx's line") {
  EM_SKIP_WITHOUT_NGINX()
  nginx_fixture f;
  // The same nginx.conf without load_module: js_import is then unknown to nginx -t.
  std::string conf = read_text(f.nginx.conf());
  conf.erase(0, conf.find('\n') + 1);
  write_text(f.nginx.conf(), conf);
  auto h = f.harness();
  auto r = h->applier("UrlRewrite").apply(f.m1());
  CHECK_FALSE(r.ok);
  CHECK_THAT(r.message, Catch::Contains("[emerg] unknown directive \"js_import\" in " +
                                        (f.nginx.sites() / "00-emservice-common.conf").string()));
  CHECK(fs::is_empty(f.nginx.sites()));
}
