#include "tests/core/trust/corpus/corpus_templates.hpp"

#include <stdexcept>

#include "core/util/base64.hpp"
#include "tests/support/run_command.hpp"
#include "tests/support/temp_dir.hpp"

namespace em::test::corpus {

const char* const c14n = "http://www.w3.org/TR/2001/REC-xml-c14n-20010315";
const char* const exc_c14n = "http://www.w3.org/2001/10/xml-exc-c14n#";
const char* const c14n_comments = "http://www.w3.org/TR/2001/REC-xml-c14n-20010315#WithComments";
const char* const enveloped = "http://www.w3.org/2000/09/xmldsig#enveloped-signature";
const char* const xpath = "http://www.w3.org/TR/1999/REC-xpath-19991116";
const char* const sha1 = "http://www.w3.org/2000/09/xmldsig#sha1";
const char* const sha256 = "http://www.w3.org/2001/04/xmlenc#sha256";
const char* const sha512 = "http://www.w3.org/2001/04/xmlenc#sha512";
const char* const rsa_sha1 = "http://www.w3.org/2000/09/xmldsig#rsa-sha1";
const char* const rsa_sha256 = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256";
const char* const rsa_sha512 = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha512";
const char* const ecdsa_sha256 = "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256";
const char* const ecdsa_sha384 = "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha384";

const char* const default_body =
    R"(  <Config id="PING1" desc="EEMS Heartbeat probe. Does not modify any exchange settings.">
    <ActionList>
      <Action type="DoNothing" scope="Server" desc="Ping mitigation action.">
        <Value>DoNothing</Value>
      </Action>
    </ActionList>
  </Config>
  <Config id="M1" desc="Mitigation of CVE-2022-41040 via URL Rewrite configuration">
    <Applicability>
      <Range product="Exchange2019" min="15.2.221.12" max="15.2.986.30"/>
      <Range product="Exchange2019" min="15.2.1118.0" max="15.2.1118.15"/>
    </Applicability>
    <ActionList>
      <Action type="UrlRewrite" scope="Site" target="Default Web Site" desc="Block autodiscover PowerShell requests">
        <Value><rule name="EEMS M1.1 PowerShell - inbound" stopProcessing="true"><match url=".*"/><action type="AbortRequest"/></rule></Value>
      </Action>
    </ActionList>
    <Rollback>Remove the rule.</Rollback>
  </Config>
)";

std::string signature_template::transform(const std::string& algorithm) {
  if (algorithm == xpath)
    return "<Transform Algorithm=\"" + algorithm +
           "\"><XPath>not(ancestor-or-self::Config[@id='M1'])</XPath></Transform>";
  return "<Transform Algorithm=\"" + algorithm + "\"/>";
}

std::string signature_template::xml() const {
  std::string reference = "<Reference URI=\"\"><Transforms>";
  for (const auto& t : transforms)
    reference += t;
  reference +=
      "</Transforms><DigestMethod Algorithm=\"" + digest + "\"/><DigestValue/></Reference>";
  std::string out =
      "<Signature xmlns=\"http://www.w3.org/2000/09/xmldsig#\"><SignedInfo>"
      "<CanonicalizationMethod Algorithm=\"" +
      c14n_method + "\"/><SignatureMethod Algorithm=\"" + method + "\"/>";
  for (int i = 0; i < references; ++i)
    out += reference;
  return out + "</SignedInfo><SignatureValue/>" + key_info + "</Signature>";
}

std::string eocs(const std::string& body, const std::string& attributes,
                 const std::string& signature, bool at_end) {
  std::string doc =
      "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<EOCS version=\"1.0.4\" "
      "sequence=\"1\"" +
      (attributes.empty() ? "" : " " + attributes) + ">\n" + body;
  if (at_end) return doc + signature + "\n</EOCS>\n";
  return replaced(doc, "</Config>", signature + "</Config>") + "</EOCS>\n";
}

std::filesystem::path xmlsec1_sign(const std::string& template_xml,
                                   const std::vector<std::filesystem::path>& keys,
                                   const std::filesystem::path& out) {
  auto in = out.string() + ".template";
  write_text(in, template_xml);
  std::string list;
  for (const auto& k : keys)
    list += (list.empty() ? "" : ",") + k.string();
  auto r = run_command({"xmlsec1", "--sign", "--privkey-pem", list, "--output", out.string(), in});
  if (r.exit_code != 0)
    throw std::runtime_error("xmlsec1 --sign " + out.filename().string() + " failed: " + r.err);
  return out;
}

std::string replaced(std::string text, const std::string& from, const std::string& to) {
  auto pos = text.find(from);
  if (pos == std::string::npos) throw std::runtime_error("corpus: '" + from + "' not found");
  return text.replace(pos, from.size(), to);
}

std::string pem_base64(const std::filesystem::path& pem) {
  std::string text = read_text(pem), body;
  auto begin = text.find('\n', text.find("-----BEGIN CERTIFICATE-----"));
  auto end = text.find("-----END CERTIFICATE-----");
  if (begin == std::string::npos || end == std::string::npos)
    throw std::runtime_error("corpus: no certificate in " + pem.string());
  for (char c : text.substr(begin, end - begin))
    if (c != '\n' && c != '\r') body += c;
  return body;
}

std::string base64(const std::string& bytes) {
  return em::to_base64(bytes);
}

}  // namespace em::test::corpus
