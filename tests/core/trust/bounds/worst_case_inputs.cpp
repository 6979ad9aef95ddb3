#include "tests/core/trust/bounds/worst_case_inputs.hpp"

#include <algorithm>
#include <cstdio>
#include <stdexcept>

namespace em::test {
namespace {

std::string replaced_once(const std::string& text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  if (at == std::string::npos) throw std::invalid_argument("worst_case_inputs: no " + from);
  return text.substr(0, at) + to + text.substr(at + from.size());
}

// Where the digest covers it (the end of the first Config), or not (a ds:Object).
std::string in_signed_region(const std::string& doc, const std::string& content) {
  return replaced_once(doc, "</Config>", content + "</Config>");
}
std::string in_object(const std::string& doc, const std::string& content) {
  return replaced_once(doc, "</KeyInfo>", "</KeyInfo><Object>" + content + "</Object>");
}

// A name of exactly `length` characters, distinct for each `i`.
std::string name(const char* stem, std::size_t i, std::size_t length) {
  char head[32];
  std::snprintf(head, sizeof head, "%s%zu", stem, i);
  std::string out = head;
  out.resize(std::max(length, out.size()), 'x');
  return out;
}

// An empty element with `count` attributes: names of `name_length`, values of `value_length`.
std::string element(std::size_t count, std::size_t name_length = 3, std::size_t value_length = 0,
                    const std::string& tag = "e") {
  std::string out = "<" + tag;
  for (std::size_t i = 0; i < count; ++i)
    out += " " + name("a", i, name_length) + "=\"" + std::string(value_length, 'v') + "\"";
  return out + "/>";
}

}  // namespace

std::string repeat(const std::string& unit, std::size_t n) {
  std::string out;
  out.reserve(unit.size() * n);
  for (std::size_t i = 0; i < n; ++i)
    out += unit;
  return out;
}

std::string namespace_declarations(std::size_t n) {
  std::string out;
  for (std::size_t i = 0; i < n; ++i)
    out += " xmlns:a" + std::to_string(i) + "=\"urn:a" + std::to_string(i) + "\"";
  return out;
}

std::size_t count_elements(const std::string& xml) {
  std::size_t n = 0;
  for (std::size_t i = 0; i + 1 < xml.size(); ++i)
    if (xml[i] == '<' && xml[i + 1] != '/' && xml[i + 1] != '!' && xml[i + 1] != '?') ++n;
  return n;
}

std::vector<worst_case_input> worst_case_inputs(const std::string& doc, std::size_t max_size) {
  const trust_detail::document_limits l;
  // A little room for what in_object adds.
  const std::size_t room = max_size - doc.size() - 64;
  const std::size_t free_elements = l.elements - count_elements(doc);
  auto fill = [&](const std::string& unit, std::size_t reserved = 0, std::size_t per_unit = 1) {
    return std::min((room - reserved) / unit.size(), (free_elements - 1) / per_unit);
  };
  std::vector<worst_case_input> out;

  {  // Every element allowed, each as large as the bytes left allow.
    const std::size_t each = room / free_elements;
    const std::string unit =
        each >= 12 ? "<e a=\"" + std::string(each - 9, 'x') + "\"/>" : std::string("<e/>");
    out.push_back({"elements", in_signed_region(doc, repeat(unit, free_elements)),
                   in_signed_region(doc, repeat("<e/>", free_elements + 1)),
                   "limit exceeded: elements (at most " + std::to_string(l.elements) + ")"});
  }
  {
    const std::string unit = element(l.attributes_per_element);
    out.push_back({"attributes per element", in_signed_region(doc, repeat(unit, fill(unit))),
                   in_signed_region(doc, element(l.attributes_per_element + 1)),
                   "limit exceeded: attributes per element"});
  }
  {
    const std::string unit = element(l.attributes_per_element, 3, l.attribute_value_length);
    out.push_back({"attribute value length", in_signed_region(doc, repeat(unit, fill(unit))),
                   in_signed_region(doc, element(1, 3, l.attribute_value_length + 1)),
                   "limit exceeded: attribute value length"});
  }
  {
    auto text = [](std::size_t n) { return "<t>" + std::string(n, 't') + "</t>"; };
    const std::string unit = text(l.text_length);
    out.push_back({"text length", in_signed_region(doc, repeat(unit, fill(unit))),
                   in_signed_region(doc, text(l.text_length + 1)), "limit exceeded: text length"});
  }
  {
    const std::string tag = name("n", 0, l.name_length);
    const std::string unit = element(l.attributes_per_element, l.name_length, 0, tag);
    out.push_back({"name length", in_signed_region(doc, repeat(unit, fill(unit))),
                   in_signed_region(doc, element(0, 0, 0, name("n", 0, l.name_length + 1))),
                   "limit exceeded: name length"});
  }
  {  // Inside Config (depth 2): as deep as allowed, as often as the element limit allows.
    const std::size_t levels = l.depth - 2;
    const std::size_t units = (free_elements - 1) / levels;
    const std::size_t pad = (room / units) / levels - 13;  // <d a="…"></d>
    auto nest = [&](std::size_t n, std::size_t padding) {
      return repeat("<d a=\"" + std::string(padding, 'x') + "\">", n) + repeat("</d>", n);
    };
    out.push_back({"depth", in_signed_region(doc, repeat(nest(levels, pad), units)),
                   in_signed_region(doc, nest(levels + 1, 0)), "too deep: elements nested deeper"});
  }
  {
    const std::size_t each = room / l.comments_and_pis - 7;
    out.push_back(
        {"comments and processing instructions",
         in_signed_region(doc, repeat("<!--" + std::string(each, 'c') + "-->", l.comments_and_pis)),
         in_signed_region(doc, repeat("<!---->", l.comments_and_pis + 1)),
         "limit exceeded: comments and processing instructions", ""});
  }
  {  // The one namespace Microsoft's format declares beside XML-DSig, holding all it can.
    const std::string open =
        "<CounterSignature xmlns=\"" + std::string(trust_detail::ms_timestamp_namespace) + "\">";
    const std::string close = "</CounterSignature>";
    const std::string unit = element(l.attributes_per_element);
    const std::string body = repeat(unit, fill(unit, open.size() + close.size()) - 1);
    out.push_back({"namespace declarations", in_object(doc, open + body + close),
                   in_object(doc, open + "<e xmlns:x=\"urn:x\"/>" + close),
                   "namespace declaration not allowed", ""});
  }
  {  // ds:Object is kept, within the same bounds: filled, the document still verifies.
    const std::string unit = element(l.attributes_per_element);
    out.push_back({"ds:Object", in_object(doc, repeat(unit, fill(unit))),
                   in_object(doc, repeat("<e/>", free_elements + 1)),
                   "limit exceeded: elements (at most " + std::to_string(l.elements) + ")", ""});
  }
  return out;
}

}  // namespace em::test
