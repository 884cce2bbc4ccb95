// The checkpoint record: one line of <sandbox>/.runner/checkpoint, the runner's only report
// to the agent (format in docs/internals/runner-sandbox.md). The runner writes records with
// format_record; the agent and the runner's tests read them with parse_record. Reading
// and writing the file stay with each side.
//
//   {"ts":1700000000000,"type":"runner","pid":4242,"start_ticks":123456}
//   {"ts":...,"type":"task","state":"ACTIVE"}
//   {"ts":...,"type":"process","name":"hello","run":0,"state":"RUNNING","pid":4250}
//   {"ts":...,"type":"process","name":"hello","run":0,"state":"FAILED","exit_code":1}
//
// Parsing is lenient where a newer runner may differ (unknown fields are ignored, an
// unknown `type` reads as kOther) and strict about the fields it knows: a field of the
// wrong type, a record without `ts`, a runner record without a pid, or a task or process
// record without a state is an error.
//
// Thread-safety: plain values and pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.h"
#include "common/result.h"

namespace borealis::taskcontract {

struct CheckpointRecord {
  enum class Type { kRunner, kTask, kProcess, kOther };
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

  bool operator==(const CheckpointRecord&) const = default;
};

// One line, with its trailing '\n'. (The runner writes no kOther record; one is written with
// type "other" and reads back as kOther.)
std::string format_record(const CheckpointRecord& r);
// Parses one line (without the newline).
Result<CheckpointRecord> parse_record(std::string_view line);
// Parses a whole checkpoint; a last line without '\n' is ignored (it is being written).
Result<std::vector<CheckpointRecord>> parse_checkpoint(std::string_view text);

}  // namespace borealis::taskcontract
