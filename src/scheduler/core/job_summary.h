// Read-side summaries of jobs: counts of task states and one word for the job.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "scheduler/core/model.h"

namespace borealis::scheduler {

struct JobSummary {
  std::map<std::string, int32_t> state_counts;  // state name -> tasks (active + last ended)
  std::string status;  // PENDING, RUNNING, STARTING, FINISHED, FAILED, KILLED, KILLING
  int32_t active_tasks = 0;
};

// Counts each instance once: its active task, or else its most recent ended task.
JobSummary summarize(const Job& job);

}  // namespace borealis::scheduler
