#include "core/trust/document_limits.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>

namespace em::trust_detail {

const char* const dsig_namespace = "http://www.w3.org/2000/09/xmldsig#";
const char* const ms_timestamp_namespace = "http://schemas.microsoft.com/xmldsig/timestamp/2003";

namespace {

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

// Where a name ends: XML names never hold these.
bool ends_name(char c) {
  return is_space(c) || c == '/' || c == '>' || c == '=' || c == '<' || c == '"' || c == '\'';
}

std::string_view local_part(std::string_view name) {
  auto colon = name.find(':');
  return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

std::string_view prefix_of(std::string_view name) {
  auto colon = name.find(':');
  return colon == std::string_view::npos ? std::string_view() : name.substr(0, colon);
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

// Text from the document, shown in a one-line reason: shortened, and with
// anything but printable ASCII replaced.
std::string shown(std::string_view text, std::size_t max = 64) {
  std::string out;
  for (char c : text.substr(0, max))
    out += (c >= ' ' && c < 0x7f) ? c : '?';
  if (text.size() > max) out += "...";
  return out;
}

// The pass itself: a cursor over the bytes and the few facts it must carry
// (depth, counts, whether it is inside the Signature). Every loop moves the
// cursor forward, and each byte is looked at a bounded number of times.
class scanner {
 public:
  scanner(std::string_view bytes, const document_limits& limits) : b_(bytes), l_(limits) {}

  std::string run() {
    if (auto why = check_characters(); !why.empty()) return why;
    if (b_.substr(0, 3) == "\xEF\xBB\xBF") pos_ = 3;
    if (auto why = prolog(); !why.empty()) return why;
    if (auto why = content(); !why.empty()) return why;
    skip_space();
    if (pos_ < b_.size()) return "malformed XML: content after the root element" + at();
    return {};
  }

 private:
  std::string_view b_;
  const document_limits& l_;
  std::size_t pos_ = 0;
  std::size_t depth_ = 0;
  std::size_t elements_ = 0;
  std::size_t others_ = 0;           // comments and processing instructions
  std::size_t signature_depth_ = 0;  // depth of the open Signature element, 0 outside

  std::string at(std::size_t where) const {
    return " at line " + std::to_string(1 + std::count(b_.begin(), b_.begin() + where, '\n'));
  }
  std::string at() const { return at(pos_); }

  bool starts(std::string_view s) const { return b_.compare(pos_, s.size(), s) == 0; }

  bool skip_space() {
    const std::size_t from = pos_;
    while (pos_ < b_.size() && is_space(b_[pos_]))
      ++pos_;
    return pos_ > from;
  }

  std::string_view read_name() {
    const std::size_t from = pos_;
    while (pos_ < b_.size() && !ends_name(b_[pos_]))
      ++pos_;
    return b_.substr(from, pos_ - from);
  }

  std::string limit(const std::string& what, std::size_t max, const std::string& where) const {
    return "limit exceeded: " + what + " (at most " + std::to_string(max) + ")" + where;
  }

  // XML 1.0 allows no NUL and no C0 control but tab, CR and LF; libxml2 may
  // stop at a NUL and accept what came before it, leaving the rest unchecked.
  std::string check_characters() const {
    for (std::size_t i = 0; i < b_.size(); ++i) {
      const auto c = static_cast<unsigned char>(b_[i]);
      if (c >= 0x20 || c == '\t' || c == '\n' || c == '\r') continue;
      if (c == 0) return "malformed XML: NUL byte" + at(i);
      char hex[8];
      std::snprintf(hex, sizeof hex, "0x%02X", c);
      return std::string("malformed XML: control character ") + hex + at(i);
    }
    return {};
  }

  // Skips to just after `end`, or says what was left open.
  std::string skip_past(std::string_view end, const char* what) {
    const auto found = b_.find(end, pos_);
    if (found == std::string_view::npos)
      return std::string("malformed XML: unterminated ") + what + at();
    pos_ = found + end.size();
    return {};
  }

  std::string other_node(std::string_view end, const char* what) {
    if (++others_ > l_.comments_and_pis)
      return limit("comments and processing instructions", l_.comments_and_pis, at());
    return skip_past(end, what);
  }

  std::string xml_declaration() {
    const std::size_t from = pos_;
    if (auto why = skip_past("?>", "XML declaration"); !why.empty()) return why;
    const std::string_view decl = b_.substr(from, pos_ - from);
    auto e = decl.find("encoding");
    if (e == std::string_view::npos) return {};
    e += 8;
    while (e < decl.size() && (is_space(decl[e]) || decl[e] == '='))
      ++e;
    if (e >= decl.size() || (decl[e] != '"' && decl[e] != '\'')) return {};  // libxml2 says
    const auto close = decl.find(decl[e], e + 1);
    if (close == std::string_view::npos) return {};
    const std::string_view encoding = decl.substr(e + 1, close - e - 1);
    if (!iequals(encoding, "UTF-8"))
      return "encoding '" + shown(encoding) + "' not accepted (only UTF-8 is)";
    return {};
  }

  // Up to the root element: an XML declaration, white space, comments, PIs.
  std::string prolog() {
    if (starts("<?xml") && pos_ + 5 < b_.size() && (is_space(b_[pos_ + 5]) || b_[pos_ + 5] == '?'))
      if (auto why = xml_declaration(); !why.empty()) return why;
    for (;;) {
      skip_space();
      if (pos_ >= b_.size()) return "malformed XML: no root element";
      if (b_[pos_] != '<')
        return "malformed XML: text before the root element (only UTF-8 is accepted)" + at();
      bool handled = false;
      if (auto why = other_markup(handled, " before the root element"); !why.empty()) return why;
      if (!handled) return {};  // the root element's start tag
    }
  }

  // What may stand between elements: comments, PIs; a DOCTYPE or any other
  // "<!" is refused. `handled` is false when the markup is none of these.
  std::string other_markup(bool& handled, const char* where) {
    handled = true;
    if (starts("<!--")) return other_node("-->", "comment");
    if (starts("<?")) return other_node("?>", "processing instruction");
    if (starts("<!DOCTYPE")) return "DTD present";
    if (starts("<!")) return std::string("malformed XML: unexpected markup") + where + at();
    handled = false;
    return {};
  }

  // From the root's start tag to its end tag.
  std::string content() {
    std::size_t text = 0;  // bytes of the current run of text
    do {
      const std::size_t lt = std::min(b_.find('<', pos_), b_.size());
      text += lt - pos_;
      if (text > l_.text_length) return limit("text length", l_.text_length, at());
      pos_ = lt;
      if (pos_ >= b_.size()) return {};  // an unclosed element: libxml2 says which
      if (starts("<![CDATA[")) {
        const std::size_t from = pos_ + 9;
        const auto close = b_.find("]]>", from);
        if (close == std::string_view::npos)
          return "malformed XML: unterminated CDATA section" + at();
        text += close - from;
        if (text > l_.text_length) return limit("text length", l_.text_length, at(from));
        pos_ = close + 3;
        continue;
      }
      text = 0;
      bool handled = true;
      std::string why = starts("</") ? end_tag() : other_markup(handled, "");
      if (why.empty() && !handled) why = start_tag();
      if (!why.empty()) return why;
    } while (depth_ > 0);
    return {};
  }

  std::string end_tag() {
    pos_ += 2;
    read_name();
    skip_space();
    if (pos_ >= b_.size() || b_[pos_] != '>') return "malformed XML: malformed end tag" + at();
    ++pos_;
    if (depth_ == 0) return "malformed XML: end tag without a start tag" + at();
    if (depth_-- == signature_depth_) signature_depth_ = 0;
    return {};
  }

  std::string start_tag() {
    const std::size_t open = pos_++;
    const std::string_view name = read_name();
    if (name.empty()) return "malformed XML: '<' not followed by a name" + at(open);
    // Built only for a reason: counting lines at every tag would make the pass quadratic.
    const auto where = [&] { return " on <" + shown(name) + ">" + at(open); };
    if (name.size() > l_.name_length) return limit("name length", l_.name_length, where());
    if (++elements_ > l_.elements) return limit("elements", l_.elements, at(open));
    if (depth_ + 1 > l_.depth)
      return "too deep: elements nested deeper than " + std::to_string(l_.depth) + " levels";
    std::size_t attributes = 0;
    bool declared = false;
    for (;;) {
      skip_space();
      if (pos_ >= b_.size()) return "malformed XML: unterminated start tag" + where();
      if (b_[pos_] == '>') {
        ++pos_;
        ++depth_;
        if (local_part(name) == "Signature" && signature_depth_ == 0) signature_depth_ = depth_;
        return {};
      }
      if (starts("/>")) {
        pos_ += 2;
        return {};
      }
      const std::string_view attribute = read_name();
      if (attribute.empty())
        return "malformed XML: unexpected '" + shown(b_.substr(pos_, 1)) + "'" + where();
      if (attribute.size() > l_.name_length) return limit("name length", l_.name_length, where());
      if (++attributes > l_.attributes_per_element)
        return limit("attributes per element", l_.attributes_per_element, where());
      std::string_view value;
      if (auto why = attribute_value(where, value); !why.empty()) return why;
      if (value.size() > l_.attribute_value_length)
        return limit("attribute value length", l_.attribute_value_length,
                     " in " + shown(name) + "@" + shown(attribute) + at(open));
      if (attribute == "xmlns" || attribute.substr(0, 6) == "xmlns:") {
        if (auto why = declaration(name, attribute, value, declared, where); !why.empty())
          return why;
        declared = true;
      } else if (attribute.find(':') != std::string_view::npos && prefix_of(attribute) != "xml") {
        return "attribute in a namespace not allowed: " + shown(attribute) + where() +
               " (only xml: attributes may have a prefix)";
      }
    }
  }

  template <class Where>
  std::string attribute_value(const Where& where, std::string_view& value) {
    skip_space();
    if (pos_ >= b_.size() || b_[pos_] != '=')
      return "malformed XML: attribute without a value" + where();
    ++pos_;
    skip_space();
    if (pos_ >= b_.size() || (b_[pos_] != '"' && b_[pos_] != '\''))
      return "malformed XML: attribute value without quotes" + where();
    const auto close = b_.find(b_[pos_], pos_ + 1);
    if (close == std::string_view::npos)
      return "malformed XML: unterminated attribute value" + where();
    value = b_.substr(pos_ + 1, close - pos_ - 1);
    // libxml2 refuses '<' in a value too; refusing it here keeps both passes
    // agreeing on where every tag starts.
    if (value.find('<') != std::string_view::npos)
      return "malformed XML: '<' in an attribute value" + where();
    pos_ = close + 1;
    return {};
  }

  // Only the namespace a format needs, on the element it belongs to, binding
  // that element's own prefix, once.
  template <class Where>
  std::string declaration(std::string_view element, std::string_view attribute,
                          std::string_view value, bool declared, const Where& where) const {
    const std::string_view prefix = attribute == "xmlns" ? std::string_view() : attribute.substr(6);
    const bool own_prefix = prefix == prefix_of(element) && !iequals(prefix.substr(0, 3), "xml");
    const std::string_view local = local_part(element);
    const bool allowed =
        !declared && own_prefix &&
        ((local == "Signature" && value == dsig_namespace) ||
         (local == "CounterSignature" && signature_depth_ > 0 && value == ms_timestamp_namespace));
    if (allowed) return {};
    return "namespace declaration not allowed: " + shown(attribute) + "=\"" + shown(value) + "\"" +
           where() + " (only the XML-DSig namespace, on Signature)";
  }
};

}  // namespace

std::string check_document_limits(std::string_view bytes, const document_limits& limits) {
  return scanner(bytes, limits).run();
}

}  // namespace em::trust_detail
