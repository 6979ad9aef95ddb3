#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "core/config/service_config.hpp"
#include "tests/support/run_command.hpp"

namespace em::test {

// Certificates for a test etcd: a CA, one certificate the members use both
// to serve and, inside etcd, for its JSON gateway's own connection (so it
// carries serverAuth and clientAuth), and a client certificate without a
// Common Name (etcd's gateway refuses one with a CN once auth is on).
struct etcd_test_pki {
  std::filesystem::path ca;
  std::filesystem::path member_cert, member_key;
  std::filesystem::path client_cert, client_key;
};
etcd_test_pki make_etcd_pki(const std::filesystem::path& dir);

// Real etcd members (Debian's etcd-server) in a temporary folder, on free
// ports of 127.0.0.1, serving clients over TLS with client certificates
// required. Started and healthy when the constructor returns; killed with
// everything in their folder when destroyed.
class etcd_cluster {
 public:
  explicit etcd_cluster(int members = 1);
  ~etcd_cluster();
  etcd_cluster(const etcd_cluster&) = delete;
  etcd_cluster& operator=(const etcd_cluster&) = delete;

  // False when etcd is not installed: the caller says WARN("skipped: …").
  static bool available();

  std::vector<std::string> endpoints() const;
  std::vector<int> member_pids() const;
  const etcd_test_pki& pki() const;
  const std::filesystem::path& dir() const;

  // [store.etcd] for `prefix` with this cluster's endpoints and certificates.
  etcd_section section(const std::string& prefix) const;

  void kill_member(int i);   // SIGKILL, as a crash or a pulled plug
  void start_member(int i);  // again, with its data
  void stop_all();           // SIGKILL every member: etcd is unreachable
  void start_all();

  // etcdctl against this cluster (its client certificate; `user` as
  // "name:password" when auth is on). Throws with etcdctl's output on failure.
  std::string etcdctl(const std::vector<std::string>& args, const std::string& user = {}) const;

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

// One member shared by every test of a run: the one the CTest fixture
// em_etcd_fixture started (its folder in $EM_TEST_ETCD), or else one started
// for this process and kept until it exits. nullptr when etcd is missing.
struct shared_etcd_info {
  std::vector<std::string> endpoints;
  etcd_test_pki pki;
  etcd_section section(const std::string& prefix) const;
};
const shared_etcd_info* shared_etcd();

// A prefix no other test (process, or case in it) uses: "/emtest/<what>-<pid>-<n>-<random>/".
std::string unique_prefix(const std::string& what);

}  // namespace em::test

// Ends a test that needs etcd where it is not installed, saying so (CTest
// lists it Skipped). Needs <catch2/catch.hpp>.
#define EM_SKIP_WITHOUT_ETCD()                                       \
  do {                                                               \
    if (!em::test::etcd_cluster::available()) {                      \
      WARN("skipped: etcd is not installed (Debian's etcd-server)"); \
      return;                                                        \
    }                                                                \
  } while (false)
