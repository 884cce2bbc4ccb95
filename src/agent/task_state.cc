#include "agent/task_state.h"

namespace borealis::agent {

bool is_terminal(TaskState s) { return state_rank(s) == 3; }

int state_rank(TaskState s) {
  switch (s) {
    case TaskState::kStarting:
      return 1;
    case TaskState::kRunning:
      return 2;
    default:
      return 3;
  }
}

}  // namespace borealis::agent
