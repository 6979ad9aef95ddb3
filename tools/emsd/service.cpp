#include "tools/emsd/service.hpp"

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/scoped_actor.hpp>

#include <csignal>
#include <iostream>

#include "actors/audit_actor.hpp"
#include "actors/errors.hpp"
#include "actors/fetcher_actor.hpp"
#include "actors/policy_actor.hpp"
#include "actors/timer_actor.hpp"
#include "actors/verifier_actor.hpp"
#include "core/plugin/plugin_registry.hpp"
#include "core/store/sqlite_store.hpp"
#include "core/util/duration.hpp"
#include "core/util/error.hpp"

namespace emsd {
namespace {

em::sys_time now() {
  return std::chrono::system_clock::now();
}

class quiet_config : public caf::actor_system_config {
 public:
  quiet_config() {
    set("logger.file-verbosity", caf::atom("quiet"));
    set("logger.console-verbosity", caf::atom("quiet"));
  }
};

em::server_identity identity_of(const em::service_config& c) {
  em::server_identity id{c.server.name, c.server.product, std::nullopt};
  if (!c.server.build.empty()) id.build = em::build_version::parse(c.server.build);
  return id;
}

}  // namespace

struct service::impl {
  em::service_config config;
  std::shared_ptr<em::service_log> log;
  std::shared_ptr<em::store> state;
  std::unique_ptr<em::plugin_host> host;
  std::shared_ptr<em::plugin_registry> plugins;
  std::shared_ptr<const em::document_verifier> verifier;
  std::shared_ptr<em::policy_engine> engine;
  quiet_config actor_config;
  std::unique_ptr<caf::actor_system> system;
  em::audit_actor audit;
  em::policy_actor policy;
  em::verifier_actor verify;
  em::fetcher_actor fetch;
  em::timer_actor timer;

  explicit impl(const em::service_config& c) : config(c) {}

  void start_line(em::log_level level, const std::string& message) {
    log->write(em::log_record{em::log_operation::start, level, message}, now());
  }

  // Plugins log while the policy actor calls them, so through the audit actor
  // their lines keep their place among the cycle's others.
  void plugin_log(const std::string& plugin, emservice::log_level level, const std::string& text) {
    static constexpr em::log_level levels[] = {em::log_level::debug, em::log_level::information,
                                               em::log_level::warning, em::log_level::error};
    em::log_record record{em::log_operation::apply_mitigation,
                          levels[static_cast<int>(level) & 3], "[" + plugin + "] " + text};
    if (audit)
      caf::anon_send(audit, em::log_atom::value, std::move(record));
    else
      log->write(record, now());
  }

  void open_resources() {
    if (config.server.role == "Edge")
      throw em::invalid_input(
          "server.role is Edge: the EM Service does not run on Edge Transport servers");
    log = std::make_shared<em::service_log>(config.log.dir, config.log.level);
    state = em::open_sqlite_store(config.store.path);
    state->register_server(config.server.name, config.server.product, config.server.build);
    verifier = std::make_shared<em::document_verifier>(em::trust_settings::from_config(config));
    host = std::make_unique<em::plugin_host>(
        state, config.server.name,
        [this](const std::string& plugin, emservice::log_level level, const std::string& text) {
          plugin_log(plugin, level, text);
        });
    plugins = std::make_shared<em::plugin_registry>(em::plugin_registry::load_directory(
        config.plugins.dir, config.plugins, config.iis, host.get()));
    auto registry = plugins;
    engine = std::make_shared<em::policy_engine>(
        *state, [registry](const std::string& type) { return registry->find(type); },
        identity_of(config));
  }

