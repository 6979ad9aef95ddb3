#include "core/trust/structure_check.hpp"

#include <xmlsec/xmlsec.h>

#include <xmlsec/base64.h>
#include <xmlsec/strings.h>

#include <algorithm>
#include <initializer_list>

namespace em::trust_detail {
namespace {

const char* str(const xmlChar* s) {
  return reinterpret_cast<const char*>(s);
}

bool is_dsig(const xmlNode* n, const xmlChar* local) {
  return n && n->type == XML_ELEMENT_NODE && n->ns && xmlStrEqual(n->ns->href, xmlSecDSigNs) &&
         (!local || xmlStrEqual(n->name, local));
}

std::string display_name(const xmlNode* n) {
  std::string name = str(n->name);
  if (n->ns && n->ns->prefix) name = std::string(str(n->ns->prefix)) + ":" + name;
  return name;
}

std::vector<xmlNodePtr> element_children(xmlNodePtr parent) {
  std::vector<xmlNodePtr> out;
  for (xmlNodePtr c = parent->children; c; c = c->next)
    if (c->type == XML_ELEMENT_NODE) out.push_back(c);
  return out;
}

std::vector<xmlNodePtr> dsig_children(xmlNodePtr parent, const char* local) {
  std::vector<xmlNodePtr> out;
  for (xmlNodePtr c : element_children(parent))
    if (is_dsig(c, reinterpret_cast<const xmlChar*>(local))) out.push_back(c);
  return out;
}

std::string attribute(xmlNodePtr n, const char* name, bool* present = nullptr) {
  xmlChar* v = xmlGetNoNsProp(n, reinterpret_cast<const xmlChar*>(name));
  if (present) *present = v != nullptr;
  std::string out = v ? str(v) : "";
  xmlFree(v);
  return out;
}

bool one_of(const std::string& value, std::initializer_list<const xmlChar*> allowed) {
  for (const xmlChar* a : allowed)
    if (value == str(a)) return true;
  return false;
}

// Depth of the deepest element, the root being 1, walked without recursion.
int element_depth(xmlNodePtr root) {
  int depth = 1, deepest = 1;
  xmlNodePtr n = root;
  while (n) {
    xmlNodePtr child = n->children;
    while (child && child->type != XML_ELEMENT_NODE)
      child = child->next;
    if (child) {
      n = child;
      deepest = std::max(deepest, ++depth);
      continue;
    }
    while (n) {
      if (n == root) return deepest;
      xmlNodePtr next = n->next;
      while (next && next->type != XML_ELEMENT_NODE)
        next = next->next;
      if (next) {
        n = next;
        break;
      }
      n = n->parent;
      --depth;
    }
  }
  return deepest;
}

void collect_signatures(xmlNodePtr n, std::vector<xmlNodePtr>& out) {
  for (; n; n = n->next) {
    if (n->type != XML_ELEMENT_NODE) continue;
    if (is_dsig(n, xmlSecNodeSignature)) out.push_back(n);
    collect_signatures(n->children, out);  // bounded by the depth check before
  }
}

// xmlsec reads ds: attributes by local name and the structure check reads
// them in no namespace: an attribute in any namespace (x:URI, x:Algorithm)
// could be seen by one and not the other, so the Signature has none.
std::string namespaced_attribute(xmlNodePtr element) {
  if (is_dsig(element, nullptr))
    for (xmlAttrPtr a = element->properties; a; a = a->next)
      if (a->ns)
        return "attribute in a namespace not allowed: " +
               (a->ns->prefix ? std::string(str(a->ns->prefix)) + ":" : std::string()) +
               str(a->name) + " on <" + display_name(element) + ">";
  for (xmlNodePtr c = element->children; c; c = c->next)
    if (c->type == XML_ELEMENT_NODE)
      if (auto why = namespaced_attribute(c); !why.empty()) return why;  // depth-bounded
  return {};
}

std::string check_reference(xmlNodePtr reference) {
  bool has_uri = false;
  std::string uri = attribute(reference, "URI", &has_uri);
  if (!has_uri) return "Reference without URI (only URI=\"\" is accepted)";
  if (!uri.empty()) return "Reference URI \"" + uri + "\" not allowed (only URI=\"\")";

  std::vector<std::string> transforms;
  for (xmlNodePtr list : dsig_children(reference, "Transforms"))
    for (xmlNodePtr t : element_children(list))
      transforms.push_back(is_dsig(t, nullptr) && xmlStrEqual(t->name, BAD_CAST "Transform")
                               ? attribute(t, "Algorithm")
                               : "<" + display_name(t) + ">");
  bool exact = dsig_children(reference, "Transforms").size() == 1 && transforms.size() == 2 &&
               transforms[0] == str(xmlSecHrefEnveloped) && transforms[1] == str(xmlSecHrefC14N);
  if (!exact) {
    std::string got;
    for (const auto& t : transforms)
      got += (got.empty() ? "" : ", ") + t;
    return "transforms not allowed: [" + got + "] (enveloped-signature then C14N 1.0 required)";
  }
  auto digests = dsig_children(reference, "DigestMethod");
  if (digests.size() != 1) return "Reference needs exactly one DigestMethod";
  std::string digest = attribute(digests[0], "Algorithm");
  if (!one_of(digest, {xmlSecHrefSha256, xmlSecHrefSha384, xmlSecHrefSha512}))
    return "digest method not allowed: " + digest + " (SHA-256 or stronger required)";
  return {};
}

std::string check_signed_info(xmlNodePtr signed_info, signature_parts& out) {
  auto c14n = dsig_children(signed_info, "CanonicalizationMethod");
  auto methods = dsig_children(signed_info, "SignatureMethod");
  auto references = dsig_children(signed_info, "Reference");
  if (element_children(signed_info).size() != c14n.size() + methods.size() + references.size())
    return "unexpected element in SignedInfo";
  if (c14n.size() != 1 || attribute(c14n[0], "Algorithm") != str(xmlSecHrefC14N))
    return "canonicalization method not allowed: " +
           (c14n.empty() ? std::string("none") : attribute(c14n[0], "Algorithm")) +
           " (C14N 1.0 required)";
  if (methods.size() != 1) return "SignedInfo needs exactly one SignatureMethod";
  out.signature_method = attribute(methods[0], "Algorithm");
  if (!one_of(out.signature_method, {xmlSecHrefRsaSha256, xmlSecHrefRsaSha384, xmlSecHrefRsaSha512,
                                     xmlSecHrefEcdsaSha256, xmlSecHrefEcdsaSha384}))
    return "signature method not allowed: " + out.signature_method +
           " (RSA-SHA256/384/512 or ECDSA-SHA256/384 required)";
  if (references.size() != 1)
    return std::to_string(references.size()) + " References (exactly one expected)";
  return check_reference(references[0]);
}

std::string read_certificates(xmlNodePtr key_info, signature_parts& out) {
  auto x509_data = dsig_children(key_info, "X509Data");
  if (x509_data.empty())
    return "no trusted key: KeyInfo has no X509Data (a bare KeyValue is never trusted)";
  if (x509_data.size() > 1)
    return "ambiguous X509Data: " + std::to_string(x509_data.size()) + " X509Data elements";
  for (xmlNodePtr c : dsig_children(x509_data[0], "X509Certificate")) {
    if (out.certificates_der.size() == max_certificates)
      return "too many certificates in X509Data (at most " + std::to_string(max_certificates) + ")";
    xmlChar* text = xmlNodeGetContent(c);
    if (!text) return "malformed X509Certificate: empty";
    std::string der(static_cast<size_t>(xmlStrlen(text)), '\0');
    xmlSecSize written = 0;
    int rc = xmlSecBase64Decode_ex(text, reinterpret_cast<xmlSecByte*>(der.data()),
                                   static_cast<xmlSecSize>(der.size()), &written);
    xmlFree(text);
    if (rc < 0 || written == 0) return "malformed X509Certificate: not base64";
    der.resize(written);
    out.certificates_der.push_back(std::move(der));
  }
  if (out.certificates_der.empty()) return "no trusted key: X509Data has no X509Certificate";
  return {};
}

}  // namespace

std::string check_structure(xmlDocPtr doc, signature_parts& out) {
  xmlNodePtr root = xmlDocGetRootElement(doc);
  if (!root) return "malformed XML: no root element";
  if (root->ns || !xmlStrEqual(root->name, BAD_CAST "EOCS"))
    return "root element is <" + display_name(root) + ">, not EOCS";
  if (element_depth(root) > max_depth)
    return "too deep: elements nested deeper than " + std::to_string(max_depth) + " levels";

  std::vector<xmlNodePtr> signatures;
  collect_signatures(root, signatures);
  if (signatures.empty()) return "unsigned: no Signature element";
  if (signatures.size() > 1)
    return std::to_string(signatures.size()) + " Signature elements (exactly one expected)";
  out.signature = signatures[0];
  if (out.signature->parent != root) return "Signature is not a direct child of EOCS";

  if (auto why = namespaced_attribute(out.signature); !why.empty()) return why;
  auto children = element_children(out.signature);
  if (children.empty() || !is_dsig(children[0], BAD_CAST "SignedInfo"))
    return "Signature does not start with SignedInfo";
  if (children.size() < 2 || !is_dsig(children[1], BAD_CAST "SignatureValue"))
    return "Signature has no SignatureValue after SignedInfo";
  xmlNodePtr key_info = nullptr;
  for (size_t i = 2; i < children.size(); ++i) {
    if (i == 2 && is_dsig(children[i], BAD_CAST "KeyInfo")) {
      key_info = children[i];
    } else if (!is_dsig(children[i], BAD_CAST "Object")) {
      return "unexpected element <" + display_name(children[i]) + "> in Signature";
    }
  }
  if (auto why = check_signed_info(children[0], out); !why.empty()) return why;
  if (!key_info) return "no trusted key: Signature has no KeyInfo";
  return read_certificates(key_info, out);
}

}  // namespace em::trust_detail
