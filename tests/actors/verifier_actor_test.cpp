// The verifier actor with the real verifier and documents signed at test time;
// its collaborators (policy, audit) are mocks.
#include <catch2/catch.hpp>

#include "actors/verifier_actor.hpp"
#include "core/store/sqlite_store.hpp"
#include "core/trust/document_signer.hpp"
#include "tests/actors/support/actor_fixture.hpp"
#include "tests/actors/support/mocks.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/test_paths.hpp"

using namespace em;

namespace {

const char* unsigned_doc =
    "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<EOCS version=\"1.0.4\">\n"
    "  <Config id=\"PING1\" desc=\"EEMS Heartbeat probe.\">\n    <ActionList>\n"
    "      <Action type=\"DoNothing\" scope=\"Server\" desc=\"Ping\"><Value>DoNothing</Value>"
    "</Action>\n    </ActionList>\n  </Config>\n</EOCS>\n";

struct verifier_fixture : test::actor_fixture {
  test::temp_dir dir;
  std::shared_ptr<em::store> store = open_sqlite_store(dir / "state.db");
  std::shared_ptr<test::stage_script> policy_script = std::make_shared<test::stage_script>();
  std::shared_ptr<test::audit_journal> journal = std::make_shared<test::audit_journal>();
  audit_actor audit = spawn(test::mock_audit, journal);
  policy_actor policy = spawn(test::mock_policy, policy_script);

  verifier_fixture() { store->register_server("EX01", "Exchange2019", "15.2.1118.7"); }

  std::string sign(std::optional<std::uint64_t> sequence) {
    const auto& pki = test::test_pki();
    signing_request req{pki / "signer.key", pki / "signer.pem", {pki / "chain.pem"}, sequence, {}};
    return sign_document(unsigned_doc, req);
  }

  // The verification runs on CAF's test scheduler with every other actor.
  static verifier_settings deterministic_settings(bool require_sequence) {
    verifier_settings s{"EX01", require_sequence};
    s.own_thread = false;
    return s;
  }

  verifier_actor spawn_verifier(bool require_sequence = true) {
    trust_settings trust;
    trust.anchors = {test::test_pki() / "root.pem"};
    trust.crl_files = {test::test_pki() / "root.crl", test::test_pki() / "ca.crl"};
    return spawn(em::verifier, std::make_shared<const document_verifier>(trust), store,
                 deterministic_settings(require_sequence), policy, audit,
                 [] { return std::chrono::system_clock::now(); });
  }

  caf::expected<cycle_report> verify(const verifier_actor& v, std::string bytes) {
    return request<cycle_report>(v, verify_atom::value,
                                 fetched_document{"file:///feed.xml", std::move(bytes)});
  }
};

}  // namespace

TEST_CASE_METHOD(verifier_fixture, "a verified document goes to the policy as a model") {
  auto report = verify(spawn_verifier(), sign(5));
  REQUIRE(report);
  REQUIRE(policy_script->verified.size() == 1);
  const auto& doc = policy_script->verified[0];
  CHECK(doc.source == "file:///feed.xml");
  CHECK(doc.document.sequence == 5u);
  REQUIRE(doc.document.mitigations.size() == 1);
  CHECK(doc.document.mitigations[0].actions[0].id == "PING1.1");
  CHECK(doc.signer_subject.find("EM Test Publisher") != std::string::npos);
  CHECK(journal->logged(log_level::information, "Verified the mitigation document"));
}

TEST_CASE_METHOD(verifier_fixture, "a tampered document is rejected before the policy sees it") {
  auto signed_doc = sign(5);
  auto pos = signed_doc.find("Heartbeat");
  REQUIRE(pos != std::string::npos);
  signed_doc[pos] = 'h';
  auto report = verify(spawn_verifier(), signed_doc);
  REQUIRE_FALSE(report);
  CHECK(report.error().code() == static_cast<std::uint8_t>(cycle_errc::rejected));
  CHECK(policy_script->verified.empty());
  CHECK(journal->count_events(event_id::error) == 1);
  CHECK(
      journal->logged(log_level::error, "Rejected the mitigation document from file:///feed.xml"));
}

