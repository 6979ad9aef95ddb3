// The IIS tree resolver on the Exchange-like applicationHost.config.
#include <catch2/catch.hpp>

#include "core/plugin/plugin_host.hpp"
#include "core/plugin/plugin_registry.hpp"
#include "plugins/common/iis_tree.hpp"
#include "plugins/common/plugin_error.hpp"
#include "tests/plugins/support/iis_fixture.hpp"

using namespace em::test;

TEST_CASE("sites, applications and virtual directories resolve to their folders") {
  iis_fixture tree;
  emplugin::iis_tree iis(em::iis_table_of(tree.iis()));
  auto host = em::plugin_host(nullptr, "EX01", nullptr).make_api("rewrite");

  auto root = iis.resolve("Default Web Site", *host);
  CHECK(root.site == "Default Web Site");
  CHECK(root.application == "/");
  CHECK(root.physical_path == "%SystemDrive%\\inetpub\\wwwroot");
  CHECK(root.folder == tree.drive() / "inetpub/wwwroot");
  CHECK(root.web_config == tree.site_root_config());

  auto owa = iis.resolve("Default Web Site/owa", *host);
  CHECK(owa.application == "/owa");
  CHECK(owa.folder == tree.front_end("owa"));

  auto calendar = iis.resolve("exchange back end/OWA/calendar", *host);
  CHECK(calendar.site == "Exchange Back End");
  CHECK(calendar.application == "/owa");
  CHECK(calendar.virtual_directory == "/Calendar");
  CHECK(calendar.folder == tree.back_end("owa/Calendar"));

  auto nested = iis.resolve("Exchange Back End/mapi/emsmdb", *host);
  CHECK(nested.application == "/mapi/emsmdb");
  CHECK_THROWS_WITH(iis.resolve("Exchange Back End/mapi", *host),
                    Catch::Contains("is not an application or virtual directory"));
  CHECK_THROWS_WITH(iis.resolve("/owa", *host), Catch::Contains("names no site"));
}

TEST_CASE("physical paths map Windows paths onto the host") {
  emplugin::iis_tree iis({{"variables.SystemDrive", {"/srv/iis/C:"}},
                          {"variables.ExchangeInstallPath", {"/srv/exchange/V15/"}},
                          {"variables.D:", {"/mnt/d"}}});
  CHECK(iis.host_path("%SystemDrive%\\inetpub\\wwwroot", "x") == "/srv/iis/C:/inetpub/wwwroot");
  CHECK(iis.host_path("%systemdrive%\\inetpub\\", "x") == "/srv/iis/C:/inetpub");
  CHECK(iis.host_path("%ExchangeInstallPath%FrontEnd\\HttpProxy\\owa", "x") ==
        "/srv/exchange/V15/FrontEnd/HttpProxy/owa");
  CHECK(iis.host_path("D:\\sites\\..\\web", "x") == "/mnt/d/web");
  CHECK(iis.host_path("/already/posix", "x") == "/already/posix");
  CHECK_THROWS_WITH(iis.host_path("%Nope%\\x", "'Site'"),
                    "physicalPath '%Nope%\\x' of 'Site' uses %Nope%, which [iis] variables does "
                    "not define");
  CHECK_THROWS_WITH(iis.host_path("%SystemDrive\\x", "x"), Catch::Contains("an unpaired '%'"));
  CHECK_THROWS_WITH(iis.host_path("E:\\x", "x"), Catch::Contains("is on drive E:"));
  CHECK_THROWS_WITH(iis.host_path("relative\\x", "x"), Catch::Contains("not an absolute path"));
  CHECK_THROWS_WITH(iis.application_host(), Catch::Contains("application_host is not configured"));
}
