#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/trust/document_signer.hpp"
#include "core/trust/document_verifier.hpp"
#include "core/trust/trust_settings.hpp"
#include "core/util/time_util.hpp"

namespace em::test {

// An unsigned EOCS with two Configs: PING1 (DoNothing) and M1 (UrlRewrite with
// an Applicability of two ranges).
extern const char* const unsigned_eocs;

// The test PKI's file `name` (root.pem, signer.key, …).
std::filesystem::path pki_file(const std::string& name);

// Signs `xml` with em::sign_document and a signer of the test PKI ("signer" or
// "ec-signer", or any <name>.key/<name>.pem pair), embedding chain.pem.
std::string sign_with(const std::string& xml, const std::string& signer = "signer",
                      std::optional<std::uint64_t> sequence = 42,
                      std::optional<sys_time> expires = std::nullopt);

// Trust in the test root alone, as SPEC 3 would configure it: codeSigning,
// revocation required, with the test PKI's (empty) CRLs of root and ca.
trust_settings test_trust();

verification verify_now(const std::string& xml, const trust_settings& settings = test_trust());

// `text` with the first `from` replaced by `to`; fails the test when `from` is absent.
std::string replace_once(std::string text, const std::string& from, const std::string& to);

// The base64 body of a PEM certificate file, as it would sit in an X509Certificate.
std::string pem_body(const std::filesystem::path& pem);

sys_time time_at(const std::string& rfc3339);

}  // namespace em::test
