// What a task's checkpoint says, folded record by record into the state the agent
// reports (the mapping table of docs/internals/runner-sandbox.md):
//
//   runner launched, no `task ACTIVE` yet       -> STARTING
//   `task ACTIVE` and a process RUNNING         -> RUNNING
//   `task SUCCESS` / `FAILED` / `KILLED`        -> FINISHED / FAILED / KILLED
//   `task LOST`, or runner gone without a terminal record -> LOST (KILLED when the
//   agent was killing the task)
//
// States only move forward; once terminal, later records change nothing. Folding record
// by record (not looking only at the last one) is what lets the agent report STARTING,
// RUNNING and FINISHED in order even when it reads a short task's whole checkpoint at once.
//
// Thread-safety: a plain value.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "agent/checkpoint_reader.h"
#include "agent/task_state.h"

namespace borealis::agent {

struct ProcessView {
  int64_t run = 0;
  std::string state;  // Thermos process state of this run
  int64_t pid = 0;    // while RUNNING
  std::optional<int64_t> exit_code;
  std::optional<int64_t> signal;
};

class TaskProgress {
 public:
  // The agent started the runner: STARTING (unless already past it).
  std::optional<TaskState> launched();
  // Folds one record; returns the new state when it changed.
  std::optional<TaskState> apply(const CheckpointRecord& r);
  // The runner is gone and its checkpoint was read to the end: a task not yet terminal
  // ends as LOST, or KILLED when `killing`.
  std::optional<TaskState> runner_gone(bool killing, std::string message, TimeMs now);

  std::optional<TaskState> state() const { return state_; }
  bool terminal() const { return state_ && is_terminal(*state_); }
  const std::string& message() const { return message_; }
  TimeMs ended_ms() const { return ended_ms_; }
  int64_t runner_pid() const { return runner_pid_; }
  int64_t runner_start_ticks() const { return start_ticks_; }
  bool has_runner_record() const { return runner_pid_ > 0; }
  const std::string& runner_task_state() const { return task_state_; }
  const std::map<std::string, ProcessView>& processes() const { return processes_; }
  // Pids of the processes whose latest run is RUNNING.
  std::vector<int64_t> running_pids() const;
  // Every process group the checkpoint ever named (a RUNNING run's pid).
  const std::vector<int64_t>& process_groups() const { return groups_; }

 private:
  std::optional<TaskState> move_to(TaskState s);

  std::optional<TaskState> state_;
  std::string message_;
  TimeMs ended_ms_ = 0;
  int64_t runner_pid_ = 0;
  int64_t start_ticks_ = 0;
  std::string task_state_;
  std::map<std::string, ProcessView> processes_;
  std::vector<int64_t> groups_;
};

}  // namespace borealis::agent
