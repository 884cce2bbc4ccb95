// TaskMonitor: the agent's view of one task's runner. It follows the checkpoint, watches
// the runner's exit through a pidfd, kills the task on request (SIGTERM, then SIGKILL of
// the runner and its process groups when the runner does not finish in time), and turns
// all of that into the states the agent reports, each exactly once and in order.
//
// Health (docs/health-checks.md): when the task has a health check (set_health), RUNNING
// means healthy. The checkpoint's RUNNING is held back and starts the monitor's
// HealthChecker; RUNNING is reported once the checks pass. An unhealthy verdict kills
// the task and ends it FAILED with the checker's reason. A re-attached task that was
// already reported RUNNING stays RUNNING and its checks resume with no grace; one that
// was STARTING starts its evaluation over.
//
// Kill: checks stop; when the task has the HttpLifecycleConfig port, POST
// graceful_shutdown_endpoint, wait graceful_shutdown_wait (or until the task ends), POST
// shutdown_endpoint, wait shutdown_wait, then SIGTERM to the runner; the escalation
// timer (finalization_wait + the runner's grace + a margin) starts at that SIGTERM. An
// endpoint that does not answer is not waited for (as in Aurora). A task that ends by
// itself during those waits is reported KILLED.
//
// Ownership and threads: created as a shared_ptr and used only on the agent's loop
// thread (the io_context passed in); its asynchronous waits hold weak pointers, so
// destroying a monitor just stops watching (and checking). Destroying one never signals
// the runner: tasks outlive the agent.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "agent/checkpoint_reader.h"
#include "agent/health_checker.h"
#include "agent/health_spec.h"
#include "agent/task_cgroup.h"
#include "agent/task_owner.h"
#include "agent/task_ports.h"
#include "agent/task_progress.h"
#include "agent/task_state.h"
#include "agent/task_usage.h"
#include "common/clock.h"
#include "jobspec/job_spec.h"

namespace borealis::agent {

struct MonitorOptions {
  TimeMs runner_kill_grace_ms = 5000;  // the runner's own SIGTERM -> SIGKILL wait
  // On top of finalization_wait + the runner's grace: the runner may spend up to 5 s more
  // per stage on processes that resist SIGKILL (docs/internals/runner-sandbox.md).
  TimeMs kill_margin_ms = 10000;
  TimeMs start_grace_ms = 30000;  // re-attached sandbox with no runner on record yet
};

class TaskMonitor : public std::enable_shared_from_this<TaskMonitor> {
 public:
  // Called for every state the agent must report, in order, on the loop thread.
  using Listener = std::function<void(TaskMonitor&, TaskState)>;

  TaskMonitor(boost::asio::io_context& io, std::string task_id, std::string sandbox,
              TimeMs finalization_wait_ms, const Clock& clock, MonitorOptions options,
              Listener listener);
  ~TaskMonitor();
  TaskMonitor(const TaskMonitor&) = delete;
  TaskMonitor& operator=(const TaskMonitor&) = delete;

  // The task's health checks and graceful shutdown; call before start_*(). Without it
  // (or with nothing to check) RUNNING is reported as soon as the checkpoint says so.
  void set_health(HealthSpec spec);

  // The agent prepares the task before its runner (fetching artifacts): reports STARTING
  // once, with `note` as its message. A kill meanwhile ends the task KILLED.
  void preparing(std::string note);
  // The agent just started the runner `pid` for this task: reports STARTING.
  void start_launched(int pid);
  // After an agent restart: `last` is the last update the agent reported for the task
  // (from the outbox), if any. Reads the checkpoint, reports what happened since, and
  // resumes watching a live runner (same pid, nothing restarted) or ends a dead one as LOST.
  void start_reattached(const std::optional<StatusUpdate>& last);
  // The task could not be started: ends it in `state` with `message` at once.
  void fail(TaskState state, std::string message);

  // The checkpoint may have grown (inotify, or a rescan).
  void on_checkpoint_changed();
  // Kills the task (idempotent; ignored once it ended).
  void kill(const std::string& reason);
  // Runs once, when a kill starts and before the task is signalled (its lifecycle POSTs or
  // SIGTERM); the kill goes on when the hook calls `proceed` (on the loop thread). The
  // announcer withdraws the task's ServerSet member there, so routers drain it first.
  using BeforeKill = std::function<void(std::function<void()> proceed)>;
  void set_before_kill(BeforeKill hook) { before_kill_ = std::move(hook); }
  // Kills the task for breaking a limit: it ends FAILED with `reason` as its message.
  void kill_failed(const std::string& reason);

