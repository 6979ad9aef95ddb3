#pragma once

#include <string>

namespace emsd {

// Tells systemd about the service's state (Type=notify); does nothing when
// not started by systemd (NOTIFY_SOCKET unset).
void notify_systemd(const std::string& state);

}  // namespace emsd
