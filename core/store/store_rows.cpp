#include "core/store/store_rows.hpp"

#include "core/store/sqlite_connection.hpp"
#include "core/store/sqlite_statement.hpp"
#include "core/store/store_rules.hpp"
#include "core/util/error.hpp"

namespace em {
namespace {

constexpr const char* server_columns =
    "SELECT id, name, mitigations_enabled, data_collection_enabled, internet_web_proxy, product, "
    "build, last_check, last_result, highest_sequence, accepted_digest FROM servers";

// SQLite integers are signed; the sequence is unsigned 64-bit, so the column
// holds its bit pattern and only C++ compares it.
std::int64_t to_column(std::uint64_t v) {
  return static_cast<std::int64_t>(v);
}
std::uint64_t from_column(std::int64_t v) {
  return static_cast<std::uint64_t>(v);
}

}  // namespace

std::optional<store_rows::server_row> store_rows::find_server(const std::string& name) {
  auto rows = read_servers(name);
  if (rows.empty()) return std::nullopt;
  return std::move(rows.front());
}

store_rows::server_row store_rows::require_server(const std::string& name) {
  auto row = find_server(name);
  if (!row) throw invalid_input("unknown server '" + name + "'");
  return std::move(*row);
}

std::vector<store_rows::server_row> store_rows::all_servers() {
  return read_servers(std::nullopt);
}

std::vector<store_rows::server_row> store_rows::read_servers(
    const std::optional<std::string>& name) {
  // The name column is COLLATE NOCASE, so "= ?1" and ORDER BY ignore case.
  auto stmt =
      db_.prepare(std::string(server_columns) + (name ? " WHERE name = ?1" : " ORDER BY name"));
  if (name) stmt.bind(1, *name);
  std::vector<server_row> rows;
  while (stmt.step()) {
    server_row row;
    row.id = stmt.integer(0);
    auto& r = row.record;
    r.name = stmt.text(1);
    r.mitigations_enabled = stmt.integer(2) != 0;
    r.data_collection_enabled = stmt.integer(3) != 0;
    r.internet_web_proxy = stmt.text(4);
    r.product = stmt.text(5);
    r.build = stmt.text(6);
    if (!stmt.is_null(7)) r.last_check = parse_time(stmt.text(7), "servers.last_check");
    r.last_result = stmt.text(8);
    if (!stmt.is_null(9)) r.highest_sequence = from_column(stmt.integer(9));
    r.accepted_digest = stmt.text(10);
    rows.push_back(std::move(row));
  }
  for (auto& row : rows) {
    row.record.applied = read_list(list::applied, row.id);
    row.record.blocked = read_list(list::blocked, row.id);
  }
  return rows;
}

std::vector<std::string> store_rows::read_list(list which, std::int64_t server_id) {
  auto stmt = db_.prepare(which == list::applied ? "SELECT action_id FROM mitigations_applied "
                                                   "WHERE server_id = ?1 ORDER BY position"
                                                 : "SELECT mitigation_id FROM mitigations_blocked "
                                                   "WHERE server_id = ?1 ORDER BY position");
  stmt.bind_all(server_id);
  std::vector<std::string> ids;
  while (stmt.step())
    ids.push_back(stmt.text(0));
  return ids;
}

void store_rows::set_flag(std::int64_t server_id, flag f, bool value) {
  db_.prepare(f == flag::mitigations_enabled
                  ? "UPDATE servers SET mitigations_enabled = ?1 WHERE id = ?2"
                  : "UPDATE servers SET data_collection_enabled = ?1 WHERE id = ?2")
      .bind_all(value, server_id)
      .run();
}

void store_rows::set_proxy(std::int64_t server_id, const std::string& url) {
  db_.prepare("UPDATE servers SET internet_web_proxy = ?1 WHERE id = ?2")
      .bind_all(url, server_id)
      .run();
}

void store_rows::set_highest_sequence(std::int64_t server_id, std::uint64_t sequence,
                                      const std::string& digest) {
  db_.prepare("UPDATE servers SET highest_sequence = ?1, accepted_digest = ?2 WHERE id = ?3")
      .bind_all(to_column(sequence), digest, server_id)
      .run();
}

void store_rows::replace_list(list which, std::int64_t server_id,
                              const std::vector<std::string>& ids) {
  const bool applied = which == list::applied;
  db_.prepare(applied ? "DELETE FROM mitigations_applied WHERE server_id = ?1"
                      : "DELETE FROM mitigations_blocked WHERE server_id = ?1")
      .bind_all(server_id)
      .run();
  auto insert = db_.prepare(
      applied
          ? "INSERT INTO mitigations_applied (server_id, position, action_id) VALUES (?1, ?2, ?3)"
          : "INSERT INTO mitigations_blocked (server_id, position, mitigation_id) "
            "VALUES (?1, ?2, ?3)");
  std::int64_t position = 0;
  for (const auto& id : ids) {
    insert.bind_all(server_id, position++, id).run();
    insert.reset();
  }
}

void store_rows::replace_statuses(std::int64_t server_id,
                                  const std::vector<action_status>& statuses) {
  db_.prepare("DELETE FROM action_status WHERE server_id = ?1").bind_all(server_id).run();
  auto insert = db_.prepare(
      "INSERT INTO action_status (server_id, action_id, type, description, state, reason, "
      "updated) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
  for (const auto& s : statuses) {
    insert
        .bind_all(server_id, s.action_id, s.type, s.description, to_string(s.state), s.reason,
                  format_rfc3339_ms(s.updated))
        .run();
    insert.reset();
  }
}

std::vector<action_status> store_rows::statuses(std::optional<std::int64_t> server_id) {
  const std::string sql =
      "SELECT s.name, a.action_id, a.type, a.description, a.state, a.reason, a.updated "
      "FROM action_status a JOIN servers s ON s.id = a.server_id";
  auto stmt = db_.prepare(server_id ? sql + " WHERE a.server_id = ?1" : sql);
  if (server_id) stmt.bind(1, *server_id);
  std::vector<action_status> out;
  while (stmt.step()) {
    action_status s;
    s.server = stmt.text(0);
    s.action_id = stmt.text(1);
    s.type = stmt.text(2);
    s.description = stmt.text(3);
    const auto state_text = stmt.text(4);
    const auto state = parse_action_state(state_text);
    if (!state)
      throw store_error("store " + db_.file().string() + ": unknown action state '" + state_text +
                        "' in action_status");
    s.state = *state;
    s.reason = stmt.text(5);
    s.updated = parse_time(stmt.text(6), "action_status.updated");
    out.push_back(std::move(s));
  }
  sort_statuses(out);
  return out;
}

void store_rows::add_audit(const std::string& user, const std::string& target,
                           const std::string& setting, const std::string& old_value,
                           const std::string& new_value) {
  db_.prepare(
         "INSERT INTO admin_audit (at, user_name, target, setting, old_value, new_value) "
         "VALUES (?1, ?2, ?3, ?4, ?5, ?6)")
      .bind_all(format_rfc3339_ms(std::chrono::system_clock::now()), user, target, setting,
                old_value, new_value)
      .run();
}

std::vector<audit_entry> store_rows::audit_log() {
  auto stmt = db_.prepare(
      "SELECT id, at, user_name, target, setting, old_value, new_value FROM admin_audit "
      "ORDER BY id");
  std::vector<audit_entry> out;
  while (stmt.step()) {
    audit_entry e;
    e.id = stmt.integer(0);
    e.at = parse_time(stmt.text(1), "admin_audit.at");
    e.user = stmt.text(2);
    e.target = stmt.text(3);
    e.setting = stmt.text(4);
    e.old_value = stmt.text(5);
    e.new_value = stmt.text(6);
    out.push_back(std::move(e));
  }
  return out;
}

sys_time store_rows::parse_time(const std::string& text, const char* column) const {
  auto t = parse_rfc3339(text);
  if (!t)
    throw store_error("store " + db_.file().string() + ": bad time '" + text + "' in " + column);
  return *t;
}

}  // namespace em

namespace em {

void store_rows::save_document(std::int64_t server_id, const stored_document& doc) {
  db_.prepare(
         "INSERT INTO documents (server_id, source, etag, body, digest, fetched_at) "
         "VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (server_id) DO UPDATE SET "
         "source = excluded.source, etag = excluded.etag, body = excluded.body, "
         "digest = excluded.digest, fetched_at = excluded.fetched_at")
      .bind_all(server_id, doc.source, doc.etag, doc.bytes, doc.digest,
                format_rfc3339_ms(doc.fetched_at))
      .run();
}

std::optional<stored_document> store_rows::load_document(std::int64_t server_id) {
  auto stmt = db_.prepare(
      "SELECT source, etag, body, digest, fetched_at FROM documents WHERE server_id = ?1");
  stmt.bind_all(server_id);
  if (!stmt.step()) return std::nullopt;
  return stored_document{stmt.text(0), stmt.text(1), stmt.text(2), stmt.text(3),
                         parse_time(stmt.text(4), "documents.fetched_at")};
}

std::optional<std::string> store_rows::plugin_value(std::int64_t server_id,
                                                    const std::string& plugin,
                                                    const std::string& key) {
  auto stmt = db_.prepare(
      "SELECT value FROM plugin_state WHERE server_id = ?1 AND plugin = ?2 AND key = ?3");
  stmt.bind_all(server_id, plugin, key);
  if (!stmt.step()) return std::nullopt;
  return stmt.text(0);
}

void store_rows::set_plugin_value(std::int64_t server_id, const std::string& plugin,
                                  const std::string& key, const std::string& value) {
  db_.prepare(
         "INSERT INTO plugin_state (server_id, plugin, key, value) VALUES (?1, ?2, ?3, ?4) "
         "ON CONFLICT (server_id, plugin, key) DO UPDATE SET value = excluded.value")
      .bind_all(server_id, plugin, key, value)
      .run();
}

void store_rows::erase_plugin_value(std::int64_t server_id, const std::string& plugin,
                                    const std::string& key) {
  db_.prepare("DELETE FROM plugin_state WHERE server_id = ?1 AND plugin = ?2 AND key = ?3")
      .bind_all(server_id, plugin, key)
      .run();
}

std::vector<store::plugin_value> store_rows::plugin_values(std::int64_t server_id) {
  auto stmt = db_.prepare(
      "SELECT plugin, key, value FROM plugin_state WHERE server_id = ?1 ORDER BY plugin, key");
  stmt.bind_all(server_id);
  std::vector<store::plugin_value> out;
  while (stmt.step())
    out.push_back({stmt.text(0), stmt.text(1), stmt.text(2)});
  return out;
}

}  // namespace em
