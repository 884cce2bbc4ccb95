// Whose task a sandbox holds: the role and environment of its job (the agent's API shows a
// task's files and logs to that role only, docs/security.md), and the job and instance its
// metrics are labelled with (docs/metrics.md).
//
// Thread-safety: plain values and a pure function over the file system.
#pragma once

#include <string>

#include "common/result.h"

namespace borealis::agent {

struct TaskOwner {
  std::string role;  // "" = unknown: only admins may read the task's data
  std::string environment;
  std::string job;
  int64_t instance = -1;  // -1 = unknown
};

// The owner named in <sandbox>/.runner/task.json (read beneath the sandbox, bounded), for
// tasks found again when the agent restarts.
Result<TaskOwner> read_task_owner(const std::string& sandbox);

}  // namespace borealis::agent
