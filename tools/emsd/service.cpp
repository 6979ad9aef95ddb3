#include "tools/emsd/service.hpp"

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/scoped_actor.hpp>
#include <caf/send.hpp>

#include <atomic>
#include <csignal>
#include <iostream>
#include <mutex>
#include <thread>

#include "actors/audit_actor.hpp"
#include "actors/errors.hpp"
#include "actors/fetcher_actor.hpp"
#include "actors/long_poll_actor.hpp"
#include "actors/notify_actor.hpp"
#include "actors/policy_actor.hpp"
#include "actors/timer_actor.hpp"
#include "actors/verifier_actor.hpp"
#include "core/control/control_channel.hpp"
#include "core/control/control_server.hpp"
#include "core/plugin/worker/plugin_client.hpp"
#include "core/store/open_store.hpp"
#include "core/util/duration.hpp"
#include "core/util/error.hpp"
#include "tools/emsd/event_loop.hpp"
#include "tools/emsd/instance_lock.hpp"
#include "tools/emsd/systemd_notify.hpp"

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
    // SPEC 12, idle means idle. CAF 0.17's default scheduler ('stealing')
    // polls its queues, sleeping 10 ms at most between looks, on one thread
    // per core: a daemon that does nothing still wakes up hundreds of times
    // a second. 'sharing' waits on a condition variable until a message comes.
    // One worker: the actors run one at a time anyway (a cycle is a chain of
    // requests, cycles never overlap), and each blocking call in them is
    // bounded (feed, CRL and plugin timeouts). CAF adds one thread of its own,
    // the clock for delayed messages, which sleeps until the next one is due.
    set("scheduler.policy", caf::atom("sharing"));
    set("scheduler.max-threads", static_cast<size_t>(1));
  }
};

em::server_identity identity_of(const em::service_config& c) {
  em::server_identity id{c.server.name, c.server.product, std::nullopt};
  if (!c.server.build.empty()) id.build = em::build_version::parse(c.server.build);
  return id;
}

// A cycle's outcome as the operator reads it: the result line and one line
// per action; `ok` false when the cycle could not run or was rejected.
struct cycle_text {
  bool ok = false;
  bool busy = false;
  std::string text;
};

cycle_text describe(const em::cycle_report& report) {
  std::string text = report.result + "\n";
  for (const auto& s : report.statuses)
    text += "  " + s.action_id + " " + s.type + ": " + em::to_string(s.state) +
            (s.reason.empty() ? "" : " (" + s.reason + ")") + "\n";
  return {true, false, text};
}

}  // namespace

struct service::impl {
  em::service_config config;
  std::unique_ptr<instance_lock> lock;
  std::atomic<bool> stopping{false};
  std::shared_ptr<em::service_log> log;
  std::shared_ptr<em::event_sink> events;
  std::shared_ptr<em::store> store;
  std::unique_ptr<em::plugin_client> plugins;
  std::shared_ptr<const em::document_verifier> verifier;
  std::shared_ptr<em::policy_engine> engine;
  quiet_config actor_config;
  std::unique_ptr<caf::actor_system> system;
  em::audit_actor audit;
  em::notify_actor notifications;  // invalid when [notify] is not configured
  em::policy_actor policy;
  em::verifier_actor verify;
  em::fetcher_actor fetch;
  em::timer_actor timer;
  em::long_poll_actor long_poll;
  std::shared_ptr<em::io_gate> long_poll_gate = std::make_shared<em::io_gate>();
  std::unique_ptr<em::fleet_session> fleet;  // SPEC 11, with an etcd store
  std::atomic<bool> unregistered{false};     // the store was unavailable at start

  explicit impl(const em::service_config& c) : config(c) {}

  void start_line(em::log_level level, const std::string& message) {
    log->write(em::log_record{em::log_operation::start, level, message}, now());
  }

  // Plugins log while the policy actor calls them, so through the audit actor
  // their lines keep their place among the cycle's others.
  void plugin_log(const std::string& plugin, emservice::log_level level, const std::string& text) {
    static constexpr em::log_level levels[] = {em::log_level::debug, em::log_level::information,
                                               em::log_level::warning, em::log_level::error};
    em::log_record record{em::log_operation::apply_mitigation, levels[static_cast<int>(level) & 3],
                          "[" + plugin + "] " + text};
    if (audit)
      caf::anon_send(audit, em::log_atom::value, std::move(record));
    else
      log->write(record, now());
  }

