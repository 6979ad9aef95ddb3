#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace em::test {

// tests/plugins/support/systemctl-stand-in.sh installed as <dir>/bin/systemctl,
// its unit state in <dir>/bin/state. The processes it started are killed
// when this goes away.
class systemctl_stand_in {
 public:
  explicit systemctl_stand_in(const std::filesystem::path& dir);
  ~systemctl_stand_in();
  systemctl_stand_in(const systemctl_stand_in&) = delete;
  systemctl_stand_in& operator=(const systemctl_stand_in&) = delete;

  std::filesystem::path program() const { return bin_ / "systemctl"; }

  // A unit running `command` (a real process when started).
  void add_unit(const std::string& name, bool enabled,
                const std::string& command = "/bin/sleep 600");
  // Runs the stand-in itself, as an administrator would; fails the test on error.
  void run(const std::string& verb, const std::string& unit) const;

  bool enabled(const std::string& unit) const;
  bool masked(const std::string& unit) const;
  // The process of a started unit, or 0.
  int pid(const std::string& unit) const;
  // Is `pid` a live process (not a zombie)?
  static bool alive(int pid);
  std::vector<std::string> calls() const;  // "stop MSExchangeUM", …

 private:
  std::filesystem::path bin_;
  std::filesystem::path state_;
  std::vector<std::string> units_;
};

}  // namespace em::test
