#include "core/plugin/plugin_registry.hpp"

#include <dlfcn.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <exception>
#include <map>
#include <optional>
#include <set>
#include <system_error>
#include <utility>

#include <boost/dll/shared_library.hpp>

#include "core/plugin/elf_precheck.hpp"
#include "core/plugin/loaded_plugin.hpp"

namespace em {
namespace {

std::string version_text(std::uint32_t major, std::uint32_t minor) {
  return std::to_string(major) + "." + std::to_string(minor);
}

std::string octal_mode(mode_t mode) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%04o", static_cast<unsigned>(mode & 07777));
  return buf;
}

// Checked before the file is loaded: dlopen runs the library's constructors,
// so loading a file an unprivileged user could have written is already running
// their code as the service.
std::optional<std::string> refuse_by_file_status(const std::filesystem::path& file) {
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

// The reason a descriptor cannot be used, before anything but its fixed
// header (abi_major, abi_minor, descriptor_size) is trusted.
std::optional<std::string> refuse_by_descriptor(const emservice::plugin_descriptor* d) {
  if (!d) return std::string("the entry point returned no descriptor");
  if (d->abi_major != EMSERVICE_PLUGIN_ABI_MAJOR || d->abi_minor > EMSERVICE_PLUGIN_ABI_MINOR)
    return "ABI version " + version_text(d->abi_major, d->abi_minor) +
           " is not supported (this emsd supports " +
           version_text(EMSERVICE_PLUGIN_ABI_MAJOR, EMSERVICE_PLUGIN_ABI_MINOR) + ")";
  if (d->descriptor_size < sizeof(emservice::plugin_descriptor))
    return "descriptor size " + std::to_string(d->descriptor_size) + " is smaller than " +
           std::to_string(sizeof(emservice::plugin_descriptor)) + ", the size this emsd expects";
  if (!d->name || !*d->name) return std::string("the descriptor has no plugin name");
  if (!d->action_types || !d->action_types[0])
    return std::string("plugin '") + d->name + "' declares no action types";
  std::set<std::string> seen;
  for (auto t = d->action_types; *t; ++t) {
    if (!**t) return std::string("plugin '") + d->name + "' declares an empty action type";
    if (!seen.insert(*t).second)
      return std::string("plugin '") + d->name + "' declares action type '" + *t + "' twice";
  }
  if (!d->create) return std::string("plugin '") + d->name + "' has no create function";
  if (!d->destroy) return std::string("plugin '") + d->name + "' has no destroy function";
  return std::nullopt;
}

// A plugin that declares its keys gets only those: a typo in the operator's
// table is refused at start, not discovered when a mitigation needs the key.
std::optional<std::string> refuse_unknown_settings(const emservice::plugin_descriptor* d,
                                                   const std::string& name,
                                                   const plugins_section& plugins) {
  if (!d->setting_keys) return std::nullopt;
  auto table = plugins.tables.find(name);
  if (table == plugins.tables.end()) return std::nullopt;
  std::set<std::string> known;
  std::string listed;
  for (auto k = d->setting_keys; *k; ++k) {
    known.insert(*k);
    listed += (listed.empty() ? "" : ", ") + std::string(*k);
  }
  // A declared "sites.*" takes the keys of a table one level down ("sites.<name>").
  auto declared = [&known](const std::string& key) {
    const auto dot = key.find('.');
    return known.count(key) > 0 ||
           (dot != std::string::npos && known.count(key.substr(0, dot) + ".*") > 0);
  };
  for (const auto& [key, values] : table->second)
    if (!declared(key))
      return "unknown key '" + key + "' in [plugins." + name + "] (" +
             (listed.empty() ? std::string("it takes no settings") : "known: " + listed) + ")";
  return std::nullopt;
}

emservice::host_context make_context(const std::string& name, const plugins_section& plugins,
                                     const iis_section& iis, emservice::host_api* host) {
  emservice::host_context ctx;
  ctx.plugin_name = name;
  ctx.host = host;
  if (auto it = plugins.tables.find(name); it != plugins.tables.end()) ctx.settings = it->second;
  if (iis.application_host) ctx.iis["application_host"] = {iis.application_host->string()};
  for (const auto& [var, value] : iis.variables)
    ctx.iis["variables." + var] = {value};
  ctx.iis["backups"] = {std::to_string(iis.backups)};
  return ctx;
}

}  // namespace

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
  std::optional<std::string> load(const std::filesystem::path& file, const plugins_section& plugins,
                                  const iis_section& iis, const plugin_host& host);
};

