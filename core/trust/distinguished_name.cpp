#include "core/trust/distinguished_name.hpp"

#include <openssl/err.h>
#include <openssl/objects.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <vector>

#include "core/util/error.hpp"

namespace em::trust_detail {
namespace {

struct attribute {
  std::string type;
  std::string value;
};
using rdn = std::vector<attribute>;

[[noreturn]] void fail(const std::string& text, const std::string& why) {
  throw invalid_input("distinguished name '" + text + "': " + why);
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

std::string trim(const std::string& s) {
  size_t b = s.find_first_not_of(' ');
  size_t e = s.find_last_not_of(' ');
  return b == std::string::npos ? "" : s.substr(b, e - b + 1);
}

// Splits RFC 2253 text into RDNs and attributes, undoing the escapes. Spaces
// around separators are dropped; an escaped trailing space ("\ ") is kept.
std::vector<rdn> split_rfc2253(const std::string& text) {
  std::vector<rdn> out(1);
  std::string type, value;
  bool in_value = false, quoted = false;
  size_t kept = 0;  // length of value that must survive trimming (ends in an escape)
  auto finish_attribute = [&]() {
    size_t end = value.size();
    while (end > kept && value[end - 1] == ' ')
      --end;
    std::string v = value.substr(0, end);
    if (!in_value) fail(text, "'" + trim(type) + "' has no '='");
    if (trim(type).empty()) fail(text, "an attribute has no type");
    out.back().push_back({trim(type), v});
    type.clear();
    value.clear();
    in_value = false;
    kept = 0;
  };
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (quoted) {
      if (c == '"') {
        quoted = false;
        kept = value.size();
      } else if (c == '\\' && i + 1 < text.size()) {
        value += text[++i];
      } else {
        value += c;
      }
      continue;
    }
    if (c == '\\') {
      if (i + 1 >= text.size()) fail(text, "it ends with a lone '\\'");
      int hi = hex_value(text[i + 1]);
      int lo = i + 2 < text.size() ? hex_value(text[i + 2]) : -1;
      char decoded;
      if (hi >= 0 && lo >= 0) {
        decoded = static_cast<char>(hi * 16 + lo);
        i += 2;
      } else {
        decoded = text[++i];
      }
      (in_value ? value : type) += decoded;
      if (in_value) kept = value.size();
      continue;
    }
    if (!in_value && c == '=') {
      in_value = true;
      continue;
    }
    if (c == ',' || c == ';' || c == '+') {
      finish_attribute();
      if (c != '+') out.emplace_back();
      continue;
    }
    if (in_value) {
      if (c == '"' && trim(value).empty()) {
        quoted = true;
        value.clear();
        continue;
      }
      if (c == '#' && trim(value).empty()) fail(text, "hex-encoded (#) values are not supported");
      if (value.empty() && c == ' ') continue;  // leading spaces are not part of the value
      value += c;
    } else {
      type += c;
    }
  }
  if (quoted) fail(text, "unterminated quoted value");
  finish_attribute();
  return out;
}

// Most general first, "/" between RDNs; used by openssl x509 -subject and xmlsec.
std::vector<rdn> split_oneline(const std::string& text) {
  std::vector<rdn> out;
  std::string part;
  auto flush = [&]() {
    if (part.empty()) return;
    size_t eq = part.find('=');
    if (eq == std::string::npos) fail(text, "'" + part + "' has no '='");
    out.push_back({{trim(part.substr(0, eq)), trim(part.substr(eq + 1))}});
    part.clear();
  };
  for (size_t i = 1; i < text.size(); ++i) {
    if (text[i] == '\\' && i + 1 < text.size()) {
      part += text[++i];
    } else if (text[i] == '/') {
      flush();
    } else {
      part += text[i];
    }
  }
  flush();
  return out;
}

int nid_of(const std::string& text, const std::string& type) {
  static const std::map<std::string, int> aliases = {
      {"CN", NID_commonName},
      {"C", NID_countryName},
      {"L", NID_localityName},
      {"ST", NID_stateOrProvinceName},
      {"S", NID_stateOrProvinceName},
      {"O", NID_organizationName},
      {"OU", NID_organizationalUnitName},
      {"DC", NID_domainComponent},
      {"UID", NID_userId},
      {"STREET", NID_streetAddress},
      {"SERIALNUMBER", NID_serialNumber},
      {"E", NID_pkcs9_emailAddress},
      {"EMAIL", NID_pkcs9_emailAddress},
      {"EMAILADDRESS", NID_pkcs9_emailAddress},
      {"T", NID_title},
      {"TITLE", NID_title},
  };
  std::string upper;
  for (char c : type)
    upper += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (auto it = aliases.find(upper); it != aliases.end()) return it->second;
  if (upper.rfind("OID.", 0) == 0) return nid_of(text, type.substr(4));
  int nid = OBJ_txt2nid(type.c_str());
  if (nid == NID_undef) fail(text, "unknown attribute type '" + type + "'");
  return nid;
}

}  // namespace

x509_name_ptr parse_distinguished_name(const std::string& text) {
  if (trim(text).empty()) fail(text, "it is empty");
  bool oneline = text.front() == '/';
  std::vector<rdn> rdns = oneline ? split_oneline(text) : split_rfc2253(text);
  // X509_NAME holds RDNs most general first; RFC 2253 text lists them the other way round.
  if (!oneline) std::reverse(rdns.begin(), rdns.end());
  x509_name_ptr name(X509_NAME_new());
  if (!name) throw error("out of memory parsing a distinguished name");
  for (const rdn& r : rdns) {
    if (r.empty()) fail(text, "empty RDN");
    for (size_t i = 0; i < r.size(); ++i) {
      const attribute& a = r[i];
      if (a.value.empty()) fail(text, "'" + a.type + "' has an empty value");
      int nid = nid_of(text, a.type);
      const auto* bytes = reinterpret_cast<const unsigned char*>(a.value.data());
      // set 0 starts a new RDN; -1 adds to the previous one (multi-valued "+").
      if (X509_NAME_add_entry_by_NID(name.get(), nid, MBSTRING_UTF8, bytes,
                                     static_cast<int>(a.value.size()), -1, i == 0 ? 0 : -1) != 1) {
        ERR_clear_error();
        fail(text, "bad value for '" + a.type + "'");
      }
    }
  }
  return name;
}

}  // namespace em::trust_detail
