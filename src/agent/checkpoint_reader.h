// Reading the runner's checkpoint (<sandbox>/.runner/checkpoint, JSON lines) from the
// agent's side: one record per line, a last line without its newline is still being
// written and is left for the next read. The record and its codec are the task
// contract's (src/taskcontract/checkpoint_record.h), which reads a newer runner's
// unknown fields and record types without failing.
//
// Thread-safety: CheckpointTail is used by one thread; the free functions are pure.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/result.h"
#include "taskcontract/checkpoint_record.h"

namespace borealis::agent {

using taskcontract::CheckpointRecord;

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
