// The runner's checkpoint: append-only JSON lines in <sandbox>/.runner/checkpoint, the
// runner's only report to the agent. The record and its line format are the task
// contract's (src/taskcontract/checkpoint_record.h); this file writes and reads the file.
//
// Each record is written with one write(2) on an O_APPEND descriptor, so a reader sees
// whole lines; a reader ignores a last line without its newline (it is being written).
//
// Thread-safety: CheckpointWriter is used from the runner's one thread; the free
// functions are pure.
#pragma once

#include <string>
#include <vector>

#include "common/clock.h"
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

// Reads and parses the checkpoint at `path`.
Result<std::vector<Record>> read_checkpoint(const std::string& path);

// Appends records to the checkpoint file, stamping `ts` from the wall clock. Owns the
// descriptor. A failed write is reported on stderr and otherwise ignored: the task keeps
// running (the agent will see a stale checkpoint, not a dead task).
class CheckpointWriter final : public RecordSink {
 public:
  CheckpointWriter(int fd, const Clock& wall_clock) : fd_(fd), clock_(wall_clock) {}
  ~CheckpointWriter() override;
  CheckpointWriter(const CheckpointWriter&) = delete;
  CheckpointWriter& operator=(const CheckpointWriter&) = delete;

  // Opens (creating) `path` for appending and takes an exclusive lock on it, so two
  // runners never share a sandbox. Fails if it is locked or not empty.
  static Result<int> open_exclusive(const std::string& path);

  void write(Record record) override;

 private:
  int fd_;
  const Clock& clock_;
};

}  // namespace borealis::runner