std::optional<std::string> plugin_registry::impl::load(const std::filesystem::path& file,
                                                       const plugins_section& plugins,
                                                       const iis_section& iis,
                                                       const plugin_host& host) {
  if (auto why = refuse_by_file_status(file)) return why;
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
  try {
    d = library.get<const emservice::plugin_descriptor*()>(EMSERVICE_PLUGIN_ENTRY_NAME)();
  } catch (const std::exception& e) {
    return std::string("the entry point threw: ") + e.what();
  } catch (...) {
    return std::string("the entry point threw an unknown exception");
  }
  if (auto why = refuse_by_descriptor(d)) return why;

  plugin_info info;
  info.name = d->name;
  info.file = file;
  for (auto t = d->action_types; *t; ++t)
    info.action_types.emplace_back(*t);

  if (plugins.enable && std::find(plugins.enable->begin(), plugins.enable->end(), info.name) ==
                            plugins.enable->end()) {
    disabled.push_back(std::move(info));
    return std::nullopt;
  }
  for (const auto& other : infos)
    if (other.name == info.name)
      return "plugin name '" + info.name + "' is already used by " + other.file.filename().string();
  for (const auto& type : info.action_types)
    if (auto it = by_type.find(type); it != by_type.end()) {
      const auto& first = it->second->info();
      conflicts.push_back("plugins '" + first.name + "' (" + first.file.filename().string() +
                          ") and '" + info.name + "' (" + file.filename().string() +
                          ") both handle action type '" + type +
                          "'; list the one this host uses in [plugins] enable");
      return "action type '" + type + "' is already handled by plugin '" + first.name + "' (" +
             first.file.filename().string() + ")";
    }

  if (auto why = refuse_unknown_settings(d, info.name, plugins)) return why;

  emservice::applier* applier = nullptr;
  std::string error;
  auto api = host.make_api(info.name);
  try {
    applier = d->create(make_context(info.name, plugins, iis, api.get()), error);
  } catch (const std::exception& e) {
    return "plugin '" + info.name + "': create() threw: " + e.what();
  } catch (...) {
    return "plugin '" + info.name + "': create() threw an unknown exception";
  }
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

plugin_registry plugin_registry::load_directory(const std::filesystem::path& dir,
                                                const plugins_section& plugins,
                                                const iis_section& iis, const plugin_host* host) {
  namespace fs = std::filesystem;
  const plugin_host memory_host(nullptr, {}, nullptr);
  if (!host) host = &memory_host;
  plugin_registry registry;
  auto& self = *registry.impl_;

  std::error_code ec;
  if (!fs::exists(dir, ec)) {
    self.problems.push_back({dir, "the plugin directory does not exist"});
    return registry;
  }
  if (!fs::is_directory(dir, ec)) {
    self.problems.push_back({dir, "the plugin directory is not a directory"});
    return registry;
  }
  std::vector<fs::path> files;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
    if (it->path().extension() == ".so") files.push_back(it->path());
  if (ec) {
    self.problems.push_back({dir, "cannot read the plugin directory: " + ec.message()});
    return registry;
  }
  std::sort(files.begin(), files.end(),
            [](const fs::path& a, const fs::path& b) { return a.filename() < b.filename(); });

  for (const auto& file : files)
    if (auto why = self.load(file, plugins, iis, *host)) self.problems.push_back({file, *why});
  if (plugins.enable)
    for (const auto& name : *plugins.enable)
      if (std::none_of(self.infos.begin(), self.infos.end(),
                       [&](const plugin_info& p) { return p.name == name; }))
        self.problems.push_back(
            {dir, "plugin '" + name + "' is listed in [plugins] enable but was not loaded"});
  return registry;
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
