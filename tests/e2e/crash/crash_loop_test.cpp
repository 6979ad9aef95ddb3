// Issue 11, SPEC 10 "crashes", measured: emsd --once applies a document with
// Site, VDir, Server and app pool actions to the Exchange-like IIS tree, and
// is killed with SIGKILL at a random moment of the apply — emsd itself or its
// plugin worker, by turns — at least 100 times (EM_CRASH_KILLS to change).
// After each kill every file is exactly as it was or exactly as the actions
// that edit it (some or all of them) leave it, and well-formed; after one
// more cycle no temporary file is left and the state is the applied one.
// Hosts run a few at a time: emsd spends most of a cycle waiting.
#include <signal.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <future>
#include <iostream>
#include <random>
#include <set>
#include <thread>

#include <catch2/catch.hpp>

#include "core/store/sqlite_store.hpp"
#include "tests/e2e/crash/crash_fixture.hpp"
#include "tests/support/sample_feed.hpp"
#include "tests/support/temp_dir.hpp"

using namespace em::test;
namespace fs = std::filesystem;
using clock_type = std::chrono::steady_clock;
using ms = std::chrono::milliseconds;

namespace {

constexpr int lanes = 4;  // hosts at a time

struct tally {
  int kills_emsd = 0, kills_worker = 0, too_late = 0;
  int nothing_applied = 0, partly_applied = 0, fully_applied = 0;
  int corrupt_files = 0, malformed_files = 0, other_files_changed = 0, bad_backups = 0;
  int temporaries_after_kill = 0, temporaries_after_cycle = 0, not_applied_after_cycle = 0;
  int unexpected_exits = 0, worker_lingered = 0, killed_while_loading = 0;
  std::vector<std::string> notes;  // what went wrong, with the run's output

  int kills() const { return kills_emsd + kills_worker; }
  tally& operator+=(const tally& o) {
    for (auto [a, b] : {std::pair{&kills_emsd, o.kills_emsd},
                        {&kills_worker, o.kills_worker},
                        {&too_late, o.too_late},
                        {&nothing_applied, o.nothing_applied},
                        {&partly_applied, o.partly_applied},
                        {&fully_applied, o.fully_applied},
                        {&corrupt_files, o.corrupt_files},
                        {&malformed_files, o.malformed_files},
                        {&other_files_changed, o.other_files_changed},
                        {&bad_backups, o.bad_backups},
                        {&temporaries_after_kill, o.temporaries_after_kill},
                        {&temporaries_after_cycle, o.temporaries_after_cycle},
                        {&not_applied_after_cycle, o.not_applied_after_cycle},
                        {&unexpected_exits, o.unexpected_exits},
                        {&worker_lingered, o.worker_lingered},
                        {&killed_while_loading, o.killed_while_loading}})
      *a += b;
    notes.insert(notes.end(), o.notes.begin(), o.notes.end());
    return *this;
  }
};

// Waits for the run's plugin worker; 0 when the run ended first.
pid_t worker_of(emsd_run& run) {
  const auto until = clock_type::now() + std::chrono::seconds(30);
  while (clock_type::now() < until) {
    if (pid_t w = run.worker()) return w;
    if (run.wait(ms(0)) >= 0) return 0;
    std::this_thread::sleep_for(ms(1));
  }
  return 0;
}

std::set<std::string> applied_in(const fs::path& store) {
  auto state = em::open_sqlite_store(store);
  auto server = state->find_server("EX01");
  if (!server) return {};
  return {server->applied.begin(), server->applied.end()};
}

bool contains(const std::vector<std::string>& list, const std::string& s) {
  return std::find(list.begin(), list.end(), s) != list.end();
}

struct crash_loop {
  fs::path dir, feed;
  std::map<std::string, std::string> original, final_state;
  std::map<std::string, std::vector<std::string>> acceptable;  // states per edited file

