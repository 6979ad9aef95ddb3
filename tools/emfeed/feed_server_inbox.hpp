#pragma once

#include <cstddef>
#include <filesystem>
#include <mutex>
#include <string>

namespace emfeed {

// Where `emfeed serve` keeps the diagnostics servers POST: one JSON file per
// report, named by arrival time and a counter so none is ever overwritten.
class feed_server_inbox {
 public:
  // Creates `dir` when missing; throws em::error when it cannot.
  feed_server_inbox(std::filesystem::path dir, std::size_t max_report_size);

  std::size_t max_report_size() const { return max_report_size_; }

  // Saves one report and returns its file. Throws em::invalid_input when the
  // body is not a JSON object or is too large, em::error when it cannot be written.
  // Thread-safe.
  std::filesystem::path save(const std::string& body);

 private:
  std::filesystem::path dir_;
  std::size_t max_report_size_;
  std::mutex mutex_;
  unsigned long counter_ = 0;
};

}  // namespace emfeed
