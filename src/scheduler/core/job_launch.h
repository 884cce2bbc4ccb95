// Starting a job's run: the record of the job replaced by a new one whose instances are
// all PENDING. Shared by job create and by cron fires.
#pragma once

#include <string>

#include "common/clock.h"
#include "scheduler/core/cluster_model.h"
#include "scheduler/core/task_lifecycle.h"

namespace borealis::scheduler {

// The job under `config`'s key must have no active task (the caller checked). Tasks are
// queued for placement; the caller asks for a placement pass.
Job* launch_job(ClusterModel& model, TaskLifecycle& lifecycle, ConfigPtr config,
                const std::string& user, TimeMs now);

// How many of the job's instances have a live task.
int active_tasks(const Job& job);

}  // namespace borealis::scheduler
