// Typed plugin settings (issue 16): a plugin declares each key with a type, a
// default and a description; the host checks the operator's [plugins.<name>]
// table against them and converts it before create(), naming the file, line
// and key of anything wrong, with the service's one duration grammar.
#include <catch2/catch.hpp>

#include "core/config/config_loader.hpp"
#include "core/config/plugin_table.hpp"
#include "core/plugin/plugin_registry.hpp"
#include "core/util/error.hpp"
#include "tests/support/temp_dir.hpp"

namespace fs = std::filesystem;
using emservice::setting_type;

namespace {

const std::vector<em::setting_info> declared = {
    {"name", setting_type::string, std::nullopt, "a name"},
    {"on", setting_type::boolean, "true", "a switch"},
    {"count", setting_type::integer, "3", "a number"},
    {"wait", setting_type::duration, "\"90s\"", "a time"},
    {"argv", setting_type::list, std::nullopt, "a command"},
};

em::plugin_settings table_of(const std::string& toml) {
  auto c = em::parse_config("[plugins.demo]\n" + toml, "/etc/emservice/emsd.conf");
  return c.plugins.tables.at("demo");
}

emservice::settings_table convert(const std::string& toml) {
  return em::convert_plugin_table(declared, table_of(toml), "demo", "/etc/emservice/emsd.conf");
}

std::string refusal(const std::string& toml) {
  try {
    convert(toml);
  } catch (const em::invalid_input& e) {
    return e.what();
  }
  return "(accepted)";
}

}  // namespace

TEST_CASE("each type is converted, and defaults fill in what the operator left out") {
  auto s =
      convert("name = \"blue\"\nwait = \"1h30m\"\nargv = [\"/bin/x\", \"stop\", \"{name}\"]\n");
  CHECK(s.get_string("name") == "blue");
  CHECK(s.get_duration("wait") == std::chrono::minutes(90));
  CHECK(s.get_list("argv") == std::vector<std::string>{"/bin/x", "stop", "{name}"});
  CHECK_FALSE(s.values.at("wait").is_default);
  CHECK(s.get_bool("on"));
  CHECK(s.get_integer("count") == 3);
  CHECK(s.values.at("count").is_default);

  auto none = convert("");
  CHECK_FALSE(none.has("name"));  // no default: absent
  CHECK(none.get_duration("wait") == std::chrono::seconds(90));
  CHECK_THROWS_WITH(none.get_string("name"), "setting 'name' is not set and has no default");
  CHECK_THROWS_WITH(none.get_string("count"),
                    "setting 'count' is read as another type than declared");
}

TEST_CASE("issue_16_wrong_type_names_file_line_and_key") {
  CHECK(refusal("count = \"three\"\n") ==
        "/etc/emservice/emsd.conf:2:9: plugins.demo.count: expected an integer, got string");
  CHECK(refusal("name = \"a\"\non = \"yes\"\n") ==
        "/etc/emservice/emsd.conf:3:6: plugins.demo.on: expected a boolean (true or false), got "
        "string");
  CHECK(refusal("wait = 30\n") ==
        "/etc/emservice/emsd.conf:2:8: plugins.demo.wait: expected a duration string such as "
        "\"30s\", got integer");
  CHECK(refusal("argv = \"/bin/x stop\"\n") ==
        "/etc/emservice/emsd.conf:2:8: plugins.demo.argv: expected an array of strings, got "
        "string");
  CHECK(refusal("argv = [\"/bin/x\", 2]\n") ==
        "/etc/emservice/emsd.conf:2:8: plugins.demo.argv: expected an array of strings, but item "
        "1 is integer");
  CHECK(refusal("name = [\"a\"]\n") ==
        "/etc/emservice/emsd.conf:2:8: plugins.demo.name: expected a string, got array");
  CHECK(refusal("colour = \"red\"\n") ==
        "/etc/emservice/emsd.conf:2:10: plugins.demo.colour: unknown key (plugin 'demo' takes "
        "name, on, count, wait, argv)");
}

TEST_CASE("durations follow the service's one grammar, bounds included") {
  CHECK(convert("wait = \"500ms\"\n").get_duration("wait") == std::chrono::milliseconds(500));
  CHECK(convert("wait = \"2d\"\n").get_duration("wait") == std::chrono::hours(48));
  CHECK(refusal("wait = \"5x\"\n") ==
        "/etc/emservice/emsd.conf:2:8: plugins.demo.wait: bad duration '5x' (use 30s, 10m, 1h)");
  CHECK(refusal("wait = \"400d\"\n") ==
        "/etc/emservice/emsd.conf:2:8: plugins.demo.wait: duration '400d' is too long (at most "
        "365d)");
}

