#pragma once

// The EM Service plugin SDK. A plugin is a shared library that exports
//
//   EMSERVICE_PLUGIN_EXPORT const emservice::plugin_descriptor* emservice_plugin_entry();
//
// returning a descriptor with the ABI version it was built against. The loader
// reads abi_major, abi_minor and descriptor_size before touching anything else
// and refuses a plugin built for another major version or a newer minor one.
//
// This header uses the C++17 standard library only: third parties build against
// it without CAF, Boost or spdlog. Plugins must be built with the same C++
// standard library ABI as emsd (std::string crosses the boundary).

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#define EMSERVICE_PLUGIN_ABI_MAJOR 1
#define EMSERVICE_PLUGIN_ABI_MINOR 0

#define EMSERVICE_PLUGIN_ENTRY_NAME "emservice_plugin_entry"
#define EMSERVICE_PLUGIN_EXPORT extern "C" __attribute__((visibility("default")))

namespace emservice {

// One action of a verified document, as the plugin sees it.
struct action {
  std::string id;      // M1.1
  std::string type;    // UrlRewrite
  std::string scope;   // Server, Site or VDir (may be empty)
  std::string target;  // Default Web Site, Default Web Site/owa (may be empty)
  std::string desc;
  std::string value_xml;  // the content of <Value> as XML text
};

// Result of validate, apply and rollback. `message` says why on failure and may
// say what was done on success; it is logged and shown to administrators.
struct outcome {
  bool ok = true;
  std::string message;

  static outcome success(std::string msg = {}) { return {true, std::move(msg)}; }
  static outcome failure(std::string msg) { return {false, std::move(msg)}; }
};

enum class check_state {
  in_effect,      // the mitigation is in place on this host
  not_in_effect,  // it is not (never applied, or undone by someone)
  error           // the plugin could not tell; message says why
};

struct check_result {
  check_state state = check_state::error;
  std::string message;
};

// Settings tables are passed without any TOML type: every value is a list of
// strings, a scalar being a list of one.
using settings_table = std::map<std::string, std::vector<std::string>>;

enum class log_level { debug, information, warning, error };

// Services the host offers a plugin, valid for as long as its applier lives.
// Calls come from the thread that is calling the applier.
class host_api {
 public:
  virtual ~host_api() = default;

  // A line in the service log, marked with the plugin's name.
  virtual void log(log_level level, const std::string& message) = 0;

  // Small values kept across calls and restarts for this plugin on this
  // server (for example what apply changed, so rollback can restore it).
  // Storage failures throw std::runtime_error; the action then fails.
  virtual std::optional<std::string> load_value(const std::string& key) = 0;
  virtual void save_value(const std::string& key, const std::string& value) = 0;
  virtual void erase_value(const std::string& key) = 0;

  // A whole file (an XML configuration, say), at most 64 MiB. Throws
  // std::runtime_error naming the file when it cannot be read.
  virtual std::string read_file(const std::string& path) = 0;

  // Replaces (or creates) a file atomically: a temporary file in the same
  // folder, fsync, the existing file's mode and owner (a new file: 0644 less
  // the umask), rename, folder fsync. On failure the previous file is left
  // byte for byte, no temporary file remains, and std::runtime_error says
  // which step failed, naming the file. (Should only the final folder fsync
  // fail, the new content is in place: the host logs a warning, no throw.)
  virtual void write_file_atomic(const std::string& path, const std::string& content) = 0;

  struct command_result {
    int exit_code = -1;      // its exit status; 128 + signal when a signal ended it
    bool timed_out = false;  // killed after `limit`
    std::string out;         // the first 1 MiB of each stream
    std::string err;
    int signal = 0;  // the signal that ended it (SIGKILL after `limit`), or 0
  };
  // Runs a program without a shell (argv[0] is its absolute path), with no
  // input, a clean signal mask and none of emsd's descriptors, in a process
  // group of its own; the whole group is killed after `limit`. A program that
  // exits leaving a daemon behind returns at once. Throws std::runtime_error
  // naming the program when it cannot start.
  virtual command_result run_command(const std::vector<std::string>& argv,
                                     std::chrono::milliseconds limit) = 0;
};

// What the host gives a plugin when it creates its applier.
struct host_context {
  std::string plugin_name;
  settings_table settings;   // the plugin's own [plugins.<name>] table
  settings_table iis;        // the shared [iis] table (application_host, variables.<NAME>)
  host_api* host = nullptr;  // never null when the host calls create()
};

// The contract for one action type. The host calls these from one thread at a
// time, in this order per action: validate, then check, then apply when check
// says not_in_effect; rollback only on an administrator's request.
class applier {
 public:
  virtual ~applier() = default;

  // Parse and check the action's Value; no side effects.
  virtual outcome validate(const action& a) = 0;
  // Is the mitigation in effect on this host?
  virtual check_result check(const action& a) = 0;
  // Put it in effect. Must be idempotent.
  virtual outcome apply(const action& a) = 0;
  // Undo it.
  virtual outcome rollback(const action& a) = 0;
};

struct plugin_descriptor {
  std::uint32_t abi_major;          // EMSERVICE_PLUGIN_ABI_MAJOR
  std::uint32_t abi_minor;          // EMSERVICE_PLUGIN_ABI_MINOR
  std::uint32_t descriptor_size;    // sizeof(plugin_descriptor)
  const char* name;                 // short name, e.g. "ping"; selects [plugins.<name>]
  const char* const* action_types;  // null-terminated list, e.g. {"DoNothing", nullptr}
  // Creates the plugin's applier; returns nullptr and sets `error` when the
  // host context is unusable (for example a missing setting).
  applier* (*create)(const host_context& context, std::string& error);
  void (*destroy)(applier* instance);
  // The keys its [plugins.<name>] table may hold, null-terminated; the host
  // refuses any other key before create() runs. nullptr: the plugin checks
  // its settings itself in create().
  const char* const* setting_keys;
};

}  // namespace emservice
