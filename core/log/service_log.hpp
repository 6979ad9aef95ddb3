#pragma once

#include <cstddef>
#include <filesystem>
#include <memory>
#include <string>

#include "core/log/log_record.hpp"
#include "core/util/time_util.hpp"

namespace spdlog {
class logger;
}

namespace em {

// The service's own log (the "MitigationService" log of SPEC 8): one line per
// record, rotated by size, in <dir>/MitigationService.log:
//
//   2026-11-27T10:00:00.123Z,FetchMitigation,S:LogLevel=Information;S:Message=Fetching …
//
// Events carry their ID too: …;S:LogLevel=Information;S:EventId=1005;S:Message=…
class service_log {
 public:
  static constexpr std::size_t default_max_file_size = 10 * 1024 * 1024;
  static constexpr std::size_t default_max_files = 10;

  // Creates `dir` when missing; throws em::error naming it when it cannot.
  // Records below `min_level` ("debug", "info", "warning", "error") are dropped.
  service_log(const std::filesystem::path& dir, const std::string& min_level,
              std::size_t max_file_size = default_max_file_size,
              std::size_t max_files = default_max_files);
  ~service_log();

  void write(const log_record& record, sys_time at);
  void write(const event_record& event, sys_time at);
  void flush();

  std::filesystem::path file() const { return file_; }

  // The line as written, without the newline; control characters in the
  // message become spaces so a document cannot forge log lines.
  static std::string format_line(sys_time at, log_operation op, log_level level, int event_number,
                                 const std::string& message);

 private:
  bool enabled(log_level level) const { return level >= min_level_; }

  std::filesystem::path file_;
  log_level min_level_;
  std::shared_ptr<spdlog::logger> logger_;
};

}  // namespace em
