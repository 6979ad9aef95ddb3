#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "tests/support/temp_dir.hpp"

namespace em::test {

// One host for the crash loop: a fresh copy of the Exchange-like IIS tree
// (tests/plugins/iis_tree), an emsd.conf for it with the built plugins, a
// store of its own, and the signed document of crash_document() (shared).
class crash_host {
 public:
  crash_host(const std::filesystem::path& folder, const std::filesystem::path& feed);

  const std::filesystem::path& root() const { return root_; }
  std::filesystem::path config() const { return root_ / "emsd.conf"; }
  std::filesystem::path drive() const { return root_ / "tree" / "C"; }
  // The files the document edits, relative to the tree: the site root's and
  // owa's web.config, applicationHost.config.
  static const std::vector<std::string>& edited();
  // Every regular file of the tree by its path relative to the tree.
  std::map<std::string, std::string> files() const;

 private:
  std::filesystem::path root_;
};

// M1: a URL Rewrite rule for Default Web Site (Site), one for its owa
// application (VDir), a global one (Server), and ECP's app pool disabled;
// `actions` keeps only those (0 to 3), to make the states in between.
std::string crash_document(const std::vector<int>& actions = {0, 1, 2, 3});

// emsd --once for `config`, started in the background, its output in `log`.
class emsd_run {
 public:
  emsd_run(const std::filesystem::path& config, const std::filesystem::path& log);
  ~emsd_run();
  emsd_run(const emsd_run&) = delete;
  emsd_run& operator=(const emsd_run&) = delete;

  pid_t pid() const { return pid_; }
  // Its plugin worker, once there is one (0 until then).
  pid_t worker() const;
  // Waits for its exit; the exit code (128 + signal), or -1 after `limit`.
  int wait(std::chrono::milliseconds limit);
  bool exited() const { return pid_ == 0; }

 private:
  pid_t pid_ = 0;
  int status_ = -1;
};

// Waits until `pid` is gone (or a zombie); false after `limit`.
bool wait_gone(pid_t pid, std::chrono::milliseconds limit);

// libxml2 reads it as well-formed XML.
bool well_formed(const std::string& bytes);

// Names of files in the tree that are temporary files of an atomic write.
std::vector<std::string> temporaries(const std::map<std::string, std::string>& files);
// The service's backups in the tree, by the file they copy.
std::map<std::string, std::vector<std::string>> backups(
    const std::map<std::string, std::string>& files);

}  // namespace em::test