  void open_resources(bool once) {
    if (config.server.role == "Edge")
      throw em::invalid_input(
          "server.role is Edge: the EM Service does not run on Edge Transport servers");
    lock = std::make_unique<instance_lock>(config.store.path, config.server.name);
    log = std::make_shared<em::service_log>(config.log.dir, config.log.level);
    events = std::make_shared<em::event_sink>();
    store = em::open_store(config);
    register_self(once);
    // The proxy is read at each CRL download, so set-server --internet-web-proxy
    // applies without a restart, as it does for the feed.
    verifier = std::make_shared<em::document_verifier>(
        em::trust_settings::from_config(config),
        em::configured_crl_sources(config, [store = store, name = config.server.name] {
          auto server = store->find_server(name);
          return server ? server->internet_web_proxy : std::string();
        }));
    plugins = std::make_unique<em::plugin_client>(
        em::worker_setup_of(config), em::find_plugin_worker(),
        [this](const std::string& plugin, emservice::log_level level, const std::string& text) {
          plugin_log(plugin, level, text);
        });
    plugins->start();
    // SPEC 13: which plugin enforces a type must never depend on file names.
    if (!plugins->loaded().conflicts.empty()) throw em::error(plugins->loaded().conflicts.front());
    engine = std::make_shared<em::policy_engine>(*store, *plugins, identity_of(config));
    engine->set_stop_flag(&stopping);
  }

  // The daemon outlives an etcd outage at start: it says so and registers
  // when the store answers (the fleet session and each cycle try again).
  // emsd --once has nothing to wait for and fails.
  void register_self(bool once) {
    try {
      store->register_server(config.server.name, config.server.product, config.server.build);
    } catch (const em::store_unavailable& e) {
      if (once) throw;
      const em::event_record event{em::event_id::error, em::log_operation::start,
                                   em::log_level::error,
                                   std::string(e.what()) + "; trying again in the background"};
      log->write(event, now());
      events->send(event);
      unregistered = true;
    }
  }

  // SPEC 11: the lease that shows this server alive, and the watch that
  // turns a change of the settings it acts on into a decision pass.
  void join_fleet() {
    em::fleet_callbacks callbacks;
    callbacks.settings_changed = [this](const std::string& what) {
      if (unregistered) register_again();
      caf::anon_send(timer, em::settings_atom::value, what);
    };
    callbacks.note = [this](const std::string& line, bool problem) {
      if (!problem && unregistered) register_again();
      caf::anon_send(
          audit, em::log_atom::value,
          em::log_record{em::log_operation::start,
                         problem ? em::log_level::warning : em::log_level::information, line});
    };
    fleet = store->join_fleet(config.server.name, std::move(callbacks));
  }

  void register_again() {
    try {
      store->register_server(config.server.name, config.server.product, config.server.build);
      unregistered = false;
    } catch (const std::exception&) {  // the next note or cycle tries again
    }
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
    for (const auto& p : plugins->loaded().plugins) {
      std::string types;
      for (const auto& t : p.action_types)
        types += (types.empty() ? "" : ", ") + t;
      start_line(em::log_level::information,
                 "Loaded plugin " + p.name + " from " + p.file.string() + " for " + types);
    }
    // A refused plugin's actions will fail: an error the operator must hear of.
    for (const auto& p : plugins->loaded().problems) {
      em::event_record e{em::event_id::error, em::log_operation::start, em::log_level::error,
                         "Refused plugin " + p.file.string() + ": " + p.reason};
      log->write(e, now());
      events->send(e);
    }
    for (const auto& p : plugins->loaded().disabled)
      start_line(em::log_level::information,
                 "Plugin " + p.name + " (" + p.file.string() + ") is not in [plugins] enable");
    if (config.trust.revocation == em::revocation_mode::require && config.trust.crl_files.empty() &&
        !config.trust.crl_fetch)
      start_line(em::log_level::warning,
                 "trust.revocation is require but no CRL is configured (trust.crl_files): every "
                 "document will be rejected until one is");
  }

  void spawn_actors(bool once) {
    system = std::make_unique<caf::actor_system>(actor_config);
    // CAF 0.17 starts a detached actor with a thread of its own for `aout`,
    // which emsd never prints through: one idle thread less without it.
    caf::anon_send_exit(system->scheduler().printer(), caf::exit_reason::user_shutdown);
    audit = system->spawn(em::audit, log, events, &now);
    // These block (plugin calls, CRL downloads, the feed, a notification)
    // within their timeouts, one at a time: on the scheduler's one worker, not
    // on threads of their own that would sit idle between cycles (SPEC 12).
    // What the audit actor is told meanwhile is written, in order, when they
    // return. A verification runs on a thread of its own while it lasts
    // (verification_worker), bounded by trust.verify_timeout.
    auto notifier = std::make_shared<const em::notifier>(config.notify);
    if (notifier->enabled())
      notifications = system->spawn(em::notify, notifier, store, config.server.name, audit);
    policy = system->spawn(em::policy, engine, audit, &now, notifications);
    verify = system->spawn(em::verifier, verifier, store,
                           em::verifier_settings{config.server.name, config.trust.require_sequence,
                                                 config.trust.verify_timeout},
                           policy, audit, &now);
    fetch = system->spawn(em::fetcher, em::fetch_settings::from_config(config, once), store, verify,
                          audit);
    em::timer_settings ts{config.schedule.initial_delay, config.schedule.interval,
                          config.schedule.jitter, !once,
                          static_cast<std::uint64_t>(now().time_since_epoch().count())};
    timer = system->spawn(em::timer, ts, fetch, audit);
  }

