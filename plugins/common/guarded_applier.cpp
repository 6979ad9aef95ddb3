#include "plugins/common/plugin_entry.hpp"

namespace emplugin {

emservice::outcome guarded_applier::validate(const emservice::action& a) {
  do_validate(a);
  return emservice::outcome::success();
}

emservice::check_result guarded_applier::check(const emservice::action& a) {
  do_validate(a);
  return do_check(a);
}

emservice::outcome guarded_applier::apply(const emservice::action& a) {
  do_validate(a);
  return emservice::outcome::success(do_apply(a));
}

emservice::outcome guarded_applier::rollback(const emservice::action& a) {
  do_validate(a);
  return emservice::outcome::success(do_rollback(a));
}

}  // namespace emplugin
