#include "core/plugin/plugin_host.hpp"

#include <map>
#include <stdexcept>

#include "core/store/store.hpp"

namespace em {
namespace {

class store_host_api final : public emservice::host_api {
 public:
  store_host_api(std::shared_ptr<store> state, std::string server, std::string plugin,
                 plugin_host::log_function log)
      : state_(std::move(state)),
        server_(std::move(server)),
        plugin_(std::move(plugin)),
        log_(std::move(log)) {}

  void log(emservice::log_level level, const std::string& message) override {
    if (log_) log_(plugin_, level, message);
  }

  std::optional<std::string> load_value(const std::string& key) override {
    if (!state_) {
      auto it = memory_.find(key);
      return it == memory_.end() ? std::nullopt : std::optional<std::string>(it->second);
    }
    return rethrown([&] { return state_->get_plugin_value(server_, plugin_, key); });
  }

  void save_value(const std::string& key, const std::string& value) override {
    if (!state_) {
      memory_[key] = value;
      return;
    }
    rethrown([&] {
      state_->set_plugin_value(server_, plugin_, key, value);
      return 0;
    });
  }

  void erase_value(const std::string& key) override {
    if (!state_) {
      memory_.erase(key);
      return;
    }
    rethrown([&] {
      state_->erase_plugin_value(server_, plugin_, key);
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
      throw std::runtime_error("plugin state of '" + plugin_ + "': " + e.what());
    }
  }

  std::shared_ptr<store> state_;
  std::string server_;
  std::string plugin_;
  plugin_host::log_function log_;
  std::map<std::string, std::string> memory_;
};

}  // namespace

plugin_host::plugin_host(std::shared_ptr<store> state, std::string server, log_function log)
    : state_(std::move(state)), server_(std::move(server)), log_(std::move(log)) {}

std::unique_ptr<emservice::host_api> plugin_host::make_api(const std::string& plugin_name) const {
  return std::make_unique<store_host_api>(state_, server_, plugin_name, log_);
}

}  // namespace em
