// The runner's event loop: sets up the sandbox (checkpoint, task.json, logs), then drives
// a TaskMachine with child exits and signals read from a signalfd and with its timers,
// until the task reaches a terminal state. Contract: docs/internals/runner-sandbox.md.
//
// run_task blocks SIGCHLD, SIGTERM and SIGINT for the calling thread and reads them from
// a signalfd (no async signal handlers); it restores the mask before returning. It reaps
// every child of the process (waitid over all children), so a process running it must
// have no other children it wants to wait for; when the process is a child subreaper it
// also SIGKILLs the children (orphans of the task) left when the task ends. Process-wide
// setup that only a dedicated runner process should do (setsid, becoming a child
// subreaper) is main.cc's job.
//
// Thread-safety: call from one thread; the whole process is the runner.
#pragma once

#include <string>

#include "common/clock.h"
#include "taskcontract/task_user_policy.h"

namespace borealis::runner {

struct RunnerOptions {
  std::string sandbox;            // absolute path of the task's sandbox
  TimeMs kill_grace_ms = 5000;    // SIGTERM -> SIGKILL
  TimeMs reap_timeout_ms = 5000;  // after SIGKILL, record a run that does not die as LOST
  // A root runner refuses a task user below this uid (the agent passes 0 for the roles it
  // allows to run as root).
  int64_t min_uid = taskcontract::kDefaultMinTaskUid;
  // The task's cgroup directory (--cgroup), or "" when the agent runs without cgroups.
  std::string cgroup;
};

// Exit codes of run_task (and of borealis-runner).
constexpr int kExitSuccess = 0;    // task SUCCESS or KILLED
constexpr int kExitFailed = 1;     // task FAILED (including a bad task.json)
constexpr int kExitNoSandbox = 2;  // the checkpoint cannot be written; nothing recorded

// Runs the task in `options.sandbox` to its end and returns an exit code above.
int run_task(const RunnerOptions& options);

}  // namespace borealis::runner
