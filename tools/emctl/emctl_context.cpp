#include "tools/emctl/emctl_context.hpp"

#include <pwd.h>
#include <unistd.h>

#include <cstdlib>

#include "core/config/config_loader.hpp"
#include "core/store/open_store.hpp"

namespace emctl {

const em::service_config& context::config() {
  if (!config_) config_ = em::load_config(config_path);
  return *config_;
}

em::store& context::store() {
  if (!store_) store_ = em::open_store(config());
  return *store_;
}

em::store* context::existing_store() {
  std::error_code ec;
  if (!store_ && !std::filesystem::exists(config().store.path, ec)) return nullptr;
  return &store();
}

std::string context::user() const {
  std::string name;
  if (passwd* pw = ::getpwuid(::getuid()))
    name = pw->pw_name;
  else
    name = "uid " + std::to_string(::getuid());
  // Through sudo the real administrator is the one who ran sudo.
  if (const char* sudo = std::getenv("SUDO_USER"); sudo && *sudo && ::getuid() == 0)
    name = std::string(sudo) + " (via sudo)";
  return name;
}

}  // namespace emctl
