#pragma once

// The store contract runs against every backend: each test is a
// TEMPLATE_TEST_CASE over these, and opens its store(s) through `open()`.

#include <memory>
#include <string>

#include "core/store/etcd/etcd_store.hpp"
#include "core/store/sqlite_store.hpp"
#include "tests/support/etcd/etcd_cluster.hpp"
#include "tests/support/temp_dir.hpp"

namespace em::test {

// A fresh SQLite file in a temporary folder.
struct sqlite_backend {
  temp_dir dir;
  bool ready() const { return true; }
  std::string why() const { return {}; }
  // Another store object on the same state, as another process has it.
  std::unique_ptr<store> open() { return open_sqlite_store(dir / "state.db"); }
};

// A fresh prefix on the etcd member the test run shares.
struct etcd_backend {
  const shared_etcd_info* etcd = shared_etcd();
  std::string prefix = unique_prefix("store");
  bool ready() const { return etcd != nullptr; }
  std::string why() const { return "etcd is not installed (Debian's etcd-server)"; }
  std::unique_ptr<store> open() { return open_etcd_store(etcd->section(prefix)); }
};

}  // namespace em::test

// Ends a test whose backend cannot run here, saying so (CTest lists it Skipped).
#define EM_REQUIRE_BACKEND(backend)         \
  do {                                      \
    if (!(backend).ready()) {               \
      WARN("skipped: " << (backend).why()); \
      return;                               \
    }                                       \
  } while (false)

#define EM_STORE_BACKENDS em::test::sqlite_backend, em::test::etcd_backend
