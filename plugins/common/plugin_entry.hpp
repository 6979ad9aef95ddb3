#pragma once

// The SDK plumbing every built-in plugin needs: the descriptor, create() and
// destroy(), and appliers that validate the Value before every step.

#include <memory>
#include <string>

#include <emservice/plugin.hpp>

#include "plugins/common/plugin_error.hpp"

namespace emplugin {

// An applier whose steps validate the Value first, then throw plugin_error
// on failure. The host catches at its boundary (core/plugin/plugin_boundary),
// in one place for every plugin: the action fails with the message as its
// reason, so nothing is caught here again.
class guarded_applier : public emservice::applier {
 public:
  emservice::outcome validate(const emservice::action& a) final;
  emservice::check_result check(const emservice::action& a) final;
  emservice::outcome apply(const emservice::action& a) final;
  emservice::outcome rollback(const emservice::action& a) final;

 protected:
  // Throws when the Value is not acceptable.
  virtual void do_validate(const emservice::action& a) = 0;
  virtual emservice::check_result do_check(const emservice::action& a) = 0;
  // Return what was done, for the log.
  virtual std::string do_apply(const emservice::action& a) = 0;
  virtual std::string do_rollback(const emservice::action& a) = 0;
};

// `Applier::create(context)` returns a std::unique_ptr<Applier> or throws.
template <class Applier>
struct plugin_entry {
  // What create() throws, the host reports as the reason the plugin could not start.
  static emservice::applier* create(const emservice::host_context& context, std::string& error) {
    if (!context.host) {  // files and commands go through it
      error = "the host gave no host_api";
      return nullptr;
    }
    return Applier::create(context).release();
  }

  static void destroy(emservice::applier* instance) { delete instance; }

  // `settings`: every key the plugin's table may hold, with its type, default
  // and description, ended by {nullptr} (nullptr for none); the host checks
  // and converts the operator's table against them before create().
  static const emservice::plugin_descriptor* descriptor(const char* name,
                                                        const char* const* action_types,
                                                        const emservice::setting_spec* settings) {
    static const emservice::plugin_descriptor d = {
        EMSERVICE_PLUGIN_DESCRIPTOR_HEADER, name, action_types, &create, &destroy, settings};
    return &d;
  }
};

}  // namespace emplugin
