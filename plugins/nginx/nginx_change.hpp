#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <emservice/plugin.hpp>

#include "plugins/nginx/nginx_settings.hpp"

namespace emnginx {

// One file of a change: what it held before and what it is to hold
// (nothing: absent).
struct file_change {
  std::filesystem::path path;
  std::optional<std::string> before;
  std::optional<std::string> after;
};

// A set of file edits that reaches the running nginx only whole and tested:
// the files are written (atomically, one by one, in the order given), then
// `nginx -t -c <conf>` checks the whole configuration, then nginx reloads
// (never restarts). When the test or the reload fails, every file is put
// back as it was, in reverse order, and commit() throws plugin_error with
// nginx's own error line: a configuration nginx refuses never reaches the
// running nginx.
class nginx_change {
 public:
  nginx_change(emservice::host_api& host, const nginx_settings& settings)
      : host_(host), settings_(settings) {}

  // Plans `path` to hold `content` (nothing: to be removed); false when it
  // already does, so nothing is planned.
  bool set(const std::filesystem::path& path, std::optional<std::string> content);

  bool empty() const { return files_.empty(); }
  const std::vector<file_change>& files() const { return files_; }

  void commit();

 private:
  void write(const std::filesystem::path& path, const std::optional<std::string>& content);
  void put_back(std::size_t written);

  emservice::host_api& host_;
  const nginx_settings& settings_;
  std::vector<file_change> files_;
};

// The line of nginx's output that says what is wrong ("[emerg] unknown
// directive "js_import" in /etc/nginx/…:3"), without nginx's time and pid.
std::string nginx_error_line(const std::string& output);

}  // namespace emnginx
