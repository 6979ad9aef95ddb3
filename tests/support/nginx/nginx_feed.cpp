#include "tests/support/nginx/nginx_feed.hpp"

#include <signal.h>

#include <chrono>
#include <stdexcept>
#include <thread>

#include "tests/support/net/connect_proxy.hpp"
#include "tests/support/nginx/nginx_process.hpp"

namespace em::test {
namespace {

std::string conf_text(const std::filesystem::path& prefix, std::uint16_t port,
                      const std::filesystem::path& file, const std::string& location,
                      const std::filesystem::path& cert, const std::filesystem::path& key) {
  const std::string p = prefix.string();
  std::string c = "daemon off;\nmaster_process off;\nworker_processes 1;\n";
  c += "pid " + p + "/nginx.pid;\nerror_log " + p + "/error.log;\n";
  c += "events { worker_connections 256; }\nhttp {\n  access_log " + p + "/access.log;\n";
  for (const char* temp : {"client_body", "proxy", "fastcgi", "uwsgi", "scgi"})
    c += std::string("  ") + temp + "_temp_path " + p + "/temp/" + temp + ";\n";
  c += "  server {\n    listen 127.0.0.1:" + std::to_string(port) + " ssl;\n";
  c += "    ssl_certificate " + cert.string() + ";\n";
  c += "    ssl_certificate_key " + key.string() + ";\n";
  c += "    location = " + location + " {\n      alias " + file.string() + ";\n";
  c += "      default_type application/xml;\n    }\n  }\n}\n";
  return c;
}

}  // namespace

nginx_feed::nginx_feed(const std::filesystem::path& file, const std::string& location,
                       const std::filesystem::path& cert, const std::filesystem::path& key)
    : location_(location) {
  std::string why;
  for (int attempt = 0; attempt < 3; ++attempt) {
    port_ = unused_port();
    write_text(dir_ / "nginx.conf", conf_text(dir_.path(), port_, file, location, cert, key));
    std::filesystem::create_directories(dir_ / "temp");
    process_ = std::make_unique<child_process>(std::vector<std::string>{
        nginx_binary().string(), "-p", dir_.path().string(), "-e", (dir_ / "error.log").string(),
        "-c", (dir_ / "nginx.conf").string()});
    // nginx logs nothing when it is ready: its pid file says it has bound the port.
    for (int i = 0; i < 300 && process_->running(); ++i) {
      if (std::filesystem::exists(dir_ / "nginx.pid")) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    why = process_->err();
    process_.reset();  // another program took the port: try another
  }
  throw std::runtime_error("nginx did not start: " + why);
}

nginx_feed::~nginx_feed() {
  if (process_) {
    process_->signal(SIGTERM);
    process_->wait(std::chrono::seconds(10));
  }
}

std::string nginx_feed::url() const {
  return "https://127.0.0.1:" + std::to_string(port_) + location_;
}

}  // namespace em::test
