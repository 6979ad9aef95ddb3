#pragma once

// The contract for one action type (part of the EM Service plugin SDK: see
// <emservice/plugin.hpp>).

#include <emservice/action.hpp>

namespace emservice {

// The host calls these from one thread at a time, in this order per action:
// validate, then check, then apply when check says not_in_effect; rollback
// only on an administrator's request. A failure is a failed outcome (or an
// error check); an exception thrown instead fails the action too, with its
// what() as the reason.
class applier {
 public:
  virtual ~applier() = default;

  // Parse and check the action's Value; no side effects.
  virtual outcome validate(const action& a) = 0;
  // Is the mitigation in effect on this host?
  virtual check_result check(const action& a) = 0;
  // Put it in effect. Must be idempotent.
  virtual outcome apply(const action& a) = 0;
  // Undo it.
  virtual outcome rollback(const action& a) = 0;
};

}  // namespace emservice
