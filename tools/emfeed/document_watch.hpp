#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <string>

namespace boost::asio {
class io_context;
}

namespace emfeed {

// Tells `emfeed serve` when the document file may have changed, so held
// long-poll requests are answered at once (SPEC 12). inotify on the file's
// folder: a publisher's atomic rename (IN_MOVED_TO), a write in place once the
// writer closes the file (IN_CLOSE_WRITE, never a half-written one), a
// symbolic link put in its place, a deletion. Nothing runs while nothing
// happens. Where inotify cannot be had (no more watches), the file is looked
// at once a second, and only while `needed()` says someone waits.
class document_watch {
 public:
  document_watch(boost::asio::io_context& ioc, const std::filesystem::path& file,
                 std::function<void()> changed, std::function<bool()> needed);
  ~document_watch();
  document_watch(const document_watch&) = delete;
  document_watch& operator=(const document_watch&) = delete;

  // Empty when inotify watches the file; otherwise why it does not (polling then).
  const std::string& problem() const;
  // A waiter was added: in polling mode, start the one-second checks if stopped.
  void poke();
  void stop();

 private:
  struct impl;
  std::shared_ptr<impl> impl_;
};

}  // namespace emfeed
