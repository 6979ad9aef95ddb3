#include "tests/e2e/nginx/nginx_e2e_fixture.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <map>

#include "tests/support/sample_feed.hpp"
#include "tests/support/test_paths.hpp"

namespace em::test {

nginx_e2e_fixture::nginx_e2e_fixture() : backend(counting_backend()), nginx(backend.port()) {
  write_config();
}

void nginx_e2e_fixture::publish(const std::string& document, const std::string& sequence) {
  auto r = sign_feed(document, dir / "feed.xml", sequence);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
}

void nginx_e2e_fixture::write_config(const std::string& enable) {
  std::string reload;
  for (const auto& arg : nginx.reload_command())
    reload += (reload.empty() ? "\"" : ", \"") + arg + "\"";
  write_text(dir / "emsd.conf",
             "[server]\nname = \"EX01\"\nproduct = \"Exchange2019\"\nbuild = \"15.2.1118.7\"\n"
             "[feed]\nurl = \"file://" +
                 (dir / "feed.xml").string() + "\"\n[trust]\nanchors = [\"" +
                 (test_pki() / "root.pem").string() +
                 "\"]\nrevocation = \"off\"\n"
                 "[store]\npath = \"state.db\"\n[log]\ndir = \"logs\"\n"
                 "[plugins]\ndir = \"" +
                 plugin_dir().string() + "\"\n" +
                 (enable.empty() ? "" : "enable = " + enable + "\n") +
                 "[plugins.nginx]\nconf = \"" + nginx.conf().string() +
                 "\"\nsites = { \"Default Web Site\" = \"" + nginx.sites().string() +
                 "\" }\nreload_command = [" + reload + "]\n");
}

command_result nginx_e2e_fixture::emsd_once() {
  return run_command({emsd_path().string(), "--config", (dir / "emsd.conf").string(), "--once"},
                     std::chrono::seconds(120));
}

command_result nginx_e2e_fixture::reloading(const std::function<command_result()>& step) {
  const auto workers = nginx.workers();
  const auto files = folder_files(nginx.sites());
  auto r = step();
  // The plugin reloads nginx when it changed the folder, and only then.
  if (folder_files(nginx.sites()) != files) {
    INFO(r.out << r.err);
    REQUIRE(nginx.reloaded_since(workers));
    REQUIRE(nginx.serves_current_files());  // a cycle may reload several times
  }
  return r;
}

command_result nginx_e2e_fixture::emctl(std::vector<std::string> args) {
  args.insert(args.begin(), {emctl_path().string(), "--config", (dir / "emsd.conf").string()});
  return run_command(args);
}

bool nginx_e2e_fixture::reaches_backend(
    const std::string& target, const std::vector<std::pair<std::string, std::string>>& headers,
    const std::string& method, raw_answer* answer) {
  const auto before = backend_count();
  auto a = send_raw(nginx.port(), method, target, headers);
  if (answer) *answer = a;
  return backend_count() > before;
}

}  // namespace em::test