TEST_CASE_METHOD(verifier_fixture, "rollback and missing sequence are rejected against the store") {
  cycle_record seen;
  seen.checked_at = std::chrono::system_clock::now();
  seen.accepted_sequence = 10;
  seen.accepted_digest = "previous";
  store->record_cycle("EX01", seen);

  auto v = spawn_verifier();
  auto old = verify(v, sign(9));
  REQUIRE_FALSE(old);
  CHECK(reason_of(old.error()) == "rollback: sequence 9 is lower than 10, already accepted");
  auto same = verify(v, sign(10));
  REQUIRE_FALSE(same);
  CHECK(reason_of(same.error()) == "sequence 10 was already accepted for a different document");
  auto none = verify(v, sign(std::nullopt));
  REQUIRE_FALSE(none);
  CHECK(reason_of(none.error()) ==
        "no sequence on EOCS (this server already accepted sequence 10, so one is required)");
  CHECK(policy_script->verified.empty());

  CHECK(verify(v, sign(11)));
  CHECK(policy_script->verified.size() == 1);
}

TEST_CASE_METHOD(verifier_fixture, "issue_12_unsequenced_after_sequenced") {
  // require_sequence = false admits a document without a sequence only until
  // this server has accepted one with a sequence (SPEC 3).
  auto lax = spawn_verifier(false);
  REQUIRE(verify(lax, sign(std::nullopt)));
  cycle_record seen;
  seen.checked_at = std::chrono::system_clock::now();
  seen.accepted_sequence = 3;
  seen.accepted_digest = "previous";
  store->record_cycle("EX01", seen);
  auto replay = verify(lax, sign(std::nullopt));
  REQUIRE_FALSE(replay);
  CHECK(reason_of(replay.error()) ==
        "no sequence on EOCS (this server already accepted sequence 3, so one is required)");
  CHECK(journal->count_events(event_id::error) == 1);
  CHECK(verify(lax, sign(4)));
  CHECK(policy_script->verified.size() == 2);
}

namespace {

// What EX02's cycle records after accepting `bytes`: the organisation's floor.
void accepted_by_ex02(em::store& store, const std::string& bytes, std::uint64_t sequence,
                      const std::string& digest) {
  store.register_server("EX02", "Exchange2019", "15.2.1118.7");
  cycle_record r;
  r.checked_at = std::chrono::system_clock::now();
  r.accepted_sequence = sequence;
  r.accepted_digest = digest;
  r.document = stored_document{"https://mirror/feed", "", bytes, digest, r.checked_at};
  store.record_cycle("EX02", r);
}

}  // namespace

TEST_CASE_METHOD(verifier_fixture,
                 "issue_13_sequence_floor: an older document is a rollback once "
                 "another server of the organisation accepted a newer one") {
  const auto newer = sign(7);
  trust_settings trust;
  trust.anchors = {test::test_pki() / "root.pem"};
  trust.revocation = revocation_mode::off;
  const auto v = document_verifier(trust).verify(newer, std::chrono::system_clock::now());
  REQUIRE(v.verified);
  accepted_by_ex02(*store, newer, 7, v.digest);

  auto verifier = spawn_verifier();
  auto stale = verify(verifier, sign(5));  // EX01 itself never saw 7
  REQUIRE_FALSE(stale);
  CHECK(reason_of(stale.error()) ==
        "rollback: sequence 5 is lower than 7, already accepted (by server EX02 of the "
        "organisation)");
  CHECK(policy_script->verified.empty());
  CHECK(verify(verifier, newer));  // the same document: accepted
  CHECK(verify(verifier, sign(8)));
}

TEST_CASE_METHOD(verifier_fixture,
                 "issue_13_sequence_floor: a floor whose document does not "
                 "verify is ignored, and the log says why") {
  accepted_by_ex02(*store, "<EOCS sequence=\"1000\">made up</EOCS>", 1000, "made-up");
  auto report = verify(spawn_verifier(), sign(5));
  CHECK(report);
  CHECK(journal->logged(log_level::warning,
                        "Ignoring the organisation's sequence floor, sequence 1000 of server "
                        "EX02: its document does not verify"));
}
