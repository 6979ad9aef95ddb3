#include "tools/emsd/systemd_notify.hpp"

#include <systemd/sd-daemon.h>

namespace emsd {

void notify_systemd(const std::string& state) {
  sd_notify(0, state.c_str());
}

}  // namespace emsd
