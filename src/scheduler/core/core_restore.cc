// Rebuilding the core from the store's rows at start (rows are decoded in row_restore.cc).
#include <algorithm>

#include "scheduler/core/core.h"
#include "scheduler/core/row_restore.h"

namespace borealis::scheduler {

Status Core::restore(const StoredState& state, TimeMs now, const ParallelFor& parallel) {
  for (const auto& [id, row] : state.configs)
    BOREALIS_RETURN_IF_ERROR(model_.versions().restore(id, row));
  for (const auto& [_, row] : state.agents)
    BOREALIS_RETURN_IF_ERROR(restore_agent(row, now, model_));
  for (const auto& [_, row] : state.jobs) BOREALIS_RETURN_IF_ERROR(restore_job(row, model_));
  for (const auto& [_, row] : state.cron_jobs) BOREALIS_RETURN_IF_ERROR(cron_.restore(row));
  try {
    for (const auto& [_, row] : state.updates)
      BOREALIS_RETURN_IF_ERROR(restore_update(row, model_));
  } catch (const std::exception& e) {
    return invalid_argument(std::string("corrupt update row: ") + e.what());
  }
  for (auto& [_, job] : model_.jobs())
    std::sort(job->updates.begin(), job->updates.end(),
              [](const Update* a, const Update* b) { return a->created_ms > b->created_ms; });
  BOREALIS_ASSIGN_OR_RETURN(std::vector<std::unique_ptr<Task>> decoded,
                            decode_task_rows(model_, state.tasks, now, parallel));
  std::vector<Task*> pending;
  model_.reserve_tasks(decoded.size());
  for (std::unique_ptr<Task>& d : decoded) {
    BOREALIS_ASSIGN_OR_RETURN(Task * t, link_restored_task(model_, std::move(d)));
    if (t->job->instances[t->instance].active != t) continue;  // ended: in its history
    if (is_on_agent(t->state)) {
      placer_.restore_on_agent(t);
      if (t->state == TaskState::kPartitioned) lifecycle_.restore_partitioned(t);
    } else if (t->state == TaskState::kPending)
      pending.push_back(t);
    else
      lifecycle_.restore_waiting(t);
  }
  // Pending order survives a restart: oldest first, as they were queued.
  std::sort(pending.begin(), pending.end(), [](const Task* a, const Task* b) {
    return a->events.front().ts_ms < b->events.front().ts_ms;
  });
  for (Task* t : pending) lifecycle_.restore_waiting(t);
  for (auto& [_, job] : model_.jobs()) {
    for (auto& [__, inst] : job->instances) {
      std::sort(inst.history.begin(), inst.history.end(), [](const Task* a, const Task* b) {
        return a->last_event().ts_ms > b->last_event().ts_ms;
      });
    }
  }
  placer_.request_pass();
  cron_.recover(now);
  next_prune_ms_ = now + 60'000;
  return Status();
}

}  // namespace borealis::scheduler
