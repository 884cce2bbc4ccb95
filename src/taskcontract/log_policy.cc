#include "taskcontract/log_policy.h"

#include <string>

namespace borealis::taskcontract {

namespace {

Status out_of_range(std::string_view field, int64_t min, int64_t max, int64_t got) {
  return invalid_argument(std::string(field) + ": expected " + std::to_string(min) + " to " +
                          std::to_string(max) + ", got " + std::to_string(got));
}

}  // namespace

Result<LogDestination> parse_log_destination(std::string_view text) {
  if (text == "file") return LogDestination::kFile;
  if (text == "console") return LogDestination::kConsole;
  if (text == "both") return LogDestination::kBoth;
  if (text == "none") return LogDestination::kNone;
  return invalid_argument("destination: expected file, console, both or none, got '" +
                          std::string(text.substr(0, 64)) + "'");
}

Result<LogMode> parse_log_mode(std::string_view text) {
  if (text == "standard") return LogMode::kStandard;
  if (text == "rotate") return LogMode::kRotate;
  return invalid_argument("mode: expected standard or rotate, got '" +
                          std::string(text.substr(0, 64)) + "'");
}

Result<LogPolicy> make_log_policy(std::string_view destination, std::string_view mode,
                                  int64_t log_size, int64_t backups) {
  LogPolicy p;
  BOREALIS_ASSIGN_OR_RETURN(p.destination, parse_log_destination(destination));
  BOREALIS_ASSIGN_OR_RETURN(p.mode, parse_log_mode(mode));
  p.log_size = log_size;
  p.backups = backups;
  if (p.mode != LogMode::kRotate) return p;
  if (log_size < kMinRotateLogSize || log_size > kMaxRotateLogSize)
    return out_of_range("rotate.log_size", kMinRotateLogSize, kMaxRotateLogSize, log_size);
  if (backups < 1 || backups > kMaxRotateBackups)
    return out_of_range("rotate.backups", 1, kMaxRotateBackups, backups);
  return p;
}

}  // namespace borealis::taskcontract
