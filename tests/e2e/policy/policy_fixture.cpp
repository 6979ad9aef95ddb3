#include "tests/e2e/policy/policy_fixture.hpp"

#include <catch2/catch.hpp>

#include "tests/support/sample_feed.hpp"
#include "tests/support/test_paths.hpp"

namespace fs = std::filesystem;

namespace em::test {

const char* const m1_config = R"xml(  <Config id="M1" desc="Mitigation of CVE-2022-41040">
    <Applicability>
      <Range product="Exchange2019" min="15.2.221.12" max="15.2.986.30"/>
      <Range product="Exchange2019" min="15.2.1118.0" max="15.2.1118.15"/>
    </Applicability>
    <ActionList>
      <Action type="TouchFile" scope="Server" desc="first part"><Value><File name="m1-a"/></Value></Action>
      <Action type="TouchFile" scope="Server" desc="second part"><Value><File name="m1-b"/></Value></Action>
    </ActionList>
  </Config>
)xml";

const char* const ping_config = R"xml(  <Config id="PING1" desc="EEMS Heartbeat probe.">
    <ActionList>
      <Action type="DoNothing" scope="Server" desc="Ping"><Value>DoNothing</Value></Action>
    </ActionList>
  </Config>
)xml";

policy_fixture::policy_fixture() {
  plugins = dir / "plugins";
  host = dir / "host";
  fs::create_directories(plugins);
  fs::create_directories(host);
  fs::copy_file(plugin_dir() / "ping.so", plugins / "ping.so");
  fs::copy_file(EM_MARKER_PLUGIN, plugins / "marker.so");
}

fs::path policy_fixture::server(const std::string& name, const std::string& build,
                                const std::string& schedule) {
  server_options options;
  options.schedule = schedule;
  return server(name, build, options);
}

fs::path policy_fixture::server(const std::string& name, const std::string& build,
                                const server_options& options) {
  auto file = dir / (options.file.empty() ? name + ".conf" : options.file);
  const auto marker_dir = options.host.empty() ? host : options.host;
  write_text(file, "[server]\nname = \"" + name + "\"\nproduct = \"Exchange2019\"\nbuild = \"" +
                       build + "\"\n[feed]\nurl = \"file://" + (dir / "feed.xml").string() +
                       "\"\n[schedule]\n" + options.schedule + "[trust]\nanchors = [\"" +
                       (test_pki() / "root.pem").string() + "\"]\nrevocation = \"off\"\n" +
                       options.store + "[log]\ndir = \"logs-" + name +
                       "\"\n[plugins]\ndir = \"plugins\"\n[plugins.marker]\n"
                       "dir = \"" +
                       marker_dir.string() + "\"\n[control]\nsocket = \"run/" + name + ".sock\"\n");
  return file;
}

void policy_fixture::publish(const std::string& configs) {
  auto r = sign_feed("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<EOCS version=\"1.0.4\">\n" +
                         configs + "</EOCS>\n",
                     dir / "feed.xml", std::to_string(++sequence_));
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
}

command_result policy_fixture::emsd_once(const fs::path& config) {
  return run_command({emsd_path().string(), "--config", config.string(), "--once"});
}

command_result policy_fixture::emctl(const fs::path& config, std::vector<std::string> args) {
  args.insert(args.begin(), {emctl_path().string(), "--config", config.string()});
  return run_command(args);
}

nlohmann::json policy_fixture::server_json(const fs::path& config, const std::string& name) {
  auto r = emctl(config, {"get-server", name, "--json"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  auto j = nlohmann::json::parse(r.out);
  return j.is_array() ? j.at(0) : j;
}

std::map<std::string, std::string> policy_fixture::statuses(const fs::path& config,
                                                            const std::string& name) {
  auto r = emctl(config, {"get-mitigations", "--server", name, "--json"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  std::map<std::string, std::string> out;
  for (const auto& row : nlohmann::json::parse(r.out))
    out[row["ID"]] = row["Status"];
  return out;
}

std::vector<std::string> policy_fixture::applied(const fs::path& config, const std::string& name) {
  return server_json(config, name)["MitigationsApplied"].get<std::vector<std::string>>();
}

std::string policy_fixture::log_of(const std::string& name) {
  return read_text(dir / ("logs-" + name) / "MitigationService.log");
}

bool policy_fixture::marker(const std::string& file) const {
  return fs::exists(host / file);
}

void policy_fixture::remove_marker(const std::string& file) const {
  fs::remove(host / file);
}

}  // namespace em::test
