#include "core/plugin/loaded_plugin.hpp"

#include <utility>

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
  // A destructor must not throw; a plugin whose destroy() does anyway only
  // loses its own clean-up, and the library is still unloaded after it.
  try {
    descriptor_->destroy(applier_);
  } catch (...) {
  }
  applier_ = nullptr;
}

}  // namespace em
