#include "core/plugin/worker/worker_server.hpp"

#include "core/plugin/plugin_registry.hpp"
#include "core/plugin/worker/frame_io.hpp"
#include "core/plugin/worker/worker_messages.hpp"
#include "core/store/sqlite_store.hpp"
#include "core/util/error.hpp"

namespace em::worker {
namespace {

response call(emservice::applier& applier, const request& r) {
  response out;
  out.id = r.id;
  if (r.call == "check") {
    auto c = applier.check(r.action);
    out.ok = c.state != emservice::check_state::error;
    out.state = c.state;
    out.message = c.message;
    return out;
  }
  emservice::outcome o;
  if (r.call == "validate")
    o = applier.validate(r.action);
  else if (r.call == "apply")
    o = applier.apply(r.action);
  else if (r.call == "rollback")
    o = applier.rollback(r.action);
  else
    o = emservice::outcome::failure("unknown call '" + r.call + "'");
  out.ok = o.ok;
  out.message = o.message;
  return out;
}

response guarded_call(emservice::applier* applier, const request& r) {
  if (!applier) {
    response out;
    out.id = r.id;
    out.message = "no plugin handles action type '" + r.action.type + "'";
    return out;
  }
  try {
    return call(*applier, r);
  } catch (const std::exception& e) {
    response out;
    out.id = r.id;
    out.message = r.call + " threw: " + e.what();
    return out;
  } catch (...) {
    response out;
    out.id = r.id;
    out.message = r.call + " threw an unknown exception";
    return out;
  }
}

}  // namespace

int serve_plugins(int fd, const service_config& config) {
  std::vector<log_line> logs;
  std::shared_ptr<store> state = open_sqlite_store(config.store.path);
  plugin_host host(
      state, config.server.name,
      [&logs](const std::string& plugin, emservice::log_level level, const std::string& text) {
        logs.push_back({plugin, level, text});
      });
  auto registry =
      plugin_registry::load_directory(config.plugins.dir, config.plugins, config.iis, &host);
  write_frame(fd, encode(hello{registry.plugins(), registry.problems(), registry.disabled(),
                               registry.conflicts()}));
  for (;;) {
    auto f = read_frame(fd, std::chrono::milliseconds(-1));
    if (f.what != frame::status::ok) return 0;  // emsd went away: so do we
    auto r = decode_request(f.payload);
    logs.clear();
    auto answer = guarded_call(registry.find(r.action.type), r);
    answer.logs = std::move(logs);
    logs = {};
    write_frame(fd, encode(answer));
  }
}

}  // namespace em::worker
