#include "core/plugin/plugin_host.hpp"

#include <cstddef>
#include <map>
#include <stdexcept>

#include "core/store/store.hpp"
#include "core/util/file_util.hpp"
#include "core/util/process.hpp"

namespace em {
namespace {

// A plugin reads configuration files; anything larger is a mistake, and the
// worker must not run out of memory over it.
constexpr std::size_t max_plugin_file = 64 * 1024 * 1024;

class store_host_api final : public emservice::host_api {
 public:
  store_host_api(std::shared_ptr<em::store> store, std::string server, std::string plugin,
                 plugin_host::log_function log)
      : store_(std::move(store)),
        server_(std::move(server)),
        plugin_(std::move(plugin)),
        log_(std::move(log)) {}

  void log(emservice::log_level level, const std::string& message) override {
    if (log_) log_(plugin_, level, message);
  }

  std::optional<std::string> load_value(const std::string& key) override {
    if (!store_) {
      auto it = memory_.find(key);
      return it == memory_.end() ? std::nullopt : std::optional<std::string>(it->second);
    }
    return rethrown([&] { return store_->get_plugin_value(server_, plugin_, key); });
  }

  void save_value(const std::string& key, const std::string& value) override {
    if (!store_) {
      memory_[key] = value;
      return;
    }
    rethrown([&] {
      store_->set_plugin_value(server_, plugin_, key, value);
      return 0;
    });
  }

  std::string read_file(const std::string& path) override {
    return rethrown([&] { return em::read_file(path, max_plugin_file); });
  }

  void write_file_atomic(const std::string& path, const std::string& content) override {
    std::string warning;
    rethrown([&] {
      em::write_file_atomic(path, content, 0644, &warning);
      return 0;
    });
    if (!warning.empty()) log(emservice::log_level::warning, warning);
  }

  command_result run_command(const std::vector<std::string>& argv,
                             std::chrono::milliseconds limit) override {
    // emsd runs as root: a plugin's command must not depend on its PATH.
    if (argv.empty() || argv[0].empty() || argv[0][0] != '/')
      throw std::runtime_error("cannot run " + (argv.empty() ? std::string() : argv[0]) +
                               ": a plugin's command must start with an absolute program path");
    auto r = rethrown([&] { return run_process(argv, limit); });
    command_result out;
    out.exit_code = r.exit_code;
    out.timed_out = r.timed_out;
    out.out = std::move(r.out);
    out.err = std::move(r.err);
    out.signal = r.signal;
    return out;
  }

  void erase_value(const std::string& key) override {
    if (!store_) {
      memory_.erase(key);
      return;
    }
    rethrown([&] {
      store_->erase_plugin_value(server_, plugin_, key);
      return 0;
    });
  }

 private:
  // The SDK promises std::runtime_error: plugins need not know em::error.
  template <class F>
  auto rethrown(F&& f) -> decltype(f()) {
    try {
      return f();
    } catch (const std::exception& e) {
      throw std::runtime_error(e.what());
    }
  }

  std::shared_ptr<em::store> store_;
  std::string server_;
  std::string plugin_;
  plugin_host::log_function log_;
  std::map<std::string, std::string> memory_;
};

}  // namespace

plugin_host::plugin_host(std::shared_ptr<em::store> store, std::string server, log_function log)
    : store_(std::move(store)), server_(std::move(server)), log_(std::move(log)) {}

std::unique_ptr<emservice::host_api> plugin_host::make_api(const std::string& plugin_name) const {
  return std::make_unique<store_host_api>(store_, server_, plugin_name, log_);
}

}  // namespace em