TEST_CASE("a plugin's declarations are checked before anything of the operator's") {
  auto specs = [](std::vector<emservice::setting_spec> list) {
    list.push_back({nullptr, setting_type::string, nullptr, nullptr});
    return list;
  };
  auto twice =
      specs({{"a", setting_type::string, nullptr, ""}, {"a", setting_type::integer, nullptr, ""}});
  CHECK_THROWS_WITH(em::read_setting_specs(twice.data(), "p"),
                    "plugin 'p' declares setting 'a' twice");
  auto bad_default = specs({{"t", setting_type::duration, "30", ""}});
  CHECK_THROWS_WITH(em::read_setting_specs(bad_default.data(), "p"),
                    "plugin 'p' declares setting 't' with a default that is not a duration: "
                    "expected a duration string such as \"30s\", got integer");
  auto not_toml = specs({{"t", setting_type::string, "bare words", ""}});
  CHECK_THROWS_WITH(em::read_setting_specs(not_toml.data(), "p"),
                    Catch::Contains("'bare words' is not one TOML value"));
  auto odd_type = specs({{"t", static_cast<setting_type>(99), nullptr, ""}});
  CHECK_THROWS_WITH(em::read_setting_specs(odd_type.data(), "p"),
                    "plugin 'p' declares setting 't' with an unknown type (99)");
  CHECK(em::read_setting_specs(nullptr, "p").empty());
}

TEST_CASE("the loader converts a real plugin's table before create, or refuses it before create") {
  em::test::temp_dir dir("emsettings");
  fs::copy_file(fs::path(EM_PLUGIN_FIXTURE_DIR) / "good.so", dir / "good.so");
  const auto marker = dir / "marker.txt";
  auto load = [&](const std::string& table) {
    auto c = em::parse_config("[plugins]\ndir = \"" + dir.path().string() + "\"\n[plugins.good]\n" +
                                  "marker = \"" + marker.string() + "\"\n" + table,
                              dir / "emsd.conf");
    em::load_options options;
    options.config_file = c.source.string();
    return em::plugin_registry::load_directory(c.plugins, c.iis, options);
  };

  {
    auto good = load("color = [\"blue\", \"green\"]\npause = \"250ms\"\n");
    REQUIRE(good.problems().empty());
    auto* applier = good.find("goodAction");
    REQUIRE(applier);
    auto applied = applier->apply({"G1.1", "goodAction", "", "", "", "<x/>"});
    CHECK_THAT(applied.message,
               Catch::Contains("settings{color=blue,green; marker=" + marker.string() +
                               "; pause=250ms; retries=3 (default); verbose=false (default)}"));
    REQUIRE(good.plugins().size() == 1);
    const auto& info = good.plugins()[0];
    CHECK(info.abi_major == EMSERVICE_PLUGIN_ABI_MAJOR);
    REQUIRE(info.settings.size() == 6);
    CHECK(info.settings[1].key == "retries");
    CHECK(info.settings[1].default_value == "3");
    CHECK(info.settings[1].description == "how many times to try");
  }
  fs::remove(marker);

  auto bad = load("retries = \"three\"\n");
  REQUIRE(bad.problems().size() == 1);
  CHECK(bad.problems()[0].reason ==
        (dir / "emsd.conf").string() +
            ":5:11: plugins.good.retries: expected an integer, got string");
  CHECK(bad.problems()[0].name == "good");
  CHECK(bad.problems()[0].action_types == std::vector<std::string>{"goodAction"});
  CHECK_FALSE(bad.find("goodAction"));
  // Refused before create(): the fixture's create() would have left "created".
  CHECK((!fs::exists(marker) || em::test::read_text(marker).find("created") == std::string::npos));
}

TEST_CASE("a plugin whose declared default is not of its type is refused") {
  em::test::temp_dir dir("emsettings");
  fs::copy_file(fs::path(EM_PLUGIN_FIXTURE_DIR) / "bad_default.so", dir / "bad_default.so");
  auto r = em::plugin_registry::load_directory(dir.path(), {}, {});
  REQUIRE(r.problems().size() == 1);
  CHECK(r.problems()[0].reason ==
        "plugin 'bad_default' declares setting 'pause' with a default that is not a duration: "
        "expected a duration string such as \"30s\", got integer");
}
