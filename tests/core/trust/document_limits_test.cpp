// The streaming pass over the raw bytes (SPEC 3, "Bounded cost"): every
// limit used to the full is let through and answered by the rest of the
// verifier; one step past it, the document is refused naming the limit. The
// shapes of issue 12's review (canonicalisation bomb, attribute bomb, NUL
// after the root, namespaced attributes on ds: elements) are refused.
// Timings are in bench/trust (docs/trust.md), not asserted here.
#include <catch2/catch.hpp>

#include <algorithm>

#include "core/trust/document_limits.hpp"
#include "tests/core/trust/bounds/worst_case_inputs.hpp"
#include "tests/core/trust/trust_fixtures.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/test_paths.hpp"

namespace em::test {
namespace {

using trust_detail::check_document_limits;

const std::string& signed_doc() {
  static const std::string doc = sign_with(unsigned_eocs, "signer", 42);
  return doc;
}

std::size_t line_of(const std::string& text, const std::string& what) {
  auto at = text.find(what);
  REQUIRE(at != std::string::npos);
  return 1 + static_cast<std::size_t>(std::count(text.begin(), text.begin() + at, '\n'));
}

}  // namespace

TEST_CASE("each document limit used to the full is let through, and one step past it is named") {
  const std::size_t max_size = 1024 * 1024;
  const auto inputs = worst_case_inputs(signed_doc(), max_size);
  REQUIRE(inputs.size() == 9);
  for (const auto& input : inputs) {
    INFO(input.limit);
    CHECK(input.at_limit.size() <= max_size);
    CHECK(input.at_limit.size() > max_size * 3 / 4);  // each fills the size limit, or nearly
    CHECK(check_document_limits(input.at_limit) == "");
    CHECK_THAT(check_document_limits(input.over_limit), Catch::StartsWith(input.over_reason));

    // The whole verifier answers both: a bad digest after the full
    // canonicalisation where the digested part changed, else verified.
    CHECK(verify_now(input.at_limit).reason == input.verdict);
    CHECK_THAT(verify_now(input.over_limit).reason, Catch::StartsWith(input.over_reason));
  }
}

TEST_CASE("a document inside every limit keeps its verdict") {
  CHECK(check_document_limits(signed_doc()) == "");
  CHECK(verify_now(signed_doc()).verified);
  // A UTF-8 byte order mark, an XML declaration, comments and PIs before the root.
  CHECK(check_document_limits("\xEF\xBB\xBF<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<!-- c -->"
                              "<?pi x?>\n<EOCS a='>' b=\"'\"><![CDATA[<x>]]><ds:Signature "
                              "xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\"/></EOCS>\n") == "");
  if (!have_conformance()) {
    WARN("skipped: the conformance document is absent (" << conformance_dir().string() << ")");
    return;
  }
  // Microsoft's document declares the timestamp namespace on its CounterSignature.
  CHECK(check_document_limits(read_text(conformance_dir() / "ocs-ping1-2021-12-07.xml")) == "");
}

TEST_CASE("issue_12_c14n_bomb") {
  // 4,000 namespace declarations on EOCS, 400 empty elements: 17-20 s before.
  const std::string doc = replace_once(
      replace_once(signed_doc(), "<EOCS ", "<EOCS" + namespace_declarations(4000) + " "),
      "</Config>", repeat("<e/>", 400) + "</Config>");
  CHECK(verify_now(doc).reason ==
        "namespace declaration not allowed: xmlns:a0=\"urn:a0\" on <EOCS> at line " +
            std::to_string(line_of(doc, "<EOCS")) + " (only the XML-DSig namespace, on Signature)");
}

TEST_CASE("issue_12_c14n_bomb_in_object") {
  // Outside the signed bytes, the same bomb left a valid document taking 15 s.
  const std::string doc = replace_once(
      signed_doc(), "</KeyInfo>",
      "</KeyInfo><Object" + namespace_declarations(4000) + ">" + repeat("<e/>", 400) + "</Object>");
  CHECK(verify_now(doc).reason ==
        "namespace declaration not allowed: xmlns:a0=\"urn:a0\" on <Object> at line " +
            std::to_string(line_of(doc, "<Object")) +
            " (only the XML-DSig namespace, on Signature)");
  // Nor may an Object undeclare the default namespace, as signature wrapping does.
  CHECK_THAT(verify_now(replace_once(signed_doc(), "</KeyInfo>",
                                     "</KeyInfo><Object><EOCS xmlns=\"\"/></Object>"))
                 .reason,
             Catch::StartsWith("namespace declaration not allowed: xmlns=\"\" on <EOCS>"));
}

TEST_CASE("issue_12_attribute_bomb") {
  // One EOCS with 100,000 attributes, no signature: 16-23 s in libxml2 before.
  std::string doc = "<EOCS";
  for (int i = 0; i < 100000; ++i)
    doc += " a" + std::to_string(i) + "=\"\"";
  doc += "/>";
  REQUIRE(doc.size() < 1024 * 1024);
  CHECK(verify_now(doc).reason ==
        "limit exceeded: attributes per element (at most 32) on <EOCS> at line 1");
}

TEST_CASE("issue_12_nul_after_root") {
  const std::string tail = std::string("\0<Config id=\"EVIL\"/>", 20);
  const std::string doc = signed_doc() + tail;
  CHECK(verify_now(doc).reason ==
        "malformed XML: NUL byte at line " + std::to_string(line_of(doc, tail)));
  // Nothing else may follow the root either: what follows is not signed.
  CHECK_THAT(verify_now(signed_doc() + "<!-- unsigned -->").reason,
             Catch::StartsWith("malformed XML: content after the root element at line "));
  CHECK(verify_now(signed_doc() + "\n\n").verified);
}

TEST_CASE("issue_12_namespaced_attribute_on_ds_element") {
  // Seen as URI="" by the structure check and as x:URI by xmlsec before.
  CHECK_THAT(
      verify_now(replace_once(signed_doc(), "<Reference URI=\"\">",
                              "<Reference x:URI=\"#evil\" URI=\"\">"))
          .reason,
      Catch::StartsWith("attribute in a namespace not allowed: x:URI on <Reference> at line "));
  // xml: attributes pass the streaming pass; on a ds: element the structure check refuses them.
  CHECK(verify_now(replace_once(signed_doc(), "<Reference URI=\"\">",
                                "<Reference xml:space=\"preserve\" URI=\"\">"))
            .reason == "attribute in a namespace not allowed: xml:space on <Reference>");
}

TEST_CASE("the streaming pass refuses what it cannot tokenise as libxml2 would") {
  struct bad_case {
    std::string doc;
    std::string reason;
  };
  for (const auto& c : std::vector<bad_case>{
           {"<EOCS>\x01</EOCS>", "malformed XML: control character 0x01 at line 1"},
           {"\xFE\xFF<EOCS/>", "malformed XML: text before the root element"},
           {"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><EOCS/>",
            "encoding 'ISO-8859-1' not accepted (only UTF-8 is)"},
           {"<!DOCTYPE EOCS><EOCS/>", "DTD present"},
           {"<EOCS a=\"<\"/>", "malformed XML: '<' in an attribute value on <EOCS> at line 1"},
           {"<EOCS a=b/>", "malformed XML: attribute value without quotes on <EOCS> at line 1"},
           {"<EOCS><!-- open </EOCS>", "malformed XML: unterminated comment at line 1"},
           {"<EOCS/><EOCS/>", "malformed XML: content after the root element at line 1"},
           {"<EOCS xmlns=\"http://www.w3.org/2000/09/xmldsig#\"/>",
            "namespace declaration not allowed: xmlns=\"http://www.w3.org/2000/09/xmldsig#\" on "
            "<EOCS> at line 1"},
           {"<EOCS><Signature xmlns=\"urn:other\"/></EOCS>",
            "namespace declaration not allowed: xmlns=\"urn:other\" on <Signature>"},
           {"<EOCS><ds:Signature xmlns=\"http://www.w3.org/2000/09/xmldsig#\"/></EOCS>",
            "namespace declaration not allowed"},
           {"<EOCS><CounterSignature "
            "xmlns=\"http://schemas.microsoft.com/xmldsig/timestamp/2003\"/></EOCS>",
            "namespace declaration not allowed"},
           {"<EOCS><t><![CDATA[" + std::string(40000, 'c') + "]]>" + std::string(30000, 't') +
                "</t></EOCS>",
            "limit exceeded: text length (at most 65536) at line 1"},
       }) {
    INFO(c.doc.substr(0, 80));
    CHECK_THAT(check_document_limits(c.doc), Catch::StartsWith(c.reason));
  }
}

TEST_CASE("a limit can be set lower, and the reason says which it is") {
  trust_detail::document_limits small;
  small.elements = 3;
  small.depth = 2;
  CHECK(check_document_limits("<a><b/><c/></a>", small) == "");
  CHECK(check_document_limits("<a><b/><c/><d/></a>", small) ==
        "limit exceeded: elements (at most 3) at line 1");
  CHECK(check_document_limits("<a>\n<b><c/></b></a>", small) ==
        "too deep: elements nested deeper than 2 levels");
}

}  // namespace em::test
