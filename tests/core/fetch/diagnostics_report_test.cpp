#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "core/fetch/diagnostics_report.hpp"

using namespace em;

TEST_CASE("the diagnostics report is one small JSON object") {
  diagnostics_report r;
  r.at = *parse_rfc3339("2026-11-27T10:00:00Z");
  r.server_name = "EX01";
  r.organization_id = "0f4c-org";
  r.product = "Exchange2019";
  r.build = "15.2.1118.7";
  r.service_state = "Running";
  r.last_result = "Completed";
  r.applied = {"PING1.1", "M1.1"};
  r.blocked = {"M2"};
  auto text = r.to_json();
  CHECK(text.find('\n') == std::string::npos);
  auto j = nlohmann::json::parse(text);
  CHECK(j["Time"] == "2026-11-27T10:00:00Z");
  CHECK(j["ServerName"] == "EX01");
  CHECK(j["OrganizationId"] == "0f4c-org");
  CHECK(j["Product"] == "Exchange2019");
  CHECK(j["Build"] == "15.2.1118.7");
  CHECK(j["ServiceState"] == "Running");
  CHECK(j["LastResult"] == "Completed");
  CHECK(j["MitigationsApplied"] == nlohmann::json::array({"PING1.1", "M1.1"}));
  CHECK(j["MitigationsBlocked"] == nlohmann::json::array({"M2"}));
  CHECK(j.size() == 9);
}

TEST_CASE("diagnostics are POSTed as JSON and a non-2xx answer is a failure") {
  std::vector<http_request> sent;
  int status = 204;
  http_transport net = [&](const http_request& r, const http_options&) {
    sent.push_back(r);
    return http_response{status, "", "", "", "", "", r.url};
  };
  send_diagnostics("https://feed.example/diagnostics", "{\"a\":1}", {}, net);
  REQUIRE(sent.size() == 1);
  CHECK(sent[0].method == "POST");
  CHECK(sent[0].body == "{\"a\":1}");
  CHECK(sent[0].headers.at(0) ==
        std::pair<std::string, std::string>{"Content-Type", "application/json"});
  status = 500;
  CHECK_THROWS_WITH(send_diagnostics("https://feed.example/diagnostics", "{}", {}, net),
                    "Unexpected HTTP status: 500 from https://feed.example/diagnostics");
}