  // The task's cgroup (task_cgroup.h), when the agent uses cgroups: an OOM kill in it
  // becomes the reason of a FAILED task, and once the runner is gone every process left in
  // it is SIGKILLed and the cgroup removed.
  void set_cgroup(std::shared_ptr<TaskCgroup> cgroup) { cgroup_ = std::move(cgroup); }
  const std::shared_ptr<TaskCgroup>& cgroup() const { return cgroup_; }
  // Kills what is left in the cgroup and removes it, retrying until it is empty.
  void clean_up_cgroup();
  // The resources the task asked for (zero when unknown): its `disk` in bytes (0 = none)
  // is a limit (task_resources.h), and all of them count as allocated on the agent.
  void set_resources(const jobspec::Resources& r) { resources_ = r; }
  const jobspec::Resources& resources() const { return resources_; }
  int64_t disk_limit() const { return resources_.disk; }
  // Its latest usage (task_resources.h).
  const TaskUsage& usage() const { return usage_; }
  bool has_usage() const { return usage_.sampled_ms > 0 || usage_.disk_bytes >= 0; }
  void set_usage(const TaskUsage& usage) { usage_ = usage; }

  const std::string& task_id() const { return task_id_; }
  const std::string& sandbox() const { return sandbox_; }
  // Whose task this is (set by the TaskManager; unknown until then).
  void set_owner(TaskOwner owner) { owner_ = std::move(owner); }
  const TaskOwner& owner() const { return owner_; }
  // Who commands run in the task as (`POST .../run`; set by the TaskManager).
  void set_run_as(Result<RunAs> who) { run_as_ = std::move(who); }
  const Result<RunAs>& run_as() const { return run_as_; }
  // The loop this monitor runs on (and its API routes with it).
  boost::asio::io_context& io() const { return io_; }
  // Its ports and primary endpoint, for the API (set by the TaskManager).
  void set_ports(TaskPortsView ports) { ports_ = std::move(ports); }
  const TaskPortsView& ports() const { return ports_; }
  // The last state reported (STARTING before any).
  TaskState state() const { return reported_.value_or(TaskState::kStarting); }
  bool ended() const { return reported_ && is_terminal(*reported_); }
  TimeMs ended_ms() const { return ended_ms_; }
  const std::string& message() const { return message_; }
  bool killing() const { return killing_; }
  int64_t runner_pid() const { return runner_pid_; }
  // The runner's pid (when known and not ended) and the pids of running processes.
  std::vector<int64_t> pids() const;
  const TaskProgress& progress() const { return progress_; }
  // True when the task has a health check.
  bool health_checked() const { return health_ && health_->checked(); }
  // The checker once checks started (null before, and for unchecked tasks).
  const HealthChecker* checker() const { return checker_.get(); }
  // The message of a non-terminal update: for RUNNING of a checked task, the check that
  // passed.
  std::string running_message() const;

  // Seq of the update that reported the terminal state (set by the owner).
  int64_t final_seq = 0;

 private:
  void read_checkpoint();
  void report(std::optional<TaskState> s);
  void attach_runner();  // start watching progress_.runner_pid() if alive
  void watch(int pid, int pidfd);
  void wait_exit();
  void on_runner_exit();
  void runner_gone(std::string how);
  void signal_runner(int sig);
  void escalate();
  void close_pidfd();
  void start_checks(bool already_healthy);
  void stop_checks();
  void on_health(Health h);
  void lifecycle_step(int step);
  void send_sigterm();
  void signal_kill();  // the lifecycle POSTs, or SIGTERM
  // "out of memory: limit N MiB" once the kernel OOM-killed in the task's cgroup, else "".
  std::string oom_reason() const;

  boost::asio::io_context& io_;
  std::string task_id_;
  std::string sandbox_;
  TaskOwner owner_;
  Result<RunAs> run_as_ = failed_precondition("the task's user is not known on this agent");
  TaskPortsView ports_;
  TimeMs finalization_wait_ms_;
  const Clock& clock_;
  MonitorOptions options_;
  Listener listener_;

  CheckpointTail tail_;
  TaskProgress progress_;
  std::optional<TaskState> reported_;
  std::string message_;
  std::string preparing_note_;  // the message of STARTING before the runner
  TimeMs ended_ms_ = 0;
  int64_t runner_pid_ = 0;  // the runner being watched
  bool killing_ = false;
  BeforeKill before_kill_;
  std::string kill_reason_;
  boost::asio::posix::stream_descriptor pidfd_;
  boost::asio::steady_timer kill_timer_;
  boost::asio::steady_timer start_timer_;

  std::optional<HealthSpec> health_;
  std::shared_ptr<HealthChecker> checker_;
  bool healthy_ = false;      // the checks passed (or the task was RUNNING at re-attach)
  bool fail_on_end_ = false;  // killed as unhealthy or over a limit: ends FAILED with fail_reason_
  std::string fail_reason_;
  bool lifecycle_phase_ = false;  // POSTing the lifecycle endpoints, before SIGTERM
  std::string lifecycle_note_;
  std::shared_ptr<HttpProbe> lifecycle_probe_;
  boost::asio::steady_timer lifecycle_timer_;

  std::shared_ptr<TaskCgroup> cgroup_;
  boost::asio::steady_timer cgroup_timer_;
  int cgroup_attempts_ = 0;
  jobspec::Resources resources_;
  TaskUsage usage_;
};

}  // namespace borealis::agent
