#pragma once

// The messages between a plugin client (emsd, emctl) and its worker process,
// each one JSON object in one frame (frame_io). A session:
//
//   client → worker   setup     what to load: the validated configuration's parts
//   worker → client   loading   before each plugin file is opened
//   worker → client   declared  once its descriptor is read, before create()
//   worker → client   hello     everything it loaded and refused, once
//   client → worker   call      one call of one action  ┐ repeated
//   worker → client   result    its result              ┘
//
// `loading` and `declared` let the client blame a worker that crashes or
// hangs while loading on the right plugin. Every field is checked on the way
// in: a message that is not what it should be throws em::error.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <emservice/action.hpp>
#include <emservice/host_api.hpp>

#include "core/config/service_config.hpp"
#include "core/plugin/plugin_calls.hpp"
#include "core/plugin/plugin_registry.hpp"

namespace em::worker {

// Raised whenever a message changes shape; both ends are built together, and
// a worker from another installation is refused at setup.
inline constexpr int protocol_version = 3;

// At most this many log lines come back with one result; the rest are
// counted in a last line. A plugin that logs in a loop cannot fill a frame.
inline constexpr std::size_t max_log_lines = 1000;

struct setup {
  std::string config_file;  // names the source of settings errors
  std::string server_name;
  std::filesystem::path store_path;        // the SQLite store of plugin values; empty: memory only
  std::optional<etcd_section> store_etcd;  // instead, the organisation's etcd store (SPEC 11)
  plugins_section plugins;
  iis_section iis;
  std::vector<std::filesystem::path> skip;  // files that crashed or hung a worker while loading
  std::vector<std::string> skip_names;      // their plugins' names, where known
};

struct loading {
  std::filesystem::path file;
};

struct log_line {
  std::string plugin;
  emservice::log_level level = emservice::log_level::information;
  std::string text;
};

struct hello {
  std::vector<plugin_info> plugins;
  std::vector<plugin_problem> problems;
  std::vector<plugin_info> disabled;   // found, not in [plugins] enable
  std::vector<std::string> conflicts;  // two enabled plugins, one type: emsd does not start
  std::vector<log_line> logs;          // what plugins logged while they were created
};

struct call {
  std::uint64_t id = 0;  // 1, 2, … per worker
  call_type what = call_type::validate;
  emservice::action action;
};

struct result {
  std::uint64_t id = 0;
  call_result outcome;
  std::vector<log_line> logs;  // what the plugin logged during the call
};

// What the client reads while the worker loads.
struct load_progress {
  enum class kind { loading, declared, hello };
  kind what = kind::loading;
  loading file;             // kind::loading
  plugin_problem declared;  // kind::declared: file, name and action types
  hello done;               // kind::hello
};

std::string encode(const setup& m);
std::string encode(const loading& m);
std::string encode_declared(const plugin_problem& declared);
std::string encode(const hello& m);
std::string encode(const call& m);
std::string encode(const result& m);

setup decode_setup(const std::string& text);
load_progress decode_progress(const std::string& text);
call decode_call(const std::string& text);
result decode_result(const std::string& text);

// Keeps the first max_log_lines of `lines` and says how many were dropped.
void cap_log_lines(std::vector<log_line>& lines);

}  // namespace em::worker
