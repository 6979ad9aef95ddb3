// The real emctl verify (SPEC 7) on Microsoft's signed document and on
// documents signed by the real emfeed with the test PKI.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "tests/support/run_command.hpp"
#include "tests/support/sample_feed.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/test_paths.hpp"

namespace em::test {
namespace {

const char* const ms_signer =
    "CN=Microsoft Exchange XML Signing,O=Microsoft Corporation,L=Redmond,ST=Washington,C=US";
const char* const ms_issuer =
    "CN=Microsoft Code Signing PCA 2011,O=Microsoft Corporation,L=Redmond,ST=Washington,C=US";

command_result emctl(std::vector<std::string> args) {
  args.insert(args.begin(), emctl_path().string());
  return run_command(args);
}

std::string pki(const std::string& name) {
  return (test_pki() / name).string();
}

// PING1 signed with sequence 7 into dir/signed.xml by the real emfeed.
std::string signed_file(const temp_dir& dir) {
  auto r = sign_feed(ping_document, dir / "signed.xml", "7");
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  return (dir / "signed.xml").string();
}

bool skip_without_conformance() {
  if (have_conformance()) return false;
  WARN("skipped: the conformance document was not found at "
       << (conformance_dir() / "ocs-ping1-2021-12-07.xml").string());
  return true;
}

}  // namespace

TEST_CASE("emctl verify accepts Microsoft's 2021 document as of 2021") {
  if (skip_without_conformance()) return;
  auto doc = (conformance_dir() / "ocs-ping1-2021-12-07.xml").string();
  auto root = (conformance_dir() / "microsoft-root-ca-2011.pem").string();
  auto r = emctl({"verify", doc, "--at", "2021-12-07T00:00:00Z", "--anchor", root, "--eku",
                  "1.3.6.1.5.5.7.3.3", "--issuer", ms_issuer, "--revocation=off"});
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK(r.out == std::string("Verified: sequence none, signed by ") + ms_signer + " (issuer " +
                     ms_issuer +
                     ")\n"
                     "PING1: EEMS Heartbeat probe. Does not modify any exchange settings.\n"
                     "  PING1.1 DoNothing Server: Ping mitigation action. Does not modify any "
                     "exchange settings.\n");
  CHECK(r.err.empty());
}

TEST_CASE("emctl verify rejects Microsoft's 2021 document when revocation is required") {
  if (skip_without_conformance()) return;
  // Its CRLs would come from Microsoft's CRL distribution points, which cannot be
  // fetched here: without a usable CRL for the signer, require rejects, naming it.
  auto doc = (conformance_dir() / "ocs-ping1-2021-12-07.xml").string();
  auto root = (conformance_dir() / "microsoft-root-ca-2011.pem").string();
  for (std::vector<std::string> mode : {std::vector<std::string>{"--revocation=require"},
                                        std::vector<std::string>{}}) {  // require is the default
    std::vector<std::string> args{"verify", doc, "--at", "2021-12-07T00:00:00Z", "--anchor", root};
    args.insert(args.end(), mode.begin(), mode.end());
    auto r = emctl(args);
    CHECK(r.exit_code == 1);
    CHECK(r.out == std::string("Rejected: no usable CRL for ") + ms_signer + " (no CRL from " +
                       ms_issuer + ")\n");
  }
  auto best_effort = emctl({"verify", doc, "--at", "2021-12-07T00:00:00Z", "--anchor", root,
                            "--revocation", "best-effort"});
  CHECK(best_effort.exit_code == 0);
}

TEST_CASE("emctl verify rejects Microsoft's document with one byte changed") {
  if (skip_without_conformance()) return;
  temp_dir dir("emverify");
  std::string text = read_text(conformance_dir() / "ocs-ping1-2021-12-07.xml");
  auto pos = text.find("Heartbeat probe");
  REQUIRE(pos != std::string::npos);
  text[pos] = 'h';
  write_text(dir / "tampered.xml", text);
  auto r =
      emctl({"verify", (dir / "tampered.xml").string(), "--at", "2021-12-07T00:00:00Z", "--anchor",
             (conformance_dir() / "microsoft-root-ca-2011.pem").string(), "--revocation=off"});
  CHECK(r.exit_code == 1);
  CHECK(r.out == "Rejected: bad digest\n");
}

TEST_CASE("emctl verify rejects Microsoft's document today: its certificates expired") {
  if (skip_without_conformance()) return;
  auto r = emctl({"verify", (conformance_dir() / "ocs-ping1-2021-12-07.xml").string(), "--anchor",
                  (conformance_dir() / "microsoft-root-ca-2011.pem").string()});
  CHECK(r.exit_code == 1);
  CHECK(r.out.rfind("Rejected: expired certificate: CN=Microsoft ", 0) == 0);
  CHECK(r.out.find("(notAfter ") != std::string::npos);
}

TEST_CASE("emfeed sign then emctl verify, with the trust from flags or from the configuration") {
  temp_dir dir("emverify");
  auto file = signed_file(dir);
  const std::string expected =
      "Verified: sequence 7, signed by CN=EM Test Publisher,O=EM Test (issuer CN=EM Test Code "
      "Signing CA,O=EM Test)\n"
      "PING1: EEMS Heartbeat probe. Does not modify any exchange settings.\n"
      "  PING1.1 DoNothing Server: Ping mitigation action.\n";
  auto flags = emctl({"verify", file, "--anchor", pki("root.pem"), "--eku", "1.3.6.1.5.5.7.3.3",
                      "--issuer", "CN=EM Test Code Signing CA,O=EM Test", "--crl", pki("root.crl"),
                      "--crl", pki("ca.crl")});
  INFO(flags.err);
  CHECK(flags.exit_code == 0);
  CHECK(flags.out == expected);

  write_text(dir / "emsd.conf", "[trust]\nanchors = [\"" + pki("root.pem") +
                                    "\"]\neku = [\"1.3.6.1.5.5.7.3.3\"]\ncrl_files = [\"" +
                                    pki("root.crl") + "\", \"" + pki("ca.crl") + "\"]\n");
  auto config = emctl({"--config", (dir / "emsd.conf").string(), "verify", file});
  INFO(config.err);
  CHECK(config.exit_code == 0);
  CHECK(config.out == expected);

  auto pinned = emctl(
      {"--config", (dir / "emsd.conf").string(), "verify", file, "--issuer", "CN=Someone Else"});
  CHECK(pinned.exit_code == 1);
  CHECK(pinned.out ==
        "Rejected: issuer mismatch: signer issued by CN=EM Test Code Signing CA,O=EM Test, "
        "expected CN=Someone Else\n");

  // --crl and --revocation replace the configured ones.
  auto no_crl =
      emctl({"--config", (dir / "emsd.conf").string(), "verify", file, "--crl", pki("root.crl")});
  CHECK(no_crl.exit_code == 1);
  CHECK(no_crl.out ==
        "Rejected: no usable CRL for CN=EM Test Publisher,O=EM Test (no CRL from CN=EM Test Code "
        "Signing CA,O=EM Test)\n");
  auto best_effort = emctl({"--config", (dir / "emsd.conf").string(), "verify", file, "--crl",
                            pki("root.crl"), "--revocation", "best-effort"});
  CHECK(best_effort.exit_code == 0);
  CHECK(best_effort.out == expected);
}

TEST_CASE("emctl verify exit codes: 1 for a rejected document, 2 for bad usage") {
  temp_dir dir("emverify");
  auto file = signed_file(dir);
  auto rogue = emctl({"verify", file, "--anchor", pki("rogue-root.pem")});
  CHECK(rogue.exit_code == 1);
  CHECK(rogue.out ==
        "Rejected: untrusted chain: CN=EM Test Publisher,O=EM Test does not chain to a trust "
        "anchor\n");

  auto small = emctl({"verify", file, "--anchor", pki("root.pem"), "--max-size", "64"});
  CHECK(small.exit_code == 1);
  CHECK(small.out.rfind("Rejected: too large: ", 0) == 0);

  auto bad_at = emctl({"verify", file, "--anchor", pki("root.pem"), "--at", "yesterday"});
  CHECK(bad_at.exit_code == 2);
  CHECK(bad_at.out.empty());
  CHECK(bad_at.err ==
        "emctl: --at 'yesterday' is not an RFC 3339 time (e.g. 2021-12-07T00:00:00Z)\n");

  auto missing = emctl({"verify", (dir / "missing.xml").string(), "--anchor", pki("root.pem")});
  CHECK(missing.exit_code == 2);
  CHECK(missing.err.find("missing.xml") != std::string::npos);
  CHECK(missing.err.find('\n') == missing.err.size() - 1);

  auto bad_anchor = emctl({"verify", file, "--anchor", pki("root.key")});
  CHECK(bad_anchor.exit_code == 2);
  CHECK(bad_anchor.err.find("root.key is not a certificate") != std::string::npos);

  auto bad_mode = emctl({"verify", file, "--anchor", pki("root.pem"), "--revocation=sometimes"});
  CHECK(bad_mode.exit_code == 2);
  CHECK(bad_mode.err == "emctl: --revocation 'sometimes' is not require, best-effort or off\n");
  auto bad_crl = emctl({"verify", file, "--anchor", pki("root.pem"), "--crl", pki("root.pem")});
  CHECK(bad_crl.exit_code == 2);
  CHECK(bad_crl.err.find("root.pem holds no CRL (PEM or DER expected)") != std::string::npos);
}

}  // namespace em::test

