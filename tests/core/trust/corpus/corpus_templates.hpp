#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace em::test::corpus {

// Algorithm URIs of XML Signature.
extern const char* const c14n;
extern const char* const exc_c14n;
extern const char* const c14n_comments;
extern const char* const enveloped;
extern const char* const xpath;
extern const char* const sha1;
extern const char* const sha256;
extern const char* const sha512;
extern const char* const rsa_sha1;
extern const char* const rsa_sha256;
extern const char* const rsa_sha512;
extern const char* const ecdsa_sha256;
extern const char* const ecdsa_sha384;

// Two Configs, PING1 (DoNothing) and M1 (UrlRewrite with two ranges): actions PING1.1, M1.1.
extern const char* const default_body;

// An xmlsec1 signature template: what is signed how, before xmlsec1 fills it in.
struct signature_template {
  std::string c14n_method = c14n;
  std::string method = rsa_sha256;
  std::string digest = sha256;
  std::vector<std::string> transforms{transform(enveloped), transform(c14n)};
  int references = 1;
  std::string key_info = "<KeyInfo><X509Data/></KeyInfo>";

  static std::string transform(const std::string& algorithm);
  std::string xml() const;
};

// An unsigned EOCS document: `attributes` go after version and sequence,
// `body` holds the Configs, `signature` (a template) goes where `at_end` says:
// before </EOCS>, or else just before the first </Config>.
std::string eocs(const std::string& body = default_body, const std::string& attributes = "",
                 const std::string& signature = signature_template().xml(), bool at_end = true);

// Signs `template_xml` with the xmlsec1 tool: `keys` are the private key then
// the certificates to put in X509Data (signer first). Writes and returns `out`.
std::filesystem::path xmlsec1_sign(const std::string& template_xml,
                                   const std::vector<std::filesystem::path>& keys,
                                   const std::filesystem::path& out);

// `text` with the first `from` replaced by `to`; throws when `from` is absent.
std::string replaced(std::string text, const std::string& from, const std::string& to);

// The base64 body of a PEM certificate, as it sits in an X509Certificate.
std::string pem_base64(const std::filesystem::path& pem);

// `bytes` in base64, on one line.
std::string base64(const std::string& bytes);

}  // namespace em::test::corpus
