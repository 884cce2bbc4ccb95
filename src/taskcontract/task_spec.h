// The task contract between agent and runner: the parsed form of
// <sandbox>/.runner/task.json (docs/internals/runner-sandbox.md). The agent writes
// task.json; the `task` object in it is the JobSpec task with Aurora's field names and
// every default filled in. The scheduler validates JobSpecs against the same rules
// (process_rules.h, runtime_refs.h and the limits below), so what reaches a runner has
// already been checked once.
//
// Parsing is lenient about unknown fields (a newer scheduler may add some; refusing them
// would fail tasks on hosts with an older runner) and strict about the type and range of
// the fields it uses. Every error names the field path: "task.processes[1].min_duration:
// expected a non-negative number".
//
// Thread-safety: plain values and pure functions.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.h"
#include "common/result.h"
#include "taskcontract/log_policy.h"

namespace borealis::taskcontract {

// The ranges task.json accepts; a JobSpec outside them is refused by the scheduler.
inline constexpr int64_t kMaxCount = INT32_MAX;  // max_failures, max_concurrency, instance
inline constexpr double kMaxSeconds = 1e9;       // min_duration, finalization_wait
inline constexpr size_t kMaxTaskJsonBytes = size_t{4} << 20;

struct ProcessSpec {
  std::string name;
  std::string cmdline;       // bash script; runtime references bound by bind_runtime_references
  int64_t max_failures = 1;  // failed runs before the process fails for good; 0 = never
  bool daemon = false;
  bool ephemeral = false;
  TimeMs min_duration_ms = 5000;
  bool final = false;
  LogPolicy log;  // `logger`; absent: Thermos's default, files that grow without bound
};

struct TaskSpec {
  std::string name;
  std::vector<ProcessSpec> processes;
  std::vector<std::vector<std::string>> orders;  // constraints[].order
  int64_t max_failures = 1;     // processes failed for good before the task fails; 0 = never
  int64_t max_concurrency = 0;  // 0 = unlimited
  TimeMs finalization_wait_ms = 30000;
};

// The whole task.json.
struct LaunchSpec {
  std::string task_id;
  int64_t instance = 0;
  std::string hostname;
  std::string cluster, role, environment, job;
  std::string user;  // empty: run as the runner's user
  std::map<std::string, int64_t> ports;
  TaskSpec task;
};

// Parses task.json text. Does not validate the process graph (see validate_task).
Result<LaunchSpec> parse_launch_spec(std::string_view json_text);

// Checks what the scheduler has already checked (check_processes in process_rules.h),
// because the runner must not misbehave on bad input.
Status validate_task(const TaskSpec& task);

}  // namespace borealis::taskcontract
