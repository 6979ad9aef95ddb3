// emctl plan (SPEC 14): what the next cycle would do, action by action, with
// the real programs: emfeed signs, emctl plans through the plugin worker, emsd
// applies. Planning changes nothing: not the host's files, not the store.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "tests/support/temp_dir.hpp"
#include "tests/support/test_paths.hpp"
#include "tests/tools/rollback/rollback_fixture.hpp"

using namespace em::test;
namespace fs = std::filesystem;

namespace {

// Action ID → [plan, reason] from emctl plan --json.
std::map<std::string, std::pair<std::string, std::string>> plan_of(const command_result& r) {
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  std::map<std::string, std::pair<std::string, std::string>> out;
  const auto j = nlohmann::json::parse(r.out);
  for (const auto& a : j.at("Actions"))
    out[a.at("ID").get<std::string>()] = {a.at("Plan").get<std::string>(),
                                          a.at("Reason").get<std::string>()};
  return out;
}

// Signs `configs` (Config elements) into `out` with the fixture's signer.
void sign_document(rollback_fixture& f, const std::string& configs, const fs::path& out,
                   const std::string& sequence) {
  write_text(f.path("plan-unsigned.xml"),
             "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<EOCS version=\"1.0.4\">\n" + configs +
                 "</EOCS>\n");
  auto r = run_command({emfeed_path().string(), "sign", "--key", (f.pki / "signer.key").string(),
                        "--cert", (f.pki / "signer.pem").string(), "--chain",
                        (f.pki / "chain.pem").string(), "--sequence", sequence,
                        f.path("plan-unsigned.xml").string(), out.string()});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
}

}  // namespace

TEST_CASE_METHOD(rollback_fixture,
                 "issue_16_plan_on_a_fresh_host changes nothing, not even the store") {
  sign("1");
  const auto before = read_text(tree.site_root_config());
  auto r = emctl({"plan"});
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Contains("Server: EX01 (Exchange2019 15.2.1118.7)\nDocument: file://"));
  CHECK_THAT(r.out, Catch::Contains("sequence 1, signed by "));
  CHECK_THAT(r.out,
             Catch::Matches("[\\s\\S]*\nM1\\.1 +UrlRewrite +Apply +rule 'EEMS M1\\.1[\\s\\S]*"));
  auto plan = plan_of(emctl({"plan", "--json"}));
  CHECK(plan["M1.1"].first == "Apply");
  CHECK(plan["M2.1"].first == "Apply");
  CHECK(plan["M2.2"].first == "Apply");
  CHECK(read_text(tree.site_root_config()) == before);
  CHECK_FALSE(fs::exists(path("state.db")));
  CHECK_FALSE(fs::exists(apppool_calls));
}

TEST_CASE_METHOD(rollback_fixture, "issue_16_plan_after_apply, with a block, and as JSON") {
  sign("1");
  REQUIRE(emsd_once().exit_code == 0);
  const auto statuses = emctl({"get-mitigations", "--json"}).out;

  auto plan = plan_of(emctl({"plan", "--json"}));
  CHECK(plan["M1.1"].first == "AlreadyInEffect");
  CHECK(plan["M2.1"].first == "AlreadyInEffect");
  CHECK_THAT(plan["M2.1"].second, Catch::Contains("MSExchangeECPAppPool"));
  CHECK(plan["M2.2"].first == "AlreadyInEffect");

  REQUIRE(emctl({"set-server", "--blocked=M2"}).exit_code == 0);
  auto blocked = plan_of(emctl({"plan", "--json"}));
  CHECK(blocked["M1.1"].first == "AlreadyInEffect");
  CHECK(blocked["M2.1"] ==
        std::make_pair(std::string("Blocked"), std::string("blocked by an administrator "
                                                           "(MitigationsBlocked)")));
  CHECK(blocked["M2.2"].first == "Blocked");

  REQUIRE(emctl({"set-server", "--mitigations-enabled=false"}).exit_code == 0);
  auto disabled = plan_of(emctl({"plan", "--json"}));
  CHECK(disabled["M1.1"] == std::make_pair(std::string("Disabled"),
                                           std::string("MitigationsEnabled is false for server "
                                                       "EX01")));

  // Only the administrator's changes above are in the store; plan added none.
  auto audit = nlohmann::json::parse(emctl({"audit", "--json"}).out);
  CHECK(audit.size() == 2);
  CHECK(emctl({"get-mitigations", "--json"}).out == statuses);
}

TEST_CASE_METHOD(rollback_fixture,
                 "issue_16_plan_with_an_invalid_rule, a document given, and one rejected") {
  sign("2");
  REQUIRE(emsd_once().exit_code == 0);
  const auto doc = path("next.xml");
  sign_document(*this,
                "  <Config id=\"M3\" desc=\"A rule IIS would refuse\"><ActionList><Action "
                "type=\"UrlRewrite\" scope=\"Site\" target=\"Default Web Site\"><Value><rule "
                "name=\"EEMS M3.1\"><match url=\"[\"/></rule></Value></Action></ActionList>"
                "</Config>\n  <Config id=\"M4\"><ActionList><Action type=\"Teleport\"><Value/>"
                "</Action></ActionList></Config>\n  <Config id=\"PING1\"><ActionList><Action "
                "type=\"DoNothing\"><Value>DoNothing</Value></Action></ActionList></Config>\n",
                doc, "3");
  auto plan = plan_of(emctl({"plan", "--document", doc.string(), "--json"}));
  CHECK(plan["M3.1"].first == "Invalid");
  CHECK_THAT(plan["M3.1"].second, Catch::StartsWith("<match> url: pattern '[' does not compile"));
  CHECK(plan["M4.1"] == std::make_pair(std::string("Invalid"),
                                       std::string("no plugin handles action type 'Teleport'")));
  CHECK(plan["PING1.1"].first == "AlreadyInEffect");
  CHECK(plan.count("M1.1") == 0);  // the plan is of the document given, not the feed's

  // A document the next cycle would refuse: sequence 1 after 2 is a rollback.
  sign_document(*this,
                "  <Config id=\"PING1\"><ActionList><Action type=\"DoNothing\"><Value>"
                "DoNothing</Value></Action></ActionList></Config>\n",
                doc, "1");
  auto rejected = emctl({"plan", "--document", doc.string()});
  CHECK(rejected.exit_code == 1);
  CHECK_THAT(rejected.out, Catch::StartsWith("Rejected: rollback: sequence 1 is lower than 2"));
  auto text = read_text(doc);
  text.replace(text.find("DoNothing</Value>"), 9, "DoSomething");
  write_text(doc, text);
  auto tampered = emctl({"plan", "--document", doc.string()});
  CHECK(tampered.exit_code == 1);
  CHECK_THAT(tampered.out, Catch::StartsWith("Rejected: "));
}
