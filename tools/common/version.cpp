#include "tools/common/version.hpp"

#include <emservice/plugin.hpp>

// EM_PROJECT_VERSION comes from CMake's project(VERSION), defined for this
// file only so a release bumps one object, not every program's.
#ifndef EM_PROJECT_VERSION
#error "EM_PROJECT_VERSION must be defined by the build"
#endif

namespace emtools {

std::string version_text(const std::string& program) {
  return program + " (EM Service) " EM_PROJECT_VERSION ", plugin ABI " +
         std::to_string(EMSERVICE_PLUGIN_ABI_MAJOR) + "." +
         std::to_string(EMSERVICE_PLUGIN_ABI_MINOR);
}

}  // namespace emtools
