#pragma once

#include <sys/types.h>

#include <cstddef>
#include <ctime>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>

namespace emfeed {

// The signed document `emfeed serve` publishes, re-read whenever the file
// changes (modification time, size or inode: an editor's save and an atomic
// rename both show), so a publisher replaces it without restarting the server.
class feed_server_document {
 public:
  struct snapshot {
    std::shared_ptr<const std::string> bytes;  // null when the file cannot be read
    std::string etag;                          // "\"<first 32 hex of SHA-256>\"": strong
    std::string error;                         // why there are no bytes
  };

  feed_server_document(std::filesystem::path file, std::size_t max_size);

  // The document as the file holds it now; cheap (one stat) when unchanged.
  // Thread-safe.
  snapshot current();

  // RFC 9110 If-None-Match: true when `header` ("*", or a list of entity
  // tags, weak ones compared weakly) matches `etag`.
  static bool matches(const std::string& header, const std::string& etag);

 private:
  struct file_id {
    ino_t inode = 0;
    off_t size = -1;
    timespec mtime{};
    bool operator==(const file_id& o) const;
  };

  std::filesystem::path file_;
  std::size_t max_size_;
  std::mutex mutex_;
  file_id seen_;
  snapshot current_;
};

}  // namespace emfeed
