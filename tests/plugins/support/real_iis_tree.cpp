#include "tests/plugins/support/real_iis_tree.hpp"

#include "tests/support/test_paths.hpp"

namespace em::test {

namespace fs = std::filesystem;

namespace {

const char* const exchange = "Program Files/Microsoft/Exchange Server/V15";

fs::path iis_folder() {
  return conformance_dir() / "iis";
}

}  // namespace

real_iis_tree::real_iis_tree() {
  available_ = fs::exists(iis_folder() / "E19_applicationHost.config");
  if (!available_) return;
  const std::pair<const char*, fs::path> files[] = {
      {"E19_applicationHost.config", application_host()},
      {"E19_DefaultWebSite_web.config", site_root_config()},
      {"E19_FrontEnd_PowerShell_web.config", front_end("PowerShell")},
      {"E19_FrontEnd_OWA_web.config", front_end("owa")},
      {"E19_FrontEnd_ECP_web.config", front_end("ecp")},
      {"E19_BackEnd_ClientAccess_ecp_web.config", back_end("ecp")},
  };
  for (const auto& [name, to] : files) {
    fs::create_directories(to.parent_path());
    fs::copy_file(iis_folder() / name, to);
    fs::permissions(to, fs::perms(0644));  // the material is read-only
  }
  // The other folders the sites name exist too, without a web.config.
  for (const char* app : {"EWS", "Autodiscover", "mapi", "OAB", "Rest", "sync", "rpc"})
    fs::create_directories(front_end(app).parent_path());
}

fs::path real_iis_tree::application_host() const {
  return drive() / "Windows/System32/inetsrv/config/applicationHost.config";
}

fs::path real_iis_tree::site_root_config() const {
  return drive() / "inetpub/wwwroot/web.config";
}

fs::path real_iis_tree::front_end(const std::string& app) const {
  return drive() / exchange / "FrontEnd/HttpProxy" / app / "web.config";
}

fs::path real_iis_tree::back_end(const std::string& app) const {
  return drive() / exchange / "ClientAccess" / app / "web.config";
}

em::iis_section real_iis_tree::iis() const {
  em::iis_section s;
  s.application_host = application_host();
  s.variables["SystemDrive"] = drive().string();
  s.variables["C:"] = drive().string();
  s.variables["windir"] = (drive() / "Windows").string();
  return s;
}

std::map<fs::path, std::string> real_iis_tree::snapshot() const {
  std::map<fs::path, std::string> out;
  for (const auto& e : fs::recursive_directory_iterator(dir_.path()))
    if (e.is_regular_file()) out[e.path()] = read_text(e.path());
  return out;
}

std::string real_iis_tree::original(const std::string& name) {
  return read_text(iis_folder() / name);
}

}  // namespace em::test
