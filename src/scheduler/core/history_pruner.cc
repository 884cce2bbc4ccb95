#include "scheduler/core/history_pruner.h"

#include <algorithm>
#include <vector>

namespace borealis::scheduler {

namespace {

struct Ended {
  TimeMs at;
  Instance* instance;
  Task* task;
};

}  // namespace

size_t prune_job_history(ClusterModel& model, Job& job, const HistoryBounds& bounds, TimeMs now,
                         size_t budget) {
  const TimeMs cutoff = now - bounds.max_age_ms;
  std::vector<Ended> tries;  // ended tasks that are not an instance's outcome
  std::vector<Ended> doomed;
  for (auto& [_, inst] : job.instances) {
    for (size_t i = 0; i < inst.history.size(); ++i) {
      Task* t = inst.history[i];
      TimeMs at = t->last_event().ts_ms;
      if (at < cutoff)
        doomed.push_back({at, &inst, t});
      else if (i > 0)
        tries.push_back({at, &inst, t});
    }
  }
  if (tries.size() > bounds.max_ended_tasks_per_job) {
    // Newest first; what is past the count goes, oldest first.
    std::sort(tries.begin(), tries.end(),
              [](const Ended& a, const Ended& b) { return a.at > b.at; });
    doomed.insert(doomed.end(),
                  tries.begin() + static_cast<ptrdiff_t>(bounds.max_ended_tasks_per_job),
                  tries.end());
  }
  if (doomed.size() > budget) {
    std::sort(doomed.begin(), doomed.end(),
              [](const Ended& a, const Ended& b) { return a.at < b.at; });
    doomed.resize(budget);
  }
  for (const Ended& e : doomed) {
    std::erase(e.instance->history, e.task);
    model.erase_task(e.task);
  }
  return doomed.size();
}

}  // namespace borealis::scheduler
