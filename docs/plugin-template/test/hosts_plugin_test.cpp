// Loads the built hosts.so as emsd would and drives its applier with a small
// host of its own: no test framework, only the SDK and the C++ library.
#include <dlfcn.h>
#include <unistd.h>

#include <emservice/plugin.hpp>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>

namespace {

int failures = 0;

void expect(bool ok, const std::string& what) {
  if (!ok) {
    ++failures;
    std::cerr << "FAILED: " << what << "\n";
  }
}

class test_host final : public emservice::host_api {
 public:
  void log(emservice::log_level, const std::string& message) override { logs += message + "\n"; }
  std::optional<std::string> load_value(const std::string& key) override {
    auto it = values.find(key);
    return it == values.end() ? std::nullopt : std::optional<std::string>(it->second);
  }
  void save_value(const std::string& key, const std::string& value) override {
    values[key] = value;
  }
  void erase_value(const std::string& key) override { values.erase(key); }
  std::string read_file(const std::string& path) override {
    std::ifstream in(path);
    if (!in) throw std::runtime_error("cannot read " + path);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
  }
  void write_file_atomic(const std::string& path, const std::string& content) override {
    std::ofstream(path + ".tmp") << content;
    std::filesystem::rename(path + ".tmp", path);
  }
  command_result run_command(const std::vector<std::string>&, std::chrono::milliseconds) override {
    throw std::runtime_error("not used by this plugin");
  }
  std::string logs;
  std::map<std::string, std::string> values;
};

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: hosts_plugin_test <hosts.so>\n";
    return 2;
  }
  void* lib = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
  if (!lib) {
    std::cerr << dlerror() << "\n";
    return 1;
  }
  using entry_fn = const emservice::plugin_descriptor* (*)();
  auto entry = reinterpret_cast<entry_fn>(dlsym(lib, EMSERVICE_PLUGIN_ENTRY_NAME));
  expect(entry != nullptr, "the entry point is exported");
  if (!entry) return 1;
  const auto* d = entry();
  expect(d->abi_major == EMSERVICE_PLUGIN_ABI_MAJOR, "ABI major");
  expect(d->layout && d->layout->count == emservice::this_build_layout.count, "layout table");
  expect(std::string(d->action_types[0]) == "HostsEntry", "handles HostsEntry");
  expect(d->settings && std::string(d->settings[0].key) == "file" &&
             d->settings[0].type == emservice::setting_type::string && !d->settings[1].key,
         "declares its one setting, file, a string");

  auto dir = std::filesystem::temp_directory_path() / ("hosts-test-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  auto hosts = (dir / "hosts").string();
  std::ofstream(hosts) << "127.0.0.1 localhost\n";

  // What emsd gives create(): the table checked and converted already.
  test_host host;
  emservice::host_context context;
  context.plugin_name = "hosts";
  context.settings.values["file"].text = hosts;
  context.host = &host;
  std::string error;
  auto* applier = d->create(context, error);
  expect(applier != nullptr, "create: " + error);
  if (!applier) return 1;

  emservice::action a{"C2.1",   "HostsEntry",
                      "Server", "",
                      "",       "<HostsEntry host=\"c2.evil.example\" address=\"0.0.0.0\"/>"};
  expect(applier->validate(a).ok, "a good Value validates");
  expect(applier->check(a).state == emservice::check_state::not_in_effect,
         "not in effect at first");
  expect(applier->apply(a).ok, "apply");
  expect(applier->apply(a).ok, "apply again");
  expect(host.read_file(hosts) == "127.0.0.1 localhost\n0.0.0.0 c2.evil.example # EEMS C2.1\n",
         "one line, the rest kept");
  expect(applier->check(a).state == emservice::check_state::in_effect, "in effect");
  expect(applier->rollback(a).ok, "rollback");
  expect(host.read_file(hosts) == "127.0.0.1 localhost\n", "rolled back");
  emservice::action swapped = a;  // canonical XML sorts attributes
  swapped.value_xml = "<HostsEntry address=\"0.0.0.0\" host=\"c2.evil.example\"/>";
  expect(applier->validate(swapped).ok, "attributes in any order");
  emservice::action bad = a;
  bad.value_xml = "<HostsEntry host=\"x; rm -rf /\" address=\"0.0.0.0\"/>";
  expect(!applier->validate(bad).ok, "a bad host name is refused");

  d->destroy(applier);
  std::filesystem::remove_all(dir);
  if (failures == 0) std::cout << "hosts plugin: all checks passed\n";
  return failures == 0 ? 0 : 1;
}
