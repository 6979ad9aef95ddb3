// The configuration loader on bad files: each class of mistake stops with one
// line naming the file, the line and column, the key and what is wrong.

#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include "core/config/config_loader.hpp"
#include "core/util/error.hpp"
#include "tests/support/temp_dir.hpp"

namespace {

struct bad_case {
  const char* text;
  const char* message;
};

std::string error_of(const std::string& text) {
  try {
    (void)em::parse_config(text, "emsd.conf");
  } catch (const em::invalid_input& e) {
    return e.what();
  }
  return "(accepted)";
}

void check_all(const std::vector<bad_case>& cases) {
  for (const auto& c : cases) {
    INFO("configuration:\n" << c.text);
    CHECK(error_of(c.text) == c.message);
  }
}

}  // namespace

TEST_CASE("an unknown key is refused in every section, naming line, column and key") {
  check_all({
      {"[server]\nname = \"EX01\"\nnmae = \"EX02\"\n", "emsd.conf:3:1: server.nmae: unknown key"},
      {"[feed]\nurll = \"https://x\"\n", "emsd.conf:2:1: feed.urll: unknown key"},
      {"[schedule]\ninterval = \"1h\"\nintervall = \"2h\"\n",
       "emsd.conf:3:1: schedule.intervall: unknown key"},
      {"[trust]\nanchor = [\"root.pem\"]\n", "emsd.conf:2:1: trust.anchor: unknown key"},
      {"[store]\npaht = \"state.db\"\n", "emsd.conf:2:1: store.paht: unknown key"},
      {"[log]\nlevle = \"info\"\n", "emsd.conf:2:1: log.levle: unknown key"},
      {"[iis]\napp_host = \"a.config\"\n", "emsd.conf:2:1: iis.app_host: unknown key"},
      {"[plugins]\ndir = \"p\"\nfoo = 1\n",
       "emsd.conf:3:1: plugins.foo: unknown key (a plugin's settings go in a [plugins.foo] "
       "table)"},
      {"[server]\nname = \"A\"\n\n[sever]\nname = \"B\"\n",
       "emsd.conf:4:2: sever: unknown section"},
      {"name = \"EX01\"\n",
       "emsd.conf:1:1: name: unknown key (settings go in a section such as [server])"},
  });
}

TEST_CASE("a value of the wrong type is refused with both types named") {
  check_all({
      {"[feed]\nmax_size = \"big\"\n",
       "emsd.conf:2:12: feed.max_size: expected an integer, got string"},
      {"[server]\nname = 42\n", "emsd.conf:2:8: server.name: expected a string, got integer"},
      {"[trust]\nrequire_sequence = \"yes\"\n",
       "emsd.conf:2:20: trust.require_sequence: expected a boolean (true or false), got string"},
      {"[trust]\nanchors = \"root.pem\"\n",
       "emsd.conf:2:11: trust.anchors: expected an array of paths (strings), got string"},
      {"[trust]\nanchors = [\"a.pem\", 3]\n",
       "emsd.conf:2:21: trust.anchors[1]: expected a string, got integer"},
      {"[trust]\neku = \"1.3.6.1.5.5.7.3.3\"\n",
       "emsd.conf:2:7: trust.eku: expected an array of strings, got string"},
      {"server = 1\n", "emsd.conf:1:10: server: expected a table, got integer"},
      {"[schedule]\ninterval = 3600\n",
       "emsd.conf:2:12: schedule.interval: expected a duration string such as \"30s\", got "
       "integer"},
      {"[feed]\ntimeout = 1.5\n",
       "emsd.conf:2:11: feed.timeout: expected a duration string such as \"30s\", got float"},
      {"[iis]\nvariables = { SystemDrive = 1 }\n",
       "emsd.conf:2:29: iis.variables.SystemDrive: expected a string, got integer"},
      {"[iis]\nvariables = \"SystemDrive=/srv\"\n",
       "emsd.conf:2:13: iis.variables: expected a table, got string"},
      {"[iis]\nbackups = 0\n", "emsd.conf:2:11: iis.backups: expected a number from 1 to 1000"},
      {"[iis]\nbackups = \"5\"\n", "emsd.conf:2:11: iis.backups: expected an integer, got string"},
      {"[plugins]\ndir = [\"a\"]\n", "emsd.conf:2:7: plugins.dir: expected a string, got array"},
  });
}

