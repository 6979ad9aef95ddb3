// Issue 11, SPEC 10 "crashes", measured: emsd --once applies a document with
// Site, VDir, Server and app pool actions to the Exchange-like IIS tree, and
// is killed with SIGKILL at a random moment of the apply — emsd itself or its
// plugin worker, by turns — at least 100 times (EM_CRASH_KILLS to change).
// After each kill every file is exactly as it was or exactly as one of the
// actions in document order leaves it, and well-formed; after one more cycle
// no temporary file is left and the state is the applied one.
#include <signal.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
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

const std::set<std::string> all_actions = {"M1.1", "M1.2", "M1.3", "M1.4"};

struct tally {
  int kills_emsd = 0, kills_worker = 0, too_late = 0;
  int nothing_applied = 0, partly_applied = 0, fully_applied = 0;
  int corrupt_files = 0, malformed_files = 0, other_files_changed = 0, bad_backups = 0;
  int temporaries_after_kill = 0, temporaries_after_cycle = 0, not_applied_after_cycle = 0;
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

}  // namespace

TEST_CASE("issue_11_sigkill_during_apply_leaves_every_file_whole_or_applied") {
  const auto started = clock_type::now();
  temp_dir dir("emcrash");
  const fs::path feed = dir / "feed.xml";
  {
    auto signed_doc = sign_feed(crash_document(), feed, "1");
    INFO(signed_doc.err);
    REQUIRE(signed_doc.exit_code == 0);
  }

  // The states each file goes through, action after action, from emsd runs
  // on documents holding the first k actions.
  std::vector<std::map<std::string, std::string>> states;
  states.push_back(crash_host(dir / "ref-0", feed).files());
  ms window{0};
  for (int k = 1; k <= 4; ++k) {
    const fs::path doc = dir / ("feed-" + std::to_string(k) + ".xml");
    REQUIRE(sign_feed(crash_document(k), doc, "1").exit_code == 0);
    crash_host ref(dir / ("ref-" + std::to_string(k)), k == 4 ? feed : doc);
    emsd_run run(ref.config(), ref.root() / "emsd.log");
    const pid_t w = worker_of(run);
    const auto worker_seen = clock_type::now();
    REQUIRE(run.wait(std::chrono::seconds(60)) == 0);
    if (k == 4 && w) window = std::chrono::duration_cast<ms>(clock_type::now() - worker_seen);
    REQUIRE(applied_in(ref.root() / "state.db").size() == static_cast<std::size_t>(k));
    states.push_back(ref.files());
  }
  std::map<std::string, std::vector<std::string>> acceptable;
  for (const auto& file : crash_host::edited())
    for (const auto& s : states) {
      auto& seq = acceptable[file];
      if (seq.empty() || seq.back() != s.at(file)) seq.push_back(s.at(file));
    }
  for (const auto& file : crash_host::edited()) {
    INFO(file);
    REQUIRE(acceptable.at(file).size() >= 2);  // each file is edited
  }
  REQUIRE(acceptable.at(crash_host::edited()[2]).size() == 3);  // by Server, then app pool
  const auto& original = states.front();
  const auto& final_state = states.back();
  // A little longer than a whole apply, so some kills come late and some early.
  window = std::max(window + window / 5, ms(20));

  const char* wanted_env = std::getenv("EM_CRASH_KILLS");
  const int wanted = wanted_env ? std::max(1, std::atoi(wanted_env)) : 100;
  std::mt19937 random(std::random_device{}());
  std::uniform_int_distribution<long> delay(0, window.count() * 1000);
  tally t;
  for (int i = 0; t.kills_emsd + t.kills_worker < wanted && i < wanted * 4; ++i) {
    const bool kill_worker = i % 2 == 1;
    crash_host host(dir / ("run-" + std::to_string(i)), feed);
    {
      emsd_run run(host.config(), host.root() / "emsd.log");
      const pid_t w = worker_of(run);
      std::this_thread::sleep_for(std::chrono::microseconds(delay(random)));
      const pid_t victim = kill_worker ? w : run.pid();
      if (!w || run.wait(ms(0)) >= 0 || ::kill(victim, SIGKILL) != 0) {
        ++t.too_late;  // the cycle had ended: no kill to count
        run.wait(std::chrono::seconds(60));
        fs::remove_all(host.root());
        continue;
      }
      ++(kill_worker ? t.kills_worker : t.kills_emsd);
      // A killed emsd's worker finishes the call it is in, then sees the
      // end of its channel; a killed worker's emsd goes on with a new one.
      const int code = run.wait(std::chrono::seconds(60));
      if (kill_worker) CHECK(code == 0);
      CHECK(wait_gone(w, std::chrono::seconds(60)));
    }

    const auto after = host.files();
    int at_original = 0, at_final = 0;
    for (const auto& file : crash_host::edited()) {
      const auto& seq = acceptable.at(file);
      const std::string& bytes = after.at(file);
      at_original += bytes == seq.front();
      at_final += bytes == seq.back();
      if (std::find(seq.begin(), seq.end(), bytes) == seq.end()) ++t.corrupt_files;
      if (!well_formed(bytes)) ++t.malformed_files;
    }
    if (at_original == 3)
      ++t.nothing_applied;
    else if (at_final == 3)
      ++t.fully_applied;
    else
      ++t.partly_applied;
    for (const auto& [file, bytes] : original)
      if (std::find(crash_host::edited().begin(), crash_host::edited().end(), file) ==
              crash_host::edited().end() &&
          after.at(file) != bytes)
        ++t.other_files_changed;
    // A backup is a whole earlier state of its file, never a part of one.
    for (const auto& [file, copies] : backups(after))
      for (const auto& copy : copies) {
        const auto& seq = acceptable.at(file);
        if (std::find(seq.begin(), seq.end(), after.at(copy)) == seq.end()) ++t.bad_backups;
      }
    t.temporaries_after_kill += static_cast<int>(temporaries(after).size());

    // One more cycle: everything in place, nothing left lying around.
    emsd_run again(host.config(), host.root() / "emsd.log");
    CHECK(again.wait(std::chrono::seconds(60)) == 0);
    const auto recovered = host.files();
    for (const auto& file : crash_host::edited())
      if (recovered.at(file) != final_state.at(file)) ++t.not_applied_after_cycle;
    t.temporaries_after_cycle += static_cast<int>(temporaries(recovered).size());
    if (applied_in(host.root() / "state.db") != all_actions) ++t.not_applied_after_cycle;
    fs::remove_all(host.root());
  }
  const auto seconds =
      std::chrono::duration_cast<ms>(clock_type::now() - started).count() / 1000.0;
  std::cout << "issue 11 crash loop: " << t.kills_emsd + t.kills_worker << " kills ("
            << t.kills_emsd << " of emsd, " << t.kills_worker << " of its plugin worker; "
            << t.too_late << " runs ended before their kill) in " << seconds
            << " s, kill window " << window.count() << " ms\n"
            << "  after the kill: nothing applied " << t.nothing_applied << ", partly applied "
            << t.partly_applied << ", fully applied " << t.fully_applied << "; corrupt files "
            << t.corrupt_files << ", malformed files " << t.malformed_files
            << ", other files changed " << t.other_files_changed << ", partial backups "
            << t.bad_backups << ", temporary files " << t.temporaries_after_kill << "\n"
            << "  after one more cycle: temporary files " << t.temporaries_after_cycle
            << ", hosts not in the applied state " << t.not_applied_after_cycle << std::endl;

  CHECK(t.kills_emsd + t.kills_worker >= wanted);
  CHECK(t.corrupt_files == 0);
  CHECK(t.malformed_files == 0);
  CHECK(t.other_files_changed == 0);
  CHECK(t.bad_backups == 0);
  CHECK(t.temporaries_after_cycle == 0);
  CHECK(t.not_applied_after_cycle == 0);
}
