#pragma once

// A deterministic actor system for tests: CAF's test coordinator runs actors
// only when the test says so, and time moves only when the test advances it.

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/expected.hpp>
#include <caf/scheduler/test_coordinator.hpp>
#include <caf/scoped_actor.hpp>

#include <chrono>
#include <vector>

namespace em::test {

class deterministic_config : public caf::actor_system_config {
 public:
  deterministic_config() {
    set("scheduler.policy", caf::atom("testing"));
    set("logger.file-verbosity", caf::atom("quiet"));
    set("logger.console-verbosity", caf::atom("quiet"));
  }
};

class actor_fixture {
 public:
  actor_fixture()
      : sys(cfg),
        self(sys, true),
        sched(dynamic_cast<caf::scheduler::test_coordinator&>(sys.scheduler())) {}

  // Pending timeouts keep their actors alive, and the actor system waits for
  // every actor at its end: stop what the test spawned.
  virtual ~actor_fixture() {
    for (auto& a : spawned)
      self->send_exit(a, caf::exit_reason::user_shutdown);
    sched.run();
  }

  // Spawns and remembers the actor so the fixture stops it at the end.
  template <class... Ts>
  auto spawn(Ts&&... xs) {
    auto handle = sys.spawn(std::forward<Ts>(xs)...);
    spawned.push_back(caf::actor_cast<caf::actor>(handle));
    return handle;
  }

  // Delivers every pending message; time does not move.
  size_t run() { return sched.run(); }

  // Moves the clock, fires the timeouts that fall due, delivers what follows.
  size_t advance(caf::timespan d) {
    size_t n = sched.clock().advance_time(d);
    return n + sched.run();
  }

  // Sends a request, runs the system, and returns the answer or the error.
  template <class T, class Handle, class... Ts>
  caf::expected<T> request(const Handle& dest, Ts&&... xs) {
    auto handle = self->request(dest, caf::infinite, std::forward<Ts>(xs)...);
    run();
    caf::expected<T> result{caf::error{}};
    handle.receive([&](T& x) { result = std::move(x); },
                   [&](caf::error& err) { result = std::move(err); });
    return result;
  }

  deterministic_config cfg;
  caf::actor_system sys;
  caf::scoped_actor self;
  caf::scheduler::test_coordinator& sched;
  std::vector<caf::actor> spawned;
};

}  // namespace em::test
