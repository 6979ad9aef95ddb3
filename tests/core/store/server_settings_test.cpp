#include <catch2/catch.hpp>

#include "core/store/server_settings.hpp"
#include "core/store/store.hpp"

TEST_CASE("settings print as Format-List shows them") {
  CHECK(em::setting_text(true) == "True");
  CHECK(em::setting_text(false) == "False");
  CHECK(em::setting_text(std::vector<std::string>{}) == "{}");
  CHECK(em::setting_text(std::vector<std::string>{"M1.1", "PING1.1"}) == "{M1.1, PING1.1}");
}

TEST_CASE("blocked entries are Config IDs or action IDs") {
  for (const char* ok : {"M1", "M01", "PING1", "M1.2", "M01.13", "a_b-c.1"}) {
    INFO(ok);
    CHECK(em::is_valid_blocked_id(ok));
  }
  for (const char* bad : {"", "M1.", "M1.0", "M1.x", ".1", "M 1", "M1,M2", "M1.2.3"}) {
    INFO(bad);
    CHECK_FALSE(em::is_valid_blocked_id(bad));
  }
}

TEST_CASE("proxy URLs are http or https with a host") {
  for (const char* ok : {"http://proxy.contoso.com:8080", "https://proxy", "HTTP://10.0.0.1:3128/",
                         "http://[2001:db8::1]:8080", "http://proxy.contoso.com"}) {
    INFO(ok);
    CHECK(em::is_valid_proxy_url(ok));
  }
  for (const char* bad : {"", "proxy:8080", "socks5://proxy", "http://", "https:///", "http://:80",
                          "http://proxy:", "http://proxy:65536", "http://a@proxy", "http://[::1",
                          "http://proxy/x", "http://-proxy"}) {
    INFO(bad);
    CHECK_FALSE(em::is_valid_proxy_url(bad));
  }
}

TEST_CASE("action states have SPEC 4's names both ways") {
  for (auto s :
       {em::action_state::applied, em::action_state::blocked, em::action_state::not_applicable,
        em::action_state::disabled, em::action_state::failed, em::action_state::pending})
    CHECK(em::parse_action_state(em::to_string(s)) == s);
  CHECK(std::string(em::to_string(em::action_state::not_applicable)) == "NotApplicable");
  CHECK_FALSE(em::parse_action_state("applied"));
}
