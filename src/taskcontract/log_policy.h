// How a process's stdout and stderr are kept: Thermos's Logger (destination, mode and
// RotatePolicy), parsed from the strings a JobSpec and task.json carry. The scheduler
// checks a JobSpec's loggers with make_log_policy and the runner parses task.json with
// the same function, so a logger the runner would refuse is refused at submit.
//
//   destination  file (the default): .logs/<process>/<run>/stdout|stderr
//                console: the runner's own stdout/stderr (.runner/runner.log)
//                both: file and console;  none: discarded
//   mode         standard (the default): the files grow without bound
//                rotate: stdout is at most log_size bytes, and when full becomes
//                stdout.1 (stdout.1 becomes stdout.2, ... up to stdout.<backups>, the
//                oldest is replaced), as Thermos's RotatingFileHandler names them
//
// Thread-safety: plain values and pure functions.
#pragma once

#include <cstdint>
#include <string_view>

#include "common/result.h"

namespace borealis::taskcontract {

enum class LogDestination { kFile, kConsole, kBoth, kNone };
enum class LogMode { kStandard, kRotate };

// Bounds of a RotatePolicy. Thermos accepts any positive size and count; a runner that
// rotates every few bytes or renames thousands of files per rotation would spend its time
// on one chatty process, so both are bounded.
inline constexpr int64_t kMinRotateLogSize = 1024;
inline constexpr int64_t kMaxRotateLogSize = int64_t{1} << 40;
inline constexpr int64_t kMaxRotateBackups = 1024;

struct LogPolicy {
  LogDestination destination = LogDestination::kFile;
  LogMode mode = LogMode::kStandard;
  int64_t log_size = 100 * 1024 * 1024;  // RotatePolicy's defaults (100 MB, 5)
  int64_t backups = 5;

  // Whether stdout/stderr go to files under .logs/.
  bool to_file() const {
    return destination == LogDestination::kFile || destination == LogDestination::kBoth;
  }
  // Whether they go to the runner's own stdout/stderr.
  bool to_console() const {
    return destination == LogDestination::kConsole || destination == LogDestination::kBoth;
  }
  // Whether the runner sits between the process and its output (a pipe it reads);
  // otherwise the process writes to its files (or /dev/null) directly, at no cost.
  bool piped() const { return to_console() || (to_file() && mode == LogMode::kRotate); }
};

// "file" | "console" | "both" | "none"; the error names the accepted values.
Result<LogDestination> parse_log_destination(std::string_view text);
// "standard" | "rotate".
Result<LogMode> parse_log_mode(std::string_view text);

// The policy of these Logger fields: destination and mode parsed, and with mode rotate,
// log_size in [kMinRotateLogSize, kMaxRotateLogSize] and backups in [1, kMaxRotateBackups]
// (Thermos refuses a size or count below 1). The message names the field, relative to the
// logger: "rotate.backups: expected 1 to 1024, got 0".
Result<LogPolicy> make_log_policy(std::string_view destination, std::string_view mode,
                                  int64_t log_size, int64_t backups);

}  // namespace borealis::taskcontract
