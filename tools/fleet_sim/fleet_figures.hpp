#pragma once

#include <filesystem>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "core/store/etcd/etcd_client.hpp"
#include "tools/fleet_sim/simulated_server.hpp"

namespace fleet_sim {

std::int64_t ms_since(steady::time_point start);

// etcd's members as the kernel sees them: CPU time (/proc/<pid>/stat) and
// resident memory (/proc/<pid>/status).
class etcd_usage {
 public:
  explicit etcd_usage(std::vector<int> pids);
  void mark();  // the end of the setup, the start of the measurements
  void report(std::ostream& out) const;

 private:
  std::vector<int> pids_;
  double start_cpu_ = 0, mark_cpu_ = 0, mark_self_ = 0;
  steady::time_point start_, mark_;
};

// Keys and bytes (keys and values) per server, by kind of key.
void report_footprint(std::ostream& out, em::etcd::client&& client, const std::string& prefix,
                      int servers);

// The wall time of `emctl get-mitigations` for the whole organisation.
void report_listing(std::ostream& out, const std::string& emctl,
                    const std::filesystem::path& config, int servers);

// Runs the real emctl and waits until the servers that must act did.
class change_runner {
 public:
  change_runner(std::string emctl, std::filesystem::path config,
                const std::vector<std::unique_ptr<simulated_server>>& servers);

  // A change every server acts on (set-org).
  void org_wide(const std::vector<std::string>& args);
  // `count` changes of one server's block list each, on servers spread over the fleet.
  void one_server_each(int count);
  void report(std::ostream& out) const;

 private:
  struct round {
    std::string what;
    std::vector<double> acted_ms;  // per server that acted
    std::vector<double> heard_ms;
    double emctl_ms = 0;
    int missing = 0;  // servers that did not act within the limit
  };
  // Runs emctl, then waits for `who` to finish a pass more than they had.
  round change(const std::string& what, const std::vector<std::string>& args,
               const std::vector<simulated_server*>& who);

  std::string emctl_;
  std::filesystem::path config_;
  const std::vector<std::unique_ptr<simulated_server>>& servers_;
  std::vector<round> org_rounds_;
  round one_server_;
};

}  // namespace fleet_sim
