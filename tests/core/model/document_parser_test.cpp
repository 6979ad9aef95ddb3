#include <catch2/catch.hpp>

#include "core/model/document_parser.hpp"
#include "core/util/error.hpp"

using em::parse_mitigation_document;

namespace {

// SPEC 2's example, as C14N would give it (no declaration, no Signature).
const char* spec_example = R"xml(<EOCS version="1.0.4" sequence="42" expires="2026-12-31T00:00:00Z">
  <Config id="M1" desc="Mitigation of CVE-2022-41040 via URL Rewrite configuration">
    <Applicability>
      <Range product="Exchange2019" min="15.2.221.12" max="15.2.986.30"></Range>
      <Range product="Exchange2019" min="15.2.1118.0" max="15.2.1118.15"></Range>
    </Applicability>
    <ActionList>
      <Action type="UrlRewrite" scope="Site" target="Default Web Site" desc="Block autodiscover PowerShell requests">
        <Value>
          <rule name="EEMS M1.1 PowerShell - inbound" stopProcessing="true">
            <match url=".*"></match>
            <conditions>
              <add input="{UrlDecode:{REQUEST_URI}}" pattern="(?=.*autodiscover)(?=.*powershell)"></add>
            </conditions>
            <action type="AbortRequest"></action>
          </rule>
        </Value>
      </Action>
      <Action type="DisableService" scope="Server" desc="Stop UM"><Value><Service name="MSExchangeUM" mask="false"></Service></Value></Action>
    </ActionList>
    <Rollback>Remove the rule "EEMS M1.1 PowerShell - inbound" from Default Web Site.</Rollback>
  </Config>
  <Config id="PING1" desc="EEMS Heartbeat probe. Does not modify any exchange settings.">
    <ActionList>
      <Action type="DoNothing" scope="Server" desc="Ping mitigation action."><Value>DoNothing</Value></Action>
    </ActionList>
  </Config>
</EOCS>)xml";

std::string doc_with_config(const std::string& config) {
  return "<EOCS version=\"1.0.4\">" + config +
         "<Config id=\"PING1\"><ActionList><Action type=\"DoNothing\"><Value>DoNothing</Value>"
         "</Action></ActionList></Config></EOCS>";
}

}  // namespace

TEST_CASE("SPEC 2's example document parses into the model") {
  auto doc = parse_mitigation_document(spec_example);
  CHECK(doc.version == "1.0.4");
  REQUIRE(doc.sequence);
  CHECK(*doc.sequence == 42);
  REQUIRE(doc.expires);
  CHECK(em::format_rfc3339(*doc.expires) == "2026-12-31T00:00:00Z");
  CHECK(doc.rejected.empty());
  REQUIRE(doc.mitigations.size() == 2);

  const auto& m1 = doc.mitigations[0];
  CHECK(m1.id == "M1");
  CHECK(m1.desc == "Mitigation of CVE-2022-41040 via URL Rewrite configuration");
  CHECK(m1.has_applicability);
  REQUIRE(m1.ranges.size() == 2);
  CHECK(m1.ranges[1].max->to_string() == "15.2.1118.15");
  CHECK(m1.rollback == "Remove the rule \"EEMS M1.1 PowerShell - inbound\" from Default Web Site.");
  REQUIRE(m1.actions.size() == 2);
  CHECK(m1.actions[0].id == "M1.1");
  CHECK(m1.actions[0].type == "UrlRewrite");
  CHECK(m1.actions[0].scope == "Site");
  CHECK(m1.actions[0].target == "Default Web Site");
  CHECK(m1.actions[0].value_xml.find("<rule name=\"EEMS M1.1 PowerShell - inbound\"") == 0);
  CHECK(m1.actions[0].value_xml.find("pattern=\"(?=.*autodiscover)(?=.*powershell)\"") !=
        std::string::npos);
  CHECK(m1.actions[1].id == "M1.2");
  CHECK(m1.actions[1].value_xml == "<Service name=\"MSExchangeUM\" mask=\"false\"/>");

  const auto& ping = doc.mitigations[1];
  CHECK(ping.id == "PING1");
  CHECK_FALSE(ping.has_applicability);
  CHECK(ping.actions.at(0).id == "PING1.1");
  CHECK(ping.actions.at(0).value_xml == "DoNothing");
}

TEST_CASE("escaped characters in attributes and values come back unescaped in the model") {
  auto doc = parse_mitigation_document(
      "<EOCS><Config id=\"X1\" desc=\"a &amp; b &lt;c&gt; &quot;d&quot;\"><ActionList>"
      "<Action type=\"T\"><Value><r p=\"x&amp;y\">1 &lt; 2</r></Value></Action></ActionList>"
      "</Config></EOCS>");
  REQUIRE(doc.mitigations.size() == 1);
  CHECK(doc.mitigations[0].desc == "a & b <c> \"d\"");
  // The plugin gets well-formed XML back, escaped again.
  CHECK(doc.mitigations[0].actions[0].value_xml == "<r p=\"x&amp;y\">1 &lt; 2</r>");
}

TEST_CASE("document-level problems reject the whole document with a reason") {
  auto reason = [](const std::string& xml) {
    try {
      parse_mitigation_document(xml);
    } catch (const em::invalid_input& e) {
      return std::string(e.what());
    }
    return std::string("accepted");
  };
  CHECK(reason("<EOCS><Config>").find("malformed XML") == 0);
  CHECK(reason("<EOCS></EOCSX>").find("malformed XML") == 0);
  CHECK(reason("<Other/>") == "the root element is not EOCS");
  CHECK(reason("").find("the root element is not EOCS") == 0);
  CHECK(reason("<EOCS sequence=\"-1\"/>") == "sequence '-1' is not an unsigned 64-bit number");
  CHECK(reason("<EOCS sequence=\"18446744073709551616\"/>") ==
        "sequence '18446744073709551616' is not an unsigned 64-bit number");
  CHECK(reason("<EOCS expires=\"tomorrow\"/>") == "expires 'tomorrow' is not an RFC 3339 time");
  CHECK(reason("<EOCS owner=\"me\"/>") == "EOCS has unknown attribute 'owner'");
  CHECK(reason("<EOCS><Extra/></EOCS>") == "EOCS has unexpected element <Extra>");
}

