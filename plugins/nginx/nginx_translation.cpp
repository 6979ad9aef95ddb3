#include "plugins/nginx/nginx_translation.hpp"

#include <cstdint>
#include <cstdio>

namespace emnginx {
namespace {

using em::rules::action_type;
using em::rules::input_kind;

// A double-quoted nginx string whose text nginx takes literally: nginx reads
// \\ and \" back (and turns \n, \r, \t into control characters, which the
// rule model refuses anyway). For regular expressions only: nginx does not
// look for variables in them.
std::string regex_literal(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '\\' || c == '"') out += '\\';
    out += c;
  }
  return out + "\"";
}

// A double-quoted nginx string for `return`, where '$' starts a variable:
// a literal '$' is the njs variable the common file sets to "$".
std::string text_literal(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '$') {
      out += "${emservice_dollar}";
      continue;
    }
    if (c == '\\' || c == '"') out += '\\';
    out += c;
  }
  return out + "\"";
}

std::string variable_of(const em::rules::rule_input& input) {
  switch (input.kind()) {
    case input_kind::request_uri:
      return "$request_uri";
    case input_kind::decoded_request_uri:
      return "$emservice_decoded_request_uri";
    case input_kind::query_string:
      return "$args";
    case input_kind::http_host:
      return "$http_host";
    case input_kind::http_header:
      return "$http_" + input.header();
    case input_kind::request_method:
      return "$request_method";
    case input_kind::https:
      return "$emservice_https";
  }
  return "$request_uri";
}

std::string operator_of(bool negate, bool ignore_case) {
  return std::string(negate ? "!" : "") + (ignore_case ? "~*" : "~");
}

// PCRE2 syntax for a literal piece of a pattern (a virtual directory's name).
std::string regex_escape(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (std::string_view("\\^$.|?*+()[]{}/#").find(c) != std::string_view::npos) out += '\\';
    out += c;
  }
  return out;
}

std::string action_text(const em::rules::rule_action& a) {
  switch (a.type) {
    case action_type::abort_request:
      return "return 444;";
    case action_type::custom_response:
      // nginx sends its own reason phrase; the description is the body.
      return "return " + std::to_string(a.status_code) +
             (a.status_description.empty() ? std::string()
                                           : " " + text_literal(a.status_description)) +
             ";";
    case action_type::redirect: {
      std::string url = text_literal(a.url);
      if (a.append_query_string) url.insert(url.size() - 1, "$is_args$args");
      return "return " + std::to_string(a.status_code) + " " + url + ";";
    }
    case action_type::none:  // with stopProcessing: later rules of the folder are skipped
      return "set $emservice_stop \"s\";";
  }
  return "return 444;";
}

std::string fnv_hex(const std::string& text) {
  std::uint32_t h = 2166136261u;
  for (unsigned char c : text) {
    h ^= c;
    h *= 16777619u;
  }
  char buf[9];
  std::snprintf(buf, sizeof buf, "%08x", h);
  return buf;
}

}  // namespace

std::filesystem::path nginx_translation::rule_file(const std::filesystem::path& folder,
                                                   const std::string& action_id) {
  return folder / ("emservice-" + action_id + ".conf");
}

std::filesystem::path nginx_translation::common_file(const std::filesystem::path& folder) {
  // Sorts before the rule files, which read what it sets.
  return folder / "00-emservice-common.conf";
}

std::filesystem::path nginx_translation::script_file(const std::filesystem::path& folder) {
  return folder / "emservice.js";
}

