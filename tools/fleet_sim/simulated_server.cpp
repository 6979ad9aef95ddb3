#include "tools/fleet_sim/simulated_server.hpp"

#include <iostream>
#include <mutex>
#include <set>

namespace fleet_sim {
namespace {

// Every action is in effect once applied, as the ping plugin's are; nothing
// on the host changes and no worker process runs.
class instant_plugins final : public em::plugin_calls {
 public:
  std::string unavailable(const std::string&) const override { return {}; }
  em::call_result call(em::call_type what, const emservice::action& action) override {
    std::lock_guard lock(mutex_);
    em::call_result r;
    r.ok = true;
    switch (what) {
      case em::call_type::check:
        r.state = applied_.count(action.id) ? emservice::check_state::in_effect
                                            : emservice::check_state::not_in_effect;
        break;
      case em::call_type::apply:
        applied_.insert(action.id);
        break;
      case em::call_type::rollback:
        applied_.erase(action.id);
        break;
      case em::call_type::validate:
        break;
    }
    return r;
  }

 private:
  std::mutex mutex_;
  std::set<std::string> applied_;
};

}  // namespace

std::int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(steady::now().time_since_epoch())
      .count();
}

simulated_server::simulated_server(std::string name, const em::etcd_section& etcd,
                                   std::shared_ptr<const accepted_document> document)
    : name_(std::move(name)),
      store_(em::open_etcd_store(etcd)),
      document_(std::move(document)),
      plugins_(std::make_unique<instant_plugins>()) {
  engine_ = std::make_unique<em::policy_engine>(
      *store_, *plugins_,
      em::server_identity{name_, "Exchange2019", em::build_version::parse("15.2.1118.7")});
}

simulated_server::~simulated_server() {
  session_.reset();  // its threads end before the engine they call goes
}

void simulated_server::start() {
  store_->register_server(name_, "Exchange2019", "15.2.1118.7");
  engine_->run(document_->model, document_->origin, std::chrono::system_clock::now());
  em::fleet_callbacks callbacks;
  callbacks.settings_changed = [this](const std::string&) {
    heard_at_ = now_ns();
    decide_again();
  };
  callbacks.note = [this](const std::string& line, bool problem) {
    if (problem) std::cerr << "fleet_sim: " << name_ << ": " << line << "\n";
  };
  session_ = store_->join_fleet(name_, std::move(callbacks));
}

// What emsd's timer, fetcher, verifier and policy do after a change, less the
// second verification of the stored document (it was verified once, above).
void simulated_server::decide_again() {
  try {
    engine_->run(document_->model, document_->origin, std::chrono::system_clock::now());
    acted_at_ = now_ns();
    ++passes_;
  } catch (const std::exception& e) {
    ++failures_;
    std::cerr << "fleet_sim: " << name_ << ": decision pass failed: " << e.what() << "\n";
  }
}

}  // namespace fleet_sim
