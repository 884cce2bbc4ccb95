// Aurora's task states and which transitions between them are legal.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace borealis::scheduler {

enum class TaskState : uint8_t {
  kInit,
  kPending,    // waiting for a place
  kThrottled,  // waiting out a flapping penalty before becoming PENDING
  kAssigned,   // placed; launch sent to the agent
  kStarting,   // the agent started the runner
  kRunning,    // processes running (and healthy, when health checked)
  kFinished,   // ended successfully
  kFailed,     // ended unsuccessfully
  kKilling,    // kill sent, waiting for the agent to confirm
  kKilled,     // ended by a kill
  kLost,       // the agent or runner vanished; state unknown
  kPreempting,
  kRestarting,
  kDraining,
  kPartitioned,  // its agent went silent; it may still run there (partition_policy)
};

std::string_view task_state_name(TaskState s);
std::optional<TaskState> parse_task_state(std::string_view name);

bool is_terminal(TaskState s);
// ASSIGNED..KILLING: holding resources on an agent.
bool is_on_agent(TaskState s);
// Not terminal.
inline bool is_active(TaskState s) { return !is_terminal(s); }

// Whether the state machine allows from -> to (same state is not a transition).
bool is_legal_transition(TaskState from, TaskState to);

}  // namespace borealis::scheduler
