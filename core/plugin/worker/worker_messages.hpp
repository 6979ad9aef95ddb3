#pragma once

#include <string>
#include <vector>

#include <emservice/plugin.hpp>

#include "core/plugin/plugin_registry.hpp"

namespace em::worker {

// What the worker says once its plugins are loaded.
struct hello {
  std::vector<plugin_info> plugins;
  std::vector<plugin_problem> problems;
  std::vector<plugin_info> disabled;   // found, not in [plugins] enable
  std::vector<std::string> conflicts;  // two enabled plugins, one type: emsd does not start
};

struct request {
  std::uint64_t id = 0;
  std::string call;  // validate, check, apply, rollback
  emservice::action action;
};

struct log_line {
  std::string plugin;
  emservice::log_level level = emservice::log_level::information;
  std::string text;
};

struct response {
  std::uint64_t id = 0;
  bool ok = false;
  emservice::check_state state = emservice::check_state::error;  // for check
  std::string message;
  std::vector<log_line> logs;  // what the plugin logged during the call
};

std::string encode(const hello& m);
std::string encode(const request& m);
std::string encode(const response& m);
// Throw em::error for a message that is not what it should be.
hello decode_hello(const std::string& text);
request decode_request(const std::string& text);
response decode_response(const std::string& text);

}  // namespace em::worker
