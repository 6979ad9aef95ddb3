#include "core/log/service_log.hpp"

#include <spdlog/sinks/rotating_file_sink.h>
#include <spdlog/spdlog.h>

#include "core/util/error.hpp"

namespace em {
namespace {

log_level parse_min_level(const std::string& text) {
  if (text == "debug") return log_level::debug;
  if (text == "warning") return log_level::warning;
  if (text == "error") return log_level::error;
  return log_level::information;
}

}  // namespace

service_log::service_log(const std::filesystem::path& dir, const std::string& min_level,
                         std::size_t max_file_size, std::size_t max_files)
    : file_(dir / "MitigationService.log"), min_level_(parse_min_level(min_level)) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) throw error("cannot create log folder " + dir.string() + ": " + ec.message());
  try {
    auto sink = std::make_shared<spdlog::sinks::rotating_file_sink_mt>(file_.string(),
                                                                       max_file_size, max_files);
    // Not registered globally: several service logs may live in one test process.
    logger_ = std::make_shared<spdlog::logger>("MitigationService", std::move(sink));
    logger_->set_pattern("%v");
    logger_->set_level(spdlog::level::trace);
    logger_->flush_on(spdlog::level::trace);
  } catch (const spdlog::spdlog_ex& e) {
    throw error("cannot open service log " + file_.string() + ": " + e.what());
  }
}

service_log::~service_log() = default;

std::string service_log::format_line(sys_time at, log_operation op, log_level level,
                                     int event_number, const std::string& message) {
  std::string line = format_rfc3339_ms(at);
  line += ',';
  line += to_string(op);
  line += ",S:LogLevel=";
  line += to_string(level);
  if (event_number != 0) line += ";S:EventId=" + std::to_string(event_number);
  line += ";S:Message=";
  for (char c : message)
    line += (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) ? ' ' : c;
  return line;
}

void service_log::write(const log_record& record, sys_time at) {
  if (!enabled(record.level)) return;
  logger_->info(format_line(at, record.operation, record.level, 0, record.message));
}

void service_log::write(const event_record& event, sys_time at) {
  // Events are never filtered: they are the audit trail.
  logger_->info(format_line(at, event.operation, event.level, number_of(event.id), event.message));
}

void service_log::flush() {
  logger_->flush();
}

}  // namespace em
