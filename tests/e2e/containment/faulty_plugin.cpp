// Plugins that misbehave on purpose, one per way (FAULT_KIND): "crash"
// raises SIGSEGV in apply and rollback, "abort" calls abort(), "hang" never
// returns, "throw" throws; "loadcrash" and "loadhang" do the same in create(),
// while emsd starts. Each handles the action type <Kind>Action.
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
  emservice::outcome apply(const emservice::action&) override { misbehave(); }
  emservice::outcome rollback(const emservice::action&) override { misbehave(); }

  [[noreturn]] static void misbehave() {
    if (kind == "crash" || kind == "loadcrash") {
      // The default disposition first: a sanitizer build's SIGSEGV handler
      // would otherwise turn the crash into a plain exit with code 1.
      std::signal(SIGSEGV, SIG_DFL);
      std::raise(SIGSEGV);
    } else if (kind == "abort") {
      std::abort();
    } else if (kind == "hang" || kind == "loadhang") {
      for (;;)
        std::this_thread::sleep_for(std::chrono::hours(1));
    }
    throw std::runtime_error("the " + kind + " plugin gives up");
  }
};

const std::string type = kind + "Action";
const char* const types[] = {type.c_str(), nullptr};

emservice::applier* create(const emservice::host_context&, std::string&) {
  if (kind.compare(0, 4, "load") == 0) faulty_applier::misbehave();
  return new faulty_applier();
}
void destroy(emservice::applier* a) {
  delete a;
}

}  // namespace

EMSERVICE_PLUGIN_EXPORT const emservice::plugin_descriptor* emservice_plugin_entry() {
  static const emservice::plugin_descriptor d = {
      EMSERVICE_PLUGIN_DESCRIPTOR_HEADER, FAULT_KIND, types, &create, &destroy, nullptr};
  return &d;
}
