#include "tests/plugins/support/systemctl_stand_in.hpp"

#include <signal.h>

#include <fstream>
#include <sstream>

#include <catch2/catch.hpp>

#include "tests/support/run_command.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/test_paths.hpp"

namespace em::test {

namespace fs = std::filesystem;

systemctl_stand_in::systemctl_stand_in(const fs::path& dir)
    : bin_(dir / "bin"), state_(dir / "bin/state") {
  fs::create_directories(state_);
  fs::copy_file(source_dir() / "tests/plugins/support/systemctl-stand-in.sh", program());
  fs::permissions(program(), fs::perms(0755));
}

systemctl_stand_in::~systemctl_stand_in() {
  for (const auto& u : units_)
    if (int p = pid(u); p > 0 && alive(p)) ::kill(p, SIGKILL);
}

void systemctl_stand_in::add_unit(const std::string& name, bool enabled,
                                  const std::string& command) {
  write_text(state_ / (name + ".unit"), command + "\n");
  write_text(state_ / (name + ".enabled"), enabled ? "enabled\n" : "disabled\n");
  units_.push_back(name);
}

void systemctl_stand_in::run(const std::string& verb, const std::string& unit) const {
  auto r = run_command({program().string(), verb, unit});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
}

bool systemctl_stand_in::enabled(const std::string& unit) const {
  std::error_code ec;
  return fs::exists(state_ / (unit + ".enabled"), ec) &&
         read_text(state_ / (unit + ".enabled")) == "enabled\n";
}

bool systemctl_stand_in::masked(const std::string& unit) const {
  return fs::exists(state_ / (unit + ".masked"));
}

int systemctl_stand_in::pid(const std::string& unit) const {
  std::ifstream in(state_ / (unit + ".pid"));
  int p = 0;
  in >> p;
  return in ? p : 0;
}

bool systemctl_stand_in::alive(int pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line))
    if (line.rfind("State:", 0) == 0) return line.find('Z') == std::string::npos;
  return false;
}

std::vector<std::string> systemctl_stand_in::calls() const {
  std::vector<std::string> out;
  std::ifstream in(state_ / "calls.log");
  for (std::string line; std::getline(in, line);)
    out.push_back(line);
  return out;
}

}  // namespace em::test
