#include "plugins/nginx/nginx_change.hpp"

#include <chrono>
#include <exception>

#include "plugins/common/host_command.hpp"
#include "plugins/common/host_files.hpp"
#include "plugins/common/plugin_error.hpp"
#include "plugins/common/text_util.hpp"

namespace emnginx {
namespace {

using emplugin::plugin_error;

constexpr std::chrono::seconds command_limit{30};

std::size_t skip_digits(const std::string& s, std::size_t i) {
  while (i < s.size() && s[i] >= '0' && s[i] <= '9')
    ++i;
  return i;
}

// "1234#1234: what" (nginx's own log format) → "what".
std::string without_pid(const std::string& text) {
  const std::size_t hash = skip_digits(text, 0);
  if (hash == 0 || hash >= text.size() || text[hash] != '#') return text;
  const std::size_t colon = skip_digits(text, hash + 1);
  if (colon == hash + 1 || text.compare(colon, 2, ": ") != 0) return text;
  return text.substr(colon + 2);
}

}  // namespace

std::string nginx_error_line(const std::string& output) {
  std::string fallback;
  std::size_t begin = 0;
  while (begin < output.size()) {
    std::size_t end = output.find('\n', begin);
    if (end == std::string::npos) end = output.size();
    const std::string line = output.substr(begin, end - begin);
    begin = end + 1;
    for (const std::string level : {"[emerg]", "[alert]", "[crit]", "[error]"}) {
      const auto at = line.find(level);
      if (at == std::string::npos) continue;
      std::string rest = line.substr(at + level.size());
      if (!rest.empty() && rest[0] == ' ') rest.erase(0, 1);
      return emplugin::one_line(level + " " + without_pid(rest), 400);
    }
    if (line.find_first_not_of(" \t\r") != std::string::npos &&
        line.find("test failed") == std::string::npos)
      fallback = line;
  }
  return emplugin::one_line(fallback.empty() ? output : fallback, 400);
}

bool nginx_change::set(const std::filesystem::path& path, std::optional<std::string> content) {
  auto before = emplugin::read_if_exists(host_, path);
  if (before == content) return false;
  files_.push_back({path, std::move(before), std::move(content)});
  return true;
}

void nginx_change::write(const std::filesystem::path& path,
                         const std::optional<std::string>& content) {
  if (content)
    host_.write_file_atomic(path.string(), *content);
  else
    emplugin::remove_file(path);
}

void nginx_change::put_back(std::size_t written) {
  while (written > 0) {
    const auto& f = files_[--written];
    write(f.path, f.before);
  }
}

void nginx_change::commit() {
  std::size_t written = 0;
  try {
    for (const auto& f : files_) {
      write(f.path, f.after);
      ++written;
    }
  } catch (const std::exception& e) {
    put_back(written);
    throw plugin_error(std::string(e.what()) + "; nothing was changed");
  }
  const auto test = settings_.test_command();
  auto tested = emplugin::run_command(host_, test, command_limit);
  if (!tested.ok()) {
    put_back(written);
    const std::string why = tested.started && !tested.timed_out && tested.signal == 0
                                ? nginx_error_line(tested.err + "\n" + tested.out)
                                : emplugin::describe_failure(test, tested);
    throw plugin_error(
        "nginx -t refused the configuration, so it never reached the running "
        "nginx and the previous files are back: " +
        why);
  }
  auto reloaded = emplugin::run_command(host_, settings_.reload_command, command_limit);
  if (!reloaded.ok()) {
    put_back(written);
    throw plugin_error(
        "nginx did not reload, so it still serves the previous configuration, and "
        "the previous files are back: " +
        emplugin::describe_failure(settings_.reload_command, reloaded));
  }
}

}  // namespace emnginx
