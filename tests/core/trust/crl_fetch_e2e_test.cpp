// End to end with trust.crl_fetch = true and revocation = "require": the real
// emfeed signs, the real emsd --once verifies with CRLs it fetches from the
// certificates' distribution points (a plain-HTTP server on 127.0.0.1), and
// the real emctl verify does the same on demand.
#include <catch2/catch.hpp>

#include "tests/core/trust/cdp_pki.hpp"
#include "tests/core/trust/crl_server.hpp"
#include "tests/support/net/connect_proxy.hpp"
#include "tests/support/run_command.hpp"
#include "tests/support/sample_feed.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/test_paths.hpp"

namespace em::test {
namespace {

struct fetching_service {
  temp_dir dir{"emcdpe2e"};
  crl_server cdp;
  cdp_pki pki{dir / "pki", cdp.url("/root.crl")};

  fetching_service() {
    cdp.serve_crl("/root.crl", pki.current_crl("root"));
    cdp.serve_crl("/ca.crl", pki.current_crl("ca"));
    write_text(dir / "emsd.conf",
               "[server]\nname = \"EX01\"\nbuild = \"15.2.1118.7\"\n[feed]\nurl = \"file://" +
                   (dir / "feed.xml").string() + "\"\n[trust]\nanchors = [\"" +
                   pki.pem("root").string() +
                   "\"]\neku = [\"1.3.6.1.5.5.7.3.3\"]\ncrl_fetch = true\nrevocation = "
                   "\"require\"\n[store]\npath = \"state/state.db\"\n[log]\ndir = \"logs\"\n"
                   "[plugins]\ndir = \"" +
                   plugin_dir().string() + "\"\nenable = [\"ping\"]\n");
  }

  void sign(const std::string& signer, const std::string& sequence) {
    write_text(dir / "unsigned.xml", ping_document);
    auto r =
        run_command({emfeed_path().string(), "sign", "--key", pki.key(signer).string(), "--cert",
                     pki.pem(signer).string(), "--chain", pki.pem("ca").string(), "--sequence",
                     sequence, (dir / "unsigned.xml").string(), (dir / "feed.xml").string()});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
  }

  command_result emsd_once() {
    return run_command({emsd_path().string(), "--config", (dir / "emsd.conf").string(), "--once"});
  }

  command_result emctl(std::vector<std::string> args) {
    args.insert(args.begin(), {emctl_path().string(), "--config", (dir / "emsd.conf").string()});
    return run_command(args);
  }

  std::size_t cached_files() const {
    std::size_t n = 0;
    std::error_code ec;
    for (std::filesystem::directory_iterator it(dir / "state" / "crl-cache", ec), end;
         !ec && it != end; ++it)
      ++n;
    return n;
  }

  std::string log_text() const { return read_text(dir / "logs" / "MitigationService.log"); }
};

}  // namespace

TEST_CASE_METHOD(fetching_service, "emsd --once applies a document whose CRLs it fetched") {
  pki.issue_signer("signer", {cdp.url("/ca.crl")});
  sign("signer", "1");
  auto r = emsd_once();
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Contains("PING1.1 DoNothing: Applied"));
  CHECK(cdp.requests("/ca.crl") == 1);
  CHECK(cdp.requests("/root.crl") == 1);
  // Kept beside the store, so the next cycle (another process here) asks nobody.
  CHECK(cached_files() == 2);
  sign("signer", "2");
  auto again = emsd_once();
  INFO(again.out << again.err);
  CHECK(again.exit_code == 0);
  CHECK(cdp.requests("/ca.crl") == 1);

  // emctl verify follows trust.crl_fetch of the configuration...
  const std::string feed = (dir / "feed.xml").string();
  auto v = emctl({"verify", feed});
  CHECK(v.exit_code == 0);
  CHECK_THAT(v.out, Catch::StartsWith("Verified: sequence 2, signed by CN=signer,O=EM CDP"));
  CHECK(emctl({"verify", feed, "--no-crl-fetch"}).out ==
        "Rejected: no usable CRL for CN=signer,O=EM CDP (no CRL from CN=ca,O=EM CDP)\n");
  // ...and with --anchor only when asked (nothing cached then: the CDP is asked).
  std::vector<std::string> anchored{"verify", feed, "--anchor", pki.pem("root").string()};
  CHECK(emctl(anchored).exit_code == 1);
  anchored.push_back("--crl-fetch");
  CHECK(emctl(anchored).exit_code == 0);
  CHECK(cdp.requests("/ca.crl") == 2);
}

TEST_CASE_METHOD(fetching_service, "emsd --once rejects under require when a CRL cannot be had") {
  std::string expected;
  SECTION("the CDP answers 404") {
    pki.issue_signer("signer", {cdp.url("/missing.crl")});
    expected = "no usable CRL for CN=signer,O=EM CDP (fetching " + cdp.url("/missing.crl") +
               ": Unexpected HTTP status: 404";
  }
  SECTION("the signer is revoked") {
    pki.issue_signer("signer", {cdp.url("/ca.crl")});
    pki.revoke("signer");
    cdp.serve_crl("/ca.crl", pki.current_crl("ca"));
    expected = "revoked: CN=signer,O=EM CDP (serial ";
  }
  sign("signer", "1");
  auto r = emsd_once();
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.err, Catch::Contains(expected));
  CHECK_THAT(log_text(), Catch::Contains("S:EventId=1008;S:Message=Rejected the mitigation "
                                         "document from file://") &&
                             Catch::Contains(expected));
  auto server = emctl({"get-server", "EX01", "--property", "MitigationsApplied"});
  CHECK(server.out == "MitigationsApplied : {}\n");
}

TEST_CASE_METHOD(fetching_service, "issue_12_forged_certificate_no_crl_fetch_e2e") {
  // A forged signer (ca's name and key identifier, another key) naming 20
  // distribution points on the CDP server: emsd and emctl reject it without
  // a single request to anyone.
  std::vector<std::string> urls;
  for (int i = 1; i <= 20; ++i)
    urls.push_back(cdp.url("/forged" + std::to_string(i) + ".crl"));
  pki.issue_forged_signer("forged", urls);
  sign("forged", "1");
  const std::string expected = "untrusted chain: CN=forged,O=EM CDP: certificate signature failure";
  auto r = emsd_once();
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.err, Catch::Contains(expected));
  auto v = emctl({"verify", (dir / "feed.xml").string()});
  CHECK(v.out == "Rejected: " + expected + "\n");
  CHECK(cdp.targets().empty());
  CHECK(cached_files() == 0);
}

TEST_CASE_METHOD(fetching_service, "emsd fetches CRLs through the server's InternetWebProxy") {
  // The CDP's own address is dead; the proxy (the CDP server, which also
  // answers absolute-form requests) is the only way to it.
  const std::string dead = "http://127.0.0.1:" + std::to_string(unused_port()) + "/ca.crl";
  pki.issue_signer("signer", {dead});
  cdp.serve_crl("/ca.crl", pki.current_crl("ca"));
  sign("signer", "1");
  auto direct = emsd_once();
  CHECK(direct.exit_code == 1);
  CHECK_THAT(direct.err, Catch::Contains("fetching " + dead + ": Connection refused"));

  REQUIRE(emctl({"set-server", "EX01", "--internet-web-proxy=" + cdp.url("")}).exit_code == 0);
  auto proxied = emsd_once();
  INFO(proxied.out << proxied.err);
  CHECK(proxied.exit_code == 0);
  const auto targets = cdp.targets();
  CHECK(std::find(targets.begin(), targets.end(), dead) != targets.end());
}

}  // namespace em::test
