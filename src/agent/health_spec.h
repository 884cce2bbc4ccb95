// HealthSpec: what the agent needs to health-check one task and to stop it gracefully,
// resolved from the task's JobSpec (`health_check_config`, `lifecycle`) and its launch
// (ports, task id, instance, user). docs/health-checks.md is the user's view.
//
// Which checker runs (Aurora's HealthCheckerProvider, extended):
//   - a `shell` checker when configured (it always runs; the runtime references of
//     taskcontract/runtime_refs.h are bound in it);
//   - else the `http` checker when the task has a `health` port, else an `http` port
//     (Aurora checks only `health`; the `http` fallback is ours);
//   - else none: the task is RUNNING as soon as its processes run.
// Graceful shutdown (HttpLifecycleConfig) needs the port it names (default `health`);
// `http` never triggers it.
//
// The agent keeps the launch's JobSpec in <sandbox>/.runner/job.json so a re-attached
// task is checked the same way (load_health_spec).
//
// Thread-safety: plain values and pure functions.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "agent/task_user.h"
#include "common/clock.h"
#include "common/result.h"
#include "jobspec/job_spec.h"
#include "taskcontract/runtime_refs.h"

namespace borealis::agent {

struct HttpCheck {
  int64_t port = 0;
  std::string endpoint = "/health";
  std::string expected_response = "ok";
  int64_t expected_response_code = 0;
};

struct ShellCheck {
  std::string command;  // interpolated; runs as `bash -c` in the sandbox
};

// The numbers of health_check_config, as Aurora names them.
struct HealthPolicy {
  double initial_interval_secs = 15.0;
  double interval_secs = 10.0;
  double timeout_secs = 1.0;
  int64_t max_consecutive_failures = 0;
  int64_t min_consecutive_successes = 1;
};

struct LifecycleSpec {
  int64_t port = 0;
  std::string graceful_shutdown_endpoint = "/quitquitquit";
  std::string shutdown_endpoint = "/abortabortabort";
  TimeMs graceful_shutdown_wait_ms = 5000;
  TimeMs shutdown_wait_ms = 5000;
};

struct HealthSpec {
  std::optional<HttpCheck> http;  // at most one of http and shell
  std::optional<ShellCheck> shell;
  HealthPolicy policy;
  std::optional<LifecycleSpec> lifecycle;
  std::string user;  // the task's user ("" = the agent's own)
  std::string role;
  // Who shell checks run as: set by the TaskManager (TaskUsers); until then, or when the
  // user was refused, every shell check fails with this error.
  Result<RunAs> run_as = failed_precondition("the task's user was not resolved");

  bool checked() const { return http.has_value() || shell.has_value(); }
};

// The launch-time facts a HealthSpec depends on besides the JobSpec: what the runtime
// references are bound to.
using TaskFacts = taskcontract::RuntimeFacts;

HealthSpec resolve_health_spec(const jobspec::JobSpec& job, const TaskFacts& facts);

// What a sandbox's .runner/job.json and task.json say about its task, for re-attach.
struct LaunchedTask {
  jobspec::JobSpec job;
  TaskFacts facts;
};
// Not found when the sandbox has no job.json (launched by an older agent, or a failed
// launch).
Result<LaunchedTask> load_launched_task(const std::string& sandbox);

// Re-attach: reads <sandbox>/.runner/job.json and task.json. A sandbox without job.json
// has no checks and no lifecycle.
Result<HealthSpec> load_health_spec(const std::string& sandbox);
// The JobSpec the agent saved in `sandbox` at launch (kNotFound when there is none).
Result<jobspec::JobSpec> load_job_spec(const std::string& sandbox);

// Bound on <task dir>/.runner/job.json: the agent writes it from a JobSpec the scheduler
// accepted, whose task.json is at most 4 MiB.
inline constexpr size_t kMaxJobFileBytes = size_t{16} << 20;

}  // namespace borealis::agent
