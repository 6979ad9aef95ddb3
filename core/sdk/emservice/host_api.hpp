#pragma once

// What the host gives a plugin (part of the EM Service plugin SDK: see
// <emservice/plugin.hpp>).

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <emservice/settings.hpp>

namespace emservice {

enum class log_level : int { debug, information, warning, error };

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

// The shared [iis] table: "application_host" and "variables.<NAME>", each a
// list of one string.
using iis_table = std::map<std::string, std::vector<std::string>>;

// What the host gives a plugin when it creates its applier.
struct host_context {
  std::string plugin_name;
  settings_table settings;   // its own [plugins.<name>] table, checked and converted
  iis_table iis;             // the shared [iis] table
  host_api* host = nullptr;  // never null when the host calls create()
};

}  // namespace emservice
