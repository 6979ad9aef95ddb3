#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <string>

#include <emservice/plugin.hpp>

namespace emnginx {

// What one file held before the service first changed it, and what the
// service last wrote there.
struct file_record {
  std::optional<std::string> before;  // nothing: the file did not exist
  std::string written;

  bool services() const { return before != written; }
};

using file_records = std::map<std::string, file_record>;  // by path

// The folder's common files are shared by its rules: recorded once, with the
// actions that need them.
struct folder_record {
  std::set<std::string> actions;
  file_records files;
};

// What apply changed, kept through host_api's values (SPEC 10), so that
// rollback undoes exactly that after any restart: "action <id>" holds the
// rule file's record, "folder <path>" the common files' and their users.
class nginx_ownership {
 public:
  explicit nginx_ownership(emservice::host_api& host) : host_(host) {}

  file_records action(const std::string& id) const;
  void save_action(const std::string& id, const file_records& files);

  folder_record folder(const std::filesystem::path& folder) const;
  void save_folder(const std::filesystem::path& folder, const folder_record& record);

 private:
  emservice::host_api& host_;
};

// Adds what `path` held before (kept when it is already recorded: the first
// state the service saw is the one rollback restores) and what is written now.
void record(file_records& files, const std::filesystem::path& path,
            const std::optional<std::string>& before, const std::string& written);

}  // namespace emnginx
