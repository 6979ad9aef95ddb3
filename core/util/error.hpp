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

// The store's backend could not be reached at all (SPEC 11: every etcd
// endpoint failed); what() is one line, "store unavailable: <endpoint>: <reason>".
// Nothing was changed; trying again later may succeed.
class store_unavailable : public store_error {
 public:
  using store_error::store_error;
};

}  // namespace em