TEST_CASE("bad durations and schedules are refused") {
  check_all({
      {"[schedule]\ninterval = \"1 hour\"\n",
       "emsd.conf:2:12: schedule.interval: bad duration '1 hour' (use 30s, 10m, 1h)"},
      {"[schedule]\ninitial_delay = \"ten minutes\"\n",
       "emsd.conf:2:17: schedule.initial_delay: bad duration 'ten minutes' (use 30s, 10m, 1h)"},
      {"[schedule]\ninterval = \"0s\"\n",
       "emsd.conf:2:12: schedule.interval: must be longer than 0s"},
      {"[schedule]\ninterval = \"10m\"\njitter = \"11m\"\n",
       "emsd.conf:3:10: schedule.jitter: jitter 11m is longer than the interval 10m"},
      {"[schedule]\njitter = \"2h\"\n",
       "emsd.conf:2:10: schedule.jitter: jitter 2h is longer than the interval 1h"},
      {"[schedule]\ninterval = \"400d\"\n",
       "emsd.conf:2:12: schedule.interval: duration '400d' is too long (at most 365d)"},
      {"[feed]\ntimeout = \"0s\"\n", "emsd.conf:2:11: feed.timeout: must be longer than 0s"},
  });
}

TEST_CASE("feed URLs other than https:// and file:/// are refused") {
  check_all({
      {"[feed]\nurl = \"http://feed.example/getexchangemitigations\"\n",
       "emsd.conf:2:7: feed.url: http is not allowed for the feed; use https or file"},
      {"[feed]\nurl = \"HTTP://feed.example/x\"\n",
       "emsd.conf:2:7: feed.url: http is not allowed for the feed; use https or file"},
      {"[feed]\nurl = \"ftp://feed.example/doc.xml\"\n",
       "emsd.conf:2:7: feed.url: unsupported URL 'ftp://feed.example/doc.xml' (use https://… or "
       "file:///…)"},
      {"[feed]\nurl = \"feed.example/doc.xml\"\n",
       "emsd.conf:2:7: feed.url: unsupported URL 'feed.example/doc.xml' (use https://… or "
       "file:///…)"},
      {"[feed]\nurl = \"https:///doc.xml\"\n",
       "emsd.conf:2:7: feed.url: bad URL 'https:///doc.xml': no host"},
      {"[feed]\nurl = \"file://doc.xml\"\n",
       "emsd.conf:2:7: feed.url: bad URL 'file://doc.xml': a file URL names an absolute path "
       "(file:///path/to/doc.xml)"},
      {"[feed]\nurl = \"\"\n",
       "emsd.conf:2:7: feed.url: must not be empty (https://… or file:///…)"},
      {"[feed]\ndiagnostics_url = \"http://feed.example/diagnostics\"\n",
       "emsd.conf:2:19: feed.diagnostics_url: http is not allowed for diagnostics; use https"},
  });
  CHECK(em::parse_config("[feed]\nurl = \"file:///srv/doc.xml\"\n", "emsd.conf").feed.url ==
        "file:///srv/doc.xml");
}

TEST_CASE("bad values are refused with the value quoted") {
  check_all({
      {"[feed]\nmax_size = 0\n",
       "emsd.conf:2:12: feed.max_size: 0 is out of range (1 to 268435456 bytes)"},
      {"[feed]\nmax_size = 268435457\n",
       "emsd.conf:2:12: feed.max_size: 268435457 is out of range (1 to 268435456 bytes)"},
      {"[server]\nbuild = \"15.2.x\"\n",
       "emsd.conf:2:9: server.build: bad build number '15.2.x' (up to four dotted numbers, e.g. "
       "15.2.1118.7)"},
      {"[server]\nrole = \"Hub\"\n",
       "emsd.conf:2:8: server.role: unknown role 'Hub' (use \"Mailbox\" or \"Edge\")"},
      {"[server]\nname = \"EX 01\"\n",
       "emsd.conf:2:8: server.name: bad server name 'EX 01' (1-64 letters, digits, '-', '_' or "
       "'.')"},
      {"[trust]\nrevocation = \"sometimes\"\n",
       "emsd.conf:2:14: trust.revocation: unknown mode 'sometimes' (use \"require\", "
       "\"best-effort\" or \"off\")"},
      {"[trust]\neku = [\"1.3.6.1.5.5.7.3.3\", \"codeSigning\"]\n",
       "emsd.conf:2:29: trust.eku[1]: bad OID 'codeSigning' (use dotted numbers such as "
       "1.3.6.1.5.5.7.3.3)"},
      {"[trust]\nissuer = \" \"\n",
       "emsd.conf:2:10: trust.issuer: must not be empty (leave it out to accept any issuer)"},
      {"[trust]\ncrl_fetch = \"yes\"\n",
       "emsd.conf:2:13: trust.crl_fetch: expected a boolean (true or false), got string"},
      {"[store]\nbackend = \"postgres\"\n",
       "emsd.conf:2:11: store.backend: unsupported backend 'postgres' (\"sqlite\" or \"etcd\")"},
      {"[store]\npath = \"\"\n", "emsd.conf:2:8: store.path: a path must not be empty"},
      {"[log]\nlevel = \"verbose\"\n",
       "emsd.conf:2:9: log.level: unknown level 'verbose' (use debug, info, warning or error)"},
  });
  std::string long_name(65, 'a');
  CHECK(error_of("[server]\nname = \"" + long_name + "\"\n").find("bad server name") !=
        std::string::npos);
}