TEST_CASE("issue_12_expires_offset") {
  // SPEC 2: expires is RFC 3339 in UTC. Offsets outside RFC 3339's ranges are
  // not RFC 3339 at all; valid ones are refused too rather than converted.
  auto reason = [](const std::string& expires) {
    try {
      parse_mitigation_document("<EOCS expires=\"" + expires + "\"/>");
    } catch (const em::invalid_input& e) {
      return std::string(e.what());
    }
    return std::string("accepted");
  };
  CHECK(reason("2030-01-01T00:00:00+99:99") ==
        "expires '2030-01-01T00:00:00+99:99' is not an RFC 3339 time");
  CHECK(reason("2030-01-01T00:00:00-24:00") ==
        "expires '2030-01-01T00:00:00-24:00' is not an RFC 3339 time");
  CHECK(reason("2030-01-01T00:00:00+02:00") ==
        "expires '2030-01-01T00:00:00+02:00' is not in UTC (end it with Z)");
  CHECK(reason("2030-01-01T00:00:00-00:00") ==
        "expires '2030-01-01T00:00:00-00:00' is not in UTC (end it with Z)");
  CHECK(reason("2030-01-01T00:00:00Z") == "accepted");
  CHECK(reason("2030-01-01T00:00:00.5z") == "accepted");
}

TEST_CASE("an invalid Config is rejected alone and the rest still parses") {
  struct bad_case {
    const char* config;
    const char* reason;
  };
  bad_case cases[] = {
      {"<Config id=\"M 1\"><ActionList><Action type=\"T\"/></ActionList></Config>",
       "Config id 'M 1' is not 1-32 characters of [A-Za-z0-9_-]"},
      {"<Config desc=\"no id\"><ActionList><Action type=\"T\"/></ActionList></Config>",
       "Config id '' is not 1-32 characters of [A-Za-z0-9_-]"},
      {"<Config id=\"M1\" color=\"red\"><ActionList><Action type=\"T\"/></ActionList></Config>",
       "Config has unknown attribute 'color'"},
      {"<Config id=\"M1\"></Config>", "no ActionList"},
      {"<Config id=\"M1\"><ActionList></ActionList></Config>", "empty ActionList"},
      {"<Config id=\"M1\"><ActionList><Action scope=\"Site\"/></ActionList></Config>",
       "Action M1.1 has no type"},
      {"<Config id=\"M1\"><ActionList><Action type=\"T\" scope=\"Galaxy\"/></ActionList></Config>",
       "Action M1.1 has scope 'Galaxy' (Server, Site or VDir expected)"},
      {"<Config id=\"M1\"><Applicability><Range min=\"1\"/></Applicability><ActionList><Action "
       "type=\"T\"/></ActionList></Config>",
       "Range without product"},
      {"<Config id=\"M1\"><Applicability><Range product=\"E\" max=\"15.x\"/></Applicability>"
       "<ActionList><Action type=\"T\"/></ActionList></Config>",
       "Range max '15.x' is not a build number"},
      {"<Config id=\"M1\"><Applicability><Range product=\"E\" min=\"15.2\" max=\"15.1\"/>"
       "</Applicability><ActionList><Action type=\"T\"/></ActionList></Config>",
       "Range min 15.2.0.0 is above max 15.1.0.0"},
      {"<Config id=\"M1\"><ActionList><Action type=\"T\"/></ActionList><ActionList/></Config>",
       "unexpected or repeated element <ActionList>"},
      {"<Config id=\"M1\"><ActionList><Step/></ActionList></Config>",
       "ActionList has unexpected element <Step>"},
  };
  for (const auto& c : cases) {
    INFO(c.config);
    auto doc = parse_mitigation_document(doc_with_config(c.config));
    REQUIRE(doc.rejected.size() == 1);
    CHECK(doc.rejected[0].reason == c.reason);
    REQUIRE(doc.mitigations.size() == 1);
    CHECK(doc.mitigations[0].id == "PING1");
  }
}

TEST_CASE("Configs sharing an id are all rejected, whichever came first") {
  auto doc = parse_mitigation_document(doc_with_config(
      "<Config id=\"PING1\"><ActionList><Action type=\"X\"/></ActionList></Config>"));
  CHECK(doc.mitigations.empty());
  REQUIRE(doc.rejected.size() == 2);
  CHECK(doc.rejected[0].reason == "duplicate Config id 'PING1' (2 Configs)");
  CHECK(doc.rejected[1].reason == "duplicate Config id 'PING1' (2 Configs)");

  // A copy of an id that is invalid on its own is refused too.
  auto bad = parse_mitigation_document(
      "<EOCS><Config id=\"M1\" x=\"1\"><ActionList><Action type=\"T\"/></ActionList></Config>"
      "<Config id=\"M1\"><ActionList><Action type=\"T\"/></ActionList></Config></EOCS>");
  CHECK(bad.mitigations.empty());
  REQUIRE(bad.rejected.size() == 2);
  CHECK(bad.rejected[0].reason == "Config has unknown attribute 'x'");
  CHECK(bad.rejected[1].reason == "duplicate Config id 'M1' (2 Configs)");
}