  // One host: a run killed after `delay` from its worker's start, then one more cycle.
  tally run(int index, bool kill_worker, std::chrono::microseconds delay) const {
    tally t;
    crash_host host(dir / ("run-" + std::to_string(index)), feed);
    {
      emsd_run run(host.config(), host.root() / "emsd.log");
      const pid_t w = worker_of(run);
      std::this_thread::sleep_for(delay);
      const pid_t victim = kill_worker ? w : run.pid();
      // A process that has ended (a zombie too) is not killed by the signal.
      const bool killed =
          w && run.wait(ms(0)) < 0 && !wait_gone(victim, ms(0)) && ::kill(victim, SIGKILL) == 0;
      const int code = run.wait(std::chrono::seconds(60));
      if (!killed || (!kill_worker && code == 0)) {
        ++t.too_late;  // the cycle had ended: no kill to count
        fs::remove_all(host.root());
        return t;
      }
      ++(kill_worker ? t.kills_worker : t.kills_emsd);
      // A killed worker's emsd goes on with a new one and completes the
      // cycle; a killed emsd's worker finishes the call it is in, then sees
      // the end of its channel.
      const std::string output = read_text(host.root() / "emsd.log");
      // A worker killed while it loads a plugin gets that plugin refused (its
      // actions fail) and the cycle goes on; killed before it loaded any, the
      // service cannot start (exit 1).
      const bool while_loading =
          kill_worker &&
          ((code == 0 && output.find("was refused: the plugin worker crashed with signal 9 "
                                     "(SIGKILL) while loading it") != std::string::npos) ||
           (code == 1 && output.find("crashed with signal 9 (SIGKILL) before it loaded any "
                                     "plugin") != std::string::npos));
      if (while_loading) {
        ++t.killed_while_loading;
      } else if (kill_worker ? code != 0 : code != 128 + SIGKILL) {
        ++t.unexpected_exits;
        t.notes.push_back("exit " + std::to_string(code) + " after a kill of the " +
                          (kill_worker ? "worker" : "service") + ": " + output);
      }
      if (!wait_gone(w, std::chrono::seconds(60))) ++t.worker_lingered;
    }
    judge_after_kill(host.files(), t);

    // One more cycle: everything in place, nothing left lying around.
    emsd_run again(host.config(), host.root() / "emsd.log");
    if (const int code = again.wait(std::chrono::seconds(60)); code != 0) {
      ++t.unexpected_exits;
      t.notes.push_back("exit " + std::to_string(code) +
                        " of the cycle after the kill: " + read_text(host.root() / "emsd.log"));
    }
    const auto recovered = host.files();
    for (const auto& file : crash_host::edited())
      if (recovered.at(file) != final_state.at(file)) ++t.not_applied_after_cycle;
    t.temporaries_after_cycle += static_cast<int>(temporaries(recovered).size());
    if (applied_in(host.root() / "state.db") !=
        std::set<std::string>{"M1.1", "M1.2", "M1.3", "M1.4"})
      ++t.not_applied_after_cycle;
    fs::remove_all(host.root());
    return t;
  }

  void judge_after_kill(const std::map<std::string, std::string>& after, tally& t) const {
    int at_original = 0, at_final = 0;
    for (const auto& file : crash_host::edited()) {
      const std::string& bytes = after.at(file);
      at_original += bytes == original.at(file);
      at_final += bytes == final_state.at(file);
      if (!contains(acceptable.at(file), bytes)) ++t.corrupt_files;
      if (!well_formed(bytes)) ++t.malformed_files;
    }
    ++(at_original == 3 ? t.nothing_applied : at_final == 3 ? t.fully_applied : t.partly_applied);
    for (const auto& [file, bytes] : original)
      if (!contains(crash_host::edited(), file) && after.at(file) != bytes) ++t.other_files_changed;
    // A backup is a whole earlier state of its file, never a part of one.
    for (const auto& [file, copies] : backups(after))
      for (const auto& copy : copies)
        if (!contains(acceptable.at(file), after.at(copy))) ++t.bad_backups;
    t.temporaries_after_kill += static_cast<int>(temporaries(after).size());
  }
};

}  // namespace

