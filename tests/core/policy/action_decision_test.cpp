#include <catch2/catch.hpp>

#include "core/model/document_parser.hpp"
#include "core/policy/action_decision.hpp"

using em::decision;

namespace {

const char* document_xml = R"(<EOCS>
  <Config id="M1" desc="URL rewrite">
    <Applicability>
      <Range product="Exchange2019" min="15.2.221.12" max="15.2.986.30"/>
      <Range product="Exchange2019" min="15.2.1118.0" max="15.2.1118.15"/>
    </Applicability>
    <ActionList>
      <Action type="UrlRewrite" scope="Site" target="Default Web Site"><Value>r</Value></Action>
      <Action type="DisableService" scope="Server"><Value>s</Value></Action>
    </ActionList>
  </Config>
  <Config id="PING1"><ActionList><Action type="DoNothing"><Value>DoNothing</Value></Action></ActionList></Config>
</EOCS>)";

struct fixture {
  em::mitigation_document doc = em::parse_mitigation_document(document_xml);
  em::org_settings org;
  em::server_record server;
  em::server_identity id{"EX01", "Exchange2019", em::build_version::parse("15.2.1118.7")};

  fixture() { server.name = "EX01"; }

  std::vector<decision> decide() {
    std::vector<decision> out;
    for (auto& d : em::decide_actions(doc, org, server, id))
      out.push_back(d.what);
    return out;
  }
};

}  // namespace

TEST_CASE("organisation x server switch table (SPEC 4)") {
  fixture f;
  using V = std::vector<decision>;
  SECTION("org true, server true: applied automatically") {
    CHECK(f.decide() == V{decision::apply, decision::apply, decision::apply});
  }
  SECTION("org true, server false: not on this server") {
    f.server.mitigations_enabled = false;
    CHECK(f.decide() == V{decision::disabled, decision::disabled, decision::disabled});
    CHECK(em::decide_actions(f.doc, f.org, f.server, f.id)[0].reason ==
          "MitigationsEnabled is false for server EX01");
  }
  SECTION("org false, server true or false: on no server") {
    f.org.mitigations_enabled = false;
    CHECK(f.decide() == V{decision::disabled, decision::disabled, decision::disabled});
    f.server.mitigations_enabled = false;
    CHECK(f.decide() == V{decision::disabled, decision::disabled, decision::disabled});
    CHECK(em::decide_actions(f.doc, f.org, f.server, f.id)[0].reason ==
          "MitigationsEnabled is false for the organisation");
  }
}

TEST_CASE("blocked by Config ID or by action ID") {
  fixture f;
  using V = std::vector<decision>;
  f.server.blocked = {"M1"};
  CHECK(f.decide() == V{decision::blocked, decision::blocked, decision::apply});
  f.server.blocked = {"M1.2"};
  CHECK(f.decide() == V{decision::apply, decision::blocked, decision::apply});
  f.server.blocked = {"M1.20", "M", "PING"};  // near misses block nothing
  CHECK(f.decide() == V{decision::apply, decision::apply, decision::apply});
  CHECK(em::is_blocked({"M1"}, "M1", "M1.1"));
  CHECK_FALSE(em::is_blocked({"M1.1"}, "M1", "M1.2"));
}

TEST_CASE("applicability follows the server's build, Configs without ranges apply everywhere") {
  fixture f;
  using V = std::vector<decision>;
  for (auto [build, m1] :
       {std::pair{"15.2.986.30", decision::apply}, std::pair{"15.2.1118.15", decision::apply},
        std::pair{"15.2.986.36", decision::not_applicable},
        std::pair{"15.2.1118.20", decision::not_applicable}}) {
    INFO(build);
    f.id.build = em::build_version::parse(build);
    CHECK(f.decide() == V{m1, m1, decision::apply});
  }
  f.id.product = "Exchange2016";
  f.id.build = em::build_version::parse("15.2.1118.7");
  CHECK(f.decide() == V{decision::not_applicable, decision::not_applicable, decision::apply});
  CHECK(em::decide_actions(f.doc, f.org, f.server, f.id)[0].reason ==
        "M1 does not apply to Exchange2016 15.2.1118.7");
  f.id.build.reset();
  CHECK(f.decide() == V{decision::not_applicable, decision::not_applicable, decision::apply});
}

TEST_CASE("switches come before the block list, which comes before applicability") {
  fixture f;
  f.id.build = em::build_version::parse("15.2.1118.20");
  f.server.blocked = {"M1"};
  CHECK(f.decide()[0] == decision::blocked);
  f.server.mitigations_enabled = false;
  CHECK(f.decide()[0] == decision::disabled);
}
