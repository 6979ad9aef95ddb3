#include "tests/e2e/crash/crash_fixture.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <regex>
#include <stdexcept>
#include <thread>

#include <libxml/parser.h>

#include "tests/plugins/support/iis_fixture.hpp"
#include "tests/support/test_paths.hpp"

namespace em::test {

namespace fs = std::filesystem;

namespace {

const std::regex temporary_name(R"(.*\.tmp\.\d+\.\d+$)");
const std::regex backup_name(R"((.*)\.emservice-\d{8}T\d{6}\.\d{3}Z(-\d+)?\.bak$)");

// The process's parent and state, from /proc; false when it is gone.
bool stat_of(pid_t pid, pid_t& parent, char& state) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string text;
  if (!in || !std::getline(in, text)) return false;
  const auto close = text.rfind(')');
  if (close == std::string::npos || close + 4 > text.size()) return false;
  state = text[close + 2];
  parent = static_cast<pid_t>(std::atol(text.c_str() + close + 4));
  return true;
}

}  // namespace

crash_host::crash_host(const fs::path& folder, const fs::path& feed) : root_(folder) {
  fs::create_directories(root_ / "tree");
  fs::copy(source_dir() / "tests/plugins/iis_tree", root_ / "tree", fs::copy_options::recursive);
  const std::string exchange = (drive() / "Program Files/Microsoft/Exchange Server/V15/").string();
  write_text(config(),
             "[server]\nname = \"EX01\"\nproduct = \"Exchange2019\"\nbuild = \"15.2.1118.7\"\n"
             "[feed]\nurl = \"file://" +
                 feed.string() + "\"\n[trust]\nanchors = [\"" + (test_pki() / "root.pem").string() +
                 "\"]\nrevocation = \"off\"\n"
                 "[store]\npath = \"state.db\"\n[log]\ndir = \"logs\"\n"
                 "[plugins]\ndir = \"" +
                 plugin_dir().string() +
                 "\"\nenable = [\"ping\", \"rewrite\", \"apppool\", \"service\"]\n"
                 "[plugins.apppool]\nstop_command = [\"/bin/true\", \"{name}\"]\n"
                 "[iis]\napplication_host = \"" +
                 (drive() / "Windows/System32/inetsrv/config/applicationHost.config").string() +
                 "\"\nvariables = { SystemDrive = \"" + drive().string() + "\", \"C:\" = \"" +
                 drive().string() + "\", ExchangeInstallPath = \"" + exchange + "\" }\n");
}

const std::vector<std::string>& crash_host::edited() {
  static const std::vector<std::string> files = {
      "C/inetpub/wwwroot/web.config",
      "C/Program Files/Microsoft/Exchange Server/V15/FrontEnd/HttpProxy/owa/web.config",
      "C/Windows/System32/inetsrv/config/applicationHost.config"};
  return files;
}

std::map<std::string, std::string> crash_host::files() const {
  std::map<std::string, std::string> out;
  const fs::path tree = root_ / "tree";
  for (const auto& e : fs::recursive_directory_iterator(tree))
    if (e.is_regular_file()) out[fs::relative(e.path(), tree).string()] = read_text(e.path());
  return out;
}

std::string crash_document(const std::vector<int>& actions) {
  const std::string all[] = {
      R"(<Action type="UrlRewrite" scope="Site" target="Default Web Site" desc="Block autodiscover PowerShell"><Value>)" +
          m1_rule() + "</Value></Action>",
      R"(<Action type="UrlRewrite" scope="VDir" target="Default Web Site/owa" desc="Block OWA themes"><Value><rule name="EEMS M1.2 OWA themes" stopProcessing="true"><match url=".*themes.*" /><action type="CustomResponse" statusCode="404" /></rule></Value></Action>)",
      R"(<Action type="UrlRewrite" scope="Server" desc="Block a user agent"><Value><rule name="EEMS M1.3 Server agent"><match url=".*" /><conditions><add input="{HTTP_USER_AGENT}" pattern="^evil" /></conditions><action type="AbortRequest" /></rule></Value></Action>)",
      R"(<Action type="DisableAppPool" scope="Server" desc="Stop ECP"><Value><AppPool name="MSExchangeECPAppPool"/></Value></Action>)",
  };
  std::string list;
  for (int i : actions)
    list += "      " + all[i] + "\n";
  return "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<EOCS version=\"1.0.4\">\n"
         "  <Config id=\"M1\" desc=\"Crash loop\">\n    <ActionList>\n" +
         list + "    </ActionList>\n  </Config>\n</EOCS>\n";
}

emsd_run::emsd_run(const fs::path& config, const fs::path& log) {
  const std::string program = emsd_path().string();
  pid_ = ::fork();
  if (pid_ < 0) throw std::runtime_error("fork failed");
  if (pid_ == 0) {
    int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd >= 0) {
      ::dup2(fd, 1);
      ::dup2(fd, 2);
    }
    ::execl(program.c_str(), program.c_str(), "--config", config.c_str(), "--once",
            static_cast<char*>(nullptr));
    ::_exit(127);
  }
}

emsd_run::~emsd_run() {
  if (pid_ > 0) {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
  }
}

pid_t emsd_run::worker() const {
  if (pid_ <= 0) return 0;
  for (const auto& e : fs::directory_iterator("/proc")) {
    const std::string name = e.path().filename().string();
    if (name.empty() || !std::isdigit(static_cast<unsigned char>(name[0]))) continue;
    pid_t parent = 0;
    char state = 0;
    const pid_t pid = static_cast<pid_t>(std::atol(name.c_str()));
    if (stat_of(pid, parent, state) && parent == pid_ && state != 'Z') return pid;
  }
  return 0;
}

int emsd_run::wait(std::chrono::milliseconds limit) {
  const auto until = std::chrono::steady_clock::now() + limit;
  while (pid_ > 0) {
    int status = 0;
    const pid_t done = ::waitpid(pid_, &status, WNOHANG);
    if (done == pid_) {
      pid_ = 0;
      status_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      break;
    }
    if (std::chrono::steady_clock::now() > until) return -1;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return status_;
}

bool wait_gone(pid_t pid, std::chrono::milliseconds limit) {
  const auto until = std::chrono::steady_clock::now() + limit;
  for (;;) {
    pid_t parent = 0;
    char state = 0;
    if (!stat_of(pid, parent, state) || state == 'Z' || state == 'X') return true;
    if (std::chrono::steady_clock::now() > until) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
}

bool well_formed(const std::string& bytes) {
  xmlDocPtr doc = xmlReadMemory(bytes.data(), static_cast<int>(bytes.size()), "file", nullptr,
                                XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
  if (!doc) return false;
  xmlFreeDoc(doc);
  return true;
}

std::vector<std::string> temporaries(const std::map<std::string, std::string>& files) {
  std::vector<std::string> out;
  for (const auto& [name, bytes] : files)
    if (std::regex_match(name, temporary_name)) out.push_back(name);
  return out;
}

std::map<std::string, std::vector<std::string>> backups(
    const std::map<std::string, std::string>& files) {
  std::map<std::string, std::vector<std::string>> out;
  for (const auto& [name, bytes] : files) {
    std::smatch m;
    if (std::regex_match(name, m, backup_name)) out[m[1].str()].push_back(name);
  }
  return out;
}

}  // namespace em::test
