#pragma once

#include <string>
#include <vector>

#include "core/store/store.hpp"

namespace em {

// The rules every store backend applies the same way, so SQLite and etcd
// answer alike (the store contract tests run against both).

// 1 to 255 printable characters; throws em::invalid_input.
void check_server_name(const std::string& name);

// Refused before anything is written, so a bad entry never half-applies:
// malformed blocked IDs, a bad proxy URL. Throws em::invalid_input.
void check_changes(const server_changes& changes);

// A cycle naming one action twice; throws em::invalid_input.
void check_cycle(const cycle_record& record);

// The first of each ID, in order.
std::vector<std::string> unique_in_order(const std::vector<std::string>& ids);

// Server names compare without regard to (ASCII) case, as in Exchange.
bool same_server_name(const std::string& a, const std::string& b);
bool server_name_less(const std::string& a, const std::string& b);

// By server name, then action ID by position (M1.2 before M1.10).
void sort_statuses(std::vector<action_status>& statuses);

// One audit row per setting whose value `changes` changes, old → new as
// Format-List shows them; `next` receives the settings after the change.
struct setting_change {
  std::string setting;
  std::string old_value;
  std::string new_value;
};
std::vector<setting_change> diff_settings(const server_record& old, const server_changes& changes,
                                          server_record& next);

}  // namespace em
