// PCRE2 as nginx uses it, with limits: a pattern that backtracks without end
// is reported quickly, never hangs.

#include <catch2/catch.hpp>

#include "core/rules/pattern.hpp"

using em::rules::pattern;

TEST_CASE("patterns match bytes, case-insensitively unless told otherwise") {
  auto p = pattern::compile("(?=.*autodiscover)(?=.*powershell)", true);
  CHECK(p->match("/autodiscover/autodiscover.json?@x/PowerShell").matched);
  CHECK_FALSE(p->match("/autodiscover/autodiscover.xml").matched);
  CHECK_FALSE(pattern::compile("powershell", false)->match("PowerShell").matched);
  // PCRE2's defaults, as nginx and .NET: '.' is anything but \n; '$' also before a final \n.
  CHECK_FALSE(pattern::compile("^a.b$", true)->match("a\nb").matched);
  CHECK(pattern::compile("^ab$", true)->match("ab\n").matched);
  CHECK(pattern::compile("^.$", true)->match("\xff").matched);  // a byte, not a character
  CHECK(pattern::compile("(?<=owa/)auth", true)->match("owa/auth").matched);
  CHECK(pattern::compile("(?<w>a)\\k<w>", true)->match("AA").matched);
}

TEST_CASE("a pattern that backtracks catastrophically is reported, never hangs") {
  auto p = pattern::compile("^(a+)+$", false);
  auto r = p->match(std::string(40, 'a') + "b");
  CHECK(r.failed());
  CHECK_FALSE(r.matched);
  CHECK_THAT(r.error, Catch::Contains("exceeded the match limit (1000000)"));
  // The same pattern on ordinary input is fine.
  CHECK(p->match("aaa").matched);
}

TEST_CASE("M1's lookaheads stay bounded on the longest request URI") {
  auto p = pattern::compile("(?=.*autodiscover)(?=.*powershell)", true);
  std::string uri(8192, 'x');
  uri.replace(8000, 12, "autodiscover");
  auto r = p->match(uri);
  CHECK_FALSE(r.failed());
  CHECK_FALSE(r.matched);
  uri.replace(100, 10, "powershell");
  CHECK(p->match(uri).matched);
}

TEST_CASE("patterns PCRE2 would read differently from IIS do not compile") {
  CHECK_THROWS_WITH(pattern::compile("(*UTF)x", true), Catch::Contains("does not compile"));
  CHECK_THROWS_WITH(pattern::compile("(*UCP)x", true), Catch::Contains("does not compile"));
  CHECK_THROWS_WITH(pattern::compile("a\\Cb", true), Catch::Contains("does not compile"));
  CHECK_THROWS_WITH(pattern::compile("\\u0041", true), Catch::Contains("does not compile"));
  CHECK_THROWS_WITH(pattern::compile(std::string("a\0b", 3), true), Catch::Contains("NUL"));
}