TEST_CASE("issue_11_sigkill_during_apply_leaves_every_file_whole_or_applied") {
  const auto started = clock_type::now();
  temp_dir dir("emcrash");
  crash_loop loop{dir.path(), dir / "feed.xml", {}, {}, {}};
  {
    auto signed_doc = sign_feed(crash_document(), loop.feed, "1");
    INFO(signed_doc.err);
    REQUIRE(signed_doc.exit_code == 0);
  }

  // The states a file may be in: as it was, or with any of the actions that
  // edit it applied (a killed worker fails one action, and the cycle goes on
  // with the next), from emsd runs on documents holding some of the actions.
  std::vector<std::map<std::string, std::string>> states{
      crash_host(dir / "ref", loop.feed).files()};
  ms window{0};
  const std::vector<std::vector<int>> subsets = {{0}, {1}, {2}, {3}, {0, 1, 2, 3}};
  for (std::size_t k = 0; k < subsets.size(); ++k) {
    const bool all = k + 1 == subsets.size();
    const fs::path doc = dir / ("feed-" + std::to_string(k) + ".xml");
    REQUIRE(sign_feed(crash_document(subsets[k]), doc, "1").exit_code == 0);
    crash_host ref(dir / ("ref-" + std::to_string(k)), all ? loop.feed : doc);
    emsd_run run(ref.config(), ref.root() / "emsd.log");
    const pid_t w = worker_of(run);
    const auto worker_seen = clock_type::now();
    REQUIRE(run.wait(std::chrono::seconds(60)) == 0);
    if (all && w) window = std::chrono::duration_cast<ms>(clock_type::now() - worker_seen);
    REQUIRE(applied_in(ref.root() / "state.db").size() == subsets[k].size());
    states.push_back(ref.files());
  }
  for (const auto& file : crash_host::edited()) {
    auto& seen = loop.acceptable[file];
    for (const auto& s : states)
      if (!contains(seen, s.at(file))) seen.push_back(s.at(file));
    INFO(file);
    // Each file is edited: by one action, applicationHost.config by two.
    REQUIRE(seen.size() == (file == crash_host::edited()[2] ? 4u : 2u));
  }
  loop.original = states.front();
  loop.final_state = states.back();
  // Up to a whole apply, to start with.
  window = std::max(window, ms(20));

  const char* wanted_env = std::getenv("EM_CRASH_KILLS");
  const int wanted = wanted_env ? std::max(1, std::atoi(wanted_env)) : 100;
  std::mt19937 random(std::random_device{}());
  tally t;
  for (int round = 0; t.kills() < wanted && round < wanted; ++round) {
    std::uniform_int_distribution<long> delay(0, window.count() * 1000);
    std::vector<std::future<tally>> hosts;
    for (int lane = 0; lane < lanes; ++lane) {
      // By turns: emsd, then its worker.
      const bool kill_worker = (t.kills() + lane) % 2 == 1;
      hosts.push_back(std::async(std::launch::async, &crash_loop::run, &loop, round * lanes + lane,
                                 kill_worker, std::chrono::microseconds(delay(random))));
    }
    tally this_round;
    for (auto& h : hosts)
      this_round += h.get();
    t += this_round;
    // The window follows the machine's pace: most kills land in the apply,
    // a few after it.
    if (this_round.too_late >= lanes / 2) window = std::max(window * 17 / 20, ms(20));
    if (this_round.too_late == 0) window = window * 11 / 10;
  }
  const auto seconds = std::chrono::duration_cast<ms>(clock_type::now() - started).count() / 1000.0;
  std::cout << "issue 11 crash loop: " << t.kills() << " kills (" << t.kills_emsd << " of emsd, "
            << t.kills_worker << " of its plugin worker; " << t.too_late
            << " runs ended before their kill) in " << seconds << " s, kill window at last "
            << window.count() << " ms; " << t.killed_while_loading
            << " workers killed while loading their plugins (a plugin refused, or exit 1)\n"
            << "  after the kill: nothing applied " << t.nothing_applied << ", partly applied "
            << t.partly_applied << ", fully applied " << t.fully_applied << "; corrupt files "
            << t.corrupt_files << ", malformed files " << t.malformed_files
            << ", other files changed " << t.other_files_changed << ", partial backups "
            << t.bad_backups << ", temporary files " << t.temporaries_after_kill << "\n"
            << "  after one more cycle: temporary files " << t.temporaries_after_cycle
            << ", hosts not in the applied state " << t.not_applied_after_cycle
            << "; unexpected exit codes " << t.unexpected_exits << ", workers that stayed "
            << t.worker_lingered << std::endl;

  for (const auto& note : t.notes)
    std::cout << "  " << note << "\n";
  CHECK(t.kills() >= wanted);
  CHECK(t.corrupt_files == 0);
  CHECK(t.malformed_files == 0);
  CHECK(t.other_files_changed == 0);
  CHECK(t.bad_backups == 0);
  CHECK(t.temporaries_after_cycle == 0);
  CHECK(t.not_applied_after_cycle == 0);
  CHECK(t.unexpected_exits == 0);
  CHECK(t.worker_lingered == 0);
}
