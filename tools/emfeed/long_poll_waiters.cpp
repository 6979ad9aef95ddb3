#include "tools/emfeed/long_poll_waiters.hpp"

#include <utility>

namespace emfeed {

std::uint64_t long_poll_waiters::add(wake_function wake) {
  waiting_.emplace(++next_id_, std::move(wake));
  return next_id_;
}

void long_poll_waiters::remove(std::uint64_t id) {
  waiting_.erase(id);
}

void long_poll_waiters::wake_all() {
  auto woken = std::move(waiting_);
  waiting_.clear();
  for (auto& [id, wake] : woken)
    wake();
}

}  // namespace emfeed
