// The scheduler's check of who a job's tasks would run as, at create and update: the
// rule of taskcontract::TaskUserPolicy (--min-task-uid, --allow-root-roles) against the
// scheduler host's user database (getpwnam). A refused user is INVALID_ARGUMENT (400)
// naming the user and the role. A user this host does not know is accepted: the agents
// are the authority on their hosts' users (a missing one fails the task there), and the
// name `root` is refused wherever it is missing.
//
// Thread-safety: immutable after create(); check() may run on any thread.
#pragma once

#include <optional>

#include "common/result.h"
#include "jobspec/job_spec.h"
#include "scheduler/server/scheduler_options.h"
#include "taskcontract/task_user_policy.h"

namespace borealis::scheduler {

class TaskUserCheck {
 public:
  // The policy from the options; errors name the flag.
  static Result<TaskUserCheck> create(const SchedulerOptions& options);

  Status check(const jobspec::JobSpec& job) const;

 private:
  std::optional<taskcontract::TaskUserPolicy> policy_;  // nullopt: not checked
};

}  // namespace borealis::scheduler
