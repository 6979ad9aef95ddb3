#include "core/plugin/plugin_registry.hpp"

#include <dlfcn.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <map>
#include <optional>
#include <system_error>
#include <utility>

#include <boost/dll/shared_library.hpp>

#include "core/plugin/descriptor_check.hpp"
#include "core/plugin/elf_precheck.hpp"
#include "core/plugin/loaded_plugin.hpp"
#include "core/plugin/plugin_boundary.hpp"
#include "core/util/error.hpp"

namespace em {
namespace {

std::string octal_mode(mode_t mode) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%04o", static_cast<unsigned>(mode & 07777));
  return buf;
}

// Checked before the file is loaded: dlopen runs the library's constructors,
// so loading a file an unprivileged user could have written is already running
// their code as the service. Gives the file's fingerprint when it may load.
std::optional<std::string> refuse_by_file_status(const std::filesystem::path& file,
                                                 std::string& fingerprint) {
  struct stat st {};
  if (::stat(file.c_str(), &st) != 0) return std::string("cannot stat: ") + std::strerror(errno);
  if (!S_ISREG(st.st_mode)) return std::string("not a regular file");
  const uid_t me = ::geteuid();
  if (st.st_uid != 0 && st.st_uid != me)
    return "owned by uid " + std::to_string(st.st_uid) + "; a plugin must be owned by root" +
           (me != 0 ? " or by uid " + std::to_string(me) + " running emsd" : std::string());
  if (st.st_mode & (S_IWGRP | S_IWOTH))
    return "writable by group or others (mode " + octal_mode(st.st_mode) +
           "); make it 0644 or stricter";
  fingerprint = std::to_string(st.st_size) + " bytes, inode " + std::to_string(st.st_ino) +
                ", modified " + std::to_string(st.st_mtim.tv_sec) + "." +
                std::to_string(st.st_mtim.tv_nsec);
  return std::nullopt;
}

// dlerror() after Boost.DLL's failed load (Boost keeps it for its throwing
// overload). The text starts with the path, which the problem already names.
std::string dl_failure(const std::filesystem::path& file, const std::error_code& ec) {
  const char* text = ::dlerror();
  std::string why = text ? text : ec.message();
  const std::string prefix = file.string() + ": ";
  if (why.compare(0, prefix.size(), prefix) == 0) why.erase(0, prefix.size());
  return "not a loadable library: " + why;
}

}  // namespace

emservice::iis_table iis_table_of(const iis_section& iis) {
  emservice::iis_table out;
  if (iis.application_host) out["application_host"] = {iis.application_host->string()};
  for (const auto& [var, value] : iis.variables)
    out["variables." + var] = {value};
  out["backups"] = {std::to_string(iis.backups)};
  return out;
}

bool operator==(const plugin_info& a, const plugin_info& b) {
  return a.name == b.name && a.file == b.file && a.action_types == b.action_types &&
         a.abi_major == b.abi_major && a.abi_minor == b.abi_minor && a.settings == b.settings &&
         a.fingerprint == b.fingerprint;
}

struct plugin_registry::impl {
  std::vector<std::unique_ptr<loaded_plugin>> loaded;
  std::map<std::string, loaded_plugin*> by_type;
  std::vector<plugin_info> infos;
  std::vector<plugin_problem> problems;
  std::vector<plugin_info> disabled;
  std::vector<std::string> conflicts;

  ~impl() {
    // Last in, first out, as the dynamic loader tears down its own objects;
    // each applier still goes before its library (see loaded_plugin).
    by_type.clear();
    while (!loaded.empty())
      loaded.pop_back();
  }

  // Loads one file; returns why it was refused, or nothing when it was kept.
  // `declared` holds the name and types once the descriptor was read.
  std::optional<std::string> load(const std::filesystem::path& file, const plugins_section& plugins,
                                  const iis_section& iis, const load_options& options,
                                  const plugin_host& host, plugin_problem& declared);
  std::optional<std::string> refuse_duplicates(const plugin_info& info);
};

std::optional<std::string> plugin_registry::impl::refuse_duplicates(const plugin_info& info) {
  for (const auto& other : infos)
    if (other.name == info.name)
      return "plugin name '" + info.name + "' is already used by " + other.file.filename().string();
  for (const auto& type : info.action_types)
    if (auto it = by_type.find(type); it != by_type.end()) {
      const auto& first = it->second->info();
      conflicts.push_back("plugins '" + first.name + "' (" + first.file.filename().string() +
                          ") and '" + info.name + "' (" + info.file.filename().string() +
                          ") both handle action type '" + type +
                          "'; list the one this host uses in [plugins] enable");
      return "action type '" + type + "' is already handled by plugin '" + first.name + "' (" +
             first.file.filename().string() + ")";
    }
  return std::nullopt;
}

