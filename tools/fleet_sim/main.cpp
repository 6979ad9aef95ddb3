// fleet_sim: N simulated servers of one organisation against a local etcd
// cluster (SPEC 11, docs/fleet.md): each registers, records a cycle, holds
// its lease and watches its settings. The real emctl then changes settings,
// and this measures how long until every server acted, how long an
// organisation-wide get-mitigations takes, what each server costs in etcd,
// and etcd's CPU and memory.
#include <CLI/CLI.hpp>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <thread>

#include "core/store/etcd/etcd_store.hpp"
#include "core/trust/document_verifier.hpp"
#include "tests/support/etcd/etcd_cluster.hpp"
#include "tests/support/sample_feed.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/test_paths.hpp"
#include "tools/fleet_sim/fleet_figures.hpp"
#include "tools/fleet_sim/simulated_server.hpp"

namespace fs = std::filesystem;
using namespace fleet_sim;
using namespace std::chrono_literals;

namespace {

struct options {
  int servers = 100;
  int members = 3;
  int rounds = 2;   // set-org false/true changes
  int blocks = 20;  // set-server --blocked changes, one server each
  int workers = 16;
  std::string emctl = em::test::emctl_path().string();
};

// PING1 and a Config of two more actions: three statuses per server.
const char* const document_xml = R"(<?xml version="1.0" encoding="utf-8"?>
<EOCS version="1.0.4">
  <Config id="PING1" desc="EEMS Heartbeat probe.">
    <ActionList>
      <Action type="DoNothing" scope="Server" desc="Ping"><Value>DoNothing</Value></Action>
    </ActionList>
  </Config>
  <Config id="M9" desc="A mitigation in two parts">
    <ActionList>
      <Action type="DoNothing" scope="Server" desc="first part"><Value>DoNothing</Value></Action>
      <Action type="DoNothing" scope="Server" desc="second part"><Value>DoNothing</Value></Action>
    </ActionList>
  </Config>
</EOCS>
)";

std::shared_ptr<const accepted_document> signed_document(const fs::path& dir) {
  const auto file = dir / "feed.xml";
  auto r = em::test::sign_feed(document_xml, file, "1");
  if (r.exit_code != 0) throw std::runtime_error("emfeed sign failed: " + r.err);
  em::trust_settings trust;
  trust.anchors = {em::test::test_pki() / "root.pem"};
  trust.revocation = em::revocation_mode::off;
  em::document_verifier verifier(trust);
  const auto bytes = em::test::read_text(file);
  auto v = verifier.verify(bytes, std::chrono::system_clock::now());
  if (!v.verified) throw std::runtime_error("the simulated feed does not verify: " + v.reason);
  auto doc = std::make_shared<accepted_document>();
  doc->model = std::move(v.document);
  doc->origin = {"file://" + file.string(), "", bytes, v.digest, std::chrono::system_clock::now()};
  return doc;
}

fs::path admin_config(const fs::path& dir, const em::etcd_section& etcd) {
  std::string endpoints;
  for (const auto& e : etcd.endpoints)
    endpoints += (endpoints.empty() ? "\"" : ", \"") + e + "\"";
  const auto file = dir / "admin.conf";
  em::test::write_text(
      file, "[server]\nname = \"ADMIN\"\n[store]\nbackend = \"etcd\"\npath = \"" +
                (dir / "admin-state/state.db").string() + "\"\n[store.etcd]\nendpoints = [" +
                endpoints + "]\nprefix = \"" + etcd.prefix + "\"\nca_file = \"" +
                etcd.ca_file->string() + "\"\ncert_file = \"" + etcd.cert_file->string() +
                "\"\nkey_file = \"" + etcd.key_file->string() + "\"\ntimeout = \"10s\"\n");
  return file;
}

// Runs `body` for 0..n-1 on `workers` threads.
template <class Body>
void in_parallel(int n, int workers, Body body) {
  std::atomic<int> next{0};
  std::vector<std::thread> pool;
  for (int w = 0; w < workers; ++w)
    pool.emplace_back([&] {
      for (int i = next++; i < n; i = next++)
        body(i);
    });
  for (auto& t : pool)
    t.join();
}

std::string sim_name(int i) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "SIM%05d", i + 1);
  return buf;
}

int run(const options& o) {
  if (!em::test::etcd_cluster::available())
    throw std::runtime_error(
        "etcd and etcdctl are not installed (Debian's etcd-server, etcd-client)");
  em::test::temp_dir dir("emfleetsim");
  std::cout << "fleet_sim: " << o.servers << " simulated servers, a " << o.members
            << "-member etcd cluster on 127.0.0.1 (TLS, client certificates), "
            << std::thread::hardware_concurrency() << " CPU(s)\n";
  em::test::etcd_cluster cluster(o.members);
  auto etcd = cluster.section(em::test::unique_prefix("fleet-sim"));
  etcd.timeout = 10s;
  const auto document = signed_document(dir.path());
  const auto admin = admin_config(dir.path(), etcd);
  etcd_usage usage(cluster.member_pids());

  std::vector<std::unique_ptr<simulated_server>> servers;
  for (int i = 0; i < o.servers; ++i)
    servers.push_back(std::make_unique<simulated_server>(sim_name(i), etcd, document));
  const auto setup_start = steady::now();
  std::atomic<int> failed{0};
  in_parallel(o.servers, o.workers, [&](int i) {
    try {
      servers[i]->start();
    } catch (const std::exception& e) {
      if (failed++ == 0)
        std::cerr << "fleet_sim: " << servers[i]->name() << ": " << e.what() << "\n";
    }
  });
  if (failed) throw std::runtime_error(std::to_string(failed) + " server(s) could not start");
  std::cout << "setup: " << o.servers << " servers registered, cycle recorded, lease held and "
            << "settings watched in " << ms_since(setup_start) << " ms\n";
  std::this_thread::sleep_for(2s);  // every watch open and quiet

  report_footprint(std::cout, em::etcd::client(em::etcd::client_settings::from_config(etcd)),
                   etcd.prefix, o.servers);
  usage.mark();

  change_runner change(o.emctl, admin, servers);
  for (int r = 0; r < o.rounds; ++r) {
    const bool enabled = r % 2 == 1;
    change.org_wide(
        {"set-org", std::string("--mitigations-enabled=") + (enabled ? "true" : "false")});
  }
  change.one_server_each(o.blocks);
  change.report(std::cout);
  report_listing(std::cout, o.emctl, admin, o.servers);
  usage.report(std::cout);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  options o;
  CLI::App app{"fleet_sim - N simulated EM Service servers against a local etcd cluster"};
  app.add_option("--servers", o.servers, "Simulated servers")->check(CLI::Range(1, 5000));
  app.add_option("--members", o.members, "etcd members")->check(CLI::Range(1, 5));
  app.add_option("--rounds", o.rounds, "Organisation-wide changes (set-org)")
      ->check(CLI::Range(0, 100));
  app.add_option("--blocks", o.blocks, "One-server changes (set-server --blocked)")
      ->check(CLI::Range(0, 1000));
  app.add_option("--workers", o.workers, "Threads that start the servers")
      ->check(CLI::Range(1, 256));
  app.add_option("--emctl", o.emctl, "The emctl to change settings with");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  try {
    return run(o);
  } catch (const std::exception& e) {
    std::cerr << "fleet_sim: " << e.what() << "\n";
    return 1;
  }
}
