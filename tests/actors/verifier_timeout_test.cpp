// trust.verify_timeout (issue 12) with real threads: the verifier actor and
// its workers on CAF's own scheduler, the real document_verifier, and a CRL
// source that blocks as a CDP that never answers would (the crl_source
// interface is where such a source plugs in); policy and audit are mocks.
#include <catch2/catch.hpp>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/scoped_actor.hpp>

#include <condition_variable>
#include <mutex>

#include "actors/verifier_actor.hpp"
#include "core/store/sqlite_store.hpp"
#include "core/trust/crl_file_source.hpp"
#include "core/trust/document_signer.hpp"
#include "tests/actors/support/mocks.hpp"
#include "tests/support/sample_feed.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/test_paths.hpp"

using namespace em;
using namespace std::chrono_literals;

namespace {

// The test PKI's CRL files, each answer held back until the test opens the gate.
class gated_source : public crl_source {
 public:
  gated_source() : files_({test::test_pki() / "root.crl", test::test_pki() / "ca.crl"}) {}

  crl_candidates crls_for(const X509* cert, const X509* issuer) const override {
    std::unique_lock<std::mutex> lock(mutex_);
    ++waiting_;
    changed_.notify_all();
    changed_.wait_for(lock, 60s, [this] { return open_; });
    --waiting_;
    changed_.notify_all();
    return files_.crls_for(cert, issuer);
  }

  void open() {
    std::lock_guard<std::mutex> lock(mutex_);
    open_ = true;
    changed_.notify_all();
  }

  // Waits until no verification is held here any more.
  bool drained(std::chrono::seconds limit) const {
    std::unique_lock<std::mutex> lock(mutex_);
    return changed_.wait_for(lock, limit, [this] { return waiting_ == 0; });
  }

 private:
  crl_file_source files_;
  mutable std::mutex mutex_;
  mutable std::condition_variable changed_;
  mutable int waiting_ = 0;
  bool open_ = false;
};

class quiet_config : public caf::actor_system_config {
 public:
  quiet_config() {
    set("logger.file-verbosity", caf::atom("quiet"));
    set("logger.console-verbosity", caf::atom("quiet"));
  }
};

struct threaded_fixture {
  test::temp_dir dir;
  std::shared_ptr<em::store> store = open_sqlite_store(dir / "state.db");
  std::shared_ptr<gated_source> gate = std::make_shared<gated_source>();
  std::shared_ptr<test::stage_script> policy_script = std::make_shared<test::stage_script>();
  std::shared_ptr<test::audit_journal> journal = std::make_shared<test::audit_journal>();
  quiet_config cfg;
  caf::actor_system sys{cfg};
  caf::scoped_actor self{sys};
  audit_actor audit = sys.spawn(test::mock_audit, journal);
  policy_actor policy = sys.spawn(test::mock_policy, policy_script);
  verifier_actor verifier;

  threaded_fixture() {
    store->register_server("EX01", "Exchange2019", "15.2.1118.7");
    trust_settings trust;
    trust.anchors = {test::test_pki() / "root.pem"};
    verifier_settings settings{"EX01", true, 300ms};  // 2 abandoned at most, own threads
    verifier =
        sys.spawn(em::verifier,
                  std::make_shared<const document_verifier>(
                      trust, std::vector<std::shared_ptr<const crl_source>>{gate}),
                  store, settings, policy, audit, [] { return std::chrono::system_clock::now(); });
  }

  ~threaded_fixture() {
    gate->open();  // so every worker ends and the actor system can stop
    for (const auto& a : {caf::actor_cast<caf::actor>(verifier),
                          caf::actor_cast<caf::actor>(policy), caf::actor_cast<caf::actor>(audit)})
      self->send_exit(a, caf::exit_reason::user_shutdown);
  }

  std::string sign(std::uint64_t sequence) {
    const auto& pki = test::test_pki();
    signing_request req{pki / "signer.key", pki / "signer.pem", {pki / "chain.pem"}, sequence, {}};
    return sign_document(test::ping_document, req);
  }

  // The answer, or the reason of the error; "(no answer)" if none came in 20 s.
  std::string verify(std::uint64_t sequence) {
    std::string out = "(no answer)";
    self->request(verifier, 20s, verify_atom::value,
                  fetched_document{"file:///feed.xml", sign(sequence), ""})
        .receive([&](const cycle_report& r) { out = r.result; },
                 [&](caf::error& err) { out = reason_of(err); });
    return out;
  }

  int events_1008() {
    // The audit mock writes from its own thread: ask it to flush before reading.
    self->request(audit, 20s, flush_atom::value).receive([](bool) {}, [](caf::error&) {});
    return journal->count_events(event_id::error);
  }
};

}  // namespace

TEST_CASE_METHOD(threaded_fixture, "issue_12_verify_timeout") {
  const std::string timed_out = "verification timed out after 300ms (trust.verify_timeout)";
  // A verification that would hang ends the cycle after the timeout...
  CHECK(verify(1) == timed_out);
  // ...and the verifier answers the next one at once: it is not wedged.
  CHECK(verify(2) == timed_out);
  // Two abandoned verifications still running: a third is not started, so
  // threads stay bounded, but the cycle is still answered (and reported).
  CHECK(verify(3) ==
        "verification not started: 2 earlier verification(s) abandoned after "
        "trust.verify_timeout are still running");
  CHECK(events_1008() == 3);
  CHECK(policy_script->verified.empty());

  // Once the hold is released the abandoned ones finish, their answers
  // dropped, and the next document goes through.
  gate->open();
  REQUIRE(gate->drained(20s));
  std::string next;
  for (int i = 0; i < 100 && (next = verify(4)).find("not started") != std::string::npos; ++i)
    std::this_thread::sleep_for(50ms);
  CHECK(next == "Completed: scripted");
  REQUIRE(policy_script->verified.size() == 1);
  CHECK(policy_script->verified[0].document.sequence == 4u);
}
