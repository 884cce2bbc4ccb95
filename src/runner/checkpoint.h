// The runner's checkpoint: append-only JSON lines in <sandbox>/.runner/checkpoint, the
// runner's only report to the agent. The record and its line format are the task
// contract's (src/taskcontract/checkpoint_record.h); this file writes and reads the file.
//
// Each record is written with one write(2) on an O_APPEND descriptor, so a reader sees
// whole lines; a reader ignores a last line without its newline (it is being written).
// After a failed write (ENOSPC, EIO) that left part of a record, the writer ends that
// fragment with a newline before the next record rather than cutting it, because the
// agent tails the file by offset: readers see one bad line to skip or report, never a
// record glued to a fragment.
//
// Thread-safety: CheckpointWriter is used from the runner's one thread; the free
// functions are pure.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/env.h"
#include "common/result.h"
#include "taskcontract/checkpoint_record.h"

namespace borealis::runner {

using Record = taskcontract::CheckpointRecord;

// Where records go. The state machine writes through this; tests collect them.
class RecordSink {
 public:
  virtual ~RecordSink() = default;
  virtual void write(Record record) = 0;
};

// Reads and parses a checkpoint of at most 64 MiB.
Result<std::vector<Record>> read_checkpoint(const std::string& path, Env& env = Env::posix());

// Appends records to the checkpoint file, stamping `ts` from the wall clock. A failed write
// is reported on stderr and kept in last_error(); the task keeps running (the agent will
// see a stale checkpoint, not a dead task).
class CheckpointWriter final : public RecordSink {
 public:
  // Opens (creating) `path` for appending and takes an exclusive lock on it, so two
  // runners never share a sandbox. Fails if it is locked or not empty. `env` and
  // `wall_clock` must outlive the writer.
  static Result<std::unique_ptr<CheckpointWriter>> open_exclusive(const std::string& path,
                                                                  const Clock& wall_clock,
                                                                  Env& env = Env::posix());
  CheckpointWriter(const CheckpointWriter&) = delete;
  CheckpointWriter& operator=(const CheckpointWriter&) = delete;

  void write(Record record) override;
  // Why the last write failed; OK when it succeeded.
  const Status& last_error() const { return last_error_; }

 private:
  CheckpointWriter(Env& env, std::unique_ptr<FileLock> lock, std::unique_ptr<WritableFile> file,
                   const Clock& wall_clock)
      : env_(env), lock_(std::move(lock)), file_(std::move(file)), clock_(wall_clock) {}
  Status append(const std::string& line, bool sync);

  Env& env_;
  std::unique_ptr<FileLock> lock_;
  std::unique_ptr<WritableFile> file_;
  const Clock& clock_;
  uint64_t size_ = 0;         // bytes of whole lines in the file
  uint64_t failed_line_ = 0;  // the size of a line whose write failed, maybe leaving part
  Status last_error_;
};

}  // namespace borealis::runner
