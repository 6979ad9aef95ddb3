// Plugins that misbehave on purpose, one per way (FAULT_KIND): "crash"
// dereferences null in apply, "abort" calls abort(), "hang" never returns from
// apply, "throw" throws. Each handles the action type <Kind>Action.
#include <emservice/plugin.hpp>

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <thread>

namespace {

const std::string kind = FAULT_KIND;

class faulty_applier final : public emservice::applier {
 public:
  emservice::outcome validate(const emservice::action&) override { return {}; }
  emservice::check_result check(const emservice::action&) override {
    return {emservice::check_state::not_in_effect, {}};
  }
  emservice::outcome apply(const emservice::action&) override {
    if (kind == "crash") {
      // The default disposition first: a sanitizer build's SIGSEGV handler
      // would otherwise turn the crash into a plain exit with code 1.
      std::signal(SIGSEGV, SIG_DFL);
      std::raise(SIGSEGV);
    } else if (kind == "abort") {
      std::abort();
    } else if (kind == "hang") {
      for (;;)
        std::this_thread::sleep_for(std::chrono::hours(1));
    }
    throw std::runtime_error("the " + kind + " plugin gives up");
  }
  emservice::outcome rollback(const emservice::action&) override { return {}; }
};

const std::string type = kind + "Action";
const char* const types[] = {type.c_str(), nullptr};

emservice::applier* create(const emservice::host_context&, std::string&) {
  return new faulty_applier();
}
void destroy(emservice::applier* a) {
  delete a;
}

}  // namespace

EMSERVICE_PLUGIN_EXPORT const emservice::plugin_descriptor* emservice_plugin_entry() {
  static const emservice::plugin_descriptor d = {EMSERVICE_PLUGIN_ABI_MAJOR,
                                                 EMSERVICE_PLUGIN_ABI_MINOR,
                                                 sizeof(emservice::plugin_descriptor),
                                                 FAULT_KIND,
                                                 types,
                                                 &create,
                                                 &destroy};
  return &d;
}
