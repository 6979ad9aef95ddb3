#include "tests/e2e/fleet/fleet_fixture.hpp"

#include <thread>

#include "tests/support/etcd/etcd_cluster.hpp"

namespace fs = std::filesystem;

namespace em::test {
namespace {

std::string toml_string(const std::string& s) {
  return "\"" + s + "\"";
}

}  // namespace

fleet_fixture::fleet_fixture(etcd_section section) : etcd(std::move(section)) {
  etcd.prefix = unique_prefix("fleet");
}

fs::path fleet_fixture::fleet_server(const std::string& name, const std::string& schedule,
                                     const std::string& identity, const std::string& file) {
  std::string endpoints;
  for (const auto& e : etcd.endpoints)
    endpoints += (endpoints.empty() ? "" : ", ") + toml_string(e);
  server_options options;
  options.schedule = schedule;
  options.file = file;
  options.host = host / name;
  fs::create_directories(options.host);
  options.store = "[store]\nbackend = \"etcd\"\npath = \"local-" + name +
                  "/state.db\"\n[store.etcd]\nendpoints = [" + endpoints +
                  "]\nprefix = " + toml_string(etcd.prefix) +
                  "\nca_file = " + toml_string(etcd.ca_file->string()) +
                  "\ncert_file = " + toml_string(etcd.cert_file->string()) +
                  "\nkey_file = " + toml_string(etcd.key_file->string()) + "\n" + identity;
  return server(name, "15.2.1118.7", options);
}

bool fleet_fixture::marker_on(const std::string& server, const std::string& file) const {
  return fs::exists(host / server / file);
}

std::string fleet_fixture::status_of(const fs::path& config, const std::string& server,
                                     const std::string& action) {
  // Not REQUIRE'd: a test polls this while the servers are still starting.
  auto r = emctl(config, {"get-mitigations", "--server", server, "--json"});
  if (r.exit_code != 0) return "emctl: " + r.err;
  for (const auto& row : nlohmann::json::parse(r.out))
    if (row["ID"] == action) return row["Status"];
  return {};
}

std::optional<std::chrono::milliseconds> eventually(const std::function<bool()>& ready,
                                                    std::chrono::milliseconds limit) {
  const auto start = std::chrono::steady_clock::now();
  for (;;) {
    if (ready())
      return std::chrono::duration_cast<std::chrono::milliseconds>(
          std::chrono::steady_clock::now() - start);
    if (std::chrono::steady_clock::now() - start > limit) return std::nullopt;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

}  // namespace em::test
