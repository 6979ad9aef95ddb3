#include "core/store/sqlite_store.hpp"

#include <chrono>
#include <mutex>

#include "core/store/server_settings.hpp"
#include "core/store/sqlite_connection.hpp"
#include "core/store/sqlite_schema.hpp"
#include "core/store/sqlite_statement.hpp"
#include "core/store/sqlite_transaction.hpp"
#include "core/store/store_rows.hpp"
#include "core/store/store_rules.hpp"
#include "core/util/error.hpp"

namespace em {
namespace {

// Long enough for another emsd's cycle or an emctl change to finish; short
// enough that a stuck holder shows up as an error rather than a hang.
constexpr std::chrono::milliseconds busy_timeout{10'000};

constexpr const char* organization_target = "Organization";

std::filesystem::path prepared_path(const std::filesystem::path& file) {
  if (file.empty()) throw store_error("store: no file given (store.path)");
  const auto folder = file.parent_path();
  std::error_code ec;
  if (!folder.empty()) std::filesystem::create_directories(folder, ec);
  if (ec)
    throw store_error("store " + file.string() + ": cannot create its folder: " + ec.message());
  return file;
}

class sqlite_store final : public store {
 public:
  explicit sqlite_store(const std::filesystem::path& file)
      : db_(prepared_path(file), busy_timeout), rows_(db_) {
    migrate_sqlite_schema(db_);
  }

  org_settings get_org() override {
    std::lock_guard lock(mutex_);
    auto stmt =
        db_.prepare("SELECT organization_id, mitigations_enabled FROM organization WHERE id = 1");
    if (!stmt.step()) throw store_error("store " + db_.file().string() + ": no organisation row");
    return org_settings{stmt.text(0), stmt.integer(1) != 0};
  }

  void set_org_mitigations_enabled(bool enabled, const std::string& user) override {
    std::lock_guard lock(mutex_);
    sqlite_transaction tx(db_, sqlite_transaction::mode::write);
    auto stmt = db_.prepare("SELECT mitigations_enabled FROM organization WHERE id = 1");
    if (!stmt.step()) throw store_error("store " + db_.file().string() + ": no organisation row");
    const bool old = stmt.integer(0) != 0;
    if (old == enabled) return;  // nothing changed: no audit row
    db_.prepare("UPDATE organization SET mitigations_enabled = ?1 WHERE id = 1")
        .bind_all(enabled)
        .run();
    rows_.add_audit(user, organization_target, "MitigationsEnabled", setting_text(old),
                    setting_text(enabled));
    tx.commit();
  }

  void register_server(const std::string& name, const std::string& product,
                       const std::string& build) override {
    check_server_name(name);
    std::lock_guard lock(mutex_);
    sqlite_transaction tx(db_, sqlite_transaction::mode::write);
    // The name keeps the case it was first registered with.
    db_.prepare(
           "INSERT INTO servers (name, product, build) VALUES (?1, ?2, ?3) "
           "ON CONFLICT (name) DO UPDATE SET product = excluded.product, build = excluded.build")
        .bind_all(name, product, build)
        .run();
    tx.commit();
  }

  std::optional<server_record> find_server(const std::string& name) override {
    std::lock_guard lock(mutex_);
    sqlite_transaction tx(db_, sqlite_transaction::mode::read);
    auto row = rows_.find_server(name);
    if (!row) return std::nullopt;
    return std::move(row->record);
  }

  std::vector<server_record> list_servers() override {
    std::lock_guard lock(mutex_);
    sqlite_transaction tx(db_, sqlite_transaction::mode::read);
    std::vector<server_record> servers;
    for (auto& row : rows_.all_servers())
      servers.push_back(std::move(row.record));
    return servers;
  }

  void update_server(const std::string& name, const server_changes& changes,
                     const std::string& user) override {
    check_changes(changes);
    std::lock_guard lock(mutex_);
    sqlite_transaction tx(db_, sqlite_transaction::mode::write);
    const auto row = rows_.require_server(name);
    server_record next;
    const auto diff = diff_settings(row.record, changes, next);
    for (const auto& change : diff) {
      if (change.setting == "MitigationsEnabled")
        rows_.set_flag(row.id, store_rows::flag::mitigations_enabled, next.mitigations_enabled);
      else if (change.setting == "MitigationsBlocked")
        rows_.replace_list(store_rows::list::blocked, row.id, next.blocked);
      else if (change.setting == "DataCollectionEnabled")
        rows_.set_flag(row.id, store_rows::flag::data_collection_enabled,
                       next.data_collection_enabled);
      else
        rows_.set_proxy(row.id, next.internet_web_proxy);
      rows_.add_audit(user, row.record.name, change.setting, change.old_value, change.new_value);
    }
    tx.commit();
  }

  void record_cycle(const std::string& name, const cycle_record& record) override {
    check_cycle(record);
    std::lock_guard lock(mutex_);
    sqlite_transaction tx(db_, sqlite_transaction::mode::write);
    const auto row = rows_.require_server(name);
    rows_.replace_list(store_rows::list::applied, row.id, unique_in_order(record.applied));
    rows_.replace_statuses(row.id, record.statuses);
    db_.prepare("UPDATE servers SET last_check = ?1, last_result = ?2 WHERE id = ?3")
        .bind_all(format_rfc3339_ms(record.checked_at), record.result, row.id)
        .run();
    // Only upward: a lower sequence is a rollback the verifier refuses, and
    // recording it would reopen the door to replaying older documents.
    const auto& stored = row.record.highest_sequence;
    if (record.accepted_sequence && (!stored || *record.accepted_sequence > *stored))
      rows_.set_highest_sequence(row.id, *record.accepted_sequence, record.accepted_digest);
    if (record.document) rows_.save_document(row.id, *record.document);
    tx.commit();
  }

  std::vector<action_status> action_statuses(const std::string& server) override {
    std::lock_guard lock(mutex_);
    sqlite_transaction tx(db_, sqlite_transaction::mode::read);
    if (server.empty()) return rows_.statuses(std::nullopt);
    return rows_.statuses(rows_.require_server(server).id);
  }

  std::vector<audit_entry> audit_log() override {
    std::lock_guard lock(mutex_);
    return rows_.audit_log();
  }

  void append_audit(const std::string& user, const std::string& target, const std::string& setting,
                    const std::string& old_value, const std::string& new_value) override {
    std::lock_guard lock(mutex_);
    sqlite_transaction tx(db_, sqlite_transaction::mode::write);
    rows_.add_audit(user, target, setting, old_value, new_value);
    tx.commit();
  }

  std::optional<stored_document> load_document(const std::string& server) override {
    std::lock_guard lock(mutex_);
    sqlite_transaction tx(db_, sqlite_transaction::mode::read);
    return rows_.load_document(rows_.require_server(server).id);
  }

  std::optional<std::string> get_plugin_value(const std::string& server, const std::string& plugin,
                                              const std::string& key) override {
    std::lock_guard lock(mutex_);
    sqlite_transaction tx(db_, sqlite_transaction::mode::read);
    return rows_.plugin_value(rows_.require_server(server).id, plugin, key);
  }

  void set_plugin_value(const std::string& server, const std::string& plugin,
                        const std::string& key, const std::string& value) override {
    std::lock_guard lock(mutex_);
    sqlite_transaction tx(db_, sqlite_transaction::mode::write);
    rows_.set_plugin_value(rows_.require_server(server).id, plugin, key, value);
    tx.commit();
  }

  void erase_plugin_value(const std::string& server, const std::string& plugin,
                          const std::string& key) override {
    std::lock_guard lock(mutex_);
    sqlite_transaction tx(db_, sqlite_transaction::mode::write);
    rows_.erase_plugin_value(rows_.require_server(server).id, plugin, key);
    tx.commit();
  }

  std::vector<plugin_value> plugin_values(const std::string& server) override {
    std::lock_guard lock(mutex_);
    sqlite_transaction tx(db_, sqlite_transaction::mode::read);
    return rows_.plugin_values(rows_.require_server(server).id);
  }

  // Every server's highest sequence is in the one file: the floor is the
  // highest of them, with that server's document.
  std::optional<sequence_floor> organization_sequence_floor() override {
    std::lock_guard lock(mutex_);
    sqlite_transaction tx(db_, sqlite_transaction::mode::read);
    std::optional<sequence_floor> best;
    for (auto& row : rows_.all_servers()) {
      const auto& r = row.record;
      if (!r.highest_sequence || (best && *r.highest_sequence <= best->sequence)) continue;
      best = sequence_floor{r.name, *r.highest_sequence, r.accepted_digest,
                            rows_.load_document(row.id)};
    }
    return best;
  }

 private:
  // One connection per store object; the mutex keeps one thread's transaction
  // from interleaving with another's on it.
  std::mutex mutex_;
  sqlite_connection db_;
  store_rows rows_;
};

}  // namespace

std::unique_ptr<store> open_sqlite_store(const std::filesystem::path& file) {
  return std::make_unique<sqlite_store>(file);
}

}  // namespace em
