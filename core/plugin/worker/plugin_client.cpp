#include "core/plugin/worker/plugin_client.hpp"

#include <algorithm>
#include <optional>

#include "core/util/duration.hpp"
#include "core/util/error.hpp"

namespace em {
namespace {

call_result failed(std::string why) {
  return {false, emservice::check_state::error, std::move(why)};
}

const plugin_info* named(const std::vector<plugin_info>& plugins, const std::string& name) {
  for (const auto& p : plugins)
    if (p.name == name) return &p;
  return nullptr;
}

// Why `now` is not what `first` was, or nothing.
std::optional<std::string> difference(const worker::hello& first, const worker::hello& now) {
  for (const auto& p : first.plugins) {
    const auto* q = named(now.plugins, p.name);
    const std::string which = "plugin '" + p.name + "' (" + p.file.filename().string() + ")";
    if (!q) {
      for (const auto& problem : now.problems)
        if (problem.file == p.file) return which + " is now refused: " + problem.reason;
      return which + " is no longer there";
    }
    if (q->fingerprint != p.fingerprint) return which + " was replaced on disk";
    if (!(*q == p)) return which + " declares other action types or settings";
  }
  for (const auto& q : now.plugins)
    if (!named(first.plugins, q.name))
      return "plugin '" + q.name + "' (" + q.file.filename().string() + ") is new";
  return std::nullopt;
}

}  // namespace

plugin_client::plugin_client(worker::setup setup, std::filesystem::path worker_executable,
                             plugin_host::log_function log)
    : setup_(std::move(setup)), log_(std::move(log)), process_(std::move(worker_executable)) {}

plugin_client::~plugin_client() = default;

void plugin_client::forward(const std::vector<worker::log_line>& logs) const {
  if (log_)
    for (const auto& l : logs)
      log_(l.plugin, l.level, l.text);
}

// One start, as many times as plugins crash or hang it while loading: each
// time the culprit is refused and left out of the next try.
worker::hello plugin_client::launch() {
  const auto limit = setup_.plugins.call_timeout;
  for (;;) {
    auto setup = setup_;
    for (const auto& f : load_failures_) {
      setup.skip.push_back(f.file);
      if (!f.name.empty()) setup.skip_names.push_back(f.name);
    }
    process_.spawn();
    try {
      process_.send(worker::encode(setup));
    } catch (const error&) {  // it is gone already: say how, as below
      throw error("the plugin worker " + process_.ended() + " before it loaded any plugin");
    }
    std::optional<plugin_problem> current;  // the file being loaded
    for (;;) {
      auto f = process_.receive(limit);
      if (f.what == worker::frame::status::ok) {
        auto m = worker::decode_progress(f.payload);
        if (m.what == worker::load_progress::kind::loading) {
          current = plugin_problem{m.file.file, {}, {}, {}};
        } else if (m.what == worker::load_progress::kind::declared) {
          if (current && current->file == m.declared.file) current = m.declared;
        } else {
          auto& problems = m.done.problems;
          problems.insert(problems.end(), load_failures_.begin(), load_failures_.end());
          std::sort(
              problems.begin(), problems.end(),
              [](const plugin_problem& a, const plugin_problem& b) { return a.file < b.file; });
          forward(m.done.logs);
          return std::move(m.done);
        }
        continue;
      }
      // The worker died or hung: on the plugin it was loading, if any.
      std::string how;
      if (f.what == worker::frame::status::timeout) {
        process_.kill();
        how = current ? "did not finish loading it within " + format_duration(limit) +
                            " and was stopped"
                      : "did not get ready within " + format_duration(limit);
      } else if (f.what == worker::frame::status::invalid) {
        process_.kill();
        how = "sent a message larger than the protocol allows";
      } else {
        how = process_.ended() + (current ? " while loading it" : "");
      }
      if (!current)
        throw error("the plugin worker " + how +
                    " before it loaded any plugin (see its message on standard error)");
      current->reason = "the plugin worker " + how;
      load_failures_.push_back(std::move(*current));
      break;
    }
  }
}

void plugin_client::start() {
  try {
    first_ = launch();
  } catch (...) {
    process_.kill();
    throw;
  }
  started_ = true;
}

void plugin_client::restart() {
  auto now = launch();
  if (auto why = difference(first_, now)) {
    process_.kill();
    throw error("the plugin worker, started again, did not load what it loaded at first: " + *why +
                "; restart the service to use the plugins as they are now");
  }
}

std::string plugin_client::unavailable(const std::string& action_type) const {
  return unavailable_reason(action_type, first_.plugins, first_.problems, first_.disabled);
}

call_result plugin_client::exchange(call_type what, const emservice::action& action) {
  const std::string doing = std::string(to_string(what)) + " of " + action.id;
  const worker::call request{next_id_++, what, action};
  process_.send(worker::encode(request));
  const auto limit = setup_.plugins.call_timeout;
  auto f = process_.receive(limit);
  switch (f.what) {
    case worker::frame::status::ok: {
      auto answer = worker::decode_result(f.payload);
      if (answer.id != request.id)
        throw error("the plugin worker answered call " + std::to_string(answer.id) +
                    " instead of " + std::to_string(request.id));
      forward(answer.logs);
      return answer.outcome;
    }
    case worker::frame::status::timeout:
      process_.kill();
      return failed("the plugin did not finish " + doing + " within " + format_duration(limit) +
                    "; its worker was stopped");
    case worker::frame::status::invalid:
      process_.kill();
      return failed("the plugin worker sent a message larger than the protocol allows during " +
                    doing);
    case worker::frame::status::closed:
      break;
  }
  return failed("the plugin worker " + process_.ended() + " during " + doing);
}

call_result plugin_client::call(call_type what, const emservice::action& action) {
  if (!started_) return failed("the plugins were not started");
  if (auto why = unavailable(action.type); !why.empty()) return failed(why);
  try {
    if (!process_.running()) restart();  // after a crash or a timeout: a fresh worker
    return exchange(what, action);
  } catch (const std::exception& e) {
    process_.kill();
    return failed(e.what());
  }
}

worker::setup worker_setup_of(const service_config& config, bool keep_values) {
  worker::setup s;
  s.config_file = config.source.string();
  s.server_name = config.server.name;
  if (keep_values) s.store_path = config.store.path;
  if (keep_values && config.store.backend == "etcd") s.store_etcd = config.store.etcd;
  s.plugins = config.plugins;
  s.iis = config.iis;
  return s;
}

std::filesystem::path find_plugin_worker() {
  std::error_code ec;
  auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
  auto dir = ec ? std::filesystem::path(".") : self.parent_path();
  const auto libexec = dir / ".." / "libexec" / "emservice";
  for (const auto& candidate : {dir / "emsd-plugin-worker", libexec / "emsd-plugin-worker",
                                dir / ".." / "emsd" / "emsd-plugin-worker"})
    if (std::filesystem::exists(candidate, ec)) return candidate.lexically_normal();
  throw error("emsd-plugin-worker is not installed beside " + self.string() + " or in " +
              libexec.lexically_normal().string());
}

}  // namespace em
