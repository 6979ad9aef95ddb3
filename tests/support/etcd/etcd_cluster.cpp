#include "tests/support/etcd/etcd_cluster.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <random>
#include <stdexcept>
#include <thread>

#include <nlohmann/json.hpp>

#include "core/store/etcd/etcd_client.hpp"
#include "tests/support/etcd/etcd_launch.hpp"
#include "tests/support/net/child_process.hpp"
#include "tests/support/temp_dir.hpp"

namespace em::test {
namespace {

using namespace std::chrono_literals;

void openssl(const std::vector<std::string>& args) {
  std::vector<std::string> argv{"openssl"};
  argv.insert(argv.end(), args.begin(), args.end());
  auto r = run_command(argv);
  if (r.exit_code != 0) throw std::runtime_error("openssl " + args.at(0) + " failed: " + r.err);
}

void issue(const std::filesystem::path& dir, const std::string& name, const std::string& subject,
           const std::string& extensions) {
  const auto key = (dir / (name + ".key")).string(), csr = (dir / (name + ".csr")).string();
  const auto ext = dir / (name + ".ext");
  write_text(ext, extensions);
  openssl({"req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
           "-keyout", key, "-out", csr, "-subj", subject});
  openssl({"x509", "-req", "-in", csr, "-CA", (dir / "ca.pem").string(), "-CAkey",
           (dir / "ca.key").string(), "-CAcreateserial", "-days", "30", "-sha256", "-extfile",
           ext.string(), "-out", (dir / (name + ".pem")).string()});
}

}  // namespace

etcd_test_pki make_etcd_pki(const std::filesystem::path& dir) {
  std::filesystem::create_directories(dir);
  openssl({"req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
           "-keyout", (dir / "ca.key").string(), "-out", (dir / "ca.pem").string(), "-subj",
           "/O=EM Test/CN=EM Test etcd CA", "-days", "30", "-addext",
           "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign"});
  issue(dir, "member", "/O=EM Test/CN=etcd member",
        "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth,clientAuth\n"
        "basicConstraints=critical,CA:FALSE\n");
  issue(dir, "client", "/O=EM Test/OU=emservice",
        "extendedKeyUsage=clientAuth\nbasicConstraints=critical,CA:FALSE\n");
  return {dir / "ca.pem", dir / "member.pem", dir / "member.key", dir / "client.pem",
          dir / "client.key"};
}

struct etcd_cluster::impl {
  temp_dir dir{"emetcd"};
  etcd_test_pki pki;
  std::vector<member_ports> ports;
  std::vector<std::unique_ptr<child_process>> members;
  std::string token;

  void launch(int i) {
    members[i] = std::make_unique<child_process>(
        member_command(etcd_member_spec{dir.path(), pki, ports, i, token}));
  }
};

etcd_cluster::etcd_cluster(int members) : impl_(std::make_unique<impl>()) {
  impl_->pki = make_etcd_pki(impl_->dir / "pki");
  impl_->ports = free_member_ports(members);
  impl_->token =
      "emtest-" + std::to_string(::getpid()) + "-" + impl_->dir.path().filename().string();
  impl_->members.resize(members);
  for (int i = 0; i < members; ++i)
    impl_->launch(i);
  wait_until_healthy(endpoints(), impl_->pki, 30s);
}

etcd_cluster::~etcd_cluster() = default;  // child_process kills each member

bool etcd_cluster::available() {
  return run_command({"sh", "-c", "command -v etcd && command -v etcdctl"}).exit_code == 0;
}

std::vector<std::string> etcd_cluster::endpoints() const {
  std::vector<std::string> out;
  for (const auto& p : impl_->ports)
    out.push_back("https://127.0.0.1:" + std::to_string(p.client));
  return out;
}

std::vector<int> etcd_cluster::member_pids() const {
  std::vector<int> out;
  for (const auto& m : impl_->members)
    out.push_back(m ? m->pid() : -1);
  return out;
}

const etcd_test_pki& etcd_cluster::pki() const {
  return impl_->pki;
}

const std::filesystem::path& etcd_cluster::dir() const {
  return impl_->dir.path();
}

etcd_section etcd_cluster::section(const std::string& prefix) const {
  return shared_etcd_info{endpoints(), impl_->pki}.section(prefix);
}

void etcd_cluster::kill_member(int i) {
  impl_->members.at(i)->signal(SIGKILL);
  impl_->members[i]->wait(10s);
}

void etcd_cluster::start_member(int i) {
  impl_->launch(i);
}

void etcd_cluster::stop_all() {
  for (std::size_t i = 0; i < impl_->members.size(); ++i)
    kill_member(static_cast<int>(i));
}

void etcd_cluster::start_all() {
  for (std::size_t i = 0; i < impl_->members.size(); ++i)
    start_member(static_cast<int>(i));
  wait_until_healthy(endpoints(), impl_->pki, 30s);
}

std::string etcd_cluster::etcdctl(const std::vector<std::string>& args,
                                  const std::string& user) const {
  std::string list;
  for (const auto& e : endpoints())
    list += (list.empty() ? "" : ",") + e;
  std::vector<std::string> argv{
      "etcdctl", "--endpoints=" + list, "--cacert=" + impl_->pki.ca.string(),
      "--cert=" + impl_->pki.client_cert.string(), "--key=" + impl_->pki.client_key.string()};
  if (!user.empty()) argv.push_back("--user=" + user);
  argv.insert(argv.end(), args.begin(), args.end());
  auto r = run_command(argv, 30s, {{"ETCDCTL_API", "3"}});
  if (r.exit_code != 0) {
    std::string cmd;
    for (const auto& a : args)
      cmd += " " + a;
    throw std::runtime_error("etcdctl" + cmd + " failed: " + r.err + r.out);
  }
  return r.out;
}

etcd_section shared_etcd_info::section(const std::string& prefix) const {
  etcd_section s;
  s.endpoints = endpoints;
  s.prefix = prefix;
  s.ca_file = pki.ca;
  s.cert_file = pki.client_cert;
  s.key_file = pki.client_key;
  s.timeout = 5s;
  return s;
}

const shared_etcd_info* shared_etcd() {
  static std::unique_ptr<shared_etcd_info> info;
  static std::unique_ptr<etcd_cluster> own;
  if (info) return info.get();
  if (const char* dir = std::getenv("EM_TEST_ETCD"); dir && *dir) {
    if (auto found = read_fixture(dir))
      return (info = std::make_unique<shared_etcd_info>(*found)).get();
  }
  if (!etcd_cluster::available()) return nullptr;
  own = std::make_unique<etcd_cluster>(1);
  info = std::make_unique<shared_etcd_info>(shared_etcd_info{own->endpoints(), own->pki()});
  return info.get();
}

std::string unique_prefix(const std::string& what) {
  static std::atomic<int> counter{0};
  static const auto salt = std::random_device{}();
  return "/emtest/" + what + "-" + std::to_string(::getpid()) + "-" + std::to_string(++counter) +
         "-" + std::to_string(salt % 100000) + "/";
}

}  // namespace em::test
