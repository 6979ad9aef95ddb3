#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/model/build_version.hpp"
#include "core/util/time_util.hpp"

namespace em {

// One <Range product= min= max=/>, both bounds inclusive and optional.
struct build_range {
  std::string product;
  std::optional<build_version> min;
  std::optional<build_version> max;

  bool contains(const std::string& server_product, const build_version& build) const;
};

// One <Action> of a Config's ActionList. `id` is <ConfigId>.<n>, n 1-based.
struct mitigation_action {
  std::string id;
  std::string type;
  std::string scope;
  std::string target;
  std::string desc;
  // The <Value> element's content as XML text, for the plugin to interpret.
  std::string value_xml;
};

// One <Config>: a mitigation such as M1 or PING1.
struct mitigation {
  std::string id;
  std::string desc;
  // false when the Config has no <Applicability>: it applies to every build.
  bool has_applicability = false;
  std::vector<build_range> ranges;
  std::vector<mitigation_action> actions;
  std::string rollback;

  bool applies_to(const std::string& product, const build_version& build) const;
};

// A Config that the schema check refused; the rest of the document still applies.
struct rejected_mitigation {
  std::string id;  // may be empty or invalid: it is what the document said
  std::string reason;
};

// The <EOCS> document, built only from verified bytes.
struct mitigation_document {
  std::string version;
  std::optional<std::uint64_t> sequence;
  std::optional<sys_time> expires;
  std::vector<mitigation> mitigations;
  std::vector<rejected_mitigation> rejected;
};

// True for IDs of 1-32 characters of [A-Za-z0-9_-].
bool is_valid_mitigation_id(const std::string& id);

// True for "<ConfigId>.<n>" with n >= 1.
bool is_valid_action_id(const std::string& id);

}  // namespace em
