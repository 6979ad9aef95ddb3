// The real emfeed sign (SPEC 7): what it writes, and the usage it refuses.
#include <catch2/catch.hpp>

#include <filesystem>
#include <string>
#include <vector>

#include "tests/support/run_command.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/test_paths.hpp"

namespace em::test {
namespace {

command_result emfeed(std::vector<std::string> args) {
  args.insert(args.begin(), emfeed_path().string());
  return run_command(args);
}

std::string pki(const std::string& name) {
  return (test_pki() / name).string();
}

const char* const input =
    "<EOCS version=\"1.0.4\"><Config id=\"PING1\" desc=\"p\"><ActionList>"
    "<Action type=\"DoNothing\"/></ActionList></Config></EOCS>\n";

std::vector<std::string> sign_args(const temp_dir& dir, std::vector<std::string> extra) {
  std::vector<std::string> args{
      "sign",    "--key",         pki("ec-signer.key"), "--cert", pki("ec-signer.pem"),
      "--chain", pki("chain.pem")};
  args.insert(args.end(), extra.begin(), extra.end());
  args.push_back((dir / "in.xml").string());
  args.push_back((dir / "out.xml").string());
  return args;
}

}  // namespace

TEST_CASE("emfeed sign writes the signed document with sequence and expires") {
  temp_dir dir("emsign");
  write_text(dir / "in.xml", input);
  auto r = emfeed(sign_args(dir, {"--sequence", "12", "--expires", "2099-01-02T03:04:05Z"}));
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  auto out = read_text(dir / "out.xml");
  CHECK(out.rfind("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", 0) == 0);
  CHECK(out.find("sequence=\"12\" expires=\"2099-01-02T03:04:05Z\"") != std::string::npos);
  CHECK(out.find("ecdsa-sha256") != std::string::npos);
  // Atomic replacement leaves nothing else behind.
  std::size_t files = 0;
  for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(dir.path()))
    ++files;
  CHECK(files == 2);

  auto again = emctl_path();  // verified with the real emctl too
  auto v = run_command({again.string(), "verify", (dir / "out.xml").string(), "--anchor",
                        pki("root.pem"), "--crl", pki("root.crl"), "--crl", pki("ca.crl")});
  CHECK(v.exit_code == 0);
  CHECK(v.out.rfind("Verified: sequence 12, signed by CN=EM Test EC Publisher,O=EM Test", 0) == 0);
}

TEST_CASE("emfeed sign refuses bad usage with exit code 2 and one line") {
  temp_dir dir("emsign");
  write_text(dir / "in.xml", input);
  auto bad_expires = emfeed(sign_args(dir, {"--expires", "next week"}));
  CHECK(bad_expires.exit_code == 2);
  CHECK(bad_expires.err ==
        "emfeed: --expires 'next week' is not an RFC 3339 time (e.g. 2026-12-31T00:00:00Z)\n");
  auto past = emfeed(sign_args(dir, {"--expires", "2001-01-01T00:00:00Z"}));
  CHECK(past.exit_code == 2);
  CHECK(past.err == "emfeed: --expires 2001-01-01T00:00:00Z is in the past\n");
  CHECK_FALSE(std::filesystem::exists(dir / "out.xml"));

  auto ok = emfeed(sign_args(dir, {}));
  REQUIRE(ok.exit_code == 0);
  std::filesystem::copy_file(dir / "out.xml", dir / "in.xml",
                             std::filesystem::copy_options::overwrite_existing);
  auto twice = emfeed(sign_args(dir, {}));
  CHECK(twice.exit_code == 2);
  CHECK(twice.err == "emfeed: input is already signed (it has a Signature element)\n");

  auto mismatch = emfeed({"sign", "--key", pki("signer.key"), "--cert", pki("ec-signer.pem"),
                          (dir / "in.xml").string(), (dir / "x.xml").string()});
  CHECK(mismatch.exit_code == 2);
  CHECK(mismatch.err.find("does not match certificate") != std::string::npos);

  auto missing = emfeed({"sign", "--key", pki("signer.key"), "--cert", pki("signer.pem"),
                         (dir / "missing.xml").string(), (dir / "x.xml").string()});
  CHECK(missing.exit_code == 2);
  CHECK(missing.err.find("missing.xml") != std::string::npos);
}

TEST_CASE("emfeed sign refuses to sign what every server would reject, saying why") {
  temp_dir dir("emsign");
  auto refused = [&](const std::string& in, std::vector<std::string> args = {}) {
    write_text(dir / "in.xml", in);
    auto r = emfeed(sign_args(dir, args));
    CHECK(r.exit_code == 2);
    CHECK_FALSE(std::filesystem::exists(dir / "out.xml"));
    return r.err;
  };
  CHECK(refused("<EOCS><Config id=\"bad id\"><ActionList><Action type=\"DoNothing\"/>"
                "</ActionList></Config></EOCS>") ==
        "emfeed: refusing to sign: invalid Config 'bad id': Config id 'bad id' is not 1-32 "
        "characters of [A-Za-z0-9_-]\n");
  CHECK(refused("<EOCS><Config id=\"A\"><ActionList/></Config></EOCS>") ==
        "emfeed: refusing to sign: invalid Config 'A': empty ActionList\n");
  CHECK(refused("<EOCS expires=\"2001-01-01T00:00:00Z\"/>") ==
        "emfeed: refusing to sign: the document expired at 2001-01-01T00:00:00Z\n");
  CHECK(refused("<EOCS sequence=\"-1\"/>") ==
        "emfeed: refusing to sign: sequence '-1' is not an unsigned 64-bit number\n");
  CHECK(refused("<!DOCTYPE EOCS [<!ENTITY x \"y\">]><EOCS/>") == "emfeed: input: DTD present\n");
  CHECK(refused(input, {"--expires", "2001-01-01T00:00:00Z"}) ==
        "emfeed: --expires 2001-01-01T00:00:00Z is in the past\n");

  // A 1024-bit RSA key, made by the openssl tool.
  const auto key = (dir / "weak.key").string(), cert = (dir / "weak.pem").string();
  REQUIRE(run_command({"openssl", "genpkey", "-algorithm", "RSA", "-pkeyopt",
                       "rsa_keygen_bits:1024", "-out", key})
              .exit_code == 0);
  REQUIRE(run_command({"openssl", "req", "-new", "-x509", "-key", key, "-subj", "/CN=Weak", "-days",
                       "30", "-out", cert})
              .exit_code == 0);
  write_text(dir / "in.xml", input);
  auto weak = emfeed({"sign", "--key", key, "--cert", cert, (dir / "in.xml").string(),
                      (dir / "out.xml").string()});
  CHECK(weak.exit_code == 2);
  CHECK(weak.err ==
        "emfeed: refusing to sign: weak key: CN=Weak has a 1024-bit RSA key (RSA 2048 bits or "
        "more, or ECDSA P-256/P-384 required)\n");
  CHECK_FALSE(std::filesystem::exists(dir / "out.xml"));
}

}  // namespace em::test
