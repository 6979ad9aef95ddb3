// SPEC 13: two enabled plugins claiming one action type stop emsd at start,
// naming both; [plugins] enable picks the one this host uses.

#include <catch2/catch.hpp>

#include "tests/e2e/nginx/mitigation_documents.hpp"
#include "tests/e2e/nginx/nginx_e2e_fixture.hpp"

using namespace em::test;

TEST_CASE("issue_15_two_plugins_for_one_type_stop_emsd") {
  EM_SKIP_WITHOUT_NGINX()
  nginx_e2e_fixture f;
  f.publish(m1_document, "1");
  for (const std::string enable : {"", "[\"ping\", \"rewrite\", \"nginx\"]"}) {
    INFO("enable = " << enable);
    f.write_config(enable);
    auto r = f.emsd_once();
    CHECK(r.exit_code == 1);
    CHECK(r.err ==
          "emsd: plugins 'nginx' (nginx.so) and 'rewrite' (rewrite.so) both handle action type "
          "'UrlRewrite'; list the one this host uses in [plugins] enable\n");
    CHECK(std::filesystem::is_empty(f.nginx.sites()));
    auto rollback = f.emctl({"rollback", "M1.1"});
    CHECK(rollback.exit_code == 1);
  }
  f.write_config("[\"ping\", \"nginx\"]");
  auto r = f.reloading([&] { return f.emsd_once(); });
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Contains("M1.1 UrlRewrite: Applied"));
}
