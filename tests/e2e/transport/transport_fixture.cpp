#include "tests/e2e/transport/transport_fixture.hpp"

#include <catch2/catch.hpp>

#include "core/store/sqlite_store.hpp"
#include "tests/support/net/feed_server_process.hpp"
#include "tests/support/sample_feed.hpp"
#include "tests/support/test_paths.hpp"

namespace em::test {

transport_fixture::transport_fixture() {
  auto r = sign_feed(ping_document, dir / "feed.xml", "1");
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
}

void transport_fixture::start_feed(const std::filesystem::path& cert,
                                   const std::filesystem::path& key) {
  auto server = start_feed_server({"--cert", cert.string(), "--key", key.string(), "--document",
                                   (dir / "feed.xml").string(), "--diagnostics-dir",
                                   (dir / "diag").string()});
  feed = std::move(server.process);
  INFO(feed->out() << feed->err());
  REQUIRE(server.port != 0);
  feed_port = server.port;
}

std::string transport_fixture::feed_url(const std::string& host) const {
  return "https://" + host + ":" + std::to_string(feed_port) + "/getexchangemitigations";
}

void transport_fixture::configure(const std::string& url, const std::filesystem::path& ca,
                                  const std::string& feed_extra, const std::string& extra) {
  const auto& pki = test_pki();
  const std::string diagnostics =
      feed_port ? "https://127.0.0.1:" + std::to_string(feed_port) + "/diagnostics" : "";
  write_text(dir / "emsd.conf",
             "[server]\nname = \"EX01\"\nproduct = \"Exchange2019\"\nbuild = \"15.2.1118.7\"\n"
             "[feed]\nurl = \"" +
                 url + "\"\nca_file = \"" + ca.string() + "\"\n" +
                 (diagnostics.empty() ? "" : "diagnostics_url = \"" + diagnostics + "\"\n") +
                 feed_extra + "[trust]\nanchors = [\"" + (pki / "root.pem").string() +
                 "\"]\neku = [\"1.3.6.1.5.5.7.3.3\"]\nrevocation = \"off\"\n" + trust_extra +
                 "[store]\npath = \"state.db\"\n[log]\ndir = \"logs\"\n"
                 "[plugins]\ndir = \"" +
                 plugin_dir().string() +
                 "\"\nenable = [\"ping\"]\n"
                 "[control]\nsocket = \"" +
                 (dir / "control.sock").string() + "\"\n" + extra);
}

command_result transport_fixture::emsd_once() {
  return run_command({emsd_path().string(), "--config", (dir / "emsd.conf").string(), "--once"},
                     std::chrono::seconds(60));
}

command_result transport_fixture::emctl(std::vector<std::string> args) {
  args.insert(args.begin(), {emctl_path().string(), "--config", (dir / "emsd.conf").string()});
  return run_command(args);
}

void transport_fixture::change_server(const server_changes& changes) {
  auto store = open_sqlite_store(dir / "state.db");
  if (!store->find_server("EX01")) store->register_server("EX01", "Exchange2019", "15.2.1118.7");
  store->update_server("EX01", changes, "test");
}

std::string transport_fixture::log_text() const {
  auto file = dir / "logs" / "MitigationService.log";
  return std::filesystem::exists(file) ? read_text(file) : std::string();
}

std::vector<std::filesystem::path> transport_fixture::reports() const {
  std::vector<std::filesystem::path> files;
  if (std::filesystem::exists(dir / "diag"))
    for (const auto& e : std::filesystem::directory_iterator(dir / "diag"))
      files.push_back(e.path());
  return files;
}

}  // namespace em::test
