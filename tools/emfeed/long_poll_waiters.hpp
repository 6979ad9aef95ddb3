#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>

namespace emfeed {

// The long-poll requests `emfeed serve` holds (SPEC 12), waiting for the
// document to change. A waiter is a callback, not a thread: thousands cost a
// map node each. Used from the server's one I/O thread only.
class long_poll_waiters {
 public:
  using wake_function = std::function<void()>;

  // Registers `wake`, called once when the document changes; the id removes it.
  std::uint64_t add(wake_function wake);
  // Forgets a waiter whose wait ended otherwise (its time ran out); unknown ids are ignored.
  void remove(std::uint64_t id);
  // Calls and forgets every waiter registered so far. A waiter added by one
  // of those calls waits for the next change.
  void wake_all();
  std::size_t size() const { return waiting_.size(); }

 private:
  std::uint64_t next_id_ = 0;
  std::map<std::uint64_t, wake_function> waiting_;
};

}  // namespace emfeed
