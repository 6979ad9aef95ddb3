// Issue 12's documents: past the limits of the streaming pass (named in the
// reason), refused by the namespace rule, with bytes after the root, with
// attributes in a namespace on ds: elements, with an expires not in UTC, with
// PEM text as an X509Certificate; and a ds:Object filled up to the limits,
// which still verifies.
#include <algorithm>
#include <string>

#include "tests/core/trust/bounds/worst_case_inputs.hpp"
#include "tests/core/trust/corpus/corpus_templates.hpp"
#include "tests/core/trust/corpus/corpus_writer.hpp"
#include "tests/support/temp_dir.hpp"

namespace em::test {

using namespace corpus;

namespace {

const char* const only_dsig = " (only the XML-DSig namespace, on Signature)";

std::string line_of(const std::string& text, const std::string& what) {
  const auto at = text.find(what);
  return " at line " + std::to_string(1 + std::count(text.begin(), text.begin() + at, '\n'));
}

void add_bomb_documents(corpus_writer& w, const std::string& good) {
  // The canonicalisation bomb of the review: 4,000 declarations, 400 elements.
  const std::string bomb =
      replaced(replaced(good, "<EOCS ", "<EOCS" + namespace_declarations(4000) + " "), "</Config>",
               repeat("<e/>", 400) + "</Config>");
  w.raw_doc("bad-c14n-bomb",
            "namespace declaration not allowed: xmlns:a0=\"urn:a0\" on <EOCS>" +
                line_of(bomb, "<EOCS") + only_dsig,
            bomb);
  const std::string in_object = replaced(
      good, "</KeyInfo>",
      "</KeyInfo><Object" + namespace_declarations(4000) + ">" + repeat("<e/>", 400) + "</Object>");
  w.raw_doc("bad-c14n-bomb-in-object",
            "namespace declaration not allowed: xmlns:a0=\"urn:a0\" on <Object>" +
                line_of(in_object, "<Object") + only_dsig,
            in_object);
  std::string attributes = "<EOCS";
  for (int i = 0; i < 100000; ++i)
    attributes += " a" + std::to_string(i) + "=\"\"";
  w.raw_doc("bad-attribute-bomb",
            "limit exceeded: attributes per element (at most 32) on <EOCS> at line 1",
            attributes + "/>");
  const std::string many = replaced(good, "</Config>", repeat("<e/>", 20000) + "</Config>");
  w.raw_doc("bad-too-many-elements",
            "limit exceeded: elements (at most 20000)" + line_of(many, "<e/>"), many);
}

}  // namespace

void add_bounds_documents(corpus_writer& w) {
  const std::string good = w.text_of("good-rsa");
  add_bomb_documents(w, good);

  // Within the limits, a ds:Object as large as they allow leaves the document valid.
  for (const auto& input : worst_case_inputs(good))
    if (input.limit == "ds:Object") w.raw_doc("good-object-within-bounds", "", input.at_limit);

  const std::string tail = std::string("\0<Config id=\"EVIL\"/>", 20);
  w.raw_doc("bad-nul-after-root", "malformed XML: NUL byte" + line_of(good + tail, tail),
            good + tail);
  w.raw_doc("bad-content-after-root",
            "malformed XML: content after the root element" + line_of(good + "<!-- x -->", "<!--"),
            good + "<!-- x -->");
  const std::string latin1 = replaced(good, "encoding=\"utf-8\"", "encoding=\"ISO-8859-1\"");
  w.raw_doc("bad-encoding-latin1", "encoding 'ISO-8859-1' not accepted (only UTF-8 is)", latin1);
  const std::string wrapped =
      replaced(good, "</KeyInfo>",
               "</KeyInfo><Object><EOCS xmlns=\"\"><Config id=\"EVIL\"/></EOCS></Object>");
  w.raw_doc("bad-wrapping-undeclared-namespace",
            "namespace declaration not allowed: xmlns=\"\" on <EOCS>" +
                line_of(wrapped, "<EOCS xmlns") + only_dsig,
            wrapped);
  const std::string x_uri =
      replaced(good, "<Reference URI=\"\">", "<Reference x:URI=\"#evil\" URI=\"\">");
  w.raw_doc("bad-namespaced-attribute",
            "attribute in a namespace not allowed: x:URI on <Reference>" +
                line_of(x_uri, "<Reference") + " (only xml: attributes may have a prefix)",
            x_uri);
  w.raw_doc("bad-xml-attribute-on-ds-element",
            "attribute in a namespace not allowed: xml:space on <Reference>",
            replaced(good, "<Reference URI=\"\">", "<Reference xml:space=\"preserve\" URI=\"\">"));

  w.signed_doc("bad-expires-offset",
               "expires '2030-12-31T00:00:00+02:00' is not in UTC (end it with Z)",
               eocs(default_body, "expires=\"2030-12-31T00:00:00+02:00\""));
  w.signed_doc("bad-expires-offset-out-of-range",
               "expires '2030-12-31T00:00:00+99:99' is not an RFC 3339 time",
               eocs(default_body, "expires=\"2030-12-31T00:00:00+99:99\""));

  // base64 of the PEM text of the signer's certificate, where DER belongs.
  const std::string pem = read_text(w.pki().pem("publisher"));
  const std::string open = "<X509Certificate>";
  const auto begin = good.find(open) + open.size();
  std::string pem_inside = good;
  pem_inside.replace(begin, good.find("</X509Certificate>", begin) - begin,
                     base64(pem.substr(pem.find("-----BEGIN"))));
  w.raw_doc("bad-pem-in-x509certificate", "malformed X509Certificate: not a DER certificate",
            pem_inside);
}

}  // namespace em::test