std::string nginx_translation::rule_text(const em::rules::url_rewrite_rule& rule,
                                         const em::rules::rule_target& target,
                                         const std::string& action_id) {
  std::string out = "# EM Service mitigation " + action_id + ": IIS URL Rewrite rule \"" +
                    rule.name + "\" for " + target.text() + ".\n" +
                    "# Written by emsd's nginx plugin; `emctl rollback " + action_id +
                    "` removes it. Do not edit.\n";
  if (!rule.enabled) return out + "# The rule is disabled (enabled=\"false\"): nothing to do.\n";
  std::string url = "$emservice_url";
  if (target.vdir.empty()) {
    out += "set $emservice_hits $emservice_stop;\n";
  } else {
    // Requests outside the virtual directory start with "x" and never match.
    out += "set $emservice_hits \"x\";\nset $emservice_vurl \"\";\n";
    out += "if ($uri ~* " + regex_literal("(?s)^/" + regex_escape(target.vdir) + "(?:/(.*))?\\z") +
           ") { set $emservice_hits $emservice_stop; set $emservice_vurl $1; }\n";
    url = "$emservice_vurl";
  }
  out += "if (" + url + " " + operator_of(rule.match_negate, rule.match->ignore_case()) + " " +
         regex_literal(rule.match->text()) + ") { set $emservice_hits \"${emservice_hits}m\"; }\n";
  std::string all = "m";
  for (std::size_t i = 0; i < rule.conditions.size(); ++i) {
    const auto& c = rule.conditions[i];
    const std::string token = std::to_string(i + 1) + ";";
    all += token;
    out += "if (" + variable_of(c.input) + " " + operator_of(c.negate, c.compiled->ignore_case()) +
           " " + regex_literal(c.compiled->text()) + ") { set $emservice_hits \"${emservice_hits}" +
           token + "\"; }\n";
  }
  const bool any =
      rule.grouping == em::rules::logical_grouping::match_any && !rule.conditions.empty();
  if (rule.action.type == action_type::none && !rule.stop_processing)
    return out + "# Action None without stopProcessing: a match changes nothing.\n";
  out += std::string("if ($emservice_hits ") + (any ? "~ \"^m[0-9]\"" : "= \"" + all + "\"") +
         ") { " + action_text(rule.action) + " }\n";
  return out;
}

std::string nginx_translation::common_text(const std::filesystem::path& folder) {
  // One import name per folder: nginx refuses two js_import of one name in a server.
  const std::string module = "emservice_" + fnv_hex(folder.string());
  return "# EM Service: what the mitigation rules in this folder read. Written by emsd's nginx\n"
         "# plugin with the first rule and removed with the last one. Do not edit.\n"
         "# Needs the njs module (Debian: libnginx-mod-http-js).\n"
         "js_import " +
         module + " from " + script_file(folder).string() +
         ";\n"
         "js_set $emservice_decoded_request_uri " +
         module +
         ".decoded_request_uri;\n"
         "js_set $emservice_dollar " +
         module +
         ".dollar;\n"
         "set $emservice_stop \"\";\n"
         "set $emservice_url \"\";\n"
         "if ($uri ~ \"(?s)^/(.*)\") { set $emservice_url $1; }\n"
         "set $emservice_https \"off\";\n"
         "if ($https = \"on\") { set $emservice_https \"on\"; }\n";
}

std::string nginx_translation::script_text() {
  return R"(// EM Service: IIS's UrlDecode of the request URI, for the mitigation rules in
// this folder. Written by emsd's nginx plugin. Do not edit.
// Every %XX with two hex digits becomes its byte, again and again until
// nothing changes (at most 8 times), byte for byte as emctl test-request
// decodes (core/rules/request_uri.cpp): %2570 is 'p', not "%70".

function hex(c) {
    if (c >= 48 && c <= 57) {
        return c - 48;
    }
    c = c | 32;
    if (c >= 97 && c <= 102) {
        return c - 87;
    }
    return -1;
}

function decode_once(src) {
    var out = [];
    var i = 0;
    while (i < src.length) {
        if (src[i] == 37 && i + 2 < src.length) {
            var hi = hex(src[i + 1]);
            var lo = hex(src[i + 2]);
            if (hi >= 0 && lo >= 0) {
                out.push(hi * 16 + lo);
                i += 3;
                continue;
            }
        }
        out.push(src[i]);
        i += 1;
    }
    return out;
}

function decoded_request_uri(r) {
    var raw = r.rawVariables.request_uri;
    var bytes = [];
    for (var i = 0; i < raw.length; i++) {
        bytes.push(raw[i]);
    }
    for (var round = 0; round < 8; round++) {
        var next = decode_once(bytes);
        if (next.length == bytes.length) {
            break;
        }
        bytes = next;
    }
    return String.bytesFrom(bytes);
}

function dollar(r) {
    return '$';
}

export default {decoded_request_uri, dollar};
)";
}

}  // namespace emnginx
