// Reading the runner's checkpoint (<task dir>/.runner/checkpoint, JSON lines) from the
// agent's side: one record per line, a last line without its newline is still being
// written and is left for the next read. The record and its codec are the task
// contract's (src/taskcontract/checkpoint_record.h), which reads a newer runner's
// unknown fields and record types without failing.
//
// The file is opened beneath the task directory without following links, non-blocking,
// and must be a regular file (common/beneath.h): a FIFO or a device planted there is an
// error, never a hang or an endless read. Each read_new() reads at most kMaxReadBytes, and
// a line longer than kMaxLineBytes is skipped as a bad line, so memory stays bounded
// whatever the file holds.
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
  static constexpr int64_t kMaxReadBytes = 1 << 20;
  static constexpr size_t kMaxLineBytes = 64 * 1024;

  // Follows `task_dir`/.runner/checkpoint.
  explicit CheckpointTail(std::string task_dir) : task_dir_(std::move(task_dir)) {}

  // Records completed since the last call, in file order, from at most kMaxReadBytes of
  // the file: caught_up() says whether the end was reached. Lines that do not parse are
  // skipped and counted in bad_lines(); a missing file gives none.
  Result<std::vector<CheckpointRecord>> read_new();

  const std::string& task_dir() const { return task_dir_; }
  bool seen_file() const { return seen_file_; }
  bool caught_up() const { return caught_up_; }
  int64_t offset() const { return offset_; }
  size_t bad_lines() const { return bad_lines_; }

 private:
  std::string task_dir_;
  int64_t offset_ = 0;     // bytes consumed, up to the end of the last whole line
  std::string partial_;    // bytes after offset_ read so far without a newline
  bool skipping_ = false;  // inside a line over kMaxLineBytes: dropped up to its newline
  bool seen_file_ = false;
  bool caught_up_ = true;
  size_t bad_lines_ = 0;
};

}  // namespace borealis::agent
