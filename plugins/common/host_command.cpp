#include "plugins/common/host_command.hpp"

#include <exception>

#include "plugins/common/text_util.hpp"

namespace emplugin {

command_result run_command(emservice::host_api& host, const std::vector<std::string>& argv,
                           std::chrono::milliseconds timeout) {
  command_result r;
  try {
    auto done = host.run_command(argv, timeout);
    r.started = true;
    r.timed_out = done.timed_out;
    r.signal = done.signal;
    r.exit_code = done.signal ? -1 : done.exit_code;
    r.out = std::move(done.out);
    r.err = std::move(done.err);
  } catch (const std::exception& e) {
    r.error = e.what();
  }
  return r;
}

std::string command_text(const std::vector<std::string>& argv) {
  std::string out;
  for (const auto& a : argv) {
    if (!out.empty()) out += ' ';
    out += a.find_first_of(" \t'\"") == std::string::npos ? a : "\"" + a + "\"";
  }
  return out;
}

std::string describe_failure(const std::vector<std::string>& argv, const command_result& r) {
  const std::string cmd = "'" + command_text(argv) + "'";
  if (!r.started) return cmd + " could not run: " + r.error;
  std::string what;
  if (r.timed_out)
    what = " did not finish in time and was killed";
  else if (r.signal)
    what = " was killed by signal " + std::to_string(r.signal);
  else
    what = " failed with exit code " + std::to_string(r.exit_code);
  std::string detail = one_line(r.err.empty() ? r.out : r.err, 300);
  return cmd + what + (detail.empty() ? std::string() : ": " + detail);
}

}  // namespace emplugin
