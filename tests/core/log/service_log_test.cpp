#include <catch2/catch.hpp>

#include <regex>
#include <sstream>

#include "core/log/service_log.hpp"
#include "tests/support/temp_dir.hpp"

using namespace std::chrono;

namespace {
std::vector<std::string> lines_of(const std::filesystem::path& file) {
  std::istringstream in(em::test::read_text(file));
  std::vector<std::string> out;
  for (std::string line; std::getline(in, line);)
    out.push_back(line);
  return out;
}
const em::sys_time t0 =
    system_clock::from_time_t(1795773600) + milliseconds(123);  // 2026-11-27T10:00:00.123Z
}  // namespace

TEST_CASE("service log lines follow SPEC 8's format") {
  CHECK(em::service_log::format_line(t0, em::log_operation::fetch_mitigation,
                                     em::log_level::information, 0,
                                     "Fetching mitigations from https://x/y") ==
        "2026-11-27T10:00:00.123Z,FetchMitigation,S:LogLevel=Information;S:Message=Fetching "
        "mitigations from https://x/y");
  CHECK(em::service_log::format_line(t0, em::log_operation::apply_mitigation,
                                     em::log_level::information, 1005, "Applied") ==
        "2026-11-27T10:00:00.123Z,ApplyMitigation,S:LogLevel=Information;S:EventId=1005;"
        "S:Message=Applied");
}

TEST_CASE("a message cannot forge another log line") {
  auto line = em::service_log::format_line(
      t0, em::log_operation::verify_mitigation, em::log_level::error, 0,
      "bad\n2026-11-27T10:00:00.000Z,ApplyMitigation,S:LogLevel=Information;S:Message=fake\r");
  CHECK(line.find('\n') == std::string::npos);
  CHECK(line.find('\r') == std::string::npos);
}

TEST_CASE("the service log writes to MitigationService.log and filters by level") {
  em::test::temp_dir dir;
  {
    em::service_log log(dir / "logs", "warning");
    log.write(em::log_record{em::log_operation::start, em::log_level::information, "hidden"}, t0);
    log.write(em::log_record{em::log_operation::start, em::log_level::warning, "shown"}, t0);
    log.write(em::event_record{em::event_id::cycle_completed, em::log_operation::apply_mitigation,
                               em::log_level::information, "events are never filtered"},
              t0);
    log.flush();
    CHECK(log.file() == dir / "logs" / "MitigationService.log");
  }
  auto lines = lines_of(dir / "logs" / "MitigationService.log");
  REQUIRE(lines.size() == 2);
  CHECK(lines[0] == "2026-11-27T10:00:00.123Z,Start,S:LogLevel=Warning;S:Message=shown");
  CHECK(lines[1].find("S:EventId=1006;S:Message=events are never filtered") != std::string::npos);
}

TEST_CASE("the service log rotates by size and keeps a bounded number of files") {
  em::test::temp_dir dir;
  {
    em::service_log log(dir.path(), "info", 1024, 3);
    for (int i = 0; i < 200; ++i)
      log.write(em::log_record{em::log_operation::apply_mitigation, em::log_level::information,
                               "line " + std::to_string(i) + std::string(40, 'x')},
                t0);
  }
  CHECK(std::filesystem::exists(dir / "MitigationService.log"));
  CHECK(std::filesystem::exists(dir / "MitigationService.1.log"));
  CHECK(std::filesystem::exists(dir / "MitigationService.3.log"));
  CHECK_FALSE(std::filesystem::exists(dir / "MitigationService.4.log"));
  CHECK(std::filesystem::file_size(dir / "MitigationService.log") <= 1024);
  auto last = lines_of(dir / "MitigationService.log");
  REQUIRE_FALSE(last.empty());
  CHECK(last.back().find("line 199") != std::string::npos);
}

TEST_CASE("an unusable log folder is reported with its path") {
  em::test::temp_dir dir;
  em::test::write_text(dir / "file", "x");
  CHECK_THROWS_WITH(em::service_log(dir / "file" / "logs", "info"),
                    Catch::Contains("cannot create log folder") && Catch::Contains("file/logs"));
}
