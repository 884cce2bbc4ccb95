#include "scheduler/core/job_summary.h"

namespace borealis::scheduler {

JobSummary summarize(const Job& job) {
  JobSummary s;
  // Counted by state in an array, named once at the end: a job list walks every instance
  // of every job, and a string made per instance was most of its cost at scale.
  constexpr size_t kStates = static_cast<size_t>(TaskState::kPartitioned) + 1;
  int32_t by_state[kStates] = {};
  int pending = 0, running = 0, starting = 0, killing = 0, finished = 0, failed = 0, killed = 0;
  for (const auto& [_, inst] : job.instances) {
    const Task* t =
        inst.active ? inst.active : (inst.history.empty() ? nullptr : inst.history.front());
    if (!t) continue;
    ++by_state[static_cast<size_t>(t->state)];
    if (inst.active) ++s.active_tasks;
    switch (t->state) {
      case TaskState::kPending:
      case TaskState::kThrottled:
      case TaskState::kInit:
        ++pending;
        break;
      case TaskState::kAssigned:
      case TaskState::kStarting:
        ++starting;
        break;
      case TaskState::kRunning:
        ++running;
        break;
      case TaskState::kKilling:
        ++killing;
        break;
      case TaskState::kFinished:
        ++finished;
        break;
      case TaskState::kFailed:
      case TaskState::kLost:
        ++failed;
        break;
      case TaskState::kKilled:
        ++killed;
        break;
      default:
        ++running;
        break;
    }
  }
  for (size_t i = 0; i < kStates; ++i)
    if (by_state[i])
      s.state_counts[std::string(task_state_name(static_cast<TaskState>(i)))] = by_state[i];
  if (killing)
    s.status = "KILLING";
  else if (pending)
    s.status = "PENDING";
  else if (starting)
    s.status = "STARTING";
  else if (running)
    s.status = "RUNNING";
  else if (failed)
    s.status = "FAILED";
  else if (killed)
    s.status = "KILLED";
  else if (finished)
    s.status = "FINISHED";
  else
    s.status = "KILLED";
  return s;
}

}  // namespace borealis::scheduler
