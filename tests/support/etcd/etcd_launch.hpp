#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "tests/support/etcd/etcd_cluster.hpp"

namespace em::test {

// The pieces etcd_cluster and the em_etcd_fixture program share.

struct member_ports {
  std::uint16_t client = 0;
  std::uint16_t peer = 0;
};
// Free ports on 127.0.0.1 (asked of the kernel), two per member.
std::vector<member_ports> free_member_ports(int members);

struct etcd_member_spec {
  std::filesystem::path dir;  // the cluster's folder: member i keeps its data in m<i>
  etcd_test_pki pki;
  std::vector<member_ports> ports;
  int index = 0;
  std::string token;  // unique per cluster
};
// The etcd command line of one member; its log goes to <dir>/m<i>.log.
std::vector<std::string> member_command(const etcd_member_spec& spec);

// Until a read through the JSON gateway succeeds on every endpoint; throws
// after `timeout`.
void wait_until_healthy(const std::vector<std::string>& endpoints, const etcd_test_pki& pki,
                        std::chrono::milliseconds timeout);

// The shared member's description, <dir>/cluster.json, written by the fixture.
void write_fixture(const std::filesystem::path& dir, const shared_etcd_info& info, int pid);
// nullopt when absent, or when the process it names is gone.
std::optional<shared_etcd_info> read_fixture(const std::filesystem::path& dir);
std::optional<int> fixture_pid(const std::filesystem::path& dir);

}  // namespace em::test
