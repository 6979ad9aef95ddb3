#include "core/store/open_store.hpp"

#include "core/store/etcd/etcd_store.hpp"
#include "core/store/sqlite_store.hpp"
#include "core/util/error.hpp"

namespace em {

std::unique_ptr<store> open_store(const service_config& config) {
  if (config.store.backend == "etcd") {
    if (!config.store.etcd)
      throw invalid_input("store.backend is etcd but [store.etcd] is missing");
    return open_etcd_store(*config.store.etcd);
  }
  return open_sqlite_store(config.store.path);
}

}  // namespace em
