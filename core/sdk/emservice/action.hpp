#pragma once

// What a plugin is asked to act on, and what it answers (part of the EM
// Service plugin SDK: see <emservice/plugin.hpp>).

#include <string>
#include <utility>

namespace emservice {

// One action of a verified document, as the plugin sees it.
struct action {
  std::string id;      // M1.1
  std::string type;    // UrlRewrite
  std::string scope;   // Server, Site or VDir (may be empty)
  std::string target;  // Default Web Site, Default Web Site/owa (may be empty)
  std::string desc;
  std::string value_xml;  // the content of <Value> as XML text
};

// Result of validate, apply and rollback. `message` says why on failure and may
// say what was done on success; it is logged and shown to administrators.
struct outcome {
  bool ok = true;
  std::string message;

  static outcome success(std::string msg = {}) { return {true, std::move(msg)}; }
  static outcome failure(std::string msg) { return {false, std::move(msg)}; }
};

enum class check_state : int {
  in_effect,      // the mitigation is in place on this host
  not_in_effect,  // it is not (never applied, or undone by someone)
  error           // the plugin could not tell; message says why
};

struct check_result {
  check_state state = check_state::error;
  std::string message;
};

}  // namespace emservice
