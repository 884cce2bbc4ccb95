#include "scheduler/core/task_state.h"

#include <array>

#include "common/enum_names.h"

namespace borealis::scheduler {

namespace {
constexpr std::array<std::string_view, 15> kNames = {
    "INIT",    "PENDING",    "THROTTLED",  "ASSIGNED", "STARTING",
    "RUNNING", "FINISHED",   "FAILED",     "KILLING",  "KILLED",
    "LOST",    "PREEMPTING", "RESTARTING", "DRAINING", "PARTITIONED"};
}

std::string_view task_state_name(TaskState s) { return enum_name(kNames, s); }

std::optional<TaskState> parse_task_state(std::string_view name) {
  return enum_from_name<TaskState>(kNames, name);
}

bool is_terminal(TaskState s) {
  return s == TaskState::kFinished || s == TaskState::kFailed || s == TaskState::kKilled ||
         s == TaskState::kLost;
}

bool is_on_agent(TaskState s) {
  switch (s) {
    case TaskState::kAssigned:
    case TaskState::kStarting:
    case TaskState::kRunning:
    case TaskState::kKilling:
    case TaskState::kPreempting:
    case TaskState::kRestarting:
    case TaskState::kDraining:
    case TaskState::kPartitioned:
      return true;
    default:
      return false;
  }
}

bool is_legal_transition(TaskState from, TaskState to) {
  using S = TaskState;
  if (from == to || is_terminal(from)) return false;
  switch (from) {
    case S::kInit:
      return to == S::kPending || to == S::kThrottled;
    case S::kPending:
      return to == S::kAssigned || to == S::kKilling || to == S::kKilled;
    case S::kThrottled:
      return to == S::kPending || to == S::kKilling || to == S::kKilled;
    case S::kAssigned:
    case S::kStarting:
    case S::kRunning:
      // An agent may skip ahead (ASSIGNED -> RUNNING) when updates were coalesced,
      // but never back.
      if (to == S::kPending || to == S::kThrottled || to == S::kInit) return false;
      if (from == S::kRunning && (to == S::kStarting || to == S::kAssigned)) return false;
      if (from == S::kStarting && to == S::kAssigned) return false;
      return true;
    case S::kKilling:
      return is_terminal(to);
    case S::kPreempting:
    case S::kRestarting:
    case S::kDraining:
      return is_terminal(to) || to == S::kRunning || to == S::kKilling;
    case S::kPartitioned:
      // Its agent came back and reported where the task is (docs/partitions.md).
      return is_terminal(to) || to == S::kStarting || to == S::kRunning || to == S::kKilling;
    default:
      return false;
  }
}

}  // namespace borealis::scheduler
