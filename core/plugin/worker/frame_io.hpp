#pragma once

#include <chrono>
#include <cstddef>
#include <string>

namespace em::worker {

// The plugin worker's wire: each message (worker_protocol) is preceded by its
// length as 4 big-endian bytes, on a UNIX stream socket pair. A worker that
// dies shows up as end of file, one that hangs as a timeout, and a length
// above max_frame as invalid before anything is allocated for it.

inline constexpr std::size_t max_frame = 16 * 1024 * 1024;

// Throws em::error when the other side is gone.
void write_frame(int fd, const std::string& payload);

struct frame {
  enum class status { ok, timeout, closed, invalid };
  status what = status::closed;
  std::string payload;
};

// Waits at most `timeout` for a whole frame (a negative timeout waits forever).
frame read_frame(int fd, std::chrono::milliseconds timeout);

}  // namespace em::worker
