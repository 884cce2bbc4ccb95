// The task states the agent reports to the scheduler, and one status update as it is
// logged in the outbox and posted to /agent/v1/updates (docs/internals/agent-protocol.md).
//
// Thread-safety: plain values and pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.h"
#include "common/json.h"

namespace borealis::agent {

enum class TaskState { kStarting, kRunning, kFinished, kFailed, kKilled, kLost };

std::string_view task_state_name(TaskState s);  // "STARTING", ...
std::optional<TaskState> parse_task_state(std::string_view name);
bool is_terminal(TaskState s);
// States only move forward: STARTING (1) < RUNNING (2) < any terminal state (3). The
// agent never reports a state whose rank is not above the last one it reported.
int state_rank(TaskState s);

struct StatusUpdate {
  int64_t seq = 0;
  std::string task_id;
  TaskState state = TaskState::kStarting;
  TimeMs ts_ms = 0;
  std::string message;
  std::vector<int64_t> pids;  // the runner's pid, then the task's running processes

  bool operator==(const StatusUpdate&) const = default;
};

json::object update_to_json(const StatusUpdate& u);
// Strict: every field must have the right type; `seq`, `task_id` and `state` are required.
Result<StatusUpdate> update_from_json(const json::value& v);

// What the agent tells the scheduler about a task when it reconciles.
struct TaskReport {
  std::string task_id;
  TaskState state = TaskState::kStarting;
  bool operator==(const TaskReport&) const = default;
};

}  // namespace borealis::agent
