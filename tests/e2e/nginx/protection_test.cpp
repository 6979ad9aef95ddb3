// "Protecting Exchange behind nginx" end to end: the real M1 rule, signed,
// fetched and applied by emsd --once through the nginx plugin; ProxyNotShell
// never reaches the backend while ordinary traffic does; a rule nginx cannot
// load fails without touching what runs; emctl rollback opens the door again.

#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "tests/e2e/nginx/mitigation_documents.hpp"
#include "tests/e2e/nginx/nginx_e2e_fixture.hpp"

using namespace em::test;

namespace {

const std::vector<std::string> exploit_shapes = {
    "/autodiscover/autodiscover.json?@evil.com/PowerShell/?X-Rps-CAT=x",
    "/autodiscover/autodiscover.json?@evil.com/%50owershell/?X-Rps-CAT=x",
    "/autodiscover/autodiscover.json?@evil.com/%2570owershell/?X-Rps-CAT=x",
    "/AutoDiscover/AutoDiscover.json?@evil.com/POWERshell/",
    "//autodiscover//autodiscover.json?@evil.com/PowerShell/",
    "/./autodiscover/./autodiscover.json?@evil.com/PowerShell/",
};

const std::vector<std::string> ordinary_traffic = {
    "/owa/", "/ecp/", "/autodiscover/autodiscover.xml", "/mapi/emsmdb", "/EWS/Exchange.asmx",
};

std::string status_of(nginx_e2e_fixture& f, const std::string& id) {
  auto r = f.emctl({"get-mitigations", "--json"});
  REQUIRE(r.exit_code == 0);
  for (const auto& row : nlohmann::json::parse(r.out))
    if (row.value("ID", "") == id)
      return row.value("Status", "") +
             (row.value("Reason", "").empty() ? "" : ": " + row.value("Reason", ""));
  return "(none)";
}

}  // namespace

TEST_CASE("M1 applied by emsd --once keeps ProxyNotShell away from the backend behind nginx") {
  EM_SKIP_WITHOUT_NGINX()
  nginx_e2e_fixture f;
  for (const auto& t : exploit_shapes)
    CHECK(f.reaches_backend(t));  // unprotected

  f.publish(m1_document, "1");
  const int master = f.nginx.master_pid();
  auto once = f.reloading([&] { return f.emsd_once(); });
  INFO(once.out << once.err);
  REQUIRE(once.exit_code == 0);
  CHECK_THAT(once.out, Catch::Contains("M1.1 UrlRewrite: Applied"));
  CHECK(f.nginx.master_pid() == master);  // reloaded, never restarted

  for (const auto& t : exploit_shapes) {
    INFO(t);
    raw_answer a;
    CHECK_FALSE(f.reaches_backend(t, {}, "GET", &a));
    CHECK_FALSE(a.answered);  // AbortRequest: the connection closes with no response
    CHECK_FALSE(f.reaches_backend(t, {}, "POST"));
  }
  for (const auto& t : ordinary_traffic) {
    INFO(t);
    raw_answer a;
    CHECK(f.reaches_backend(t, {}, "GET", &a));
    CHECK(a.status == 200);
  }
  CHECK(status_of(f, "M1.1") == "Applied");

  // The administrator sees why.
  auto blocked = f.emctl({"test-request",
                          "https://mail.contoso.com/autodiscover/autodiscover.json?@x/PowerShell",
                          "--expect", "blocked"});
  CHECK(blocked.exit_code == 0);
  CHECK(blocked.out ==
        "Default Web Site: M1.1 \"EEMS M1.1 PowerShell - inbound\" matches: AbortRequest (the "
        "connection is closed without a response)\nVerdict: blocked\n");
  auto owa = f.emctl({"test-request", "https://mail.contoso.com/owa/", "--expect", "blocked"});
  CHECK(owa.exit_code == 1);
  CHECK(owa.out == "Default Web Site: No rule matches\nVerdict: allowed\n");

  SECTION("a rule nginx -t refuses fails alone; nginx keeps serving what it had") {
    f.publish(m1_and_unloadable_document, "2");
    const auto workers = f.nginx.workers();
    auto second = f.emsd_once();
    INFO(second.out << second.err);
    CHECK(second.exit_code == 0);  // the cycle completed; the action is Failed
    CHECK_THAT(second.out, Catch::Contains("M1.1 UrlRewrite: Applied"));
    CHECK_THAT(second.out, Catch::Contains("M9.1 UrlRewrite: Failed (nginx -t refused the "
                                           "configuration, so it never reached the running nginx "
                                           "and the previous files are back: [emerg] the "
                                           "duplicate \"uri\" variable in "));
    CHECK_THAT(status_of(f, "M9.1"), Catch::StartsWith("Failed: nginx -t refused"));
    CHECK(f.nginx.workers() == workers);  // never reloaded
    CHECK_FALSE(std::filesystem::exists(f.nginx.sites() / "emservice-M9.1.conf"));
    CHECK_FALSE(f.reaches_backend(exploit_shapes[0]));
    CHECK(f.reaches_backend("/ecp/default.aspx"));
  }

  SECTION("emctl rollback M1.1 lets the request through again") {
    auto rolled = f.reloading([&] { return f.emctl({"rollback", "M1.1"}); });
    INFO(rolled.out << rolled.err);
    REQUIRE(rolled.exit_code == 0);
    CHECK_THAT(rolled.out, Catch::StartsWith("Rolled back M1.1 (UrlRewrite, Default Web Site): "));
    CHECK(std::filesystem::is_empty(f.nginx.sites()));
    for (const auto& t : exploit_shapes)
      CHECK(f.reaches_backend(t));
  }
}

TEST_CASE("emctl test-request on a file verifies it with the configured trust first") {
  EM_SKIP_WITHOUT_NGINX()
  nginx_e2e_fixture f;
  auto none = f.emctl({"test-request", "https://mail.contoso.com/owa/"});
  CHECK(none.exit_code == 1);
  CHECK_THAT(none.err,
             Catch::Contains("no accepted mitigation document is stored for server EX01"));

  f.publish(m1_document, "1");
  auto file = f.emctl({"test-request",
                       "https://mail.contoso.com/autodiscover/autodiscover.json?@x/%2570owershell",
                       "--document", (f.dir / "feed.xml").string(), "--target", "default web site",
                       "--expect", "blocked"});
  CHECK(file.exit_code == 0);
  CHECK_THAT(file.out, Catch::EndsWith("Verdict: blocked\n"));

  // One signed byte changed: refused before any rule is read.
  auto text = read_text(f.dir / "feed.xml");
  text.replace(text.find("powershell"), 10, "PowerShelL");
  write_text(f.dir / "tampered.xml", text);
  auto tampered = f.emctl({"test-request", "https://mail.contoso.com/owa/", "--document",
                           (f.dir / "tampered.xml").string()});
  CHECK(tampered.exit_code == 1);
  CHECK_THAT(tampered.err, Catch::Contains("tampered.xml: Rejected: "));
  CHECK(tampered.out.empty());

  auto bad = f.emctl({"test-request", "https://mail.contoso.com/a b"});
  CHECK(bad.exit_code == 2);
  CHECK_THAT(bad.err, Catch::Contains("space or control character"));
  auto expect = f.emctl({"test-request", "https://x/", "--expect", "maybe"});
  CHECK(expect.exit_code == 2);
}