std::optional<std::string> plugin_registry::impl::load(
    const std::filesystem::path& file, const plugins_section& plugins, const iis_section& iis,
    const load_options& options, const plugin_host& host, plugin_problem& declared) {
  plugin_info info;
  info.file = file;
  if (auto why = refuse_by_file_status(file, info.fingerprint)) return why;
  if (auto why = elf_precheck(file)) return "not a loadable library: " + *why;

  namespace dll = boost::dll;
  dll::shared_library library;
  std::error_code ec;
  library.load(file, dll::load_mode::rtld_now | dll::load_mode::rtld_local, ec);
  if (ec || !library.is_loaded()) return dl_failure(file, ec);
  if (!library.has(EMSERVICE_PLUGIN_ENTRY_NAME))
    return std::string("no entry point ") + EMSERVICE_PLUGIN_ENTRY_NAME +
           " (not an EM Service plugin?)";

  const emservice::plugin_descriptor* d = nullptr;
  auto entry = library.get<const emservice::plugin_descriptor*()>(EMSERVICE_PLUGIN_ENTRY_NAME);
  if (auto thrown = guard_plugin_code("the entry point", [&] { d = entry(); }))
    return "the entry point failed: " + *thrown;
  if (auto why = refuse_descriptor(d)) return why;

  info.name = d->name;
  info.abi_major = d->abi_major;
  info.abi_minor = d->abi_minor;
  for (auto t = d->action_types; *t; ++t)
    info.action_types.emplace_back(*t);
  if (plugins.enable && std::find(plugins.enable->begin(), plugins.enable->end(), info.name) ==
                            plugins.enable->end()) {
    disabled.push_back(std::move(info));
    return std::nullopt;
  }
  declared.name = info.name;
  declared.action_types = info.action_types;
  if (auto why = refuse_duplicates(info)) {
    declared.action_types.clear();  // they belong to the plugin that has them
    return why;
  }
  if (options.on_declared) options.on_declared(declared);

  emservice::host_context context;
  context.plugin_name = info.name;
  context.iis = iis_table_of(iis);
  try {
    info.settings = read_setting_specs(d->settings, info.name);
    auto table = plugins.tables.find(info.name);
    context.settings = convert_plugin_table(
        info.settings, table == plugins.tables.end() ? plugin_settings{} : table->second, info.name,
        options.config_file);
  } catch (const error& e) {
    return e.what();
  }

  auto api = host.make_api(info.name);
  context.host = api.get();
  emservice::applier* applier = nullptr;
  std::string error;
  if (auto thrown = guard_plugin_code("create", [&] { applier = d->create(context, error); }))
    return "plugin '" + info.name + "' could not start: " + *thrown;
  if (!applier)
    return "plugin '" + info.name + "' could not start: " +
           (error.empty() ? std::string("create() failed without saying why") : error);

  auto plugin =
      std::make_unique<loaded_plugin>(std::move(library), d, applier, std::move(api), info);
  for (const auto& type : info.action_types)
    by_type[type] = plugin.get();
  loaded.push_back(std::move(plugin));
  infos.push_back(std::move(info));
  return std::nullopt;
}

plugin_registry::plugin_registry() : impl_(std::make_unique<impl>()) {}
plugin_registry::~plugin_registry() = default;
plugin_registry::plugin_registry(plugin_registry&&) noexcept = default;
plugin_registry& plugin_registry::operator=(plugin_registry&&) noexcept = default;

plugin_registry plugin_registry::load_directory(const plugins_section& plugins,
                                                const iis_section& iis,
                                                const load_options& options) {
  namespace fs = std::filesystem;
  const plugin_host memory_host(nullptr, {}, nullptr);
  const plugin_host& host = options.host ? *options.host : memory_host;
  plugin_registry registry;
  auto& self = *registry.impl_;
  const auto& dir = plugins.dir;

  std::error_code ec;
  if (!fs::exists(dir, ec)) {
    self.problems.push_back({dir, "the plugin directory does not exist", {}, {}});
    return registry;
  }
  if (!fs::is_directory(dir, ec)) {
    self.problems.push_back({dir, "the plugin directory is not a directory", {}, {}});
    return registry;
  }
  std::vector<fs::path> files;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
    if (it->path().extension() == ".so" && !options.skip.count(it->path()))
      files.push_back(it->path());
  if (ec) {
    self.problems.push_back({dir, "cannot read the plugin directory: " + ec.message(), {}, {}});
    return registry;
  }
  std::sort(files.begin(), files.end(),
            [](const fs::path& a, const fs::path& b) { return a.filename() < b.filename(); });

  for (const auto& file : files) {
    if (options.on_loading) options.on_loading(file);
    plugin_problem declared{file, {}, {}, {}};
    if (auto why = self.load(file, plugins, iis, options, host, declared)) {
      declared.reason = *why;
      self.problems.push_back(std::move(declared));
    }
  }
  if (plugins.enable)
    for (const auto& name : *plugins.enable)
      if (std::none_of(self.infos.begin(), self.infos.end(),
                       [&](const plugin_info& p) { return p.name == name; }) &&
          std::none_of(self.problems.begin(), self.problems.end(),
                       [&](const plugin_problem& p) { return p.name == name; }) &&
          !options.skipped_names.count(name))
        self.problems.push_back(
            {dir, "plugin '" + name + "' is listed in [plugins] enable but was not loaded", {}, {}});
  return registry;
}

plugin_registry plugin_registry::load_directory(const std::filesystem::path& dir,
                                                const plugins_section& plugins,
                                                const iis_section& iis, const plugin_host* host) {
  auto from = plugins;
  from.dir = dir;
  load_options options;
  options.host = host;
  return load_directory(from, iis, options);
}

emservice::applier* plugin_registry::find(const std::string& action_type) const {
  if (!impl_) return nullptr;
  auto it = impl_->by_type.find(action_type);
  return it == impl_->by_type.end() ? nullptr : it->second->applier();
}

const std::vector<plugin_info>& plugin_registry::plugins() const {
  static const std::vector<plugin_info> none;
  return impl_ ? impl_->infos : none;
}

const std::vector<plugin_problem>& plugin_registry::problems() const {
  static const std::vector<plugin_problem> none;
  return impl_ ? impl_->problems : none;
}

const std::vector<plugin_info>& plugin_registry::disabled() const {
  static const std::vector<plugin_info> none;
  return impl_ ? impl_->disabled : none;
}

const std::vector<std::string>& plugin_registry::conflicts() const {
  static const std::vector<std::string> none;
  return impl_ ? impl_->conflicts : none;
}

}  // namespace em