TEST_CASE("a plugin table takes scalars, arrays of scalars and one level of tables") {
  check_all({
      {"[plugins.apppool]\nstop_command = [\"x\"]\n[plugins.apppool.extra.deeper]\nkey = 1\n",
       "emsd.conf:3:24: plugins.apppool.extra.deeper: a nested table is not allowed in a "
       "plugin's settings"},
      {"[plugins.apppool]\noptions = { force = { now = true } }\n",
       "emsd.conf:2:13: plugins.apppool.options.force: a nested table is not allowed in a "
       "plugin's settings"},
      {"[plugins.service]\ntimeout = 1.5\n",
       "emsd.conf:2:11: plugins.service.timeout: expected a string, integer, boolean or an array "
       "of those, got float"},
      {"[plugins.service]\nunits = [\"a\", [\"b\"]]\n",
       "emsd.conf:2:15: plugins.service.units[1]: expected a string, integer or boolean, got "
       "array"},
  });
}

TEST_CASE("a TOML syntax error names the place and toml++'s description") {
  const auto e = error_of("[server]\nname = \"EX01\"\nbuild = \n");
  CHECK(e.rfind("emsd.conf:3:", 0) == 0);
  INFO(e);
  CHECK(e.size() > std::string("emsd.conf:3:9: ").size());
  CHECK(error_of("[feed]\nurl = \"https://a\"\nurl = \"https://b\"\n").rfind("emsd.conf:3:", 0) ==
        0);
  CHECK(error_of("[server\n").rfind("emsd.conf:1:", 0) == 0);
}

TEST_CASE("a file that cannot be read is named with the system's reason") {
  em::test::temp_dir dir("emcfg");
  const auto missing = dir / "missing.conf";
  try {
    (void)em::load_config(missing);
    FAIL("a missing file was accepted");
  } catch (const em::invalid_input& e) {
    CHECK(std::string(e.what()) == missing.string() + ": No such file or directory");
  }
  try {
    (void)em::load_config(dir.path());
    FAIL("a folder was accepted");
  } catch (const em::invalid_input& e) {
    CHECK(std::string(e.what()) == dir.path().string() + ": Is a directory");
  }
  const auto unreadable = dir / "unreadable.conf";
  em::test::write_text(unreadable, "[server]\n");
  ::chmod(unreadable.c_str(), 0);
  if (::geteuid() == 0) {
    WARN("running as root: an unreadable file cannot be simulated, case skipped");
  } else {
    try {
      (void)em::load_config(unreadable);
      FAIL("an unreadable file was accepted");
    } catch (const em::invalid_input& e) {
      CHECK(std::string(e.what()) == unreadable.string() + ": Permission denied");
    }
  }
}

TEST_CASE("a file's errors name the file as it was given") {
  em::test::temp_dir dir("emcfg");
  const auto file = dir / "emsd.conf";
  em::test::write_text(file, "# comment\n[schedule]\nintervall = \"1h\"\n");
  try {
    (void)em::load_config(file);
    FAIL("an unknown key was accepted");
  } catch (const em::invalid_input& e) {
    CHECK(std::string(e.what()) == file.string() + ":3:1: schedule.intervall: unknown key");
  }
}

