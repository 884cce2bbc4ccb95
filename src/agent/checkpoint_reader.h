// Reading the runner's checkpoint (<sandbox>/.runner/checkpoint, JSON lines; format in
// docs/internals/runner-sandbox.md) from the agent's side: one record per line, a last
// line without its newline is still being written and is left for the next read.
//
// The agent keeps its own reader instead of linking the runner's: the runner is built to
// be tiny and static, and the agent must tolerate what it does not understand (a newer
// runner's fields or record types), where the runner's parser is strict.
//
// Thread-safety: CheckpointTail is used by one thread; the free functions are pure.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.h"
#include "common/result.h"

namespace borealis::agent {

struct CheckpointRecord {
  enum class Type { kRunner, kTask, kProcess, kOther };
  Type type = Type::kOther;
  TimeMs ts = 0;
  std::string state;        // task or process state ("ACTIVE", "RUNNING", "SUCCESS", ...)
  std::string name;         // process name
  int64_t run = 0;          // process run, from 0
  int64_t pid = 0;          // runner pid, or a RUNNING process's pid (= its process group)
  int64_t start_ticks = 0;  // runner: field 22 of /proc/<pid>/stat
  std::optional<int64_t> exit_code;
  std::optional<int64_t> signal;
  std::string message;
};

// Parses one line (without its newline). Unknown fields are ignored; an unknown `type`
// gives kOther. Errors say what is wrong with the line.
Result<CheckpointRecord> parse_checkpoint_line(std::string_view line);

// Follows a checkpoint file as it grows. The file may not exist yet (the runner creates
// it); that reads as no records.
class CheckpointTail {
 public:
  explicit CheckpointTail(std::string path) : path_(std::move(path)) {}

  // Records completed since the last call, in file order. Lines that do not parse are
  // skipped and counted in bad_lines(); a missing file gives none.
  Result<std::vector<CheckpointRecord>> read_new();

  const std::string& path() const { return path_; }
  bool seen_file() const { return seen_file_; }
  int64_t offset() const { return offset_; }
  size_t bad_lines() const { return bad_lines_; }

 private:
  std::string path_;
  int64_t offset_ = 0;   // bytes consumed, up to the end of the last whole line
  std::string partial_;  // bytes after offset_ read so far without a newline
  bool seen_file_ = false;
  size_t bad_lines_ = 0;
};

}  // namespace borealis::agent