  // SPEC 12: the long-poll's requests run on `loop`, the main thread.
  void spawn_long_poll(event_loop& loop) {
    if (!config.schedule.long_poll) return;
    {
      std::lock_guard<std::mutex> guard(long_poll_gate->mutex);
      long_poll_gate->ioc = &loop.io();
    }
    long_poll =
        system->spawn(em::long_poll, em::long_poll_settings::from_config(config),
                      em::long_poll_transport_on(long_poll_gate, config.feed), store, timer, audit);
  }

  // Before the loop goes: no request may be posted to it any more.
  void close_long_poll_gate() {
    std::lock_guard<std::mutex> guard(long_poll_gate->mutex);
    long_poll_gate->ioc = nullptr;
  }

  // Runs one cycle through the timer, so it never overlaps a scheduled one.
  cycle_text run_cycle() {
    caf::scoped_actor self{*system};
    cycle_text out;
    self->request(timer, caf::infinite, em::run_atom::value)
        .receive([&](const em::cycle_report& report) { out = describe(report); },
                 [&](caf::error& err) {
                   out.busy = err.category() == em::cycle_error_category &&
                              err.code() == static_cast<std::uint8_t>(em::cycle_errc::busy);
                   out.text = em::reason_of(err) + "\n";
                 });
    return out;
  }

  std::string answer_control(const std::string& request) {
    if (request != em::control::check_now)
      return std::string(em::control::failed) + " unknown request '" + request + "'\n";
    if (stopping) return std::string(em::control::failed) + " the service is stopping\n";
    auto outcome = run_cycle();
    const char* status =
        outcome.ok ? em::control::ok : (outcome.busy ? em::control::busy : em::control::failed);
    return std::string(status) + " " + outcome.text;
  }

  void stop(const std::string& why) {
    fleet.reset();  // the lease goes first: Offline at once
    caf::scoped_actor self{*system};
    // A notification sent by the last cycle is delivered (or its failure
    // logged) before the log is flushed and everyone stops.
    if (notifications)
      self->request(notifications, caf::infinite, em::flush_atom::value)
          .receive([](bool) {}, [](caf::error&) {});
    self->send(audit, em::log_atom::value,
               em::log_record{em::log_operation::stop, em::log_level::information,
                              "Stopping the EM Service: " + why});
    self->request(audit, caf::infinite, em::flush_atom::value)
        .receive([](bool) {}, [](caf::error&) {});
    // Upstream first, so no new cycle starts while the rest shut down.
    if (long_poll) self->send_exit(long_poll, caf::exit_reason::user_shutdown);
    for (const auto& a :
         {caf::actor_cast<caf::actor>(timer), caf::actor_cast<caf::actor>(fetch),
          caf::actor_cast<caf::actor>(verify), caf::actor_cast<caf::actor>(policy),
          caf::actor_cast<caf::actor>(notifications), caf::actor_cast<caf::actor>(audit)})
      if (a) self->send_exit(a, caf::exit_reason::user_shutdown);
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
  impl_->open_resources(true);
  impl_->log_start(true);
  impl_->spawn_actors(true);
  // SIGTERM or SIGINT during the cycle: finish the action in hand, then stop.
  std::atomic<bool> done{false};
  std::thread watcher([this, &done] {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    const timespec tick{0, 100'000'000};
    while (!done)
      if (sigtimedwait(&set, nullptr, &tick) > 0) impl_->stopping = true;
  });
  auto outcome = impl_->run_cycle();
  done = true;
  watcher.join();
  if (outcome.ok)
    std::cout << outcome.text;
  else
    std::cerr << "emsd: check cycle failed: " << outcome.text;
  int code = outcome.ok ? 0 : 1;
  impl_->stop(code == 0 ? "the check cycle completed (--once)" : "the check cycle failed (--once)");
  return code;
}

int service::run_until_stopped() {
  impl_->open_resources(false);
  impl_->log_start(false);
  impl_->spawn_actors(false);
  impl_->join_fleet();
  auto control = std::make_unique<em::control_server>(
      impl_->config.control.socket, impl_->config.control.admin_group,
      [this](const std::string& request) { return impl_->answer_control(request); });
  event_loop loop;
  impl_->spawn_long_poll(loop);
  notify_systemd("READY=1");
  loop.run([&](int sig) {
    if (sig == SIGUSR1) {
      caf::anon_send(impl_->timer, em::run_atom::value);
      return true;
    }
    if (sig == SIGHUP) return true;  // nothing to reload yet; do not die of it
    notify_systemd("STOPPING=1");
    // The cycle in hand finishes its current action and leaves the rest Pending.
    impl_->stopping = true;
    impl_->close_long_poll_gate();
    control.reset();
    impl_->stop(sig == SIGTERM ? "SIGTERM received" : "SIGINT received");
    return false;
  });
  impl_->close_long_poll_gate();
  return 0;
}

}  // namespace emsd