  void log_start(bool once) {
    const auto& s = config.server;
    const auto& sch = config.schedule;
    start_line(em::log_level::information,
               "Starting the EM Service on " + s.name + " (" + s.product + " " +
                   (s.build.empty() ? "build not configured" : s.build) + "), feed " +
                   config.feed.url +
                   (once ? ", one check now"
                         : ", first check in " + em::format_duration(sch.initial_delay) +
                               ", then every " + em::format_duration(sch.interval)));
    for (const auto& p : plugins->plugins()) {
      std::string types;
      for (const auto& t : p.action_types)
        types += (types.empty() ? "" : ", ") + t;
      start_line(em::log_level::information,
                 "Loaded plugin " + p.name + " from " + p.file.string() + " for " + types);
    }
    for (const auto& p : plugins->problems())
      start_line(em::log_level::warning, "Refused plugin " + p.file.string() + ": " + p.reason);
    if (config.trust.revocation != em::revocation_mode::off)
      start_line(em::log_level::warning,
                 std::string("trust.revocation is ") + em::to_string(config.trust.revocation) +
                     ", but this build does not check certificate revocation yet");
  }

  void spawn_actors(bool once) {
    system = std::make_unique<caf::actor_system>(actor_config);
    audit = system->spawn(em::audit, log, std::make_shared<em::event_sink>(), &now);
    policy = system->spawn(em::policy, engine, audit, &now);
    verify = system->spawn(em::verifier, verifier, state,
                           em::verifier_settings{config.server.name, config.trust.require_sequence},
                           policy, audit, &now);
    fetch = system->spawn(em::fetcher, em::fetch_settings{config.feed.url, config.feed.max_size},
                          verify, audit);
    em::timer_settings ts{config.schedule.initial_delay, config.schedule.interval,
                          config.schedule.jitter, !once,
                          static_cast<std::uint64_t>(now().time_since_epoch().count())};
    timer = system->spawn(em::timer, ts, fetch, audit);
  }

  void stop(const std::string& why) {
    caf::scoped_actor self{*system};
    self->send(audit, em::log_atom::value,
               em::log_record{em::log_operation::stop, em::log_level::information,
                              "Stopping the EM Service: " + why});
    self->request(audit, caf::infinite, em::flush_atom::value)
        .receive([](bool) {}, [](caf::error&) {});
    // Upstream first, so no new cycle starts while the rest shut down.
    for (const auto& a : {caf::actor_cast<caf::actor>(timer), caf::actor_cast<caf::actor>(fetch),
                          caf::actor_cast<caf::actor>(verify), caf::actor_cast<caf::actor>(policy),
                          caf::actor_cast<caf::actor>(audit)})
      self->send_exit(a, caf::exit_reason::user_shutdown);
  }
};

service::service(const em::service_config& config) : impl_(std::make_unique<impl>(config)) {}

service::~service() = default;

void service::block_signals() {
  sigset_t set;
  sigemptyset(&set);
  for (int s : {SIGTERM, SIGINT, SIGHUP, SIGUSR1})
    sigaddset(&set, s);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

int service::run_once() {
  impl_->open_resources();
  impl_->log_start(true);
  impl_->spawn_actors(true);
  int code = 1;
  {
    caf::scoped_actor self{*impl_->system};
    self->request(impl_->timer, caf::infinite, em::run_atom::value)
        .receive(
            [&](const em::cycle_report& report) {
              std::cout << report.result << "\n";
              for (const auto& s : report.statuses)
                std::cout << "  " << s.action_id << " " << s.type << ": " << em::to_string(s.state)
                          << (s.reason.empty() ? "" : " (" + s.reason + ")") << "\n";
              code = 0;
            },
            [&](caf::error& err) {
              std::cerr << "emsd: check cycle failed: " << em::reason_of(err) << "\n";
            });
  }
  impl_->stop(code == 0 ? "the check cycle completed (--once)" : "the check cycle failed (--once)");
  return code;
}

int service::run_until_stopped() {
  impl_->open_resources();
  impl_->log_start(false);
  impl_->spawn_actors(false);
  sigset_t set;
  sigemptyset(&set);
  for (int s : {SIGTERM, SIGINT, SIGHUP, SIGUSR1})
    sigaddset(&set, s);
  for (;;) {
    int sig = 0;
    if (sigwait(&set, &sig) != 0) continue;
    if (sig == SIGUSR1) {
      caf::anon_send(impl_->timer, em::run_atom::value);
      continue;
    }
    if (sig == SIGHUP) continue;  // nothing to reload yet; do not die of it
    impl_->stop(sig == SIGTERM ? "SIGTERM received" : "SIGINT received");
    return 0;
  }
}

}  // namespace emsd
