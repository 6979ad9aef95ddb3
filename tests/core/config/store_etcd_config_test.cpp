// [store] backend "etcd" and its [store.etcd] table (SPEC 9, 11).
#include <catch2/catch.hpp>

#include "core/config/config_loader.hpp"
#include "core/util/error.hpp"

namespace {

std::string error_of(const std::string& text) {
  try {
    (void)em::parse_config(text, "/etc/emservice/emsd.conf");
  } catch (const em::invalid_input& e) {
    return e.what();
  }
  return "(accepted)";
}

const std::string etcd_head =
    "[store]\nbackend = \"etcd\"\n[store.etcd]\nendpoints = [\"https://10.0.0.1:2379\"]\n"
    "prefix = \"/emservice/contoso/\"\n";

}  // namespace

TEST_CASE("[store.etcd] is read with every key SPEC 11 names") {
  const auto c = em::parse_config(R"toml(
[store]
backend = "etcd"
[store.etcd]
endpoints = ["https://10.0.0.1:2379", "https://10.0.0.2:2379", "https://10.0.0.3:2379"]
prefix = "/emservice/contoso/"
ca_file = "etcd/ca.pem"
cert_file = "etcd/ex01.pem"
key_file = "etcd/ex01.key"
user = "ex01"
password_file = "etcd/ex01.password"
timeout = "7s"
)toml",
                                  "/etc/emservice/emsd.conf");
  CHECK(c.store.backend == "etcd");
  REQUIRE(c.store.etcd);
  const auto& e = *c.store.etcd;
  CHECK(e.endpoints == std::vector<std::string>{"https://10.0.0.1:2379", "https://10.0.0.2:2379",
                                                "https://10.0.0.3:2379"});
  CHECK(e.prefix == "/emservice/contoso/");
  CHECK(e.ca_file == std::filesystem::path("/etc/emservice/etcd/ca.pem"));
  CHECK(e.cert_file == std::filesystem::path("/etc/emservice/etcd/ex01.pem"));
  CHECK(e.key_file == std::filesystem::path("/etc/emservice/etcd/ex01.key"));
  CHECK(e.user == "ex01");
  CHECK(e.password_file == std::filesystem::path("/etc/emservice/etcd/ex01.password"));
  CHECK(e.timeout == std::chrono::seconds(7));
  // The SQLite path keeps naming this host's local folder (lock, CRL cache).
  CHECK(c.store.path == "/var/lib/emservice/state.db");
}

TEST_CASE("[store.etcd] defaults: a 5 s timeout, no identity besides TLS") {
  const auto c = em::parse_config(etcd_head, "emsd.conf");
  CHECK(c.store.etcd->timeout == std::chrono::seconds(5));
  CHECK(c.store.etcd->user.empty());
  CHECK_FALSE(c.store.etcd->password_file);
  CHECK_FALSE(c.store.etcd->cert_file);
  SECTION("[store.etcd] beside backend sqlite is kept, for emctl store copy") {
    const auto s = em::parse_config(
        "[store]\n[store.etcd]\nendpoints = [\"https://e:2379\"]\nprefix = \"/o/\"\n", "emsd.conf");
    CHECK(s.store.backend == "sqlite");
    CHECK(s.store.etcd);
  }
}

TEST_CASE("bad [store.etcd] settings are refused with file, line and key") {
  const std::vector<std::pair<std::string, std::string>> cases{
      {etcd_head + "endpoint = [\"https://x:1\"]\n",
       "/etc/emservice/emsd.conf:6:1: store.etcd.endpoint: unknown key"},
      {etcd_head + "prefix2 = \"/x/\"\n",
       "/etc/emservice/emsd.conf:6:1: store.etcd.prefix2: unknown key"},
      {"[store]\nbackend = \"etcd\"\n",
       "/etc/emservice/emsd.conf:2:11: store.backend: backend is \"etcd\" but there is no "
       "[store.etcd] table (endpoints, prefix)"},
      {"[store]\nbackend = \"etcd\"\n[store.etcd]\nprefix = \"/o/\"\n",
       "/etc/emservice/emsd.conf:3:1: store.etcd.endpoints: missing (the etcd members, e.g. "
       "[\"https://10.0.0.1:2379\"])"},
      {"[store]\nbackend = \"etcd\"\n[store.etcd]\nendpoints = [\"https://e:2379\"]\n",
       "/etc/emservice/emsd.conf:3:1: store.etcd.prefix: missing (one organisation per prefix, "
       "e.g. \"/emservice/contoso/\")"},
      {"[store.etcd]\nendpoints = []\nprefix = \"/o/\"\n",
       "/etc/emservice/emsd.conf:2:13: store.etcd.endpoints: at least one endpoint"},
      {"[store.etcd]\nendpoints = [\"http://10.0.0.1:2379\"]\nprefix = \"/o/\"\n",
       "/etc/emservice/emsd.conf:2:14: store.etcd.endpoints[0]: endpoint "
       "'http://10.0.0.1:2379': plain http:// is allowed only to a loopback address; use "
       "https:// with ca_file"},
      {"[store.etcd]\nendpoints = [\"https://e:2379/v3\"]\nprefix = \"/o/\"\n",
       "/etc/emservice/emsd.conf:2:14: store.etcd.endpoints[0]: endpoint 'https://e:2379/v3': "
       "give the member's address only (https://host:port), without a path"},
      {"[store.etcd]\nendpoints = [\"https://e:2379\", \"https://e:2379\"]\nprefix = \"/o/\"\n",
       "/etc/emservice/emsd.conf:2:32: store.etcd.endpoints[1]: endpoint 'https://e:2379' is "
       "listed twice"},
      {"[store.etcd]\nendpoints = [\"https://e:2379\"]\nprefix = \"/emservice/contoso\"\n",
       "/etc/emservice/emsd.conf:3:10: store.etcd.prefix: bad prefix '/emservice/contoso': it "
       "starts and ends with '/' (e.g. \"/emservice/contoso/\"), so one organisation's keys "
       "never run into another's"},
      {"[store.etcd]\nendpoints = [\"https://e:2379\"]\nprefix = \"/a b/\"\n",
       "/etc/emservice/emsd.conf:3:10: store.etcd.prefix: bad prefix '/a b/': no spaces or "
       "control characters"},
      {"[store.etcd]\nendpoints = [\"https://e:2379\"]\nprefix = \"/o/\"\ncert_file = \"c.pem\"\n",
       "/etc/emservice/emsd.conf:4:13: store.etcd.cert_file: cert_file and key_file go together "
       "(the client certificate and its key)"},
      {"[store.etcd]\nendpoints = [\"https://e:2379\"]\nprefix = \"/o/\"\nuser = \"ex01\"\n",
       "/etc/emservice/emsd.conf:4:8: store.etcd.user: user and password_file go together "
       "(etcd's own authentication)"},
      {"[store.etcd]\nendpoints = [\"https://e:2379\"]\nprefix = \"/o/\"\ntimeout = \"0s\"\n",
       "/etc/emservice/emsd.conf:4:11: store.etcd.timeout: must be longer than 0s and at most "
       "5m"},
      {"[store.etcd]\nendpoints = \"https://e:2379\"\nprefix = \"/o/\"\n",
       "/etc/emservice/emsd.conf:2:13: store.etcd.endpoints: expected an array of strings, got "
       "string"},
  };
  for (const auto& [text, message] : cases) {
    INFO(text);
    CHECK(error_of(text) == message);
  }
  CHECK(error_of("[store.etcd]\nendpoints = [\"http://127.0.0.1:2379\"]\nprefix = \"/o/\"\n") ==
        "(accepted)");
}
