#pragma once

#include <string>
#include <vector>

#include "core/model/build_version.hpp"
#include "core/model/mitigation_document.hpp"
#include "core/store/store.hpp"

namespace em {

// This server's product and build, from the configuration.
struct server_identity {
  std::string name;
  std::string product;
  std::optional<build_version> build;  // unset: only Configs without Applicability apply
};

enum class decision { apply, blocked, not_applicable, disabled };

struct action_decision {
  const mitigation* config = nullptr;
  const mitigation_action* action = nullptr;
  decision what = decision::apply;
  std::string reason;  // why it is not applied; empty for apply
};

// True when `blocked` names the action's Config (M1) or the action itself (M1.2).
bool is_blocked(const std::vector<std::string>& blocked, const std::string& config_id,
                const std::string& action_id);

// SPEC 4 step 3, in its order: organisation switch, server switch, block list,
// applicability; whatever is left is to be applied. Pure: no host or store access.
std::vector<action_decision> decide_actions(const mitigation_document& document,
                                            const org_settings& org, const server_record& server,
                                            const server_identity& identity);

}  // namespace em
