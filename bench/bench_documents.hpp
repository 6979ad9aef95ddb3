#pragma once

// What the benchmarks work on, made once per run: a throw-away PKI (the
// tests' scripts/make-test-pki.sh, with its CRLs), and signed EOCS documents
// of 1 and of 1,000 Configs.

#include <cstddef>
#include <filesystem>
#include <string>

namespace em::bench {

// The folder of the PKI (root.pem, ca.pem, signer.pem/key, chain.pem, root.crl, ca.crl).
const std::filesystem::path& pki();

// An unsigned EOCS document of `configs` Configs M1, M2, … (each one
// DoNothing action and an Applicability range for Exchange2019 15.2).
std::string unsigned_document(std::size_t configs);

// The same, signed by the PKI's signer (sequence 1, expiring in 30 days).
const std::string& signed_document(std::size_t configs);

// Scratch space removed at exit.
const std::filesystem::path& scratch();

}  // namespace em::bench