TEST_CASE("the feed's transport limits have safe defaults and are read") {
  using namespace std::chrono_literals;
  auto d = em::parse_config("", "emsd.conf");
  CHECK(d.feed.connect_timeout == 10s);
  CHECK(d.feed.handshake_timeout == 10s);
  CHECK(d.feed.max_header_size == 64u * 1024u);
  CHECK(d.feed.max_redirects == 0u);
  auto c = em::parse_config(
      "[feed]\nconnect_timeout = \"2s\"\nhandshake_timeout = \"1500ms\"\n"
      "max_header_size = 8192\nmax_redirects = 2\n",
      "emsd.conf");
  CHECK(c.feed.connect_timeout == 2s);
  CHECK(c.feed.handshake_timeout == 1500ms);
  CHECK(c.feed.max_header_size == 8192u);
  CHECK(c.feed.max_redirects == 2u);
}

TEST_CASE("bad feed transport limits are refused") {
  check_all({
      {"[feed]\nconnect_timeout = \"0s\"\n",
       "emsd.conf:2:19: feed.connect_timeout: must be longer than 0s"},
      {"[feed]\nhandshake_timeout = 5\n",
       "emsd.conf:2:21: feed.handshake_timeout: expected a duration string such as \"30s\", got "
       "integer"},
      {"[feed]\nmax_header_size = 100\n",
       "emsd.conf:2:19: feed.max_header_size: 100 is out of range (1024 to 1048576 bytes)"},
      {"[feed]\nmax_header_size = 2000000\n",
       "emsd.conf:2:19: feed.max_header_size: 2000000 is out of range (1024 to 1048576 bytes)"},
      {"[feed]\nmax_redirects = -1\n",
       "emsd.conf:2:17: feed.max_redirects: -1 is out of range (0 to 10)"},
      {"[feed]\nmax_redirects = 11\n",
       "emsd.conf:2:17: feed.max_redirects: 11 is out of range (0 to 10)"},
      {"[feed]\nmax_redirect = 1\n", "emsd.conf:2:1: feed.max_redirect: unknown key"},
  });
}

// SPEC 13: [plugins] enable, and nested plugin tables.
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

TEST_CASE("a table inside a plugin's table is kept whole, inline or as a section") {
  auto inline_table = em::parse_config(
      "[plugins.nginx]\nconf = \"/etc/nginx/nginx.conf\"\n"
      "sites = { \"Default Web Site\" = \"/etc/nginx/emservice/exchange\" }\n",
      "emsd.conf");
  const auto& nginx = inline_table.plugins.tables.at("nginx");
  CHECK(nginx.at("conf").toml == "'/etc/nginx/nginx.conf'");
  CHECK(nginx.at("sites").toml == "{ 'Default Web Site' = '/etc/nginx/emservice/exchange' }");
  CHECK(nginx.at("sites").line == 3);
  auto section = em::parse_config(
      "[plugins.nginx.sites]\n\"Exchange Back End\" = \"/etc/nginx/emservice/backend\"\n",
      "emsd.conf");
  CHECK(section.plugins.tables.at("nginx").at("sites").toml ==
        "{ 'Exchange Back End' = '/etc/nginx/emservice/backend' }");
  CHECK(
      error_of("[plugins.nginx.sites.deeper]\nx = 1\n")
          .find(
              "plugins.nginx.sites.deeper: a nested table is not allowed in a plugin's settings") !=
      std::string::npos);
}

TEST_CASE("trust.verify_timeout and trust.issuer_key_sha256 are read and checked") {
  auto config = em::parse_config(
      "[trust]\nverify_timeout = \"2s\"\nissuer_key_sha256 = "
      "\"97:FD:5B:38:9D:15:A7:D1:77:D3:7C:E5:29:79:78:C5:91:4E:6A:EA:EC:0B:57:12:8E:CB:A5:0C:6A:"
      "34:7C:21\"\n",
      "emsd.conf");
  CHECK(config.trust.verify_timeout == std::chrono::seconds(2));
  CHECK(config.trust.issuer_key_sha256 ==
        std::string("97fd5b389d15a7d177d37ce5297978c5914e6aeaec0b57128ecba50c6a347c21"));
  auto defaults = em::parse_config("", "emsd.conf");
  CHECK(defaults.trust.verify_timeout == std::chrono::seconds(10));
  CHECK_FALSE(defaults.trust.issuer_key_sha256);
  check_all({
      {"[trust]\nverify_timeout = \"0s\"\n",
       "emsd.conf:2:18: trust.verify_timeout: must be longer than 0s"},
      {"[trust]\nverify_timeout = 10\n",
       "emsd.conf:2:18: trust.verify_timeout: expected a duration string such as \"30s\", got "
       "integer"},
      {"[trust]\nissuer_key_sha256 = \"abcd\"\n",
       "emsd.conf:2:21: trust.issuer_key_sha256: 'abcd' is not a SHA-256 in hex (64 hex digits, "
       "colons between bytes allowed)"},
  });
}

