#include "core/rules/url_rewrite_rule.hpp"

namespace em::rules {

bool rule_action::blocks() const {
  switch (type) {
    case action_type::abort_request:
    case action_type::redirect:
      return true;
    case action_type::custom_response:
      return status_code >= 400;
    case action_type::none:
      return false;
  }
  return false;
}

std::string rule_action::describe() const {
  switch (type) {
    case action_type::abort_request:
      return "AbortRequest (the connection is closed without a response)";
    case action_type::custom_response: {
      std::string out = "CustomResponse " + std::to_string(status_code);
      if (sub_status_code != 0) out += "." + std::to_string(sub_status_code);
      if (!status_reason.empty()) out += " " + status_reason;
      if (!status_description.empty()) out += ": " + status_description;
      return out;
    }
    case action_type::redirect:
      return "Redirect " + std::to_string(status_code) + " to " + url +
             (append_query_string ? " (query string appended)" : "");
    case action_type::none:
      return "None";
  }
  return "None";
}

}  // namespace em::rules
