#include "tools/fleet_sim/fleet_figures.hpp"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <iomanip>
#include <map>
#include <sstream>
#include <thread>

#include "tests/support/run_command.hpp"

namespace fleet_sim {
namespace {

using namespace std::chrono_literals;

double cpu_seconds(int pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  // Fields after the command name (in parentheses, which may hold spaces).
  std::istringstream rest(text.substr(text.rfind(')') + 2));
  std::vector<std::string> fields;
  for (std::string f; rest >> f;)
    fields.push_back(f);
  if (fields.size() < 13) return 0;
  // utime and stime are fields 14 and 15 of the whole line, 12 and 13 here.
  return (std::stod(fields[11]) + std::stod(fields[12])) /
         static_cast<double>(::sysconf(_SC_CLK_TCK));
}

double rss_mib(int pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(in, line);)
    if (line.rfind("VmRSS:", 0) == 0) return std::stod(line.substr(6)) / 1024.0;
  return 0;
}

double total_cpu(const std::vector<int>& pids) {
  double sum = 0;
  for (int pid : pids)
    sum += cpu_seconds(pid);
  return sum;
}

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const auto rank = static_cast<std::size_t>(std::ceil(p * static_cast<double>(v.size())));
  return v[std::min(v.size() - 1, rank == 0 ? 0 : rank - 1)];
}

std::string ms(double v) {
  std::ostringstream s;
  s << std::fixed << std::setprecision(v < 10 ? 1 : 0) << v << " ms";
  return s.str();
}

}  // namespace

std::int64_t ms_since(steady::time_point start) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(steady::now() - start).count();
}

etcd_usage::etcd_usage(std::vector<int> pids)
    : pids_(std::move(pids)), start_cpu_(total_cpu(pids_)), start_(steady::now()) {}

void etcd_usage::mark() {
  mark_cpu_ = total_cpu(pids_);
  mark_self_ = cpu_seconds(static_cast<int>(::getpid()));
  mark_ = steady::now();
}

void etcd_usage::report(std::ostream& out) const {
  const double setup_cpu = mark_cpu_ - start_cpu_, run_cpu = total_cpu(pids_) - mark_cpu_;
  const double setup_s = std::chrono::duration<double>(mark_ - start_).count();
  const double run_s = std::chrono::duration<double>(steady::now() - mark_).count();
  out << std::fixed << std::setprecision(1) << "etcd CPU (all members): " << setup_cpu
      << " s during the setup (" << setup_s << " s), " << run_cpu << " s during the changes and "
      << "listings (" << run_s << " s, " << 100.0 * run_cpu / std::max(run_s, 0.001)
      << "% of one core); fleet_sim itself (the servers' side) "
      << cpu_seconds(static_cast<int>(::getpid())) - mark_self_ << " s\netcd RSS:";
  for (std::size_t i = 0; i < pids_.size(); ++i)
    out << (i ? "," : "") << " member " << i << " " << rss_mib(pids_[i]) << " MiB";
  out << "\n";
}

void report_footprint(std::ostream& out, em::etcd::client&& client, const std::string& prefix,
                      int servers) {
  const auto all = client.range_prefix(prefix);
  std::map<std::string, std::pair<std::size_t, std::size_t>> kinds;  // keys, bytes
  std::size_t bytes = 0;
  for (const auto& kv : all.kvs) {
    const auto rest = kv.key.substr(prefix.size());
    auto& k = kinds[rest.substr(0, rest.find('/'))];
    ++k.first;
    k.second += kv.key.size() + kv.value.size();
    bytes += kv.key.size() + kv.value.size();
  }
  out << "etcd footprint: " << all.kvs.size() << " keys, " << bytes << " bytes (keys and values); "
      << std::fixed << std::setprecision(1) << static_cast<double>(all.kvs.size()) / servers
      << " keys and " << bytes / servers << " bytes per server:";
  for (const auto& [kind, k] : kinds)
    out << " " << kind << " " << k.first << "/" << k.second / std::max<std::size_t>(1, k.first)
        << " B";
  out << " (count/average size)\n";
}

void report_listing(std::ostream& out, const std::string& emctl,
                    const std::filesystem::path& config, int servers) {
  std::vector<double> walls;
  std::size_t rows = 0, size = 0;
  for (int i = 0; i < 3; ++i) {
    const auto start = steady::now();
    auto r = em::test::run_command({emctl, "--config", config.string(), "get-mitigations"}, 120s);
    walls.push_back(static_cast<double>(ms_since(start)));
    if (r.exit_code != 0) throw std::runtime_error("emctl get-mitigations failed: " + r.err);
    rows = static_cast<std::size_t>(std::count(r.out.begin(), r.out.end(), '\n'));
    size = r.out.size();
  }
  out << "emctl get-mitigations (every server, " << servers
      << " servers): " << ms(percentile(walls, 0.5)) << " wall (median of 3; fastest "
      << ms(*std::min_element(walls.begin(), walls.end())) << "), " << rows << " lines, "
      << size / 1024 << " KiB\n";
}

