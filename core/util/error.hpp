#pragma once

#include <stdexcept>
#include <string>

namespace em {

// Core code reports failures with these; actors turn them into caf::error at
// their boundary so no exception ever crosses a message handler.
class error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A setting, argument or document field that is malformed: the operator must fix it.
class invalid_input : public error {
 public:
  using error::error;
};

// The store could not be read or written.
class store_error : public error {
 public:
  using error::error;
};

}  // namespace em
