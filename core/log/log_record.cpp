#include "core/log/log_record.hpp"

namespace em {

const char* to_string(log_level level) {
  switch (level) {
    case log_level::debug:
      return "Debug";
    case log_level::information:
      return "Information";
    case log_level::warning:
      return "Warning";
    case log_level::error:
      return "Error";
  }
  return "Information";
}

const char* to_string(log_operation operation) {
  switch (operation) {
    case log_operation::start:
      return "Start";
    case log_operation::stop:
      return "Stop";
    case log_operation::fetch_mitigation:
      return "FetchMitigation";
    case log_operation::verify_mitigation:
      return "VerifyMitigation";
    case log_operation::apply_mitigation:
      return "ApplyMitigation";
    case log_operation::block_mitigation:
      return "BlockMitigation";
    case log_operation::send_diagnostics:
      return "SendDiagnostics";
    case log_operation::notify:
      return "Notify";
  }
  return "Start";
}

}  // namespace em
