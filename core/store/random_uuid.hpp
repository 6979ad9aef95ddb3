#pragma once

#include <string>

namespace em {

// A random (version 4) UUID in its lowercase text form, from OpenSSL's CSPRNG.
// Throws em::error when the generator fails.
std::string random_uuid();

}  // namespace em
