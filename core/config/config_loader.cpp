#include "core/config/config_loader.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <climits>
#include <cstring>
#include <string>

#include <toml++/toml.h>

#include "core/config/config_sections.hpp"
#include "core/config/control_section.hpp"
#include "core/config/notify_section.hpp"
#include "core/config/store_section.hpp"
#include "core/config/toml_reader.hpp"
#include "core/util/error.hpp"

namespace em {
namespace {

// A configuration file is a few hundred bytes; anything this large is a
// mistake (a log, a core file) and is refused before toml++ sees it.
constexpr std::size_t max_config_size = 1024 * 1024;

std::string read_config_file(const std::filesystem::path& file) {
  const std::string name = file.string();
  int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw invalid_input(name + ": " + std::strerror(errno));
  auto fail = [&](const std::string& why) {
    ::close(fd);
    throw invalid_input(name + ": " + why);
  };
  struct stat st {};
  if (::fstat(fd, &st) != 0) fail(std::strerror(errno));
  if (S_ISDIR(st.st_mode)) fail(std::strerror(EISDIR));
  std::string text;
  char buf[16384];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      fail(std::strerror(errno));
    }
    if (n == 0) break;
    text.append(buf, static_cast<std::size_t>(n));
    if (text.size() > max_config_size) fail("larger than 1 MiB; not a configuration file");
  }
  ::close(fd);
  return text;
}

std::string host_name() {
  char buf[HOST_NAME_MAX + 1] = {};
  if (::gethostname(buf, sizeof buf - 1) != 0)
    throw invalid_input(std::string("server.name: not set and the host name is unknown (") +
                        std::strerror(errno) + ")");
  return buf;
}

}  // namespace

service_config load_config(const std::filesystem::path& file) {
  return parse_config(read_config_file(file), file);
}

service_config parse_config(std::string_view toml_text, const std::filesystem::path& file) {
  const std::string name = file.string();
  toml::table root;
  try {
    root = toml::parse(toml_text, std::string_view(name));
  } catch (const toml::parse_error& e) {
    const auto& at = e.source().begin;
    throw invalid_input(name + ":" + std::to_string(at.line) + ":" + std::to_string(at.column) +
                        ": " + std::string(e.description()));
  }

  std::filesystem::path base_dir;
  if (!file.empty()) base_dir = std::filesystem::absolute(file).parent_path();
  toml_reader reader(name, base_dir);

  service_config config;
  config.source = file;
  for (auto&& [key, node] : root) {
    const std::string section(key.str());
    if (section == "server")
      read_server_section(reader, node, config.server);
    else if (section == "feed")
      read_feed_section(reader, node, config.feed);
    else if (section == "schedule")
      read_schedule_section(reader, node, config.schedule);
    else if (section == "trust")
      read_trust_section(reader, node, config.trust);
    else if (section == "store")
      read_store_section(reader, node, config.store);
    else if (section == "log")
      read_log_section(reader, node, config.log);
    else if (section == "plugins")
      read_plugins_section(reader, node, config.plugins);
    else if (section == "iis")
      read_iis_section(reader, node, config.iis);
    else if (section == "control")
      read_control_section(reader, node, config.control);
    else if (section == "notify")
      read_notify_section(reader, node, config.notify);
    else if (node.is_table())
      reader.fail(key.source(), section, "unknown section");
    else
      reader.fail(key.source(), section, "unknown key (settings go in a section such as [server])");
  }

  if (config.server.name.empty()) {
    // The default must meet the same rule as an explicit name: it keys this
    // server's row in the shared store.
    config.server.name = host_name();
    if (!is_valid_server_name(config.server.name))
      throw invalid_input(name + ": server.name: not set, and the host name '" +
                          config.server.name + "' is not a usable server name; set server.name");
  }
  auto scheme = config.feed.url.substr(0, config.feed.url.find("://"));
  for (auto& c : scheme)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (config.schedule.long_poll && scheme != "https")
    throw invalid_input(name + ": schedule.long_poll: only an https:// feed can be long-polled (" +
                        (config.feed.url.empty() ? std::string("feed.url is not set")
                                                 : "feed.url is " + config.feed.url) +
                        ")");
  if (config.control.socket.empty())
    config.control.socket = "/run/emservice/" + config.server.name + ".sock";
  return config;
}

}  // namespace em
