#include "core/plugin/loaded_plugin.hpp"

#include <utility>

#include "core/plugin/plugin_boundary.hpp"

namespace em {

loaded_plugin::loaded_plugin(boost::dll::shared_library library,
                             const emservice::plugin_descriptor* descriptor,
                             emservice::applier* applier, std::unique_ptr<emservice::host_api> host,
                             plugin_info info)
    : library_(std::move(library)),
      host_(std::move(host)),
      descriptor_(descriptor),
      applier_(applier),
      info_(std::move(info)) {}

loaded_plugin::~loaded_plugin() {
  if (!applier_) return;
  // A plugin whose destroy() throws only loses its own clean-up; the
  // library is still unloaded after it.
  guard_plugin_code("destroy", [this] { descriptor_->destroy(applier_); });
  applier_ = nullptr;
}

}  // namespace em
