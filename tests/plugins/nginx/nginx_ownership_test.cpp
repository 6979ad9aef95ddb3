// Ownership (SPEC 10) on an nginx host: what was there before the service
// ran is the administrator's; rollback undoes only what apply did.

#include <catch2/catch.hpp>

#include <filesystem>

#include "tests/plugins/nginx/nginx_fixture.hpp"
#include "tests/support/temp_dir.hpp"

using namespace em::test;
namespace fs = std::filesystem;

TEST_CASE("a rule file that was there, identical, before the service ran stays on rollback") {
  EM_SKIP_WITHOUT_NGINX()
  nginx_fixture f;
  // What the plugin would write, put there by an administrator (say, by hand from
  // an earlier install): apply, then take the files out of the store's memory.
  {
    auto first = f.harness();
    REQUIRE(f.reloading([&] { return first->applier("UrlRewrite").apply(f.m1()); }).ok);
  }
  const auto admin_files = folder_files(f.nginx.sites());
  auto h = f.harness();  // a fresh store: the service never wrote these
  auto& nginx = h->applier("UrlRewrite");
  CHECK(nginx.check(f.m1()).state == emservice::check_state::in_effect);
  auto r = f.reloading([&] { return nginx.rollback(f.m1()); });
  INFO(r.message);
  CHECK(r.ok);
  CHECK_THAT(r.message, Catch::Contains("was there, identical, before the service ran: not the "
                                        "service's, left in place"));
  CHECK(folder_files(f.nginx.sites()) == admin_files);
  CHECK(f.blocked(proxynotshell));
}

TEST_CASE("a same-named file that apply replaced is restored exactly, others are untouched") {
  EM_SKIP_WITHOUT_NGINX()
  nginx_fixture f;
  const auto rule_file = f.nginx.sites() / "emservice-M1.1.conf";
  const auto own_file = f.nginx.sites() / "admin.conf";
  const std::string admins =
      "# the administrator's older rule\r\nif ($arg_block) { return 403; }\r\n";
  const std::string unrelated = "# the administrator's own\nset $admin_seen \"1\";\n";
  write_text(rule_file, admins);
  write_text(own_file, unrelated);
  auto h = f.harness();
  auto& nginx = h->applier("UrlRewrite");
  REQUIRE(nginx.check(f.m1()).state == emservice::check_state::not_in_effect);
  REQUIRE(f.reloading([&] { return nginx.apply(f.m1()); }).ok);
  CHECK(read_text(rule_file) != admins);
  REQUIRE(f.blocked(proxynotshell));

  auto r = f.reloading([&] { return nginx.rollback(f.m1()); });
  INFO(r.message);
  REQUIRE(r.ok);
  CHECK(read_text(rule_file) == admins);
  CHECK(read_text(own_file) == unrelated);
  // The administrator's rule file still reads nothing of the service's, so the common files go.
  CHECK_FALSE(fs::exists(f.nginx.sites() / "00-emservice-common.conf"));
  CHECK_FALSE(fs::exists(f.nginx.sites() / "emservice.js"));
  REQUIRE_FALSE(f.blocked(proxynotshell));
  CHECK(send_raw(f.nginx.port(), "GET", "/owa/?block=1").status == 403);
}

TEST_CASE("a rule file someone changed after apply is left as it is on rollback") {
  EM_SKIP_WITHOUT_NGINX()
  nginx_fixture f;
  auto h = f.harness();
  auto& nginx = h->applier("UrlRewrite");
  REQUIRE(f.reloading([&] { return nginx.apply(f.m1()); }).ok);
  const auto rule_file = f.nginx.sites() / "emservice-M1.1.conf";
  const std::string edited = read_text(rule_file) + "# edited by an administrator\n";
  write_text(rule_file, edited);
  auto r = f.reloading([&] { return nginx.rollback(f.m1()); });
  CHECK(r.ok);
  CHECK_THAT(r.message, Catch::Contains("changed since the service wrote it and is left as it is"));
  CHECK(read_text(rule_file) == edited);
  CHECK(fs::exists(f.nginx.sites() / "00-emservice-common.conf"));
}
