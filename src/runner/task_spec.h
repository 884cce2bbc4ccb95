// What the runner runs: the parsed form of <sandbox>/.runner/task.json (the contract is
// docs/internals/runner-sandbox.md). The agent writes task.json; the `task` object in it
// is the JobSpec task with Aurora's field names and every default filled in.
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

namespace borealis::runner {

struct ProcessSpec {
  std::string name;
  std::string cmdline;       // bash script; runtime references bound by bind_runtime_references
  int64_t max_failures = 1;  // failed runs before the process fails for good; 0 = never
  bool daemon = false;
  bool ephemeral = false;
  TimeMs min_duration_ms = 5000;
  bool final = false;
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

// Checks what the scheduler should already have checked, because the runner must not
// misbehave on bad input: process names are unique and usable as directory names; order
// constraints name known processes, do not mix final and regular processes, have no
// cycles, and do not make a process wait for a daemon or a regular process wait for an
// ephemeral one (both could never be satisfied; Thermos refuses them too).
Status validate_task(const TaskSpec& task);

// Reads and parses `path` (at most 4 MiB) and validates the task.
Result<LaunchSpec> load_launch_spec(const std::string& path);

}  // namespace borealis::runner
