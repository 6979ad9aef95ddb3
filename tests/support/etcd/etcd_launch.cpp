#include "tests/support/etcd/etcd_launch.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <stdexcept>
#include <thread>

#include <nlohmann/json.hpp>

#include "core/store/etcd/etcd_client.hpp"
#include "tests/support/temp_dir.hpp"

namespace em::test {
namespace {

// Bound to port 0 until every port is chosen, so none is chosen twice.
std::uint16_t bind_free(std::vector<int>& held) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) throw std::runtime_error("socket failed");
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    ::close(fd);
    throw std::runtime_error("cannot find a free port");
  }
  held.push_back(fd);
  return ntohs(addr.sin_port);
}

std::string peer_url(const member_ports& p) {
  return "http://127.0.0.1:" + std::to_string(p.peer);
}

}  // namespace

std::vector<member_ports> free_member_ports(int members) {
  std::vector<int> held;
  std::vector<member_ports> out;
  for (int i = 0; i < members; ++i)
    out.push_back({bind_free(held), bind_free(held)});
  for (int fd : held)
    ::close(fd);
  return out;
}

std::vector<std::string> member_command(const etcd_member_spec& s) {
  const auto& me = s.ports.at(s.index);
  const auto name = "m" + std::to_string(s.index);
  const auto client = "https://127.0.0.1:" + std::to_string(me.client);
  std::string cluster;
  for (std::size_t i = 0; i < s.ports.size(); ++i)
    cluster += (i ? "," : "") + ("m" + std::to_string(i)) + "=" + peer_url(s.ports[i]);
  return {"etcd",
          "--name=" + name,
          "--data-dir=" + (s.dir / name).string(),
          "--listen-client-urls=" + client,
          "--advertise-client-urls=" + client,
          "--listen-peer-urls=" + peer_url(me),
          "--initial-advertise-peer-urls=" + peer_url(me),
          "--initial-cluster=" + cluster,
          "--initial-cluster-state=new",
          "--initial-cluster-token=" + s.token,
          "--cert-file=" + s.pki.member_cert.string(),
          "--key-file=" + s.pki.member_key.string(),
          "--trusted-ca-file=" + s.pki.ca.string(),
          "--client-cert-auth",
          "--logger=zap",
          "--log-outputs=" + (s.dir / (name + ".log")).string()};
}

void wait_until_healthy(const std::vector<std::string>& endpoints, const etcd_test_pki& pki,
                        std::chrono::milliseconds timeout) {
  const auto until = std::chrono::steady_clock::now() + timeout;
  for (const auto& endpoint : endpoints) {
    etcd::client_settings s;
    s.endpoints = {endpoint};
    s.ca_file = pki.ca;
    s.cert_file = pki.client_cert;
    s.key_file = pki.client_key;
    s.timeout = std::chrono::milliseconds(500);
    etcd::client c(s);
    for (;;) {
      try {
        c.range({"/health-check"});
        break;
      } catch (const std::exception& e) {
        if (std::chrono::steady_clock::now() > until)
          throw std::runtime_error("etcd at " + endpoint + " did not become healthy: " + e.what());
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
      }
    }
  }
}

void write_fixture(const std::filesystem::path& dir, const shared_etcd_info& info, int pid) {
  nlohmann::json j{{"endpoints", info.endpoints},
                   {"ca", info.pki.ca.string()},
                   {"member_cert", info.pki.member_cert.string()},
                   {"member_key", info.pki.member_key.string()},
                   {"client_cert", info.pki.client_cert.string()},
                   {"client_key", info.pki.client_key.string()},
                   {"pid", pid}};
  write_text(dir / "cluster.json.tmp", j.dump(2));
  std::filesystem::rename(dir / "cluster.json.tmp", dir / "cluster.json");
}

std::optional<int> fixture_pid(const std::filesystem::path& dir) {
  try {
    return nlohmann::json::parse(read_text(dir / "cluster.json")).at("pid").get<int>();
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

std::optional<shared_etcd_info> read_fixture(const std::filesystem::path& dir) {
  try {
    const auto j = nlohmann::json::parse(read_text(dir / "cluster.json"));
    if (::kill(j.at("pid").get<int>(), 0) != 0) return std::nullopt;
    shared_etcd_info info;
    info.endpoints = j.at("endpoints").get<std::vector<std::string>>();
    info.pki = {j.at("ca").get<std::string>(), j.at("member_cert").get<std::string>(),
                j.at("member_key").get<std::string>(), j.at("client_cert").get<std::string>(),
                j.at("client_key").get<std::string>()};
    return info;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

}  // namespace em::test