change_runner::change_runner(std::string emctl, std::filesystem::path config,
                             const std::vector<std::unique_ptr<simulated_server>>& servers)
    : emctl_(std::move(emctl)), config_(std::move(config)), servers_(servers) {
  one_server_.what = "set-server NAME --blocked=…";
}

change_runner::round change_runner::change(const std::string& what,
                                           const std::vector<std::string>& args,
                                           const std::vector<simulated_server*>& who) {
  std::vector<std::uint64_t> before;
  for (auto* s : who)
    before.push_back(s->passes());
  std::vector<std::string> argv{emctl_, "--config", config_.string()};
  argv.insert(argv.end(), args.begin(), args.end());
  round r;
  r.what = what;
  const auto t0 = now_ns();
  auto done = em::test::run_command(argv, 60s);
  r.emctl_ms = static_cast<double>(now_ns() - t0) / 1e6;
  if (done.exit_code != 0) throw std::runtime_error("emctl " + what + " failed: " + done.err);
  const auto limit = steady::now() + 60s;
  std::vector<bool> acted(who.size(), false);
  std::size_t left = who.size();
  while (left > 0 && steady::now() < limit) {
    for (std::size_t i = 0; i < who.size(); ++i)
      if (!acted[i] && who[i]->passes() > before[i]) {
        acted[i] = true;
        --left;
      }
    if (left) std::this_thread::sleep_for(1ms);
  }
  for (std::size_t i = 0; i < who.size(); ++i) {
    if (!acted[i]) {
      ++r.missing;
      continue;
    }
    r.acted_ms.push_back(static_cast<double>(who[i]->acted_at() - t0) / 1e6);
    r.heard_ms.push_back(static_cast<double>(who[i]->heard_at() - t0) / 1e6);
  }
  return r;
}

void change_runner::org_wide(const std::vector<std::string>& args) {
  std::vector<simulated_server*> all;
  for (const auto& s : servers_)
    all.push_back(s.get());
  std::string what = "emctl";
  for (const auto& a : args)
    what += " " + a;
  org_rounds_.push_back(change(what, args, all));
  std::this_thread::sleep_for(1s);
}

void change_runner::one_server_each(int count) {
  const auto n = static_cast<int>(servers_.size());
  for (int k = 0; k < count; ++k) {
    auto* s = servers_[static_cast<std::size_t>(k) * n / count % n].get();
    auto r = change("set-server", {"set-server", s->name(), "--blocked=M9"}, {s});
    one_server_.emctl_ms = std::max(one_server_.emctl_ms, r.emctl_ms);
    one_server_.missing += r.missing;
    one_server_.acted_ms.insert(one_server_.acted_ms.end(), r.acted_ms.begin(), r.acted_ms.end());
    one_server_.heard_ms.insert(one_server_.heard_ms.end(), r.heard_ms.begin(), r.heard_ms.end());
    std::this_thread::sleep_for(100ms);
  }
}

void change_runner::report(std::ostream& out) const {
  auto line = [&](const round& r, const std::string& label) {
    out << label << ": every server acted "
        << ms(r.acted_ms.empty() ? 0 : *std::max_element(r.acted_ms.begin(), r.acted_ms.end()))
        << " after emctl started; per server acted median " << ms(percentile(r.acted_ms, 0.5))
        << ", p99 " << ms(percentile(r.acted_ms, 0.99)) << " (heard median "
        << ms(percentile(r.heard_ms, 0.5)) << ", p99 " << ms(percentile(r.heard_ms, 0.99))
        << "); emctl itself " << ms(r.emctl_ms);
    if (r.missing) out << "; " << r.missing << " server(s) did not act within 60 s";
    out << "\n";
  };
  for (const auto& r : org_rounds_)
    line(r, r.what + " (" + std::to_string(r.acted_ms.size()) + " servers)");
  if (!one_server_.acted_ms.empty() || one_server_.missing)
    line(one_server_, "emctl set-server NAME --blocked=M9 (" +
                          std::to_string(one_server_.acted_ms.size()) +
                          " changes, one server each)");
}

}  // namespace fleet_sim
