#include "tests/support/nginx/nginx_process.hpp"

#include <signal.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "tests/support/nginx/raw_http.hpp"
#include "tests/support/run_command.hpp"

namespace em::test {
namespace {

namespace fs = std::filesystem;

const fs::path js_module = "/usr/lib/nginx/modules/ngx_http_js_module.so";

std::string conf_text(const fs::path& prefix, std::uint16_t port, std::uint16_t backend) {
  const std::string p = prefix.string();
  std::ostringstream c;
  c << "load_module " << js_module.string() << ";\n"
    << "daemon off;\nworker_processes 1;\n"
    << "pid " << p << "/nginx.pid;\n"
    << "error_log " << p << "/error.log info;\n"
    << "events { worker_connections 256; }\n"
    << "http {\n"
    << "  access_log " << p << "/access.log;\n";
  for (const char* temp : {"client_body", "proxy", "fastcgi", "uwsgi", "scgi"})
    c << "  " << temp << "_temp_path " << p << "/temp/" << temp << ";\n";
  c << "  server {\n"
    << "    listen 127.0.0.1:" << port << ";\n"
    << "    include " << p << "/sites/*.conf;\n"
    << "    location / {\n"
    << "      proxy_pass http://127.0.0.1:" << backend << ";\n"
    << "      proxy_set_header Host $http_host;\n"
    << "    }\n"
    << "  }\n"
    << "}\n";
  return c.str();
}

bool accepts(std::uint16_t port) {
  try {
    send_raw(port, "GET", "/emservice-ready", {}, "ready", std::chrono::seconds(2));
    return true;
  } catch (const std::exception&) {
    return false;
  }
}

int parent_of(const fs::path& stat) {
  std::ifstream in(stat);
  std::string line;
  std::getline(in, line);
  const auto close = line.rfind(')');
  if (close == std::string::npos) return -1;
  std::istringstream rest(line.substr(close + 2));
  char state = 0;
  int ppid = -1;
  rest >> state >> ppid;
  return ppid;
}

}  // namespace

std::optional<std::string> nginx_missing() {
  if (!fs::exists(nginx_binary())) return "Debian's nginx is not installed (/usr/sbin/nginx)";
  if (!fs::exists(js_module))
    return "the njs module is not installed (" + js_module.string() + ", libnginx-mod-http-js)";
  return std::nullopt;
}

std::map<std::string, std::string> folder_files(const fs::path& folder) {
  std::map<std::string, std::string> out;
  for (const auto& e : fs::directory_iterator(folder))
    out[e.path().filename().string()] = read_text(e.path());
  return out;
}

const fs::path& nginx_binary() {
  static const fs::path binary = "/usr/sbin/nginx";
  return binary;
}

server_script counting_backend() {
  server_script s;
  s.tls = false;
  s.responder = [](const received_request& r) {
    return http_response_text(200, "backend saw " + r.target);
  };
  return s;
}

nginx_process::nginx_process(std::uint16_t backend_port) : backend_port_(backend_port) {
  fs::create_directories(sites());
  fs::create_directories(dir_ / "temp");
  start();
}

void nginx_process::start() {
  std::string why;
  for (int attempt = 0; attempt < 5; ++attempt) {
    port_ = free_port();
    write_text(conf(), conf_text(prefix(), port_, backend_port_));
    master_ = std::make_unique<child_process>(std::vector<std::string>{
        nginx_binary().string(), "-p", prefix().string(), "-c", conf().string()});
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
    while (std::chrono::steady_clock::now() < deadline && master_->running()) {
      if (accepts(port_)) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    why = master_->err();
    master_.reset();  // another program took the port: try another
  }
  throw std::runtime_error("nginx did not start: " + why);
}

nginx_process::~nginx_process() {
  if (!master_) return;
  const auto left = workers();
  master_->signal(SIGTERM);  // fast shutdown: the master stops its workers first
  if (!master_->wait(std::chrono::seconds(10)))
    for (int pid : left)
      ::kill(pid, SIGKILL);
  master_.reset();
}

std::vector<std::string> nginx_process::reload_command() const {
  return {nginx_binary().string(), "-p", prefix().string(), "-c", conf().string(), "-s", "reload"};
}

bool nginx_process::running() {
  return master_ && master_->running();
}

int nginx_process::master_pid() const {
  std::ifstream in(dir_ / "nginx.pid");
  int pid = -1;
  in >> pid;
  return pid;
}

std::vector<int> nginx_process::workers() const {
  std::vector<int> out;
  const int master = master_pid();
  std::error_code ec;
  for (fs::directory_iterator it("/proc", ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    if (parent_of(it->path() / "stat") == master) out.push_back(std::stoi(name));
  }
  return out;
}

}  // namespace em::test

namespace em::test {

bool nginx_process::reloaded_since(const std::vector<int>& before,
                                   std::chrono::milliseconds limit) const {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  for (;;) {
    const auto now = workers();
    bool fresh = !now.empty();
    for (int pid : now)
      fresh = fresh && std::find(before.begin(), before.end(), pid) == before.end();
    if (fresh) return true;
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

bool nginx_process::serves_current_files(std::chrono::milliseconds limit) const {
  for (int i = 0; i < 2; ++i) {
    const auto before = workers();
    if (run_command(reload_command()).exit_code != 0 || !reloaded_since(before, limit))
      return false;
  }
  return true;
}

}  // namespace em::test
