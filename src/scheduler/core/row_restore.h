// Row decoding: rebuilds the model from the store's rows (the inverse of rows.h). Each
// function links what it restores to what it refers to, so versions come back first,
// then agents, jobs, updates and tasks.
#pragma once

#include <string>

#include "common/clock.h"
#include "common/result.h"
#include "scheduler/core/cluster_model.h"

namespace borealis::scheduler {

// Back as a known agent that must register again, and times out if it never does.
Status restore_agent(const std::string& row, TimeMs now, ClusterModel& model);
Status restore_job(const std::string& row, ClusterModel& model);
// Appends the update to its job's list; the caller sorts the lists once all are back.
Status restore_update(const std::string& row, ClusterModel& model);
// Links the task into its instance: as the active task, or into its history (unsorted).
// Resources, queues and placement counts are the caller's.
Result<Task*> restore_task(const std::string& row, TimeMs now, ClusterModel& model);

}  // namespace borealis::scheduler
