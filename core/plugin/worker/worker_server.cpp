#include "core/plugin/worker/worker_server.hpp"

#include "core/plugin/local_plugins.hpp"
#include "core/plugin/plugin_registry.hpp"
#include "core/plugin/worker/frame_io.hpp"
#include "core/plugin/worker/worker_protocol.hpp"
#include "core/store/etcd/etcd_store.hpp"
#include "core/store/sqlite_store.hpp"
#include "core/util/error.hpp"

namespace em::worker {
namespace {

setup read_setup(int fd, std::chrono::milliseconds timeout) {
  auto f = read_frame(fd, timeout);
  if (f.what == frame::status::timeout) throw error("no setup from the plugin client in time");
  if (f.what != frame::status::ok) throw error("the plugin client went away before its setup");
  return decode_setup(f.payload);
}

}  // namespace

int serve_plugins(int fd, std::chrono::milliseconds setup_timeout) {
  const setup s = read_setup(fd, setup_timeout);
  std::vector<log_line> logs;
  std::shared_ptr<em::store> values;
  if (s.store_etcd)
    values = open_etcd_store(*s.store_etcd);  // SPEC 11: the organisation's store
  else if (!s.store_path.empty())
    values = open_sqlite_store(s.store_path);
  plugin_host host(
      values, s.server_name,
      [&logs](const std::string& plugin, emservice::log_level level, const std::string& text) {
        logs.push_back({plugin, level, text});
      });

  load_options options;
  options.config_file = s.config_file;
  options.host = &host;
  options.skip.insert(s.skip.begin(), s.skip.end());
  options.skipped_names.insert(s.skip_names.begin(), s.skip_names.end());
  options.on_loading = [fd](const std::filesystem::path& file) {
    write_frame(fd, encode(loading{file}));
  };
  options.on_declared = [fd](const plugin_problem& declared) {
    write_frame(fd, encode_declared(declared));
  };
  auto registry = plugin_registry::load_directory(s.plugins, s.iis, options);
  cap_log_lines(logs);
  write_frame(fd, encode(hello{registry.plugins(), registry.problems(), registry.disabled(),
                               registry.conflicts(), std::move(logs)}));

  local_plugins plugins(registry);
  for (;;) {
    auto f = read_frame(fd, std::chrono::milliseconds(-1));
    if (f.what != frame::status::ok) return 0;  // the client went away: so do we
    auto c = decode_call(f.payload);
    logs = {};
    result r{c.id, plugins.call(c.what, c.action), {}};
    cap_log_lines(logs);
    r.logs = std::move(logs);
    write_frame(fd, encode(r));
  }
}

}  // namespace em::worker
