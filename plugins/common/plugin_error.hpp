#pragma once

#include <stdexcept>

namespace emplugin {

// What the built-in plugins throw inside; each applier method turns it into a
// failed outcome whose message is this one line.
class plugin_error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace emplugin
