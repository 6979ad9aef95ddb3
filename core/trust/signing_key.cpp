#include "core/trust/signing_key.hpp"

#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/objects.h>

#include "core/trust/x509_util.hpp"

namespace em::trust_detail {
namespace {

const char* const required = "(RSA 2048 bits or more, or ECDSA P-256/P-384 required)";

std::string curve_of(const EVP_PKEY* key) {
  char name[80] = {0};
  size_t size = 0;
  if (EVP_PKEY_get_group_name(key, name, sizeof name, &size) != 1) {
    ERR_clear_error();
    return "an unnamed curve";
  }
  return std::string(name, size);
}

}  // namespace

std::string check_signing_key(const X509* cert) {
  const EVP_PKEY* key = X509_get0_pubkey(cert);
  if (!key) {
    ERR_clear_error();
    return "key not allowed: the key of " + subject_of(cert) + " cannot be read";
  }
  switch (EVP_PKEY_get_base_id(key)) {
    case EVP_PKEY_RSA: {
      int bits = EVP_PKEY_get_bits(key);
      if (bits >= min_rsa_bits) return {};
      return "weak key: " + subject_of(cert) + " has a " + std::to_string(bits) + "-bit RSA key " +
             required;
    }
    case EVP_PKEY_EC: {
      std::string curve = curve_of(key);
      // OpenSSL's names of P-256 and P-384.
      if (curve == SN_X9_62_prime256v1 || curve == SN_secp384r1) return {};
      return "key not allowed: " + subject_of(cert) + " has an EC key on " + curve + " " + required;
    }
    default: {
      const char* type = OBJ_nid2sn(EVP_PKEY_get_base_id(key));
      return "key not allowed: " + subject_of(cert) + " has a " +
             (type && *type ? std::string(type) : std::string("non-RSA, non-EC")) + " key " +
             required;
    }
  }
}

}  // namespace em::trust_detail
