#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

#include "tests/support/net/child_process.hpp"
#include "tests/support/temp_dir.hpp"

namespace em::test {

// Debian's nginx serving one file over HTTPS at `location` on
// 127.0.0.1:<free port>, with its ETag and 304 on If-None-Match, in a
// temporary prefix: a feed that does not long-poll (SPEC 12). One process
// in the foreground; stopped on destruction. Throws std::runtime_error when
// it does not start.
class nginx_feed {
 public:
  nginx_feed(const std::filesystem::path& file, const std::string& location,
             const std::filesystem::path& cert, const std::filesystem::path& key);
  ~nginx_feed();
  nginx_feed(const nginx_feed&) = delete;
  nginx_feed& operator=(const nginx_feed&) = delete;

  std::string url() const;  // https://127.0.0.1:<port><location>
  std::filesystem::path access_log() const { return dir_ / "access.log"; }

 private:
  temp_dir dir_{"emnginxfeed"};
  std::string location_;
  std::uint16_t port_ = 0;
  std::unique_ptr<child_process> process_;
};

}  // namespace em::test
