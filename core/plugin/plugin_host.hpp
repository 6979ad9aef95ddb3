#pragma once

#include <functional>
#include <memory>
#include <string>

#include <emservice/plugin.hpp>

namespace em {

class store;

// Makes each plugin's emservice::host_api: its log lines go to `log` with the
// plugin's name, its values to the store under this server and plugin.
class plugin_host {
 public:
  using log_function =
      std::function<void(const std::string& plugin, emservice::log_level, const std::string&)>;

  // `store` may be null: values are then kept in memory only (tests, emctl plan).
  plugin_host(std::shared_ptr<em::store> store, std::string server, log_function log);

  std::unique_ptr<emservice::host_api> make_api(const std::string& plugin_name) const;

 private:
  std::shared_ptr<em::store> store_;
  std::string server_;
  log_function log_;
};

}  // namespace em
