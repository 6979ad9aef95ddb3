#include "tests/support/run_command.hpp"

#include "core/util/process.hpp"

namespace em::test {

command_result run_command(const std::vector<std::string>& argv, std::chrono::milliseconds timeout,
                           const std::map<std::string, std::string>& extra_env) {
  auto r = em::run_process(argv, timeout, extra_env);
  return {r.timed_out ? 124 : r.exit_code, std::move(r.out), std::move(r.err)};
}

}  // namespace em::test
