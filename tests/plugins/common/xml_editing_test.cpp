// xml_source knows where each element is in the original bytes; xml_editor
// changes only the bytes concerned.
#include <catch2/catch.hpp>

#include "plugins/common/plugin_error.hpp"
#include "plugins/common/xml_editor.hpp"
#include "plugins/common/xml_source.hpp"

using namespace emplugin;

namespace {

std::string raw_of(const xml_source& src, const xmlNode* e) {
  auto s = src.span(e);
  return src.bytes().substr(s.begin, s.end - s.begin);
}

}  // namespace

TEST_CASE("element positions survive a BOM, CRLF, comments, CDATA and '>' in attributes") {
  const std::string text =
      "\xEF\xBB\xBF<?xml version=\"1.0\" encoding=\"utf-8\"?>\r\n<!-- <not-an-element/> -->\r\n"
      "<configuration>\r\n  <a x='1>2' y=\"&lt;\"  />\r\n  <b><![CDATA[<c/>]]><c\r\n"
      "   z=\"&quot;\"></c ></b >\r\n</configuration>\r\n";
  auto src = xml_source::parse(text, "test.config");
  const xmlNode* root = src.root();
  auto kids = child_elements(root);
  REQUIRE(kids.size() == 2);
  CHECK(raw_of(src, kids[0]) == "<a x='1>2' y=\"&lt;\"  />");
  CHECK(src.span(kids[0]).self_closing);
  CHECK(raw_of(src, kids[1]) == "<b><![CDATA[<c/>]]><c\r\n   z=\"&quot;\"></c ></b >");
  const xmlNode* c = first_child(kids[1], "c");
  CHECK(raw_of(src, c) == "<c\r\n   z=\"&quot;\"></c >");
  CHECK(attribute(c, "z") == std::optional<std::string>("\""));
  CHECK(attribute(kids[0], "y") == std::optional<std::string>("<"));
  auto attrs = src.attributes(kids[0]);
  REQUIRE(attrs.size() == 2);
  CHECK(attrs[0].name == "x");
  CHECK(text.substr(attrs[0].value_begin, attrs[0].value_end - attrs[0].value_begin) == "1>2");
  CHECK(src.eol() == "\r\n");
  CHECK(src.indent_unit() == "  ");
}

TEST_CASE("files the editor cannot keep exact are refused") {
  CHECK_THROWS_WITH(xml_source::parse("<!DOCTYPE x [<!ENTITY e 'boom'>]><x>&e;</x>", "f"),
                    Catch::Contains("has a DOCTYPE"));
  CHECK_THROWS_WITH(xml_source::parse(std::string("\xFF\xFE<\0x\0/\0>\0", 10), "f"),
                    Catch::Contains("is not UTF-8"));
  CHECK_THROWS_WITH(xml_source::parse("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><x/>", "f"),
                    Catch::Contains("declares encoding 'ISO-8859-1'"));
  CHECK_THROWS_WITH(xml_source::parse("<x><y></x>", "web.config"),
                    Catch::StartsWith("web.config is not well-formed XML (line 1)"));
}

TEST_CASE("the editor inserts and removes whole lines, and works inline too") {
  const std::string text = "<r>\n    <a/>\n    <b/>\n</r>\n";
  auto src = xml_source::parse(text, "f");
  auto kids = child_elements(src.root());

  xml_editor before_b(src);
  before_b.insert_child(src.root(), kids[1], {"<n>", "  <m />", "</n>"});
  CHECK(before_b.result() == "<r>\n    <a/>\n    <n>\n      <m />\n    </n>\n    <b/>\n</r>\n");

  xml_editor last(src);
  last.insert_child(src.root(), nullptr, {"<n />"});
  CHECK(last.result() == "<r>\n    <a/>\n    <b/>\n    <n />\n</r>\n");

  xml_editor removal(src);
  removal.remove_element(kids[0]);
  CHECK(removal.result() == "<r>\n    <b/>\n</r>\n");

  auto inline_src = xml_source::parse("<r><a/><b x=\"1\"/></r>", "f");
  auto inline_kids = child_elements(inline_src.root());
  xml_editor in(inline_src);
  in.insert_child(inline_kids[0], nullptr, {"<n />"});
  in.remove_element(inline_kids[1]);
  CHECK(in.result() == "<r><a>\n  <n />\n</a></r>");
}

TEST_CASE("attributes are set in place, added after the last one, and removed exactly") {
  const std::string text = "<r>\n  <add name='p' autoStart='true'\n       mode=\"x\" />\n</r>";
  auto src = xml_source::parse(text, "f");
  const xmlNode* add = first_child(src.root(), "add");
  xml_editor edit(src);
  edit.set_attribute(add, "autoStart", "false");
  edit.set_attribute(add, "startMode", "On\"Demand");
  CHECK(edit.result() ==
        "<r>\n  <add name='p' autoStart='false'\n       mode=\"x\" startMode=\"On&quot;Demand\" "
        "/>\n</r>");

  auto changed = xml_source::parse(edit.result(), "f");
  xml_editor back(changed);
  back.set_attribute_raw(first_child(changed.root(), "add"), "autoStart", "true");
  back.remove_attribute(first_child(changed.root(), "add"), "startMode");
  CHECK(back.result() == text);

  xml_editor quote(src);
  CHECK_THROWS_AS(quote.set_attribute_raw(add, "autoStart", "it's"), plugin_error);
}

TEST_CASE("element_lines writes attributes in order, escaped, children indented") {
  auto src = xml_source::parse(
      "<rule name=\"a&amp;b\" z=\"1\"><match url='x\"y'/><c><d k=\"&#9;\"/></c></rule>", "v",
      xml_source::mode::value);
  CHECK(element_lines(src.root(), "\t") ==
        element_text{"<rule name=\"a&amp;b\" z=\"1\">", "\t<match url=\"x&quot;y\" />", "\t<c>",
                     "\t\t<d k=\"&#9;\" />", "\t</c>", "</rule>"});
}
