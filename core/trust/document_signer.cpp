#include "core/trust/document_signer.hpp"

#include <xmlsec/xmlsec.h>

#include <libxml/c14n.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <xmlsec/openssl/crypto.h>
#include <xmlsec/openssl/evp.h>
#include <xmlsec/openssl/x509.h>
#include <xmlsec/templates.h>
#include <xmlsec/transforms.h>

#include "core/model/document_parser.hpp"
#include "core/trust/error_capture.hpp"
#include "core/trust/signing_key.hpp"
#include "core/trust/structure_check.hpp"
#include "core/trust/untrusted_xml.hpp"
#include "core/trust/x509_util.hpp"
#include "core/trust/xmlsec_key.hpp"
#include "core/trust/xmlsec_runtime.hpp"
#include "core/util/error.hpp"
#include "core/util/file_util.hpp"

namespace em {

using namespace trust_detail;

namespace {

constexpr std::size_t max_pem_file = 4 * 1024 * 1024;

std::string read_input(const std::filesystem::path& file, const char* what) {
  try {
    return read_file(file, max_pem_file);
  } catch (const error& e) {
    throw invalid_input(std::string(what) + " " + file.string() + " cannot be read: " + e.what());
  }
}

// Never prompt on the terminal for a passphrase: an encrypted key is refused.
int no_passphrase(char*, int, int, void*) {
  return 0;
}

evp_pkey_ptr load_key(const std::filesystem::path& file) {
  std::string pem = read_input(file, "key");
  bio_ptr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  evp_pkey_ptr key(bio ? PEM_read_bio_PrivateKey(bio.get(), nullptr, &no_passphrase, nullptr)
                       : nullptr);
  ERR_clear_error();
  if (!key) throw invalid_input("key " + file.string() + " is not an unencrypted PEM private key");
  return key;
}

std::vector<x509_ptr> load_certificates(const std::filesystem::path& file, const char* what) {
  auto certs = parse_certificates(read_input(file, what));
  if (certs.empty())
    throw invalid_input(std::string(what) + " " + file.string() + " holds no certificate");
  return certs;
}

// What the verifier would refuse about the signer whatever the servers trust:
// a key SPEC 2 does not allow, a certificate outside its validity now.
void refuse_unusable_signer(const X509* signer) {
  if (auto why = check_signing_key(signer); !why.empty())
    throw invalid_input("refusing to sign: " + why);
  auto* cert = const_cast<X509*>(signer);  // X509_cmp_current_time only reads it
  if (X509_cmp_current_time(X509_get0_notAfter(cert)) <= 0)
    throw invalid_input("refusing to sign: certificate " + subject_of(signer) +
                        " has expired (notAfter " + rfc3339(X509_get0_notAfter(cert)) + ")");
  if (X509_cmp_current_time(X509_get0_notBefore(cert)) >= 0)
    throw invalid_input("refusing to sign: certificate " + subject_of(signer) +
                        " is not yet valid (notBefore " + rfc3339(X509_get0_notBefore(cert)) + ")");
}

// The model the verifier will build, from the same canonical bytes it will
// digest (the enveloped signature is not part of them): a document-level
// error, an invalid Config or a past expires would be rejected by every server.
void refuse_invalid_model(xmlDocPtr doc) {
  xmlChar* c14n = nullptr;
  int size = xmlC14NDocDumpMemory(doc, nullptr, XML_C14N_1_0, nullptr, 0, &c14n);
  if (size < 0 || !c14n) throw error("cannot canonicalize the input");
  std::string canonical(reinterpret_cast<const char*>(c14n), static_cast<std::size_t>(size));
  xmlFree(c14n);
  mitigation_document model;
  try {
    model = parse_mitigation_document(canonical);
  } catch (const invalid_input& e) {
    throw invalid_input(std::string("refusing to sign: ") + e.what());
  }
  if (!model.rejected.empty()) {
    const auto& first = model.rejected.front();
    std::string more = model.rejected.size() > 1
                           ? " (and " + std::to_string(model.rejected.size() - 1) + " more)"
                           : std::string();
    throw invalid_input("refusing to sign: invalid Config '" + first.id + "': " + first.reason +
                        more);
  }
  if (model.expires && *model.expires <= std::chrono::system_clock::now())
    throw invalid_input("refusing to sign: the document expired at " +
                        format_rfc3339(*model.expires));
}

xmlNodePtr find_signature(xmlNodePtr n) {
  for (; n; n = n->next) {
    if (n->type != XML_ELEMENT_NODE) continue;
    if (xmlStrEqual(n->name, BAD_CAST "Signature")) return n;
    if (xmlNodePtr inner = find_signature(n->children)) return inner;
  }
  return nullptr;
}

xmlNodePtr checked_root(xmlDocPtr doc) {
  xmlNodePtr root = xmlDocGetRootElement(doc);
  if (!root || root->ns || !xmlStrEqual(root->name, BAD_CAST "EOCS"))
    throw invalid_input(std::string("input is not an EOCS document (root element <") +
                        (root ? reinterpret_cast<const char*>(root->name) : "none") + ">)");
  if (find_signature(root))
    throw invalid_input("input is already signed (it has a Signature element)");
  return root;
}

void set_freshness(xmlNodePtr root, const signing_request& request) {
  if (request.sequence)
    xmlSetProp(root, BAD_CAST "sequence", BAD_CAST std::to_string(*request.sequence).c_str());
  if (request.expires)
    xmlSetProp(root, BAD_CAST "expires", BAD_CAST format_rfc3339(*request.expires).c_str());
}

// Enveloped signature over the whole document (SPEC 2), certificates in KeyInfo/X509Data.
xmlNodePtr add_template(xmlDocPtr doc, xmlNodePtr root, xmlSecTransformId sign_method) {
  xmlNodePtr sig = xmlSecTmplSignatureCreate(doc, xmlSecTransformInclC14NId, sign_method, nullptr);
  if (!sig) return nullptr;
  xmlAddChild(root, sig);
  xmlAddChild(root, xmlNewText(BAD_CAST "\n"));
  xmlNodePtr ref = xmlSecTmplSignatureAddReference(sig, xmlSecOpenSSLTransformSha256Id, nullptr,
                                                   BAD_CAST "", nullptr);
  if (!ref || !xmlSecTmplReferenceAddTransform(ref, xmlSecTransformEnvelopedId) ||
      !xmlSecTmplReferenceAddTransform(ref, xmlSecTransformInclC14NId))
    return nullptr;
  xmlNodePtr key_info = xmlSecTmplSignatureEnsureKeyInfo(sig, nullptr);
  xmlNodePtr x509_data = key_info ? xmlSecTmplKeyInfoAddX509Data(key_info) : nullptr;
  if (!x509_data || !xmlSecTmplX509DataAddCertificate(x509_data)) return nullptr;
  return sig;
}

// The signing key, carrying the signer's certificate and the chain for KeyInfo.
xmlsec_key_ptr make_key(evp_pkey_ptr pkey, X509* signer, const std::vector<x509_ptr>& chain) {
  xmlSecKeyDataPtr value = xmlSecOpenSSLEvpKeyAdopt(pkey.get());
  if (!value) return nullptr;
  pkey.release();
  std::vector<X509*> certs{signer};
  for (const auto& c : chain)
    certs.push_back(c.get());
  return make_x509_key(value, signer, certs);
}

std::string serialize(xmlDocPtr doc) {
  xmlChar* mem = nullptr;
  int size = 0;
  xmlDocDumpMemoryEnc(doc, &mem, &size, "UTF-8");
  if (!mem) throw error("cannot serialize the signed document");
  std::string out(reinterpret_cast<const char*>(mem), static_cast<std::size_t>(size));
  xmlFree(mem);
  return out;
}

}  // namespace

std::string sign_document(std::string_view unsigned_xml, const signing_request& request) {
  xmlsec_runtime::ensure();
  error_capture capture;

  evp_pkey_ptr pkey = load_key(request.key_file);
  auto certs = load_certificates(request.cert_file, "certificate");
  x509_ptr signer = std::move(certs.front());
  std::vector<x509_ptr> chain;
  for (std::size_t i = 1; i < certs.size(); ++i)
    chain.push_back(std::move(certs[i]));
  for (const auto& file : request.chain_files)
    for (auto& c : load_certificates(file, "chain file"))
      chain.push_back(std::move(c));
  if (EVP_PKEY_eq(X509_get0_pubkey(signer.get()), pkey.get()) != 1) {
    ERR_clear_error();
    throw invalid_input("key " + request.key_file.string() + " does not match certificate " +
                        request.cert_file.string() + " (" + subject_of(signer.get()) + ")");
  }
  xmlSecTransformId sign_method = nullptr;
  switch (EVP_PKEY_get_base_id(pkey.get())) {
    case EVP_PKEY_RSA:
      sign_method = xmlSecOpenSSLTransformRsaSha256Id;
      break;
    case EVP_PKEY_EC:
      sign_method = xmlSecOpenSSLTransformEcdsaSha256Id;
      break;
    default:
      throw invalid_input("key " + request.key_file.string() +
                          " is neither RSA nor EC; only those can sign a document");
  }
  refuse_unusable_signer(signer.get());

  parsed_xml parsed = parse_untrusted_xml(unsigned_xml);
  if (!parsed.doc) throw invalid_input("input: " + parsed.reason);
  xmlNodePtr root = checked_root(parsed.doc.get());
  set_freshness(root, request);
  refuse_invalid_model(parsed.doc.get());

  xmlNodePtr sig = add_template(parsed.doc.get(), root, sign_method);
  if (!sig) throw error("cannot build the signature template: " + capture.summary());
  xmlsec_key_ptr key = make_key(std::move(pkey), signer.get(), chain);
  if (!key) throw error("cannot prepare the signing key: " + capture.summary());
  dsig_ctx_ptr ctx(xmlSecDSigCtxCreate(nullptr));
  if (!ctx) throw error("cannot create the signature context: " + capture.summary());
  ctx->signKey = key.release();
  if (xmlSecDSigCtxSign(ctx.get(), sig) < 0) throw error("signing failed: " + capture.summary());
  // The shape the verifier checks first (nesting depth with the signature in, …).
  signature_parts parts;
  if (auto why = check_structure(parsed.doc.get(), parts); !why.empty())
    throw invalid_input("refusing to sign: " + why);
  return serialize(parsed.doc.get());
}

}  // namespace em
