#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/store/store.hpp"

namespace em {

class sqlite_connection;

// The SQL of the SQLite store, row by row. Callers hold the transaction: these
// only read and write inside it, so a multi-row change stays all or nothing.
class store_rows {
 public:
  struct server_row {
    std::int64_t id = 0;
    server_record record;
  };
  enum class list { applied, blocked };
  enum class flag { mitigations_enabled, data_collection_enabled };

  explicit store_rows(sqlite_connection& db) : db_(db) {}

  // The name is matched without regard to case, as Exchange does.
  std::optional<server_row> find_server(const std::string& name);
  // Throws em::invalid_input "unknown server 'X'".
  server_row require_server(const std::string& name);
  std::vector<server_row> all_servers();  // ordered by name

  void set_flag(std::int64_t server_id, flag f, bool value);
  void set_proxy(std::int64_t server_id, const std::string& url);
  void set_highest_sequence(std::int64_t server_id, std::uint64_t sequence,
                            const std::string& digest);
  void replace_list(list which, std::int64_t server_id, const std::vector<std::string>& ids);
  void replace_statuses(std::int64_t server_id, const std::vector<action_status>& statuses);

  // One server's, or every server's when nullopt; by server name, then action ID.
  std::vector<action_status> statuses(std::optional<std::int64_t> server_id);

  void save_document(std::int64_t server_id, const stored_document& doc);
  std::optional<stored_document> load_document(std::int64_t server_id);

  std::optional<std::string> plugin_value(std::int64_t server_id, const std::string& plugin,
                                          const std::string& key);
  void set_plugin_value(std::int64_t server_id, const std::string& plugin, const std::string& key,
                        const std::string& value);
  void erase_plugin_value(std::int64_t server_id, const std::string& plugin,
                          const std::string& key);
  std::vector<store::plugin_value> plugin_values(std::int64_t server_id);

  void add_audit(const std::string& user, const std::string& target, const std::string& setting,
                 const std::string& old_value, const std::string& new_value);
  std::vector<audit_entry> audit_log();

 private:
  std::vector<std::string> read_list(list which, std::int64_t server_id);
  std::vector<server_row> read_servers(const std::optional<std::string>& name);
  sys_time parse_time(const std::string& text, const char* column) const;

  sqlite_connection& db_;
};

}  // namespace em
