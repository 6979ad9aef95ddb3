#pragma once

#include <memory>

#include "core/config/service_config.hpp"
#include "core/store/store.hpp"

namespace em {

// The store the configuration names: [store] backend "sqlite" (the file at
// store.path) or "etcd" ([store.etcd], SPEC 11).
std::unique_ptr<store> open_store(const service_config& config);

}  // namespace em
