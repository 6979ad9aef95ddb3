#include "tools/emfeed/feed_server_inbox.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>
#include <ctime>

#include "core/util/error.hpp"
#include "core/util/file_util.hpp"

namespace emfeed {
namespace {

// 20261127T100000.123Z: sorts by arrival, no characters a shell or a
// Windows share would trip on.
std::string file_stamp() {
  auto now = std::chrono::system_clock::now();
  auto t = std::chrono::system_clock::to_time_t(now);
  auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d%02d%02dT%02d%02d%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms));
  return buf;
}

}  // namespace

feed_server_inbox::feed_server_inbox(std::filesystem::path dir, std::size_t max_report_size)
    : dir_(std::move(dir)), max_report_size_(max_report_size) {
  std::error_code ec;
  std::filesystem::create_directories(dir_, ec);
  if (ec || !std::filesystem::is_directory(dir_))
    throw em::error("cannot use " + dir_.string() +
                    " for diagnostics: " + (ec ? ec.message() : "not a folder"));
}

std::filesystem::path feed_server_inbox::save(const std::string& body) {
  if (body.size() > max_report_size_)
    throw em::invalid_input("report of " + std::to_string(body.size()) +
                            " bytes is over the limit of " + std::to_string(max_report_size_));
  auto parsed = nlohmann::json::parse(body, nullptr, false);
  if (parsed.is_discarded() || !parsed.is_object())
    throw em::invalid_input("the report is not a JSON object");
  std::lock_guard<std::mutex> lock(mutex_);
  std::filesystem::path file;
  do  // the counter restarts with the server; never overwrite an earlier run's report
    file = dir_ / (file_stamp() + "-" + std::to_string(++counter_) + ".json");
  while (std::filesystem::exists(file));
  em::write_file_atomic(file, body, 0640);
  return file;
}

}  // namespace emfeed
