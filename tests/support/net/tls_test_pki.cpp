#include "tests/support/net/tls_test_pki.hpp"

#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "tests/support/run_command.hpp"
#include "tests/support/temp_dir.hpp"

namespace em::test {
namespace {

void openssl(const std::vector<std::string>& args) {
  std::vector<std::string> argv{"openssl"};
  argv.insert(argv.end(), args.begin(), args.end());
  auto r = run_command(argv);
  if (r.exit_code != 0) throw std::runtime_error("openssl " + args.at(0) + " failed: " + r.err);
}

void make_ca(const std::filesystem::path& dir, const std::string& name, const std::string& cn) {
  openssl({"req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
           "-keyout", (dir / (name + ".key")).string(), "-out", (dir / (name + ".pem")).string(),
           "-subj", "/O=EM Test/CN=" + cn, "-days", "30", "-addext",
           "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign"});
}

// A server certificate issued by `ca`; days -1 makes one that expired already.
void make_server(const std::filesystem::path& dir, const std::string& name, const std::string& san,
                 const std::string& days) {
  auto key = (dir / (name + ".key")).string(), csr = (dir / (name + ".csr")).string();
  auto ext = dir / (name + ".ext");
  write_text(ext, "subjectAltName=" + san +
                      "\nextendedKeyUsage=serverAuth\nbasicConstraints=critical,CA:FALSE\n");
  openssl({"req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
           "-keyout", key, "-out", csr, "-subj", "/O=EM Test/CN=" + name});
  openssl({"x509", "-req", "-in", csr, "-CA", (dir / "ca.pem").string(), "-CAkey",
           (dir / "ca.key").string(), "-CAcreateserial", "-days", days, "-sha256", "-extfile",
           ext.string(), "-out", (dir / (name + ".pem")).string()});
}

}  // namespace

const tls_test_pki& tls_pki() {
  static std::unique_ptr<temp_dir> dir;
  static tls_test_pki pki;
  if (!dir) {
    dir = std::make_unique<temp_dir>("emtls");
    const auto& d = dir->path();
    make_ca(d, "ca", "EM Test TLS CA");
    make_ca(d, "other-ca", "EM Other TLS CA");
    make_server(d, "server", "IP:127.0.0.1,DNS:localhost", "365");
    make_server(d, "expired", "IP:127.0.0.1,DNS:localhost", "-1");
    make_server(d, "wrong-host", "DNS:feed.example", "365");
    pki = {d,
           d / "ca.pem",
           d / "other-ca.pem",
           d / "server.pem",
           d / "server.key",
           d / "expired.pem",
           d / "expired.key",
           d / "wrong-host.pem",
           d / "wrong-host.key"};
  }
  return pki;
}

}  // namespace em::test