TEST_CASE("[notify] takes an absolute command, an https webhook, a CA file and a timeout") {
  using namespace std::chrono_literals;
  auto c = em::parse_config(
      "[notify]\ncommand = [\"/usr/local/bin/em-notify\", \"--to\", \"ops\"]\n"
      "webhook = \"https://hooks.example.com/em\"\nca_file = \"ca.pem\"\ntimeout = \"5s\"\n",
      "/etc/emservice/emsd.conf");
  CHECK(c.notify.command == std::vector<std::string>{"/usr/local/bin/em-notify", "--to", "ops"});
  CHECK(c.notify.webhook == "https://hooks.example.com/em");
  CHECK(c.notify.ca_file == std::filesystem::path("/etc/emservice/ca.pem"));
  CHECK(c.notify.timeout == 5s);
  auto none = em::parse_config("", "emsd.conf");
  CHECK(none.notify.command.empty());
  CHECK(none.notify.webhook.empty());
  CHECK(none.notify.timeout == 30s);

  check_all({
      {"[notify]\ncommand = [\"notify-send\"]\n",
       "emsd.conf:2:11: notify.command: expected a list starting with an absolute program path, "
       "e.g. [\"/usr/local/bin/em-notify\", \"--to\", \"ops\"] (no shell runs it)"},
      {"[notify]\ncommand = \"/bin/x\"\n",
       "emsd.conf:2:11: notify.command: expected an array of strings, got string"},
      {"[notify]\nwebhook = \"http://hooks.example.com/em\"\n",
       "emsd.conf:2:11: notify.webhook: http is not allowed for the webhook; use https"},
      {"[notify]\nwebhook = \"https://user:pw@hooks.example.com/\"\n",
       "emsd.conf:2:11: notify.webhook: bad URL 'https://user:pw@hooks.example.com/': user "
       "information in a URL is not supported"},
      {"[notify]\ntimeout = \"0s\"\n", "emsd.conf:2:11: notify.timeout: must be more than 0s"},
      {"[notify]\nemail = \"ops@example.com\"\n", "emsd.conf:2:1: notify.email: unknown key"},
  });
}

TEST_CASE("issue_14 long_poll needs an https:// feed and a sensible wait") {
  const std::string https = "[feed]\nurl = \"https://feed.example/x\"\n";
  auto c = em::parse_config(https + "[schedule]\nlong_poll = true\nlong_poll_wait = \"2m\"\n",
                            "emsd.conf");
  CHECK(c.schedule.long_poll);
  CHECK(c.schedule.long_poll_wait == std::chrono::minutes(2));
  auto defaults = em::parse_config(https, "emsd.conf");
  CHECK_FALSE(defaults.schedule.long_poll);
  CHECK(defaults.schedule.long_poll_wait == std::chrono::minutes(5));
  check_all({
      {"[feed]\nurl = \"file:///srv/doc.xml\"\n[schedule]\nlong_poll = true\n",
       "emsd.conf: schedule.long_poll: only an https:// feed can be long-polled (feed.url is "
       "file:///srv/doc.xml)"},
      {"[schedule]\nlong_poll = \"yes\"\n",
       "emsd.conf:2:13: schedule.long_poll: expected a boolean (true or false), got string"},
      {"[schedule]\nlong_poll_wait = \"0s\"\n",
       "emsd.conf:2:18: schedule.long_poll_wait: must be between 1s and 1h"},
      {"[schedule]\nlong_poll_wait = \"2h\"\n",
       "emsd.conf:2:18: schedule.long_poll_wait: must be between 1s and 1h"},
  });
}
