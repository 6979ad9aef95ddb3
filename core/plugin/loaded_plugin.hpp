#pragma once

#include <boost/dll/shared_library.hpp>

#include <memory>

#include <emservice/plugin.hpp>

#include "core/plugin/plugin_registry.hpp"

namespace em {

// A plugin the registry accepted: its library, its descriptor and the applier
// its create() made. The applier's code lives in the library, so it is handed
// back to the plugin's destroy() before the library is unloaded; neither copied
// nor moved, so that order cannot be broken by accident.
class loaded_plugin {
 public:
  loaded_plugin(boost::dll::shared_library library, const emservice::plugin_descriptor* descriptor,
                emservice::applier* applier, std::unique_ptr<emservice::host_api> host,
                plugin_info info);
  ~loaded_plugin();
  loaded_plugin(const loaded_plugin&) = delete;
  loaded_plugin& operator=(const loaded_plugin&) = delete;

  emservice::applier* applier() const { return applier_; }
  const plugin_info& info() const { return info_; }

 private:
  boost::dll::shared_library library_;         // first member: destroyed (unloaded) last
  std::unique_ptr<emservice::host_api> host_;  // outlives the applier that uses it
  const emservice::plugin_descriptor* descriptor_;
  emservice::applier* applier_;
  plugin_info info_;
};

}  // namespace em