namespace em::test {

TEST_CASE("issue_12_verify_config_requires_sequence") {
  // SPEC 7: verify skips the rollback check only, so trust.require_sequence applies.
  temp_dir dir("emverify");
  // PING1 without a sequence, signed by the real emfeed.
  write_text(dir / "unsigned.xml", ping_document);
  auto unsequenced =
      run_command({emfeed_path().string(), "sign", "--key", pki("signer.key"), "--cert",
                   pki("signer.pem"), "--chain", pki("chain.pem"), (dir / "unsigned.xml").string(),
                   (dir / "unsequenced.xml").string()});
  INFO(unsequenced.err);
  REQUIRE(unsequenced.exit_code == 0);
  const std::string file = (dir / "unsequenced.xml").string();
  const std::string trust = "[trust]\nanchors = [\"" + pki("root.pem") + "\"]\ncrl_files = [\"" +
                            pki("root.crl") + "\", \"" + pki("ca.crl") + "\"]\n";
  write_text(dir / "required.conf", trust);  // require_sequence defaults to true
  write_text(dir / "lax.conf", trust + "require_sequence = false\n");

  auto required = emctl({"--config", (dir / "required.conf").string(), "verify", file});
  CHECK(required.exit_code == 1);
  CHECK(required.out == "Rejected: no sequence on EOCS (trust.require_sequence is true)\n");
  auto lax = emctl({"--config", (dir / "lax.conf").string(), "verify", file});
  CHECK(lax.exit_code == 0);
  CHECK_THAT(lax.out, Catch::StartsWith("Verified: sequence none, "));
  // The flags say otherwise in both directions.
  CHECK(
      emctl({"--config", (dir / "required.conf").string(), "verify", file, "--no-require-sequence"})
          .exit_code == 0);
  CHECK(emctl({"verify", file, "--anchor", pki("root.pem"), "--crl", pki("root.crl"), "--crl",
               pki("ca.crl"), "--require-sequence"})
            .out == "Rejected: no sequence on EOCS (trust.require_sequence is true)\n");
}

}  // namespace em::test
