#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "core/config/service_config.hpp"
#include "core/model/mitigation_document.hpp"
#include "core/plugin/plugin_calls.hpp"
#include "core/policy/policy_engine.hpp"
#include "core/store/etcd/etcd_store.hpp"

namespace fleet_sim {

using steady = std::chrono::steady_clock;

// The document every simulated server accepted, verified once.
struct accepted_document {
  em::mitigation_document model;
  em::stored_document origin;
};

// One emsd as the fleet sees it, without the host: it registers with its own
// etcd connections, records a first cycle, holds its lease and watches its
// settings (the store's own fleet session, as emsd's), and on a change runs
// the same decision pass (em::policy_engine over the last accepted document,
// statuses recorded in etcd). Its "plugins" change nothing, at once.
class simulated_server {
 public:
  simulated_server(std::string name, const em::etcd_section& etcd,
                   std::shared_ptr<const accepted_document> document);
  ~simulated_server();

  void start();  // throws what the store throws

  const std::string& name() const { return name_; }
  // Decision passes run since start, and when the last one heard its change
  // and finished (steady clock, ns since its epoch).
  std::uint64_t passes() const { return passes_; }
  std::int64_t heard_at() const { return heard_at_; }
  std::int64_t acted_at() const { return acted_at_; }
  std::uint64_t failures() const { return failures_; }

 private:
  void decide_again();

  std::string name_;
  std::unique_ptr<em::etcd_store> store_;
  std::shared_ptr<const accepted_document> document_;
  std::unique_ptr<em::plugin_calls> plugins_;
  std::unique_ptr<em::policy_engine> engine_;
  std::unique_ptr<em::fleet_session> session_;
  std::atomic<std::uint64_t> passes_{0};
  std::atomic<std::uint64_t> failures_{0};
  std::atomic<std::int64_t> heard_at_{0};
  std::atomic<std::int64_t> acted_at_{0};
};

std::int64_t now_ns();

}  // namespace fleet_sim
