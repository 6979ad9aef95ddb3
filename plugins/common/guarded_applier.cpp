#include <exception>

#include "plugins/common/plugin_entry.hpp"

namespace emplugin {
namespace {

template <class Step>
emservice::outcome run_step(Step&& step) {
  try {
    return emservice::outcome::success(step());
  } catch (const std::exception& e) {
    return emservice::outcome::failure(e.what());
  } catch (...) {
    return emservice::outcome::failure("unexpected error");
  }
}

}  // namespace

emservice::outcome guarded_applier::validate(const emservice::action& a) {
  return run_step([&] {
    do_validate(a);
    return std::string();
  });
}

emservice::check_result guarded_applier::check(const emservice::action& a) {
  try {
    do_validate(a);
    return do_check(a);
  } catch (const std::exception& e) {
    return {emservice::check_state::error, e.what()};
  } catch (...) {
    return {emservice::check_state::error, "unexpected error"};
  }
}

emservice::outcome guarded_applier::apply(const emservice::action& a) {
  return run_step([&] {
    do_validate(a);
    return do_apply(a);
  });
}

emservice::outcome guarded_applier::rollback(const emservice::action& a) {
  return run_step([&] {
    do_validate(a);
    return do_rollback(a);
  });
}

}  // namespace emplugin
