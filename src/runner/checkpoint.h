// The runner's checkpoint: append-only JSON lines in <sandbox>/.runner/checkpoint, the
// runner's only report to the agent (format in docs/internals/runner-sandbox.md).
//
//   {"ts":1700000000000,"type":"runner","pid":4242,"start_ticks":123456}
//   {"ts":...,"type":"task","state":"ACTIVE"}
//   {"ts":...,"type":"process","name":"hello","run":0,"state":"RUNNING","pid":4250}
//   {"ts":...,"type":"process","name":"hello","run":0,"state":"FAILED","exit_code":1}
//
// Each record is written with one write(2) on an O_APPEND descriptor, so a reader sees
// whole lines; a reader ignores a last line without its newline (it is being written).
//
// Thread-safety: CheckpointWriter is used from the runner's one thread; the free
// functions are pure.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.h"
#include "common/result.h"

namespace borealis::runner {

struct Record {
  enum class Type { kRunner, kTask, kProcess };
  Type type = Type::kTask;
  TimeMs ts = 0;
  std::string state;        // task or process state name ("ACTIVE", "RUNNING", ...)
  std::string name;         // process name
  int64_t run = 0;          // process run, from 0
  int64_t pid = 0;          // runner pid, or a RUNNING process's pid (= its process group)
  int64_t start_ticks = 0;  // runner: field 22 of /proc/<pid>/stat
  std::optional<int64_t> exit_code;
  std::optional<int64_t> signal;
  std::string message;  // why, for terminal task states and failed starts

  bool operator==(const Record&) const = default;
};

// Where records go. The state machine writes through this; tests collect them.
class RecordSink {
 public:
  virtual ~RecordSink() = default;
  virtual void write(Record record) = 0;
};

// One line, with its trailing '\n'.
std::string format_record(const Record& r);
// Parses one line (without the newline).
Result<Record> parse_record(std::string_view line);
// Parses a whole checkpoint; a last line without '\n' is ignored.
Result<std::vector<Record>> parse_checkpoint(std::string_view text);
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
