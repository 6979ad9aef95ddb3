#include "tests/plugins/support/iis_fixture.hpp"

#include "tests/support/test_paths.hpp"

namespace em::test {

namespace fs = std::filesystem;

iis_fixture::iis_fixture() {
  fs::copy(source_dir() / "tests/plugins/iis_tree", dir_.path(), fs::copy_options::recursive);
}

fs::path iis_fixture::application_host() const {
  return drive() / "Windows/System32/inetsrv/config/applicationHost.config";
}

fs::path iis_fixture::site_root_config() const {
  return drive() / "inetpub/wwwroot/web.config";
}

fs::path iis_fixture::front_end(const std::string& app) const {
  return drive() / "Program Files/Microsoft/Exchange Server/V15/FrontEnd/HttpProxy" / app;
}

fs::path iis_fixture::back_end(const std::string& app) const {
  return drive() / "Program Files/Microsoft/Exchange Server/V15/ClientAccess" / app;
}

em::iis_section iis_fixture::iis() const {
  em::iis_section s;
  s.application_host = application_host();
  s.variables["SystemDrive"] = drive().string();
  s.variables["ExchangeInstallPath"] =
      (drive() / "Program Files/Microsoft/Exchange Server/V15/").string();
  s.variables["C:"] = drive().string();
  return s;
}

std::string iis_fixture::toml() const {
  auto s = iis();
  std::string out =
      "[iis]\napplication_host = \"" + s.application_host->string() + "\"\nvariables = { ";
  bool first = true;
  for (const auto& [k, v] : s.variables) {
    out += std::string(first ? "" : ", ") + "\"" + k + "\" = \"" + v + "\"";
    first = false;
  }
  return out + " }\n";
}

std::string m1_rule() {
  return R"xml(<rule name="EEMS M1.1 PowerShell - inbound" stopProcessing="true">
            <match url=".*"/>
            <conditions>
              <add input="{UrlDecode:{REQUEST_URI}}" pattern="(?=.*autodiscover)(?=.*powershell)"/>
            </conditions>
            <action type="AbortRequest"/>
          </rule>)xml";
}

int backups_of(const fs::path& file) {
  int n = 0;
  const std::string name = file.filename().string();
  for (const auto& e : fs::directory_iterator(file.parent_path())) {
    const std::string f = e.path().filename().string();
    n += f.rfind(name + ".", 0) == 0 && e.path().extension() == ".bak";
  }
  return n;
}

}  // namespace em::test
